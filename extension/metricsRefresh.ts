// Pure: when the metrics panel asks the daemon again. Once per step of its range while the panel
// is visible, never while hidden, and never sooner than a step after the last answer (the daemon
// caches per step, so asking sooner would only return the same numbers). No `vscode` import.

/**
 * Milliseconds until the next request: 0 when nothing was fetched for this range yet or the last
 * answer is a step old; undefined while the panel is hidden (nothing is asked at all).
 */
export function refreshDelay(o: {
  visible: boolean;
  /** When the last answer for the current range arrived (ms since the epoch). */
  lastFetchedAt: number | undefined;
  stepSeconds: number;
  now: number;
}): number | undefined {
  if (!o.visible) return undefined;
  if (o.lastFetchedAt === undefined) return 0;
  return Math.max(0, o.lastFetchedAt + o.stepSeconds * 1000 - o.now);
}

/** The panel's tab title: "Metrics: kars-backend (kars-prod)". */
export function metricsTitle(service: string, environment: string): string {
  return `Metrics: ${service} (${environment})`;
}
