// Which deployment each rollback restored. Railway's deploymentRollback answers only `true` and the
// new deployment names nothing it came from, so the daemon remembers its own rollbacks, across
// restarts, through the audit log it already writes.
import type { AuditLog } from '../state/auditLog';

export class RollbackMemory {
  private readonly restored = new Map<string, string>();

  constructor(audit?: AuditLog) {
    for (const e of audit?.read(10_000) ?? []) {
      if (e.action === 'rollback' && e.outcome === 'ok' && e.deploymentId && e.restored)
        this.restored.set(e.deploymentId, e.restored);
    }
  }

  remember(newDeploymentId: string, restoredId: string): void {
    this.restored.set(newDeploymentId, restoredId);
  }

  readonly lookup = (deploymentId: string): string | undefined => this.restored.get(deploymentId);
}
