// Gate `lock` as the daemon runs it: this daemon's own promotions, then teammates' through
// Railyard's GitHub Deployments for the target (teamLock.ts). Without GitHub only the first.
import { success } from '../../upstreamError';
import { DEFAULT_LOCK_STALE_MINUTES } from '../promotionRecords';
import { foreignLock, teamHolder } from '../teamLock';
import { lockGateWith } from './lock';

export const teamLockGate = lockGateWith(async (ctx) => {
  if (!ctx.github) return success(undefined);
  const minutes = ctx.settings.lockStaleMinutes ?? DEFAULT_LOCK_STALE_MINUTES;
  const found = await teamHolder(ctx.github, ctx.record, minutes * 60_000, (id) => ctx.ours(id));
  if (!found.ok) return found;
  return success(found.value && foreignLock(found.value));
});
