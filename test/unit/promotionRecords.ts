// Builders of promotion records for the CLI's tests, parsed by the protocol's own schema so a
// record the daemon could never send does not make a test pass.
import {
  GATE_IDS,
  promotionRecord,
  type GateId,
  type GateResult,
  type PromotionRecord,
  type PromotionStep,
  type StepId,
} from '../../protocol/protocol';

const TITLES: Record<GateId, string> = {
  'source-deployed': 'Source deployed',
  'source-healthy': 'Source healthy',
  ci: 'CI',
  'qa-signoff': 'QA sign-off',
  'deploy-window': 'Deploy window',
  divergence: 'No divergence',
  merge: 'Merges cleanly',
  backup: 'Backup',
  lock: 'Not locked',
  'config-drift': 'Config drift',
  'target-health': 'Target healthy',
  changes: 'Changes',
};

export function gate(
  id: GateId,
  state: GateResult['state'],
  extra: Partial<GateResult> = {},
): GateResult {
  return {
    id,
    title: TITLES[id],
    level: 'required',
    state,
    detail: `${TITLES[id]} is ${state}`,
    evidence: [],
    actions: [],
    ...extra,
  };
}

/** Every gate in the given state, as the checklist lists them. */
export function allGates(state: GateResult['state']): GateResult[] {
  return GATE_IDS.map((id) => gate(id, state));
}

/** `gates` with one replaced. */
export function withGate(gates: GateResult[], replacement: GateResult): GateResult[] {
  return gates.map((g) => (g.id === replacement.id ? replacement : g));
}

export function step(id: StepId, state: PromotionStep['state'], detail?: string): PromotionStep {
  return { id, state, ...(detail !== undefined && { detail }) };
}

let clock = Date.parse('2026-12-01T10:00:00Z');

/** A record of kars-dev → kars-prod; each call is newer than the last (updatedAt). */
export function record(overrides: Partial<PromotionRecord> = {}): PromotionRecord {
  const at = new Date((clock += 1000)).toISOString();
  return promotionRecord.parse({
    id: 'p-1',
    state: 'gated',
    summary: 'Ready to promote kars-dev into kars-prod.',
    folder: '/work/kars',
    projectId: 'proj-1',
    repo: 'acme/kars',
    from: { name: 'kars-dev', id: 'env-dev', branch: 'kars-dev' },
    to: { name: 'kars-prod', id: 'env-prod', branch: 'kars-prod' },
    sourceCommit: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
    targetCommit: '1111111aaaaaaabbbbbbbcccccccdddddddeeeee',
    protected: false,
    gates: allGates('pass'),
    steps: [],
    createdBy: 'ana',
    createdAt: '2026-12-01T09:59:00.000Z',
    updatedAt: at,
    history: [{ state: 'planned', at: '2026-12-01T09:59:00.000Z' }],
    ...overrides,
  });
}
