// The commits Deploy Commit… offers: the newest of the branch that deploys a service in an
// environment, read from GitHub, with the one the service runs now marked.
import { ErrorCode, type Params, type Result } from '../../protocol/protocol';
import { RpcError } from '../../protocol/jsonrpc';
import type { GithubAccess } from '../github/githubAccess';
import { toRpcError } from '../upstreamError';
import type { EnvironmentService } from './environmentService';

interface GithubCommit {
  sha: string;
  commit: { message: string; author: { name: string; date: string } | null };
}

export async function recentCommits(
  deps: { environments: EnvironmentService; github: GithubAccess },
  p: Params<'deployments.recentCommits'>,
): Promise<Result<'deployments.recentCommits'>> {
  const watcher = await deps.environments.watcherFor(p.folder);
  const env = watcher.current.environments.find((e) => e.id === p.environmentId);
  const service = env?.services.find((s) => s.id === p.serviceId);
  if (!env || !service)
    throw new RpcError(
      ErrorCode.NotFound,
      'That service is not in this project any more; refresh the tree and try again.',
    );
  const repo = service.repo;
  if (!repo || !env.branch)
    throw new RpcError(
      ErrorCode.Conflict,
      `${service.name} in ${env.name} does not deploy from a GitHub branch, so it has no commits to pick; type a sha instead.`,
    );
  const client = deps.github.client();
  if (!client)
    throw new RpcError(
      ErrorCode.SignedOut,
      `Sign in to GitHub to list ${env.branch}'s commits, or type the sha to deploy.`,
      { provider: 'github' },
    );
  const answer = await client.get<GithubCommit[]>(`/repos/${repo}/commits`, {
    query: { sha: env.branch, per_page: p.limit },
  });
  if (!answer.ok) {
    // GitHub's answer: a refused token is GitHub's, so the editor offers GitHub's sign-in.
    const e = toRpcError(answer.error);
    throw new RpcError(e.code, e.message, { ...(e.data as object), provider: 'github' });
  }
  const running = service.active?.commitHash;
  return {
    repo,
    branch: env.branch,
    commits: answer.value.data.map((c) => ({
      sha: c.sha,
      message: c.commit.message,
      author: c.commit.author?.name ?? '',
      authoredAt: c.commit.author?.date ?? '',
      active: c.sha === running,
    })),
  };
}
