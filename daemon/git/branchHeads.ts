// Where each watched branch points now, from `git ls-remote`: a push (by anyone, from anywhere)
// shows up within one check, at no cost to the Railway API budget.
import type { Redactor } from '../diagnostics/redact';
import { runGit } from './gitCommand';

export interface BranchRef {
  /** "owner/name", as Railway's deployment triggers name it. */
  repo: string;
  branch: string;
}

/** `repo#branch` → sha, for the branches that exist; undefined when a remote could not be read. */
export async function readBranchHeads(
  gitBaseUrl: string,
  refs: BranchRef[],
  token: string | undefined,
  redactor: Redactor,
  onError: (message: string) => void = () => undefined,
): Promise<Map<string, string> | undefined> {
  const byRepo = new Map<string, string[]>();
  for (const r of refs) byRepo.set(r.repo, [...(byRepo.get(r.repo) ?? []), r.branch]);
  const heads = new Map<string, string>();
  for (const [repo, branches] of byRepo) {
    const url = `${gitBaseUrl.replace(/\/+$/, '')}/${repo}.git`;
    const args = ['ls-remote', '--heads', url, ...branches.map((b) => `refs/heads/${b}`)];
    const result = await runGit(args, { token, redactor, timeoutMs: 15_000 });
    if (!result.ok) {
      onError(
        `git ls-remote ${url} failed (exit ${result.code ?? 'signal'}): ${result.stderr.trim()}`,
      );
      return undefined;
    }
    for (const line of result.stdout.split('\n')) {
      const [sha, ref] = line.split('\t');
      if (sha && ref?.startsWith('refs/heads/'))
        heads.set(`${repo}#${ref.slice('refs/heads/'.length)}`, sha);
    }
  }
  return heads;
}
