// The daemon's single door to Railway: one client per token (so rate-limit accounting is per token,
// as Railway counts it), subscriptions with the same credentials, and the usage figures.
import type { Result } from '../../protocol/protocol';
import type { FoundToken } from '../credentials/credentialSources';
import type { Logger } from '../diagnostics/logger';
import { RailwayClient, type RailwayTokenKind } from './railwayClient';
import { railwayOperations } from './operations';
import { railwayPace, RequestPacer } from './requestPacer';
import { abortableDelay } from './retryPolicy';
import { subscribeRailway, type RailwaySubscriptionHandlers } from './railwaySubscriptions';
import type { RailwayDeployment } from './types';
import type { RailwayLog } from '../../protocol/protocol';
import type { UpstreamKey } from '../logs/upstreamLogs';

export class RailwayAccess {
  private readonly clients = new Map<string, RailwayClient>();
  /** One per token: Railway limits a token, whichever header (kind) it travels in. */
  private readonly pacers = new Map<string, RequestPacer>();

  constructor(
    private readonly endpoint: string,
    private readonly currentToken: () => FoundToken | undefined,
    private readonly logger: Logger,
  ) {}

  /** The client for the token in effect now, or undefined when signed out. */
  client(): RailwayClient | undefined {
    const found = this.currentToken();
    return found ? this.clientFor(found.token, tokenKindOf(found)) : undefined;
  }

  clientFor(token: string, kind: RailwayTokenKind): RailwayClient {
    const key = `${kind}:${token}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new RailwayClient({
        token,
        tokenKind: kind,
        endpoint: this.endpoint,
        pacer: this.pacerFor(token),
        onRequest: (e) => this.logger.debug('railway request', { ...e }),
      });
      this.clients.set(key, client);
    }
    return client;
  }

  private pacerFor(token: string): RequestPacer {
    let pacer = this.pacers.get(token);
    if (!pacer) {
      pacer = new RequestPacer(railwayPace, Date.now, abortableDelay);
      this.pacers.set(token, pacer);
    }
    return pacer;
  }

  /** Live status of one deployment; the returned function ends it. */
  subscribeDeployment(id: string, onUpdate: (d: RailwayDeployment) => void): () => void {
    const found = this.currentToken();
    if (!found) return () => undefined;
    const handlers: RailwaySubscriptionHandlers<{ deployment: RailwayDeployment }> = {
      next: (data) => onUpdate(data.deployment),
      error: (e) =>
        this.logger.warn('deployment subscription ended', { id, kind: e.kind, error: e.message }),
    };
    const sub = subscribeRailway(
      { token: found.token, tokenKind: tokenKindOf(found), endpoint: this.endpoint },
      railwayOperations.DeploymentUpdates,
      { id },
      handlers,
    );
    return () => sub.dispose();
  }

  /** A log subscription (deployment, build or environment logs) with the token in effect. */
  subscribeLogs(
    key: UpstreamKey,
    backlog: number,
    handlers: RailwaySubscriptionHandlers<Record<string, RailwayLog[]>>,
  ): () => void {
    const found = this.currentToken();
    if (!found) {
      handlers.error({ kind: 'auth', message: 'Sign in to Railway first.' });
      return () => undefined;
    }
    const [document, variables] =
      key.kind === 'environment'
        ? [
            railwayOperations.EnvironmentLogs,
            { environmentId: key.sourceId, filter: key.filter, beforeLimit: backlog },
          ]
        : [
            key.kind === 'build' ? railwayOperations.BuildLogs : railwayOperations.DeploymentLogs,
            { deploymentId: key.sourceId, filter: key.filter, limit: backlog },
          ];
    const sub = subscribeRailway(
      { token: found.token, tokenKind: tokenKindOf(found), endpoint: this.endpoint },
      document,
      variables,
      handlers,
    );
    return () => sub.dispose();
  }

  usage(): Result<'railway.usage'> {
    const snapshot = this.client()?.rateLimit();
    return {
      requestsLastHour: snapshot?.requestsLastHour ?? 0,
      limit: snapshot?.limit,
      remaining: snapshot?.remaining,
      resetAt: snapshot?.resetAtMs ? new Date(snapshot.resetAtMs).toISOString() : undefined,
      rateLimitedLastHour: snapshot?.rateLimitedLastHour ?? 0,
      perSecondLimit: railwayPace.perWindow,
    };
  }
}

/** Project tokens travel as Project-Access-Token; account and workspace tokens as Bearer. */
export function tokenKindOf(found: FoundToken): RailwayTokenKind {
  return found.kind === 'project' ? 'project' : 'account';
}
