// The words the editor and the CLI both use for Railway's deployments, so that `railyard status`
// says "deployed" where the tree does, never Railway's SUCCESS, and names an image the same way.
import type { DeploymentStatus, DeploymentView } from '../protocol/protocol';

export const STATUS_WORDS: Record<DeploymentStatus, string> = {
  QUEUED: 'queued',
  WAITING: 'waiting for CI',
  INITIALIZING: 'initializing',
  BUILDING: 'building',
  DEPLOYING: 'deploying',
  NEEDS_APPROVAL: 'needs approval',
  SUCCESS: 'deployed',
  FAILED: 'failed',
  CRASHED: 'crashed',
  // Railway skips for failed CI and for a push outside the watch paths alike; the status alone
  // does not say which, so neither does the word (skipReason does, when the build log said).
  SKIPPED: 'skipped',
  SLEEPING: 'sleeping',
  REMOVING: 'removing',
  REMOVED: 'removed',
};

/** A deployment Railway keeps for rollback reads as "previous", not as deleted. */
export const isPrevious = (d: DeploymentView): boolean => d.status === 'REMOVED' && d.canRollback;

/** The status word of a deployment, with Railway's reason for a skip when its build log gave one. */
export function statusWord(d: DeploymentView): string {
  if (isPrevious(d)) return 'previous';
  const word = STATUS_WORDS[d.status];
  return d.status === 'SKIPPED' && d.skipReason ? `${word}: ${d.skipReason}` : word;
}

/** An image reference reads by its last part: "postgres-ssl:16", not the whole registry path. */
export const imageName = (image: string | undefined): string | undefined => image?.split('/').pop();
