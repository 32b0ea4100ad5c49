// What the checklist says of production's numbers after a success: the verdict in an icon and a
// word, its sentence, and per service the before → after figures, the crossed ones flagged in words
// (never colour alone). Pure: the record comes in, rows of text go out.
import type {
  PromotionVerification,
  VerificationFigures,
  VerificationService,
  VerificationState,
} from '../protocol/metrics';
import { formatGb, formatMs } from '../protocol/metricsWords';
import { percent } from '../protocol/promotionWords';
import type { Look } from './panelWords';

export const VERIFICATION_LOOK: Readonly<Record<VerificationState, Look>> = {
  pending: { icon: 'loading', word: 'watching', tone: 'busy', spin: true },
  verified: { icon: 'pass', word: 'verified', tone: 'ok' },
  regressed: { icon: 'error', word: 'regressed', tone: 'bad' },
  'not-enough-traffic': { icon: 'circle-slash', word: 'not enough traffic', tone: 'muted' },
  unknown: { icon: 'question', word: 'unknown', tone: 'warn' },
};

export interface FigureRow {
  label: string;
  before: string;
  after: string;
  /** The verdict counted this figure against the release. */
  flagged: boolean;
}

export interface ServiceVerification {
  name: string;
  look: Look;
  rows: FigureRow[];
  reasons: string[];
}

export interface VerificationModel {
  look: Look;
  heading: string;
  summary: string;
  services: ServiceVerification[];
}

const dash = '—';

function ms(value: number | null): string {
  return value === null ? dash : formatMs(value);
}

function gb(value: number | null): string {
  return value === null ? dash : formatGb(value);
}

/** The figures a verdict weighs, in the order a person reads them; memory is shown, never judged. */
function figureRows(
  before: VerificationFigures | undefined,
  after: VerificationFigures | undefined,
  crossed: readonly Crossed[],
): FigureRow[] {
  // Nothing read yet (still watching): a table of dashes would only be noise.
  if (!before && !after) return [];
  const row = (
    label: string,
    show: (f: VerificationFigures) => string,
    flag?: Crossed,
  ): FigureRow => ({
    label,
    before: before ? show(before) : dash,
    after: after ? show(after) : dash,
    flagged: flag !== undefined && crossed.includes(flag),
  });
  return [
    row('Requests', (f) => f.requests.toLocaleString('en-US')),
    row('5xx rate', (f) => `${percent(f.errorRate)} (${f.errors5xx})`, '5xx'),
    row('p95 duration', (f) => ms(f.p95Ms), 'p95'),
    row('Crashes', (f) => String(f.crashes), 'crash'),
    row('Memory', (f) => gb(f.memoryGb)),
  ];
}

type Crossed = NonNullable<VerificationService['crossed']>[number];

export function verificationModel(v: PromotionVerification): VerificationModel {
  const minutes = v.thresholds.windowMinutes;
  return {
    look: VERIFICATION_LOOK[v.state],
    heading:
      v.state === 'pending'
        ? `Production's numbers: watching ${minutes} min after the release`
        : `Production's numbers: ${VERIFICATION_LOOK[v.state].word}`,
    summary: v.summary,
    services: v.services.map((s) => ({
      name: s.name,
      look: VERIFICATION_LOOK[s.state],
      rows: figureRows(s.before, s.after, s.state === 'regressed' ? (s.crossed ?? []) : []),
      reasons: s.reasons,
    })),
  };
}
