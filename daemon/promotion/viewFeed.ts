// A folder's live project view for the daemon's own use (a promotion watching its deploy): it
// shares the folder's watcher with every window, so watching a deploy costs no extra polling.
import { ErrorCode, type EnvironmentView, type FolderContext } from '../../protocol/protocol';
import type { ProjectView } from '../../protocol/protocol';
import { RpcError } from '../../protocol/jsonrpc';
import type { ClientLink } from '../clientLink';
import type { EnvironmentService } from '../environments/environmentService';

/** The daemon itself as the owner of a watch: it has no socket to notify. */
const DAEMON_LINK: ClientLink = { notify: () => undefined, sendIfRoom: () => true };

export interface ViewFeed {
  view(): ProjectView;
  /** Resolves with the next view the watcher sends, or the current one after `timeoutMs`. */
  next(timeoutMs: number): Promise<ProjectView>;
  refresh(): Promise<ProjectView>;
  stop(): void;
}

export async function openFeed(
  environments: EnvironmentService,
  folder: FolderContext,
): Promise<ViewFeed> {
  let current: ProjectView | undefined;
  let waiters: (() => void)[] = [];
  const followed = await environments.follow(folder, DAEMON_LINK, (view) => {
    current = view;
    const woken = waiters;
    waiters = [];
    woken.forEach((w) => w());
  });
  if (followed.problem) {
    followed.stop();
    throw followed.problem;
  }
  current = followed.view;
  return {
    view: () => current!,
    next: (timeoutMs) =>
      new Promise((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        function done(): void {
          clearTimeout(timer);
          resolve(current!);
        }
        waiters.push(done);
      }),
    refresh: async () => (current = await followed.refresh()),
    stop: () => followed.stop(),
  };
}

/** An environment of the view by name, or NotFound listing the ones there are. */
export function environmentNamed(view: ProjectView, name: string): EnvironmentView {
  const env = view.environments.find((e) => e.name === name || e.id === name);
  if (env) return env;
  const names = view.environments.map((e) => e.name).join(', ') || 'none';
  throw new RpcError(
    ErrorCode.NotFound,
    `No environment named "${name.slice(0, 100)}" in this project. Environments: ${names}.`,
  );
}
