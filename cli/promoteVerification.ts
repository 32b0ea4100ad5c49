// How `railyard promote` shows a promotion's verification by production's own metrics: its state
// and sentence, each service's figures before → after, and what to do when it regressed. Pure.
import type { PromotionRecord } from '../protocol/protocol';
import { millis as ms, percent } from '../protocol/promotionWords';
import { formatGb } from '../protocol/metricsWords';
import type {
  PromotionVerification,
  VerificationFigures,
  VerificationService,
  VerificationState,
} from '../protocol/metrics';

const SYMBOLS: Readonly<Record<VerificationState, string>> = {
  pending: '→',
  verified: '✓',
  regressed: '✗',
  'not-enough-traffic': '-',
  unknown: '…',
};

/** The line `railyard promote` ends with while the verification goes on (it does not wait for it). */
export function verificationPendingLine(record: PromotionRecord): string | undefined {
  const v = record.verification;
  if (v?.state !== 'pending') return undefined;
  return `Verifying ${record.to.name} by its metrics until ${clock(v.endsAt)} (${v.thresholds.windowMinutes} min after the release): railyard promote status ${record.id}`;
}

/** `railyard promote status`: the verification, every service's figures, and the rollback offer. */
export function verificationLines(record: PromotionRecord): string[] {
  const v = record.verification;
  if (!v) return [];
  const lines = [`Verification: ${stateWords(v)}. ${v.summary}`];
  for (const s of v.services) lines.push(...serviceLines(s));
  if (v.state === 'regressed' && record.state === 'succeeded')
    lines.push(`To roll back: railyard promote rollback ${record.id}`);
  return lines;
}

function stateWords(v: PromotionVerification): string {
  if (v.state === 'pending') return `pending until ${clock(v.endsAt)}`;
  const auto = v.autoRolledBack ? ', rolled back automatically' : '';
  return `${v.state.replace(/-/g, ' ')}${auto}`;
}

function serviceLines(s: VerificationService): string[] {
  const head = `  ${SYMBOLS[s.state]} ${s.name}: ${s.state.replace(/-/g, ' ')}`;
  const figures = s.before && s.after ? [`      ${figureLine(s.before, s.after)}`] : [];
  return [head, ...figures, ...s.reasons.map((r) => `      ${r}`)];
}

/** Before → after, side by side: what was judged, then memory, which is only reported. */
export function figureLine(before: VerificationFigures, after: VerificationFigures): string {
  const parts = [
    `5xx ${percent(before.errorRate)} → ${percent(after.errorRate)} (${before.errors5xx} → ${after.errors5xx})`,
    `p95 ${ms(before.p95Ms)} → ${ms(after.p95Ms)} ms`,
    `requests ${before.requests} → ${after.requests}`,
    `crashes ${before.crashes} → ${after.crashes}`,
    `memory ${gb(before.memoryGb)} → ${gb(after.memoryGb)}`,
  ];
  return parts.join(' · ');
}

/** The metrics panel's words for memory, so the CLI and the panel say the same. */
function gb(value: number | null): string {
  return value === null ? '–' : formatGb(value);
}

/** HH:MM UTC of an ISO time: the same on every machine, as the journal keeps it. */
function clock(iso: string): string {
  return `${iso.slice(11, 16)} UTC`;
}
