// Health checks of deployed services: GET the health URL, 2xx and a body that says ok (where it says
// anything) is healthy. RAILYARD_RESOLVE maps public domains to a local address for tests and tunnels.
import * as http from 'node:http';
import * as https from 'node:https';
import type { HealthView } from '../../protocol/protocol';

export interface ResolveRule {
  /** A domain suffix, e.g. "up.railway.app". */
  suffix: string;
  /** Where to send the request instead, e.g. "http://127.0.0.1:4545"; the Host header keeps the domain. */
  target: URL;
}

/** Parses `suffix=http://host:port,suffix2=...`; malformed entries are skipped. */
export function parseResolveRules(value: string | undefined): ResolveRule[] {
  if (!value) return [];
  return value.split(',').flatMap((part) => {
    const [suffix, target] = part.split('=', 2).map((s) => s.trim());
    if (!suffix || !target || !URL.canParse(target)) return [];
    return [{ suffix: suffix.replace(/^\*?\./, ''), target: new URL(target) }];
  });
}

export function resolveTarget(url: URL, rules: ResolveRule[]): { request: URL; host?: string } {
  const rule = rules.find(
    (r) => url.hostname === r.suffix || url.hostname.endsWith(`.${r.suffix}`),
  );
  if (!rule) return { request: url };
  const request = new URL(url.pathname + url.search, rule.target);
  return { request, host: url.host };
}

/** Judges a health answer: 2xx, and the body's status/database fields (when present) say ok. */
export function judgeHealth(status: number, body: string): Pick<HealthView, 'state' | 'detail'> {
  if (status < 200 || status > 299) return { state: 'unhealthy', detail: `HTTP ${status}` };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { state: 'healthy', detail: `HTTP ${status}` };
  }
  const fields = json && typeof json === 'object' ? (json as Record<string, unknown>) : {};
  const problems: string[] = [];
  if (typeof fields.status === 'string' && !/^(ok|healthy|up|pass)$/i.test(fields.status))
    problems.push(`status: ${fields.status}`);
  if (typeof fields.database === 'string' && !/^(connected|ok|up)$/i.test(fields.database))
    problems.push(`database: ${fields.database}`);
  return problems.length
    ? { state: 'unhealthy', detail: problems.join(', ') }
    : { state: 'healthy', detail: `HTTP ${status}` };
}

export async function checkHealth(
  url: string,
  rules: ResolveRule[],
  timeoutMs = 5_000,
): Promise<HealthView> {
  const checkedAt = new Date().toISOString();
  try {
    const { status, body } = await get(new URL(url), rules, timeoutMs);
    return { ...judgeHealth(status, body), url, checkedAt };
  } catch (e) {
    return { state: 'unhealthy', detail: (e as Error).message, url, checkedAt };
  }
}

const MAX_BODY = 64 * 1024;

function get(
  url: URL,
  rules: ResolveRule[],
  timeoutMs: number,
): Promise<{ status: number; body: string }> {
  const { request, host } = resolveTarget(url, rules);
  const lib = request.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.get(request, { headers: host ? { host } : {}, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < MAX_BODY) body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () =>
      req.destroy(new Error(`no answer in ${Math.round(timeoutMs / 1000)} s`)),
    );
    req.on('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(e.code ? `unreachable (${e.code})` : e.message)),
    );
  });
}
