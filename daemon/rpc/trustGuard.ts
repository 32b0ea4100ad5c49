// Workspace trust, enforced in one place: every method that changes what runs upstream is refused
// for an untrusted folder before its handler runs, and the refusal is audited with what was asked.
import {
  CHANGING_METHODS,
  ErrorCode,
  type ChangingMethod,
  type Params,
} from '../../protocol/protocol';
import { RpcError } from '../../protocol/jsonrpc';
import type { AuditLog } from '../state/auditLog';
import type { CallContext, Handlers } from './rpcSession';

/** The audit log's name for each changing method. */
const AUDIT_ACTION: Record<ChangingMethod, string> = {
  'deployments.redeploy': 'redeploy',
  'deployments.restart': 'restart',
  'deployments.rollback': 'rollback',
  'deployments.deployCommit': 'deploy-commit',
  'promotion.plan': 'promotion-plan',
  'promotion.recheck': 'promotion-recheck',
  'promotion.start': 'promotion-start',
  'promotion.signOff': 'promotion-sign-off',
  'promotion.cancel': 'promotion-cancel',
  'promotion.rollback': 'promotion-rollback',
  'promotion.deployMissing': 'promotion-deploy-missing',
  'promotion.revert': 'promotion-revert',
};

export function guardTrust(
  handlers: Handlers,
  audit: AuditLog,
  who: (c: CallContext) => string,
): Handlers {
  const guarded = { ...handlers };
  for (const method of CHANGING_METHODS) {
    const handler = handlers[method] as (p: Params<ChangingMethod>, c: CallContext) => unknown;
    (guarded as Record<string, unknown>)[method] = (
      p: Params<ChangingMethod>,
      ctx: CallContext,
    ) => {
      if (p.folder.trusted) return handler(p, ctx);
      const action = AUDIT_ACTION[method];
      const refusal = untrustedRefusal(action, p.folder.path);
      audit.record({
        action,
        client: who(ctx),
        folder: p.folder.path,
        ...('deploymentId' in p && { deploymentId: p.deploymentId }),
        ...('commitSha' in p && {
          commit: p.commitSha,
          environment: p.environmentId,
          service: p.serviceId,
        }),
        outcome: 'refused',
        detail: refusal.message,
      });
      throw refusal;
    };
  }
  return guarded;
}

function untrustedRefusal(action: string, folder: string): RpcError {
  return new RpcError(
    ErrorCode.Forbidden,
    `${folder} is in a workspace you have not trusted, so Railyard only reads there and refused the ${action}. Trust the workspace (Workspaces: Manage Workspace Trust) to deploy, restart or roll back from it.`,
    { untrusted: true },
  );
}
