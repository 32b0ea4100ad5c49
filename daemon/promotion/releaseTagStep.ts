// The release tag railyard.json asks for (`"tag": "release-{date}-{n}"`), on the merge commit of a
// promotion that went through: the next free name that day, pushed without force. Two teammates
// releasing at once race for a name; git refuses the second, which takes the next number.
import type { PromotionRecord } from '../../protocol/protocol';
import type { StepDeps } from './promotionSteps';
import { withStep } from './promotionRecords';
import { nextTagName } from './releaseTag';

const ATTEMPTS = 5;

/** Whether a tag name is one the pattern makes (any day, any number). */
export function madeByPattern(pattern: string, name: string): boolean {
  const source = pattern
    .split(/(\{date\}|\{n\})/)
    .map((part) =>
      part === '{date}'
        ? '\\d{4}-\\d{2}-\\d{2}'
        : part === '{n}'
          ? '\\d+'
          : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`).test(name);
}

/** Tags the merge commit; a failure is said on the step and never fails a promotion that deployed. */
export async function tagRelease(
  deps: StepDeps,
  record: PromotionRecord,
  pattern: string,
): Promise<void> {
  const mirror = deps.mirrorFor(record.repo);
  const sha = record.mergeCommit!;
  deps.store.update(record.id, (r) => withStep(r, 'tag', { state: 'running' }, deps.now()));
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const tags = await mirror.remoteTags().catch((e: unknown) => e as Error);
    if (tags instanceof Error)
      return endTag(deps, record.id, 'failed', `Could not list the tags: ${tags.message}`);
    // Tagged before a restart: the tag is there already.
    const done = [...tags].find(([name, at]) => at === sha && madeByPattern(pattern, name));
    if (done) return endTag(deps, record.id, 'done', `Tagged ${done[0]}.`, done[0]);
    let name: string;
    try {
      name = nextTagName(pattern, deps.now(), tags.keys());
    } catch (e) {
      // railyard.json was edited since it was read: a pattern git cannot use tags nothing.
      return endTag(
        deps,
        record.id,
        'failed',
        `The tag pattern ${pattern} is unusable: ${(e as Error).message}`,
      );
    }
    const pushed = await mirror.pushTag(name, sha);
    if (pushed.kind === 'pushed') return endTag(deps, record.id, 'done', `Tagged ${name}.`, name);
    if (pushed.kind === 'error')
      return endTag(deps, record.id, 'failed', `Could not push the tag ${name}: ${pushed.detail}`);
  }
  endTag(
    deps,
    record.id,
    'failed',
    `Every tag name tried was taken meanwhile (${ATTEMPTS} tries).`,
  );
}

function endTag(
  deps: StepDeps,
  id: string,
  state: 'done' | 'failed',
  detail: string,
  tag?: string,
): void {
  deps.store.update(id, (r) =>
    withStep({ ...r, ...(tag && { tag }) }, 'tag', { state, detail }, deps.now()),
  );
}
