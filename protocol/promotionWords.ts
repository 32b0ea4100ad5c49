// The words every client uses for promotions (the CLI, the Promotions view, the checklist page),
// so each says "3 min ago", "4 commits" and "0.4%" where `railyard promote` does.

/** "just now", "3 min ago", "2 h ago", "4 d ago". */
export function ago(iso: string | undefined, now: number): string {
  if (!iso) return '';
  const minutes = Math.floor((now - Date.parse(iso)) / 60_000);
  if (!Number.isFinite(minutes)) return '';
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h ago`;
  return `${Math.floor(minutes / (24 * 60))} d ago`;
}

/** "1 commit", "4 commits". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** An error rate (0..1) as "0.4%", "6.1%", "0%"; one too small for a decimal is "<0.1%", never "0%". */
export function percent(rate: number): string {
  if (rate > 0 && rate < 0.0005) return '<0.1%';
  return `${(rate * 100).toFixed(1).replace(/\.0$/, '')}%`;
}

/** Milliseconds rounded, "–" when there were none to measure (no requests). */
export function millis(value: number | null): string {
  return value === null ? '–' : String(Math.round(value));
}
