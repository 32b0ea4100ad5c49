// Promotion records as the checklist panel receives them, in the gates' own words: a gated
// promotion into a protected kars-prod outside its deploy window, and one whose deploy failed.
// Parsed by the protocol's schema, so a record the daemon could never send fails here first.
import { promotionRecord, type GateResult, type PromotionRecord } from '../../protocol/promotion';

const SOURCE = '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432';
const TARGET = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';
const MERGE = '3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f';
const repo = 'https://github.com/acme/kars';

export const NOW = Date.parse('2026-12-04T15:30:00Z');

function g(
  id: GateResult['id'],
  title: string,
  state: GateResult['state'],
  detail: string,
  extra: Partial<GateResult> = {},
): GateResult {
  return { id, title, level: 'required', state, detail, evidence: [], actions: [], ...extra };
}

export function gatedGates(): GateResult[] {
  return [
    g('source-deployed', 'Source deployed', 'pass', 'Every service of kars-dev serves 9f8e7d6', {
      evidence: [
        { label: 'kars-backend-dev', text: 'SUCCESS at 9f8e7d6' },
        { label: 'kars-frontend-dev', text: 'SUCCESS at 9f8e7d6' },
      ],
    }),
    g('source-healthy', 'Source healthy', 'pass', 'kars-dev: 1 health check answered ok', {
      evidence: [
        { label: 'kars-backend-dev', text: 'healthy: {"status":"ok","database":"connected"}' },
      ],
    }),
    g('ci', 'CI green', 'pass', 'CI green on 9f8e7d6: 3 checks passed', {
      evidence: [
        { label: 'build', text: 'success', url: `${repo}/runs/1` },
        { label: 'test', text: 'success', url: `${repo}/runs/2` },
        { label: 'lint', text: 'success', url: `${repo}/runs/3` },
      ],
    }),
    g(
      'qa-signoff',
      'QA sign-off',
      'needs-you',
      'No QA sign-off of 9f8e7d6 yet: only a sign-off of this exact commit counts',
      {
        actions: ['sign-off'],
      },
    ),
    g(
      'deploy-window',
      'Deploy window',
      'fail',
      'Outside the window (Mon 10:00–12:00 Europe/Paris): next opens Mon 7 Dec 10:00 Europe/Paris',
      {
        evidence: [
          { label: 'window', text: 'Mon 10:00–12:00 Europe/Paris' },
          { label: 'now', text: 'Fri 4 Dec 16:30 Europe/Paris' },
          { label: 'next opening', text: 'Mon 7 Dec 10:00 Europe/Paris' },
        ],
        actions: ['override-window'],
      },
    ),
    g('divergence', 'No divergence', 'pass', 'kars-prod has no commits kars-dev lacks'),
    g('merge', 'Merges cleanly', 'pass', 'Merges cleanly (tree 5e6f708)'),
    g(
      'backup',
      'Production backup',
      'needs-you',
      'kars-prod has no Railway volume: back up its database yourself, then acknowledge with a reason',
      {
        actions: ['ack-backup'],
      },
    ),
    g(
      'lock',
      'No other promotion in flight',
      'pass',
      'No other promotion into kars-prod is in flight',
    ),
    g(
      'config-drift',
      'Config drift',
      'warn',
      'Config drift in kars-backend: 2 findings (names only)',
      {
        level: 'warn',
        evidence: [
          { label: 'kars-backend', text: 'missing in kars-prod: FEATURE_EXPORTS', flag: 'warn' },
          { label: 'kars-backend', text: 'CORS_ORIGIN names a domain of kars-dev', flag: 'warn' },
        ],
      },
    ),
    g('target-health', 'Target healthy', 'pass', 'kars-prod: 1 health check answered ok'),
    g(
      'changes',
      'Change summary',
      'warn',
      '12 commits by 3 authors, 41 files; 1 migration and 2 risky files: look at them before production',
      {
        level: 'warn',
      },
    ),
  ];
}

const changes = {
  commits: [
    {
      sha: SOURCE,
      message: 'Export invoices as CSV\n\nCloses #88',
      author: 'ana',
      pr: 91,
      date: '2026-12-04T12:10:00Z',
    },
    {
      sha: 'b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5',
      message: 'Add index on invoices.customer_id',
      author: 'bo',
      pr: 90,
      date: '2026-12-03T09:00:00Z',
    },
    {
      sha: 'c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6',
      message: 'Bump pg to 8.13',
      author: 'dependabot[bot]',
      date: '2026-11-30T08:00:00Z',
    },
  ].map((c) => ({
    ...c,
    url: `${repo}/commit/${c.sha}`,
    ...(c.pr !== undefined && { prUrl: `${repo}/pull/${c.pr}` }),
  })),
  commitCount: 12,
  authors: ['ana', 'bo', 'dependabot[bot]'],
  files: Array.from({ length: 41 }, (_, i) => `src/file${i}.ts`),
  migrations: ['migrations/0042_invoice_index.sql'],
  risky: [
    { path: 'railway.json', why: "changes Railway's build or deploy settings" },
    { path: 'Dockerfile', why: 'changes how the image is built' },
  ],
  prs: [90, 91],
  compareUrl: `${repo}/compare/${TARGET}...${SOURCE}`,
};

export function gatedRecord(overrides: Partial<PromotionRecord> = {}): PromotionRecord {
  return promotionRecord.parse({
    id: 'p-20261204-1a2b',
    state: 'gated',
    summary:
      'Not ready: kars-dev 9f8e7d6 → kars-prod. QA sign-off (needs-you), Deploy window (fail), Production backup (needs-you).',
    folder: '/work/kars',
    projectId: 'proj-1',
    repo: 'acme/kars',
    from: { name: 'kars-dev', id: 'env-dev', branch: 'kars-dev' },
    to: { name: 'kars-prod', id: 'env-prod', branch: 'kars-prod' },
    sourceCommit: SOURCE,
    targetCommit: TARGET,
    protected: true,
    gates: gatedGates(),
    steps: [],
    services: [],
    changes,
    createdBy: 'ana',
    createdAt: '2026-12-04T15:28:00Z',
    updatedAt: '2026-12-04T15:28:04Z',
    history: [
      { state: 'planned', at: '2026-12-04T15:28:00Z' },
      { state: 'gated', at: '2026-12-04T15:28:04Z' },
    ],
    ...overrides,
  });
}

/** Every gate passes (the window overridden, the backup acknowledged, QA signed off). */
export function readyGates(): GateResult[] {
  const override = {
    by: 'ana',
    at: '2026-12-04T15:29:00Z',
    reason: 'Hotfix for the invoice export',
  };
  return gatedGates().map((gate) => {
    if (gate.id === 'qa-signoff')
      return {
        ...gate,
        state: 'pass',
        detail: 'QA: signed off by qa-lin on Fri 4 Dec 15:00 UTC',
        actions: [],
      };
    if (gate.id === 'deploy-window' || gate.id === 'backup')
      return { ...gate, state: 'pass', override, actions: [] };
    return gate;
  });
}

export function failedRecord(overrides: Partial<PromotionRecord> = {}): PromotionRecord {
  return gatedRecord({
    state: 'failed',
    summary:
      'The deploy failed on kars-backend-prod (FAILED: the build or the pre-deploy command failed). kars-prod still serves 1a2b3c4 on every service: nothing was rolled back.',
    gates: readyGates(),
    mergeCommit: MERGE,
    confirmedBy: 'ana',
    signOff: { by: 'qa-lin', at: '2026-12-04T15:00:00Z' },
    deployment: { id: 4711, environment: 'kars-prod', url: `${repo}/deployments/4711` },
    steps: [
      {
        id: 'merge',
        state: 'done',
        startedAt: '2026-12-04T15:29:10Z',
        endedAt: '2026-12-04T15:29:12Z',
        detail: 'Merged 9f8e7d6 into kars-prod as 3c4d5e6',
      },
      {
        id: 'push',
        state: 'done',
        startedAt: '2026-12-04T15:29:12Z',
        endedAt: '2026-12-04T15:29:15Z',
      },
      {
        id: 'deploy',
        state: 'failed',
        startedAt: '2026-12-04T15:29:15Z',
        endedAt: '2026-12-04T15:33:02Z',
        detail:
          'kars-backend-prod: FAILED: the build or the pre-deploy command failed; see its build logs. kars-frontend-prod: Serving 3c4d5e6 (SUCCESS).',
      },
      { id: 'verify', state: 'skipped' },
      { id: 'tag', state: 'skipped' },
    ],
    services: [
      {
        id: 'svc-backend',
        name: 'kars-backend-prod',
        previousDeploymentId: 'dep-old-b',
        previousCommit: TARGET,
        deploymentId: 'dep-new-b1234567',
        status: 'FAILED',
        detail: 'FAILED: the build or the pre-deploy command failed; see its build logs.',
        preDeployRan: true,
      },
      {
        id: 'svc-frontend',
        name: 'kars-frontend-prod',
        previousDeploymentId: 'dep-old-f',
        previousCommit: TARGET,
        deploymentId: 'dep-new-f7654321',
        status: 'SUCCESS',
        detail: 'Serving 3c4d5e6 (SUCCESS).',
      },
    ],
    history: [
      { state: 'planned', at: '2026-12-04T15:28:00Z' },
      { state: 'gated', at: '2026-12-04T15:28:04Z' },
      { state: 'confirmed', at: '2026-12-04T15:29:10Z' },
      { state: 'merged', at: '2026-12-04T15:29:12Z' },
      { state: 'pushed', at: '2026-12-04T15:29:15Z' },
      { state: 'deploying', at: '2026-12-04T15:29:15Z' },
      { state: 'failed', at: '2026-12-04T15:33:02Z' },
    ],
    updatedAt: '2026-12-04T15:33:02Z',
    ...overrides,
  });
}

export const FIXTURE_SHAS = { SOURCE, TARGET, MERGE };
