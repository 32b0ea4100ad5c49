// What the checklist says of production's numbers after a success: the verdict in an icon and a
// word, its sentence, and per service the before → after figures, the crossed ones flagged in words
// (never colour alone). Pure: the record comes in, rows of text go out.
import type {
  PromotionVerification,
  VerificationFigures,
  VerificationState,
} from '../protocol/metrics';
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

export function percent(rate: number): string {
  const p = rate * 100;
  return `${p < 10 && p !== 0 ? p.toFixed(1) : Math.round(p)}%`;
}

function ms(value: number | null): string {
  return value === null ? dash : `${Math.round(value)} ms`;
}

function gb(value: number | null): string {
  if (value === null) return dash;
  return value < 1 ? `${Math.round(value * 1024)} MB` : `${value.toFixed(2)} GB`;
}

/** The figures a verdict weighs, in the order a person reads them; memory is shown, never judged. */
function figureRows(
  before: VerificationFigures | undefined,
  after: VerificationFigures | undefined,
  reasons: string[],
): FigureRow[] {
  // Nothing read yet (still watching): a table of dashes would only be noise.
  if (!before && !after) return [];
  const said = (word: RegExp) => reasons.some((r) => word.test(r));
  const row = (
    label: string,
    show: (f: VerificationFigures) => string,
    flagged = false,
  ): FigureRow => ({
    label,
    before: before ? show(before) : dash,
    after: after ? show(after) : dash,
    flagged,
  });
  return [
    row('Requests', (f) => f.requests.toLocaleString('en-US')),
    row('5xx rate', (f) => `${percent(f.errorRate)} (${f.errors5xx})`, said(/5xx/i)),
    row('p95 duration', (f) => ms(f.p95Ms), said(/p95/i)),
    row('Crashes', (f) => String(f.crashes), said(/crash/i)),
    row('Memory', (f) => gb(f.memoryGb)),
  ];
}

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
      rows: figureRows(s.before, s.after, s.state === 'regressed' ? s.reasons : []),
      reasons: s.reasons,
    })),
  };
}
