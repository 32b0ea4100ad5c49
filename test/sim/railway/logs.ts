// Build and deploy logs of the simulator's deployments: written as deployments move, queried and streamed with Railway's filter subset.
import { EventEmitter } from 'node:events';
import type { SimDeployment, SimDeploymentStatus } from './model';

export type SimLogKind = 'build' | 'deploy';

export interface SimLog {
  kind: SimLogKind;
  deploymentId: string;
  environmentId: string;
  serviceId: string;
  projectId: string;
  /** RFC 3339 with nanoseconds, as Railway writes it. */
  timestamp: string;
  message: string;
  severity: 'info' | 'warn' | 'error';
  /** Values JSON-encoded, as Railway sends them. */
  attributes: { key: string; value: string }[];
}

export interface LogQuery {
  deploymentId?: string;
  environmentId?: string;
  kind?: SimLogKind;
  filter?: string | null;
}

/** Railway's default backlog and its ceiling. */
export const defaultLogLimit = 100;
export const maxLogLimit = 5000;

export class LogStore {
  private readonly lines: SimLog[] = [];
  private readonly events = new EventEmitter();
  private sequence = 0;

  constructor(private readonly now: () => Date) {
    this.events.setMaxListeners(0);
  }

  /** Writes one line for a deployment; tests use it to make a service talk. */
  append(
    d: SimDeployment,
    kind: SimLogKind,
    message: string,
    severity: SimLog['severity'] = 'info',
  ): SimLog {
    const { id: deploymentId, environmentId, serviceId, projectId } = d;
    const attributes = [{ key: 'level', value: JSON.stringify(severity) }];
    const timestamp = this.timestamp();
    const log = { kind, deploymentId, environmentId, serviceId, projectId, timestamp, message };
    const line: SimLog = { ...log, severity, attributes };
    this.lines.push(line);
    this.events.emit('log', line);
    return line;
  }

  /** The matching lines, oldest first, at most `limit` of the newest. */
  query(q: LogQuery, limit = defaultLogLimit): SimLog[] {
    const all = this.lines.filter((l) => matchesQuery(l, q));
    return all.slice(Math.max(0, all.length - Math.min(limit, maxLogLimit)));
  }

  onLog(q: LogQuery, listener: (log: SimLog) => void): () => void {
    const onLine = (l: SimLog) => {
      if (matchesQuery(l, q)) listener(l);
    };
    this.events.on('log', onLine);
    return () => this.events.off('log', onLine);
  }

  /** The lines a deployment writes as it reaches its status; `created` finished (the fixture's history) writes its whole story. */
  lifecycle(d: SimDeployment, serviceName: string, created: boolean): void {
    for (const [kind, message, severity] of lifecycleLines(d, serviceName, created))
      this.append(d, kind, message, severity);
  }

  /** Nanosecond precision from a millisecond clock: a sequence keeps lines of one millisecond in order. */
  private timestamp(): string {
    this.sequence = (this.sequence + 1) % 1_000_000;
    const digits = String(this.sequence).padStart(6, '0');
    return this.now().toISOString().replace('Z', `${digits}Z`);
  }
}

type Line = [SimLogKind, string, SimLog['severity']];

function lifecycleLines(d: SimDeployment, service: string, created: boolean): Line[] {
  const commit =
    typeof d.meta.commitHash === 'string' ? ` from ${d.meta.commitHash.slice(0, 7)}` : '';
  const image = typeof d.meta.image === 'string';
  const building: Line = ['build', `Building ${service}${commit}`, 'info'];
  const built: Line = ['build', 'Build time: 41.87 seconds', 'info'];
  const starting: Line = ['deploy', 'Starting Container', 'info'];
  const running: Line = image
    ? ['deploy', 'database system is ready to accept connections', 'info']
    : ['deploy', 'Listening on port 3000', 'info'];
  if (created && d.status === 'SUCCESS')
    return image ? [running] : [building, built, starting, running];
  const lines: Partial<Record<SimDeploymentStatus, Line[]>> = {
    BUILDING: [building],
    DEPLOYING: d.skipBuild ? [starting] : [built, starting],
    SUCCESS: [running],
    FAILED: [['build', 'ERROR: failed to build: exit code: 1', 'error']],
    CRASHED: [['deploy', 'Process exited with code 1', 'error']],
    REMOVED: [['deploy', 'Stopping Container', 'info']],
  };
  return lines[d.status] ?? [];
}

function matchesQuery(l: SimLog, q: LogQuery): boolean {
  return (
    (q.kind === undefined || l.kind === q.kind) &&
    (q.deploymentId === undefined || l.deploymentId === q.deploymentId) &&
    (q.environmentId === undefined || l.environmentId === q.environmentId) &&
    matchesFilter(l, q.filter ?? '')
  );
}

/**
 * A subset of Railway's filter syntax: words and "phrases" (case-insensitive), `-` negation,
 * `@level:x`, `@service:id`, `@deployment:id`, `@attr:value`, implicit or explicit AND, and OR.
 */
export function matchesFilter(l: SimLog, filter: string): boolean {
  const groups = filter.replace(/[()]/g, ' ').split(/\s+OR\s+/);
  return groups.some((group) => terms(group).every((term) => matchesTerm(l, term)));
}

function terms(group: string): string[] {
  return (group.match(/-?"[^"]*"|\S+/g) ?? []).filter((t) => t !== 'AND');
}

function matchesTerm(l: SimLog, raw: string): boolean {
  const negated = raw.startsWith('-') && raw.length > 1;
  const term = (negated ? raw.slice(1) : raw).replace(/^"|"$/g, '').toLowerCase();
  return negated !== termHolds(l, term);
}

function termHolds(l: SimLog, term: string): boolean {
  const attr = /^@([\w.-]+):(.*)$/.exec(term);
  if (!attr) return l.message.toLowerCase().includes(term);
  const [, key = '', value = ''] = attr;
  if (key === 'level')
    return l.severity === value || (value === 'warning' && l.severity === 'warn');
  if (key === 'service') return l.serviceId === value;
  if (key === 'deployment') return l.deploymentId === value;
  const found = l.attributes.find((a) => a.key.toLowerCase() === key);
  return found !== undefined && found.value.toLowerCase().replace(/^"|"$/g, '') === value;
}
