// A fixed histogram of request durations: what the simulator keeps per time bucket instead of every
// request, so percentiles over any window cost a few dozen numbers per bucket, however busy.

/** Upper bounds (ms) of the bins, roughly ×1.5 apart; the last bin has no upper bound. */
export const BIN_BOUNDS: readonly number[] = [
  1, 2, 3, 5, 8, 12, 18, 27, 40, 60, 90, 135, 200, 300, 450, 675, 1_000, 1_500, 2_250, 3_400, 5_000,
  7_500, 11_000, 16_000, 24_000,
];

/** Counts per bin; index i counts durations in (BIN_BOUNDS[i-1], BIN_BOUNDS[i]]. */
export type Histogram = number[];

export function emptyHistogram(): Histogram {
  return new Array<number>(BIN_BOUNDS.length + 1).fill(0);
}

export function binOf(durationMs: number): number {
  const i = BIN_BOUNDS.findIndex((bound) => durationMs <= bound);
  return i < 0 ? BIN_BOUNDS.length : i;
}

export function addTo(into: Histogram, from: Histogram): void {
  for (let i = 0; i < into.length; i++) into[i]! += from[i] ?? 0;
}

export function totalOf(h: Histogram): number {
  return h.reduce((a, b) => a + b, 0);
}

/** The bin's range in ms: what a percentile read from it can be off by. */
export function binRange(bin: number): [number, number] {
  const low = bin === 0 ? 0 : BIN_BOUNDS[bin - 1]!;
  const high = BIN_BOUNDS[bin] ?? low * 1.5;
  return [low, high];
}

/** The q-quantile (0..1) in ms, linear within its bin; null without samples. */
export function percentile(h: Histogram, q: number): number | null {
  const total = totalOf(h);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let bin = 0; bin < h.length; bin++) {
    const n = h[bin]!;
    if (n === 0 || seen + n < rank) {
      seen += n;
      continue;
    }
    const [low, high] = binRange(bin);
    return Math.round((low + ((high - low) * (rank - seen)) / n) * 10) / 10;
  }
  return binRange(h.length - 1)[1];
}
