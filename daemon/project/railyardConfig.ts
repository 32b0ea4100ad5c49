// `railyard.json` at the workspace root: what cannot be discovered (environment order, promotion
// pairs, health URLs, protection, deploy window, gates). Its JSON Schema is generated from this.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { GATE_IDS, GATE_LEVELS } from '../../protocol/promotion';
import { nextTagName } from '../promotion/releaseTag';

/** Whether a release tag pattern makes names git takes (nextTagName checks it as it would at a promotion). */
function usableTagPattern(pattern: string): boolean {
  try {
    nextTagName(pattern, new Date(0), []);
    return true;
  } catch {
    return false;
  }
}

/** A release tag pattern, for one pair (`tag`) or for every pair (`releaseTag`). */
const tagPattern = z
  .string()
  .regex(/^[A-Za-z0-9._/{}-]+$/)
  .refine((s) => s.includes('{n}'), 'the pattern needs {n}, so two releases a day get two tags')
  .refine(usableTagPattern, 'git cannot use the tag names this pattern makes');

const environmentSettings = z
  .object({
    branch: z
      .string()
      .min(1)
      .optional()
      .describe(
        'The git branch that deploys this environment (default: from Railway deployment triggers).',
      ),
    protected: z
      .boolean()
      .optional()
      .describe(
        'Deploys, rollbacks and promotions into it need the environment name typed to confirm (default: true for names containing "prod").',
      ),
    healthUrl: z
      .url()
      .optional()
      .describe(
        'URL answering 2xx when the environment is healthy (default: each service domain + its Railway healthcheck path).',
      ),
  })
  .strict();

const gateLevels = z
  .partialRecord(z.enum(GATE_IDS), z.enum(GATE_LEVELS))
  .describe(
    'Per gate: "required" (must pass), "warn" (informs only) or "off". Defaults: see the README.',
  );

/**
 * How production is judged after a promotion succeeds (protocol/metrics.ts, verificationThresholds):
 * any field left out takes its default; `false` turns verification off for the pair.
 */
const verification = z
  .union(
    [
      z.literal(false),
      z
        .object({
          windowMinutes: z
            .number()
            .int()
            .min(1)
            // The before window must fit in what Railway keeps (7 days); two hours is plenty to judge.
            .max(120)
            .describe(
              'How long to watch after the release, compared with as long before (default 10).',
            ),
          errorRateFactor: z
            .number()
            .min(1)
            .describe('Regressed when the 5xx rate grows by at least this factor (default 2)…'),
          minErrors: z
            .number()
            .int()
            .min(1)
            .describe('…with at least this many 5xx responses after the release (default 20).'),
          p95Factor: z
            .number()
            .min(1)
            .describe('Regressed when p95 duration grows by at least this factor (default 1.5)…'),
          minRequests: z
            .number()
            .int()
            .min(1)
            .describe(
              '…with at least this many requests after; fewer in either window is "not enough traffic" (default 200).',
            ),
          autoRollback: z
            .boolean()
            .describe('Roll back by itself when production regressed (default false).'),
        })
        .partial()
        .strict(),
    ],
    {
      error:
        'expected false (no verification) or an object of thresholds, e.g. { "windowMinutes": 10, "autoRollback": true }',
    },
  )
  .describe(
    "Judge production by Railway's metrics after the promotion succeeds (5xx rate, p95, crashes), or false for no verification. Defaults: 10 min window, 5xx rate ×2 with 20 errors, p95 ×1.5, 200 requests, no automatic rollback.",
  );

const promotion = z
  .object({
    from: z.string().min(1).describe('Source environment name, e.g. kars-dev.'),
    to: z.string().min(1).describe('Target environment name, e.g. kars-prod.'),
    strategy: z
      .enum(['merge', 'pull-request'])
      .default('merge')
      .describe('merge: git merge --no-ff and push; pull-request: open and merge a PR.'),
    gates: gateLevels.optional(),
    settleSeconds: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .optional()
      .describe('How long the target must stay healthy after the deploy (default 60).'),
    deployTimeoutSeconds: z
      .number()
      .int()
      .min(10)
      .max(7200)
      .optional()
      .describe(
        'How long to wait for Railway to list, build and deploy the merge commit before saying so (default 900).',
      ),
    tag: tagPattern
      .optional()
      .describe(
        'A release tag on the merge commit after a promotion succeeds, e.g. "release-{date}-{n}" ({date}: YYYY-MM-DD in UTC, {n}: 1, 2, … that day).',
      ),
    lockStaleMinutes: z
      .number()
      .int()
      // Three heartbeats (one every 5 minutes) at least, so a live promotion never looks stale.
      .min(15)
      .max(1440)
      .optional()
      .describe(
        "After how long without a word from its daemon a teammate's promotion of the target counts as stale and can be taken over (default 15).",
      ),
    migrations: z
      .array(z.string().min(1))
      .optional()
      .describe(
        'Path patterns of database migrations (default: migrations/, migrate/, prisma/migrations/, db/migrate/, alembic/, *.sql).',
      ),
    verification: verification.optional(),
  })
  .strict();

export const railyardConfigSchema = z
  .object({
    $schema: z.string().optional(),
    projectId: z
      .string()
      .min(1)
      .optional()
      .describe('Railway project id (default: from `railway link` or RAILWAY_PROJECT_ID).'),
    environments: z
      .record(z.string(), environmentSettings)
      .optional()
      .describe('Per-environment settings, keyed by Railway environment name.'),
    order: z
      .array(z.string())
      .optional()
      .describe('Environment order in the tree, e.g. ["kars-dev", "kars-prod"].'),
    promotions: z
      .array(promotion)
      .optional()
      .describe('Promotion pairs, e.g. kars-dev → kars-prod.'),
    deployWindow: z
      .object({
        days: z.array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).min(1),
        hours: z
          .string()
          .regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/)
          .describe('Local time range, e.g. "10:00-12:00".'),
        timeZone: z.string().default('UTC').describe('IANA time zone, e.g. Europe/Paris.'),
      })
      .strict()
      .optional(),
    releaseTag: tagPattern
      .optional()
      .describe(
        'The release tag pattern of every promotion pair without its own "tag", e.g. "release-{date}-{n}".',
      ),
  })
  .strict();

export type RailyardConfig = z.infer<typeof railyardConfigSchema>;

export type ConfigResult =
  | { found: false }
  | { found: true; file: string; config: RailyardConfig }
  | { found: true; file: string; problem: string };

/** Reads `<folder>/railyard.json`; a broken file is reported with the field at fault, never ignored silently. */
export function readRailyardConfig(folder: string): ConfigResult {
  const file = path.join(folder, 'railyard.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { found: false };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return {
      found: true,
      file,
      problem: `railyard.json is not valid JSON: ${(e as Error).message}`,
    };
  }
  const parsed = railyardConfigSchema.safeParse(json);
  if (parsed.success) return { found: true, file, config: parsed.data };
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return { found: true, file, problem: `railyard.json: ${issues.join('; ')}` };
}

/** The JSON Schema shipped for VS Code's completion and checking (`contributes.jsonValidation`). */
export function railyardJsonSchema(): object {
  return {
    ...z.toJSONSchema(railyardConfigSchema, { io: 'input', target: 'draft-7' }),
    title: 'Railyard configuration (railyard.json)',
  };
}
