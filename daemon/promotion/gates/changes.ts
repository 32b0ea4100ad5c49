// Gate `changes` (warn-only): shows what the promotion brings and flags migrations and risky files.
// The summary itself is computed once, before the gates, by buildChangeSummary.
import type { ChangeSummary, GateEvidence } from '../../../protocol/protocol';
import { githubWebBase, summarizeChanges } from '../changeSummary';
import type { GateDefinition, GateOutcome } from '../gateContext';
import type { GitMirror } from '../gitMirror';

export { DEFAULT_MIGRATION_PATTERNS, summarizeChanges } from '../changeSummary';

/** What the source brings to the target: commits on the source the target lacks, and their files. */
export async function buildChangeSummary(
  mirror: GitMirror,
  targetSha: string,
  sourceSha: string,
  migrationPatterns: readonly string[],
  where: { repo: string; githubApiUrl: string | undefined },
): Promise<ChangeSummary> {
  const commits = await mirror.commitsBetween(targetSha, sourceSha);
  const files = await mirror.filesChanged(targetSha, sourceSha);
  const repoUrl = `${githubWebBase(where.githubApiUrl)}/${where.repo}`;
  return summarizeChanges(commits, files, migrationPatterns, { repoUrl, targetSha, sourceSha });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function evidenceOf(changes: ChangeSummary): GateEvidence[] {
  const commits = changes.commits.map((c) => ({
    label: c.sha.slice(0, 7),
    text: `${c.message} (${c.author}${c.pr === undefined ? '' : `, #${c.pr}`})`,
  }));
  const migrations = changes.migrations.map((path) => ({
    label: 'migration',
    text: path,
    flag: 'warn' as const,
  }));
  const risky = changes.risky.map((r) => ({
    label: r.path,
    text: r.why,
    flag: 'warn' as const,
  }));
  return [...migrations, ...risky, ...commits];
}

export function judgeChanges(changes: ChangeSummary): GateOutcome {
  const evidence = evidenceOf(changes);
  if (changes.commitCount === 0)
    return {
      state: 'warn',
      detail: 'Nothing to promote: the target already has every commit of the source',
      evidence,
    };
  const size = `${plural(changes.commitCount, 'commit')} by ${plural(changes.authors.length, 'author')}, ${plural(changes.files.length, 'file')}`;
  const flags = [
    changes.migrations.length > 0 ? plural(changes.migrations.length, 'migration') : '',
    changes.risky.length > 0 ? plural(changes.risky.length, 'risky file') : '',
  ].filter((s) => s !== '');
  if (flags.length === 0)
    return { state: 'pass', detail: `${size}; no migrations or risky files`, evidence };
  return {
    state: 'warn',
    detail: `${size}; ${flags.join(' and ')}: look at them before production`,
    evidence,
  };
}

export const changesGate: GateDefinition = {
  id: 'changes',
  title: 'Change summary',
  evaluate: (ctx) => Promise.resolve(judgeChanges(ctx.changes)),
};
