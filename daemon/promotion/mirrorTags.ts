// What git prints about tags, read for the mirror: the remote's tags from `ls-remote --tags`, and
// how the remote answered the push of a new tag (`push --porcelain`).
import type { TagPush } from './gitMirror';
import { pushRefusal } from './gitFailure';

const PREFIX = 'refs/tags/';
const PEELED = '^{}';

/**
 * name → commit sha. An annotated tag is listed twice, as its tag object and peeled (`name^{}`) to
 * the commit it tags; the commit is what a release names, so the peeled line wins.
 */
export function peeledTags(lsRemote: string): Map<string, string> {
  const direct = new Map<string, string>();
  const peeled = new Map<string, string>();
  for (const line of lsRemote.split('\n')) {
    const [sha = '', ref = ''] = line.split('\t');
    if (!ref.startsWith(PREFIX) || sha === '') continue;
    const name = ref.slice(PREFIX.length);
    if (name.endsWith(PEELED)) peeled.set(name.slice(0, -PEELED.length), sha);
    else direct.set(name, sha);
  }
  for (const [name, sha] of peeled) direct.set(name, sha);
  return direct;
}

/**
 * `*` is a new tag; `=` the remote has this very tag at this sha already (a redo after a crash, so
 * it counts as pushed); "already exists" is git refusing to move someone else's tag.
 */
export function tagPushOutcome(
  exitCode: number,
  porcelain: string,
  name: string,
  redact: (text: string) => string,
): TagPush {
  const ref = `${PREFIX}${name}`;
  const line = porcelain.split('\n').find((l) => l.split('\t')[1]?.endsWith(`:${ref}`));
  if (exitCode === 0 && (line?.startsWith('*') || line?.startsWith('='))) return { kind: 'pushed' };
  const refusal = pushRefusal(porcelain);
  if (refusal && /already exists/.test(refusal.reason)) return { kind: 'exists' };
  const why = refusal ? refusal.reason : 'git did not report the tag pushed';
  return { kind: 'error', detail: redact(`The remote refused the tag ${name}: ${why}`) };
}
