// Reverts in git, as the promotion engine makes them: the revert kind's own step (undo a
// promotion's merge on the target, an alternative to Railway's rollback that also fixes the
// branch), and the reverts of reverts a promotion folds in before its merge, so that changes a
// revert took out of the target come back (git counts them merged, so a plain merge would not).
import type { PromotionRecord, ReappliedRevert } from '../../protocol/protocol';
import type { GitMirror } from './gitMirror';
import { enteredAt, short, transition, withStep } from './promotionRecords';
import type { StepDeps } from './promotionSteps';
import { revertMessage } from './reverts';
import { failBeforePush } from './stepOutcomes';

interface Authored {
  author: { name: string; email: string };
  /** The confirmation's time: the same inputs make the same commits after a crash. */
  date: Date;
}

async function subjectOf(mirror: GitMirror, sha: string): Promise<string> {
  return (await mirror.message(sha)).split('\n')[0] ?? sha;
}

/**
 * The commit the merge is made onto: the pinned target head, then a revert of each revert being
 * reapplied, oldest first. Returns the reapplies with the commits made.
 */
export async function reapplyChain(
  mirror: GitMirror,
  record: PromotionRecord,
  who: Authored,
): Promise<{ onto: string; reapplies: ReappliedRevert[] }> {
  let onto = record.targetCommit!;
  const reapplies: ReappliedRevert[] = [];
  for (const r of record.reapplies) {
    const message = revertMessage(
      await subjectOf(mirror, r.revert),
      r.revert,
      `Reapplied with Railyard (promotion ${record.id}).`,
    );
    onto = await mirror.revert({ onto, commit: r.revert, message, ...who });
    reapplies.push({ ...r, commit: onto });
  }
  return { onto, reapplies };
}

/** The revert kind's step: a commit on the target undoing the promotion's merge, then the push. */
export async function revertStep(deps: StepDeps, record: PromotionRecord): Promise<boolean> {
  const mirror = deps.mirrorFor(record.repo);
  const reverted = record.reverts!;
  try {
    const author = await deps.identity();
    const date = new Date(enteredAt(record, 'confirmed')!);
    const message = revertMessage(
      await subjectOf(mirror, reverted.commit),
      reverted.commit,
      `Reverted with Railyard (promotion ${record.id}), undoing promotion ${reverted.promotion}.`,
    );
    const sha = await mirror.revert({
      onto: record.targetCommit!,
      commit: reverted.commit,
      message,
      author,
      date,
    });
    deps.store.move(record.id, ['confirmed'], (r) =>
      transition(
        withStep(
          { ...r, mergeCommit: sha },
          'revert',
          { state: 'done', detail: `Revert commit ${short(sha)}.` },
          deps.now(),
        ),
        'merged',
        deps.now(),
        `Reverted ${short(reverted.commit)} on ${r.to.branch} as ${short(sha)}; pushing…`,
      ),
    );
    return true;
  } catch (e) {
    failBeforePush(deps, record, 'revert', (e as Error).message);
    return false;
  }
}
