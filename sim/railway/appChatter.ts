// What simulated services say while they run: an API's request lines with the odd slow query or
// failed request, a web frontend's page and asset requests, Postgres checkpoints and connections.
import type { NewLog } from './logs';
import type { SimHealth } from './model';

/** A number in [0, 1), like Math.random; injected so tests can pin every line. */
export type Random = () => number;

export type AppProfile = 'api' | 'web' | 'postgres';

/** Events per second of each profile in a production environment (other environments get less). */
export const profileRates: Record<AppProfile, number> = { api: 3, web: 1.5, postgres: 0.25 };

/** One event of a running service: one line, or a few that belong together. */
export function chatter(profile: AppProfile, health: SimHealth, random: Random): NewLog[] {
  if (profile === 'postgres') return postgresEvent(random);
  if (profile === 'web') return [webRequest(random)];
  return apiEvent(health, random);
}

const int = (random: Random, min: number, max: number): number =>
  min + Math.floor(random() * (max - min + 1));
const pickOne = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;
const requestId = (random: Random): string =>
  Math.floor(random() * 0xffffff)
    .toString(16)
    .padStart(6, '0');

interface Route {
  method: string;
  path: (random: Random) => string;
  status: number;
  ms: [number, number];
}

const invoice = (random: Random): string => `/api/invoices/${int(random, 1001, 1480)}`;
const apiRoutes: readonly Route[] = [
  { method: 'GET', path: () => '/api/invoices', status: 200, ms: [18, 95] },
  { method: 'GET', path: invoice, status: 200, ms: [6, 40] },
  { method: 'GET', path: () => '/api/customers', status: 200, ms: [12, 70] },
  { method: 'GET', path: (r) => `/api/customers/${int(r, 201, 264)}`, status: 200, ms: [5, 30] },
  { method: 'POST', path: () => '/api/invoices', status: 201, ms: [60, 240] },
  { method: 'PATCH', path: invoice, status: 200, ms: [25, 120] },
  { method: 'GET', path: () => '/api/health', status: 200, ms: [1, 4] },
];

function request(route: Route, random: Random, slow = 1): NewLog {
  const durationMs = int(random, route.ms[0], route.ms[1]) * slow;
  return {
    message: `${route.method} ${route.path(random)}`,
    severity: slow > 1 ? 'warn' : 'info',
    attributes: { status: route.status, durationMs },
  };
}

function apiEvent(health: SimHealth, random: Random): NewLog[] {
  if (health === 'db-down') return [databaseDown(random)];
  if (health === 'unhealthy' && random() < 0.4) return [serverError(random)];
  const roll = random();
  if (roll < 0.82) return [request(pickOne(random, apiRoutes), random, health === 'slow' ? 40 : 1)];
  if (roll < 0.9) return [clientError(random)];
  if (roll < 0.95) return [slowQuery(random)];
  if (roll < 0.98) return [reminderJob(random)];
  return [serverError(random)];
}

function clientError(random: Random): NewLog {
  const id = requestId(random);
  return pickOne<NewLog>(random, [
    {
      message: `GET ${invoice(random)}`,
      attributes: { status: 404, durationMs: 4, requestId: id },
    },
    {
      message: 'POST /api/invoices rejected: due_on must be a date',
      severity: 'warn',
      attributes: { status: 422, durationMs: int(random, 3, 9), requestId: id },
    },
    {
      message: 'GET /api/me without a session cookie',
      severity: 'warn',
      attributes: { status: 401, durationMs: 1, requestId: id },
    },
  ]);
}

function slowQuery(random: Random): NewLog {
  return {
    message: 'slow query: SELECT * FROM invoices WHERE customer_id = $1',
    severity: 'warn',
    attributes: { durationMs: int(random, 640, 2400), rows: int(random, 40, 900) },
  };
}

function reminderJob(random: Random): NewLog {
  const sent = int(random, 0, 6);
  return {
    message: `job send-reminders finished: ${sent} reminder${sent === 1 ? '' : 's'} sent`,
    attributes: { durationMs: int(random, 200, 900) },
  };
}

function serverError(random: Random): NewLog {
  return {
    message: `POST ${invoice(random)}/send failed: SMTP timeout`,
    severity: 'error',
    attributes: {
      status: 500,
      durationMs: int(random, 10_001, 10_040),
      requestId: requestId(random),
    },
  };
}

function databaseDown(random: Random): NewLog {
  return {
    message: 'GET /api/invoices failed: ECONNREFUSED postgres.railway.internal:5432',
    severity: 'error',
    attributes: { status: 503, durationMs: int(random, 1, 3), requestId: requestId(random) },
  };
}

const webPages = ['/', '/invoices', '/invoices/new', '/customers', '/settings'] as const;
const webAssets = ['/assets/index-4f2a9c1e.js', '/assets/index-b81d03aa.css', '/favicon.svg'];

function webRequest(random: Random): NewLog {
  const roll = random();
  if (roll < 0.03)
    return {
      message: `GET /invoices/${int(random, 1001, 1480)}/print`,
      severity: 'warn',
      attributes: { status: 404, durationMs: 2 },
    };
  const asset = roll < 0.55;
  const path = asset ? pickOne(random, webAssets) : pickOne(random, webPages);
  const status = asset && random() < 0.5 ? 304 : 200;
  return { message: `GET ${path}`, attributes: { status, durationMs: int(random, 1, 12) } };
}

function postgresEvent(random: Random): NewLog[] {
  const roll = random();
  if (roll < 0.5) return checkpoint(random);
  if (roll < 0.85)
    return [
      {
        message: `connection authorized: user=postgres database=railway application_name=${pickOne(random, ['kars-backend', 'psql', 'pg_dump'])}`,
      },
    ];
  const table = pickOne(random, ['invoices', 'customers', 'invoice_lines']);
  return [
    {
      message: `automatic vacuum of table "railway.public.${table}": index scans: 1, pages: 0 removed, ${int(random, 40, 900)} remain`,
    },
  ];
}

function checkpoint(random: Random): NewLog[] {
  const buffers = int(random, 12, 480);
  const write = (int(random, 1200, 26_000) / 1000).toFixed(3);
  return [
    { message: 'checkpoint starting: time' },
    {
      message: `checkpoint complete: wrote ${buffers} buffers (${((buffers / 16_384) * 100).toFixed(1)}%); 0 WAL file(s) added, 0 removed, 1 recycled; write=${write} s, sync=0.004 s, total=${write} s`,
    },
  ];
}
