// Pure: which promotions "Railyard: Promote…" offers (the project view's environments that promote
// to another), how each reads in the picker, and which existing promotion of a pair to reopen.
import { FINAL_STATES, type ProjectView, type PromotionRecord } from '../protocol/protocol';

export interface PromotionPair {
  from: string;
  to: string;
  /** Commits the source has that the target lacks, when the daemon could count them. */
  ahead?: number;
  behind?: number;
}

/** A pair as the QuickPick shows it. */
export interface PairPick {
  label: string;
  description: string;
  pair: PromotionPair;
}

/** The configured pairs (railyard.json, else each environment to the next), in the view's order. */
export function promotionPairs(view: ProjectView | undefined): PromotionPair[] {
  if (view?.state !== 'ready') return [];
  return view.environments.flatMap((env) =>
    env.promotion
      ? [
          {
            from: env.name,
            to: env.promotion.to,
            ...(env.promotion.ahead !== undefined && { ahead: env.promotion.ahead }),
            ...(env.promotion.behind !== undefined && { behind: env.promotion.behind }),
          },
        ]
      : [],
  );
}

/** "kars-dev → kars-prod" */
export function pairLabel(pair: { from: string; to: string }): string {
  return `${pair.from} → ${pair.to}`;
}

/** "3 commits to ship", "up to date", "ahead unknown"; a target with its own commits says so. */
export function aheadText(pair: PromotionPair): string {
  const ahead =
    pair.ahead === undefined
      ? 'ahead unknown'
      : pair.ahead === 0
        ? 'up to date'
        : `${pair.ahead} ${pair.ahead === 1 ? 'commit' : 'commits'} to ship`;
  if (!pair.behind) return ahead;
  return `${ahead}; ${pair.to} has ${pair.behind} ${pair.behind === 1 ? 'commit' : 'commits'} ${pair.from} lacks`;
}

export function pairPicks(pairs: PromotionPair[]): PairPick[] {
  return pairs.map((pair) => ({ label: pairLabel(pair), description: aheadText(pair), pair }));
}

/**
 * Why there is nothing to pick: the project is not there yet (the view's own sentence), or it has
 * no pair, with how to add one.
 */
export function noPairsMessage(view: ProjectView | undefined): string {
  if (!view) return 'Railyard has not read the project yet; try again in a moment.';
  if (view.state !== 'ready')
    return view.message ?? 'Railyard cannot read the project yet; the Environments view says why.';
  if (view.ignoredSettings?.some((s) => s.startsWith('promotions')))
    return 'This workspace is in Restricted Mode, so Railyard set railyard.json\'s "promotions" aside: trust the workspace to promote.';
  return 'No environment of this project promotes to another. Add a pair to railyard.json: "promotions": [{ "from": "kars-dev", "to": "kars-prod" }].';
}

/** What railyard.json gets when it has to be created for a pair, with the view's first two environments. */
export function pairSnippet(view: ProjectView | undefined): string {
  const names = (view?.environments ?? []).filter((e) => !e.isEphemeral).map((e) => e.name);
  const from = placeholderText(names[0] ?? 'development');
  const to = placeholderText(names[1] ?? 'production');
  return `{\n\t"promotions": [{ "from": "\${1:${from}}", "to": "\${2:${to}}" }]\n}\n`;
}

/**
 * A name as a placeholder's text inside a JSON string: escaped for JSON first (`"`, `\`), then
 * for the snippet (`$`, `}`, `\`), so the inserted file is valid JSON naming the environment.
 */
function placeholderText(name: string): string {
  const json = JSON.stringify(name).slice(1, -1);
  return json.replace(/[$}\\]/g, '\\$&');
}

/**
 * This folder's promotion of the pair that is still going (or waiting for a person), newest first:
 * "Promote…" reopens it rather than planning another, which would cancel it (a newer plan
 * supersedes a gated one). Checks (`--check`) and back-merges are not it.
 */
export function openPromotionOf(
  records: readonly PromotionRecord[],
  pair: { from: string; to: string },
): PromotionRecord | undefined {
  return newestFirst(records).find(
    (r) =>
      r.kind === 'promotion' &&
      !r.checkOnly &&
      r.from.name === pair.from &&
      r.to.name === pair.to &&
      !FINAL_STATES.includes(r.state),
  );
}

/** The newest promotion of the pair whatever its state: what Restricted Mode can still show. */
export function latestPromotionOf(
  records: readonly PromotionRecord[],
  pair: { from: string; to: string },
): PromotionRecord | undefined {
  return newestFirst(records).find(
    (r) => r.kind === 'promotion' && r.from.name === pair.from && r.to.name === pair.to,
  );
}

function newestFirst(records: readonly PromotionRecord[]): PromotionRecord[] {
  return [...records].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
