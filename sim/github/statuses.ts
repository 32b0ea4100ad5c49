// GitHub's commit statuses (the older API CI services post to), kept apart from check runs as GitHub keeps them.
import type { SimClock } from '../clock';
import type { GithubUser } from './state';

export type StatusState = 'error' | 'failure' | 'pending' | 'success';
export const statusStates: readonly StatusState[] = ['error', 'failure', 'pending', 'success'];

export interface CommitStatus {
  id: number;
  /** `owner/name` */
  repository: string;
  sha: string;
  state: StatusState;
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: GithubUser;
  createdAt: Date;
}

export type NewStatus = Pick<CommitStatus, 'repository' | 'sha' | 'state' | 'creator'> &
  Partial<Pick<CommitStatus, 'context' | 'description' | 'targetUrl'>>;

export class CommitStatuses {
  private readonly statuses: CommitStatus[] = [];
  private lastId = 0;

  constructor(private readonly clock: SimClock) {}

  /** GitHub's `context` defaults to `default`; each post adds a status, the newest per context wins. */
  add(input: NewStatus): CommitStatus {
    const status: CommitStatus = {
      context: 'default',
      description: null,
      targetUrl: null,
      ...input,
      id: 7_000_000_000 + ++this.lastId,
      createdAt: this.clock.now(),
    };
    this.statuses.push(status);
    return status;
  }

  /** Every status of the commit, newest first, as GitHub lists them. */
  list(repository: string, sha: string): CommitStatus[] {
    return this.oldestFirst(repository, sha).reverse();
  }

  /** The newest status of each context, in the order the contexts first appeared. */
  latestPerContext(repository: string, sha: string): CommitStatus[] {
    const latest = new Map<string, CommitStatus>();
    for (const s of this.oldestFirst(repository, sha)) latest.set(s.context, s);
    return [...latest.values()];
  }

  /**
   * GitHub's combined state: failure when any context's newest status is error or failure, pending
   * when there are none or one is pending, success when every context's newest is success.
   */
  combinedState(repository: string, sha: string): 'failure' | 'pending' | 'success' {
    const latest = this.latestPerContext(repository, sha);
    if (latest.some((s) => s.state === 'error' || s.state === 'failure')) return 'failure';
    if (latest.length === 0 || latest.some((s) => s.state === 'pending')) return 'pending';
    return 'success';
  }

  private oldestFirst(repository: string, sha: string): CommitStatus[] {
    return this.statuses.filter((s) => s.repository === repository && s.sha === sha);
  }
}

export function isStatusState(value: unknown): value is StatusState {
  return statusStates.includes(value as StatusState);
}
