// `railyard.json` at the workspace root: what cannot be discovered (environment order, promotion
// pairs, health URLs, protection, deploy window, gates). Its JSON Schema is generated from this.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from '../../protocol/zod';
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
const tagPattern = z.string().check(
  z.regex(/^[A-Za-z0-9._/{}-]+$/),
  z.refine((s) => s.includes('{n}'), 'the pattern needs {n}, so two releases a day get two tags'),
  z.refine(usableTagPattern, 'git cannot use the tag names this pattern makes'),
);

const environmentSettings = z.strictObject({
  branch: z
    .optional(z.string().check(z.minLength(1)))
    .check(
      z.describe(
        'The git branch that deploys this environment (default: from Railway deployment triggers).',
      ),
    ),
  protected: z
    .optional(z.boolean())
    .check(
      z.describe(
        'Deploys, rollbacks and promotions into it need the environment name typed to confirm (default: true for names containing "prod").',
      ),
    ),
  healthUrl: z
    .optional(z.url())
    .check(
      z.describe(
        'URL answering 2xx when the environment is healthy (default: each service domain + its Railway healthcheck path).',
      ),
    ),
});

const gateLevels = z
  .partialRecord(z.enum(GATE_IDS), z.enum(GATE_LEVELS))
  .check(
    z.describe(
      'Per gate: "required" (must pass), "warn" (informs only) or "off". Defaults: see the README.',
    ),
  );

/**
 * How production is judged after a promotion succeeds (protocol/metrics.ts, verificationThresholds):
 * any field left out takes its default; `false` turns verification off for the pair.
 */
const verification = z
  .union(
    [
      z.literal(false),
      z.partial(
        z.strictObject({
          windowMinutes: z.number().check(
            z.int(),
            z.minimum(1),
            // The before window must fit in what Railway keeps (7 days); two hours is plenty to judge.
            z.maximum(120),
            z.describe(
              'How long to watch after the release, compared with as long before (default 10).',
            ),
          ),
          errorRateFactor: z
            .number()
            .check(
              z.minimum(1),
              z.describe('Regressed when the 5xx rate grows by at least this factor (default 2)…'),
            ),
          minErrors: z
            .number()
            .check(
              z.int(),
              z.minimum(1),
              z.describe('…with at least this many 5xx responses after the release (default 20).'),
            ),
          p95Factor: z
            .number()
            .check(
              z.minimum(1),
              z.describe(
                'Regressed when p95 duration grows by at least this factor (default 1.5)…',
              ),
            ),
          minRequests: z
            .number()
            .check(
              z.int(),
              z.minimum(1),
              z.describe(
                '…with at least this many requests after; fewer in either window is "not enough traffic" (default 200).',
              ),
            ),
          autoRollback: z
            .boolean()
            .check(z.describe('Roll back by itself when production regressed (default false).')),
        }),
      ),
    ],
    {
      error:
        'expected false (no verification) or an object of thresholds, e.g. { "windowMinutes": 10, "autoRollback": true }',
    },
  )
  .check(
    z.describe(
      "Judge production by Railway's metrics after the promotion succeeds (5xx rate, p95, crashes), or false for no verification. Defaults: 10 min window, 5xx rate ×2 with 20 errors, p95 ×1.5, 200 requests, no automatic rollback.",
    ),
  );

const promotion = z.strictObject({
  from: z.string().check(z.minLength(1), z.describe('Source environment name, e.g. kars-dev.')),
  to: z.string().check(z.minLength(1), z.describe('Target environment name, e.g. kars-prod.')),
  strategy: z
    ._default(z.enum(['merge', 'pull-request']), 'merge')
    .check(z.describe('merge: git merge --no-ff and push; pull-request: open and merge a PR.')),
  gates: z.optional(gateLevels),
  settleSeconds: z
    .optional(z.number().check(z.int(), z.minimum(0), z.maximum(3600)))
    .check(z.describe('How long the target must stay healthy after the deploy (default 60).')),
  deployTimeoutSeconds: z
    .optional(z.number().check(z.int(), z.minimum(10), z.maximum(7200)))
    .check(
      z.describe(
        'How long to wait for Railway to list, build and deploy the merge commit before saying so (default 900).',
      ),
    ),
  tag: z
    .optional(tagPattern)
    .check(
      z.describe(
        'A release tag on the merge commit after a promotion succeeds, e.g. "release-{date}-{n}" ({date}: YYYY-MM-DD in UTC, {n}: 1, 2, … that day).',
      ),
    ),
  lockStaleMinutes: z
    .optional(
      z.number().check(
        z.int(),
        // Three heartbeats (one every 5 minutes) at least, so a live promotion never looks stale.
        z.minimum(15),
        z.maximum(1440),
      ),
    )
    .check(
      z.describe(
        "After how long without a word from its daemon a teammate's promotion of the target counts as stale and can be taken over (default 15).",
      ),
    ),
  migrations: z
    .optional(z.array(z.string().check(z.minLength(1))))
    .check(
      z.describe(
        'Path patterns of database migrations (default: migrations/, migrate/, prisma/migrations/, db/migrate/, alembic/, *.sql).',
      ),
    ),
  verification: z.optional(verification),
});

export const railyardConfigSchema = z.strictObject({
  $schema: z.optional(z.string()),
  projectId: z
    .optional(z.string().check(z.minLength(1)))
    .check(z.describe('Railway project id (default: from `railway link` or RAILWAY_PROJECT_ID).')),
  environments: z
    .optional(z.record(z.string(), environmentSettings))
    .check(z.describe('Per-environment settings, keyed by Railway environment name.')),
  order: z
    .optional(z.array(z.string()))
    .check(z.describe('Environment order in the tree, e.g. ["kars-dev", "kars-prod"].')),
  promotions: z
    .optional(z.array(promotion))
    .check(z.describe('Promotion pairs, e.g. kars-dev → kars-prod.')),
  deployWindow: z.optional(
    z.strictObject({
      days: z
        .array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']))
        .check(z.minLength(1)),
      hours: z
        .string()
        .check(
          z.regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/),
          z.describe('Local time range, e.g. "10:00-12:00".'),
        ),
      timeZone: z
        ._default(z.string(), 'UTC')
        .check(z.describe('IANA time zone, e.g. Europe/Paris.')),
    }),
  ),
  releaseTag: z
    .optional(tagPattern)
    .check(
      z.describe(
        'The release tag pattern of every promotion pair without its own "tag", e.g. "release-{date}-{n}".',
      ),
    ),
});

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
