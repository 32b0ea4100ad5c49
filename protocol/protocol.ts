// The one contract between the daemon and its clients (the VS Code extension and the CLI):
// every method, notification and error code, with schemas that validate what crosses the wire.
// Add messages; never change the meaning of one. Bump PROTOCOL_VERSION for breaking changes.
import * as z from './zod';
import { metricsMethods } from './metrics';
import { promotionMethods, promotionRecord } from './promotion';
export * from './promotion';

/** The protocol versions this build speaks; the first exchange picks the highest common one. */
export const PROTOCOL_VERSION = 3;
/**
 * 2: log lines travel as Railway's own Log objects (clients derive the level).
 * 3: a folder is sent with its workspace trust and its window's project link; 2 is not spoken,
 * since a client of 2 would act on folders without saying whether they are trusted.
 */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [3];

/** JSON-RPC error codes. The -32xxx ones are JSON-RPC 2.0's; the rest are Railyard's, stable. */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** A method other than `initialize` was called before the version was negotiated. */
  NotInitialized: -32002,
  /** No protocol version in common; `data.supported` lists the daemon's. */
  UnsupportedVersion: 1001,
  /** A credential was refused or lacks a scope; the message says which and what to do. */
  Auth: 1010,
  /** An upstream API refused for rate limits; `data.retryAfterSeconds` when known. */
  RateLimited: 1011,
  /** What the request names (environment, service, deployment, watch) does not exist; the message lists what does. */
  NotFound: 1012,
  /** An upstream API could not be reached. */
  Network: 1013,
  /** An upstream API answered with a server error. */
  Upstream: 1014,
  Conflict: 1015,
  /** The workspace is untrusted, or a protected target lacks its typed confirmation. */
  Forbidden: 1016,
  /** Railway requires two-factor authentication this account has not completed; the token is kept. */
  TwoFactorRequired: 1017,
  /** Something in front of an upstream API (a proxy, firewall, Cloudflare) answered instead of it. */
  Blocked: 1018,
  /** No Railway credential at all (Auth is for one that was refused or lacks a scope). */
  SignedOut: 1019,
  /** No Railway project is linked to the folder: `railway link`, RAILWAY_PROJECT_ID or railyard.json. */
  NoProject: 1020,
} as const;
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

const clientKind = z.enum(['vscode', 'cli', 'test']);

/** What the daemon tells about one credential; never the token itself. */
export const credentialStatus = z.object({
  set: z.boolean(),
  /** Where the daemon found it: stored by Railyard, an environment variable, or the Railway CLI login. */
  source: z.enum(['stored', 'env', 'railway-cli', 'none']),
  /** The variable or file it came from, e.g. "RAILWAY_TOKEN" or "~/.railway/config.json". */
  origin: z.optional(z.string()),
  /** Railway: account, workspace or project token; GitHub: always "user". */
  tokenKind: z.optional(z.enum(['account', 'workspace', 'project', 'user'])),
  valid: z.optional(z.boolean()),
  account: z.optional(z.string()),
  scopes: z.optional(z.array(z.string())),
  /** Why it is not valid, as a sentence a user can act on. */
  problem: z.optional(z.string()),
});
export type CredentialStatus = z.infer<typeof credentialStatus>;

export const authStatus = z.object({ railway: credentialStatus, github: credentialStatus });
export type AuthStatus = z.infer<typeof authStatus>;

const clientInfo = z.object({
  id: z.number(),
  name: z.string(),
  kind: clientKind,
  connectedAt: z.string(),
});

/** Railway's 13 deployment statuses, as its API names them. */
export const DEPLOYMENT_STATUSES = [
  'BUILDING',
  'CRASHED',
  'DEPLOYING',
  'FAILED',
  'INITIALIZING',
  'NEEDS_APPROVAL',
  'QUEUED',
  'REMOVED',
  'REMOVING',
  'SKIPPED',
  'SLEEPING',
  'SUCCESS',
  'WAITING',
] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

export const deploymentView = z.object({
  id: z.string(),
  status: z.enum(DEPLOYMENT_STATUSES),
  createdAt: z.string(),
  statusUpdatedAt: z.optional(z.string()),
  commitHash: z.optional(z.string()),
  commitMessage: z.optional(z.string()),
  commitAuthor: z.optional(z.string()),
  branch: z.optional(z.string()),
  /** Who started it (Railway's creator name or email). */
  creator: z.optional(z.string()),
  canRollback: z.boolean(),
  canRedeploy: z.boolean(),
  url: z.optional(z.string()),
  /**
   * The deployment a rollback restored: known when this daemon made the rollback, `inferred` when
   * read from a same-commit (or same-image) deployment earlier in the history.
   */
  restores: z.optional(z.object({ deploymentId: z.string(), inferred: z.boolean() })),
  /** Why a SKIPPED deployment was skipped, when its build log says (failed CI, watch paths). */
  skipReason: z.optional(z.string()),
});
export type DeploymentView = z.infer<typeof deploymentView>;

export const healthView = z.object({
  state: z.enum(['healthy', 'unhealthy', 'unknown']),
  /** What was checked and what it said, e.g. "HTTP 503" or "database: disconnected". */
  detail: z.optional(z.string()),
  url: z.optional(z.string()),
  checkedAt: z.optional(z.string()),
});
export type HealthView = z.infer<typeof healthView>;

export const serviceView = z.object({
  id: z.string(),
  name: z.string(),
  icon: z.optional(z.string()),
  repo: z.optional(z.string()),
  image: z.optional(z.string()),
  /** The public URL (first custom domain, else the service domain). */
  url: z.optional(z.string()),
  healthcheckPath: z.optional(z.string()),
  /** The URL the daemon's health check asks (Railway's own domain + the healthcheck path). */
  healthUrl: z.optional(z.string()),
  health: healthView,
  latest: z.optional(deploymentView),
  /**
   * The deployment serving traffic, chosen by status (SUCCESS, then SLEEPING, else a CRASHED one:
   * the service is down), never by Railway's order, which can list an in-flight one first.
   */
  active: z.optional(deploymentView),
  /** Newest first, the latest included. */
  recent: z.array(deploymentView),
});
export type ServiceView = z.infer<typeof serviceView>;

export const environmentView = z.object({
  id: z.string(),
  name: z.string(),
  /** The git branch that deploys it (Railway's triggers, or railyard.json). */
  branch: z.optional(z.string()),
  repo: z.optional(z.string()),
  isEphemeral: z.boolean(),
  pr: z.optional(
    z.object({
      number: z.number(),
      title: z.optional(z.string()),
      branch: z.optional(z.string()),
      baseBranch: z.optional(z.string()),
    }),
  ),
  protected: z.boolean(),
  health: healthView,
  /** For a promotion source: its target and how far this branch is ahead of / behind it. */
  promotion: z.optional(
    z.object({ to: z.string(), ahead: z.optional(z.number()), behind: z.optional(z.number()) }),
  ),
  /**
   * A promotion into this environment in flight, this daemon's or a teammate's (seen through
   * GitHub Deployments): "promoting (ada, 3 min)".
   */
  promoting: z.optional(
    z.object({
      id: z.string(),
      by: z.string(),
      since: z.string(),
      from: z.string(),
      /** This daemon's own promotion, rather than a teammate's. */
      mine: z.boolean(),
      /** Its daemon stopped reporting: it can be taken over. */
      stale: z._default(z.boolean(), false),
      /** The machine a teammate's daemon runs on (the same login may promote from two). */
      machine: z.optional(z.string()),
      url: z.optional(z.string()),
    }),
  ),
  /**
   * A push to the branch (seen by git) that Railway has listed no deployment for, two minutes
   * on: GitHub's webhook may have gone missing, or autodeploy is off. Deploy Commit… starts it.
   */
  unstartedPush: z.optional(z.object({ branch: z.string(), sha: z.string(), seenAt: z.string() })),
  services: z.array(serviceView),
});
export type EnvironmentView = z.infer<typeof environmentView>;

/** What a workspace folder sees: its project's environments, or why there are none. */
export const projectView = z.object({
  state: z.enum(['ready', 'signed-out', 'no-project', 'error']),
  /** For every state but ready: a sentence saying what to do. */
  message: z.optional(z.string()),
  /**
   * The protocol error code of the state: SignedOut, NoProject, or for `error` the code of what
   * failed upstream (Auth, RateLimited, Network…), so a client can act on it as on a failed request.
   */
  errorCode: z.optional(z.number()),
  project: z.optional(z.object({ id: z.string(), name: z.string(), dashboardUrl: z.string() })),
  link: z.optional(
    z.object({
      source: z.enum(['railyard.json', 'env', 'railway-link', 'project-token']),
      linkedFolder: z.optional(z.string()),
    }),
  ),
  configProblem: z.optional(z.string()),
  /** Settings of an untrusted folder's railyard.json that the daemon set aside until it is trusted. */
  ignoredSettings: z.optional(z.array(z.string())),
  environments: z.array(environmentView),
  fetchedAt: z.optional(z.string()),
  /** Grows with every change of a project's view: a client keeps the newest it has seen. */
  revision: z.optional(z.number()),
});
export type ProjectView = z.infer<typeof projectView>;

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * A log line on the wire: Railway's Log object exactly as Railway sent it (the daemon forwards the
 * bytes without decoding them, so a busy stream costs it almost nothing). Clients read it with
 * `readLogItems` (client/logLines.ts): level, decoded attributes.
 */
export const railwayLog = z.object({
  /** RFC 3339 with nanoseconds. */
  timestamp: z.string(),
  message: z.string(),
  severity: z.nullish(z.string()),
  /** Values are JSON-encoded strings. */
  attributes: z.nullish(z.array(z.object({ key: z.string(), value: z.string() }))),
  tags: z.nullish(
    z.object({ deploymentId: z.nullish(z.string()), serviceId: z.nullish(z.string()) }),
  ),
});
export type RailwayLog = z.infer<typeof railwayLog>;

/** A log line as clients show it, read from a RailwayLog. */
export const logLine = z.object({
  type: z.literal('line'),
  /** RFC 3339 with nanoseconds, as Railway sends it. */
  timestamp: z.string(),
  message: z.string(),
  level: z.enum(LOG_LEVELS),
  attributes: z.optional(z.record(z.string(), z.string())),
  deploymentId: z.optional(z.string()),
  /** The service that wrote it (Railway's tags): an environment stream names it on each line. */
  serviceId: z.optional(z.string()),
  /**
   * Set on Railway's own notice that it dropped `dropped` lines of a replica logging more than
   * `perSecond` lines a second (Railway's limit); clients show such a line as a marker.
   */
  rateLimited: z.optional(z.object({ dropped: z.number(), perSecond: z.number() })),
});
export type LogLine = z.infer<typeof logLine>;

/** Lines about the stream itself, shown in place so nothing changes silently. */
export const logMarker = z.object({
  type: z.literal('marker'),
  kind: z.enum([
    'started',
    'follow',
    'reconnecting',
    'reconnected',
    'gap',
    'dropped',
    'rate-limited',
    'build-failed',
    'ended',
    'error',
  ]),
  text: z.string(),
  deploymentId: z.optional(z.string()),
  count: z.optional(z.number()),
  /** When it happened, for markers made from a Railway line (`rate-limited`). */
  timestamp: z.optional(z.string()),
});
export type LogMarker = z.infer<typeof logMarker>;
export const logItem = z.discriminatedUnion('type', [logLine, logMarker]);
export type LogItem = z.infer<typeof logItem>;
/** What `logs.batch` carries: Railway's lines as they came, and markers. */
// Railway's line first: nearly every item is one, and a union tries its members in order (a line
// tried as a marker first fails, and a failed try costs more than the match). A marker never
// passes as a line: it has no `message`.
export const wireLogItem = z.union([railwayLog, logMarker]);
export type WireLogItem = z.infer<typeof wireLogItem>;

/** A typed confirmation: the protected environment's name, as the user typed it. */
const confirmation = z.optional(z.string().check(z.maxLength(200)));
/**
 * The workspace folder a request is about, with what only the asking side knows: whether its
 * workspace is trusted (VS Code's workspace trust; the CLI, run by the user in a terminal, is
 * trusted as git is), and the project link from the asking window's or terminal's environment.
 * The daemon serves many windows, so it never takes these from its own environment.
 */
export const folderContext = z.strictObject({
  path: z.string().check(z.minLength(1), z.maxLength(4096)),
  trusted: z.boolean(),
  env: z.optional(
    z.strictObject({
      RAILWAY_PROJECT_ID: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
      RAILWAY_ENVIRONMENT_ID: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    }),
  ),
});
export type FolderContext = z.infer<typeof folderContext>;

/** A folder as a client sends it: its path, its trust, and the project link of the client's environment. */
export function folderContextOf(
  path: string,
  trusted: boolean,
  env: Record<string, string | undefined> = process.env,
): FolderContext {
  const link = {
    ...(env.RAILWAY_PROJECT_ID && { RAILWAY_PROJECT_ID: env.RAILWAY_PROJECT_ID }),
    ...(env.RAILWAY_ENVIRONMENT_ID && { RAILWAY_ENVIRONMENT_ID: env.RAILWAY_ENVIRONMENT_ID }),
  };
  return { path, trusted, ...(Object.keys(link).length > 0 && { env: link }) };
}
const folder = folderContext;
const actionResult = z.object({
  ok: z.literal(true),
  deploymentId: z.optional(z.string()),
  message: z.string(),
});

const empty = z.strictObject({});
const ok = z.object({ ok: z.literal(true) });

/**
 * Requests, sent from a client to the daemon. Each entry: params schema, result schema.
 * Params objects are strict: an unknown field is a bad param, so typos fail loudly.
 */
export const methods = {
  /** client → daemon, first message: negotiate the protocol version and say who is calling. */
  initialize: {
    params: z.strictObject({
      protocolVersions: z.array(z.number().check(z.int(), z.positive())).check(z.minLength(1)),
      client: z.strictObject({
        name: z.string().check(z.minLength(1), z.maxLength(200)),
        kind: clientKind,
      }),
    }),
    result: z.object({
      protocolVersion: z.number(),
      daemonVersion: z.string(),
      pid: z.number(),
      capabilities: z.array(z.string()),
      clientId: z.number(),
    }),
  },
  /** client → daemon: the daemon's own state, for `railyard daemon status` and the status bar. */
  'daemon.status': {
    params: empty,
    result: z.object({
      daemonVersion: z.string(),
      protocolVersion: z.number(),
      pid: z.number(),
      port: z.number(),
      startedAt: z.string(),
      uptimeSeconds: z.number(),
      stateDir: z.string(),
      logFile: z.string(),
      idleShutdownSeconds: z.number(),
      clients: z.array(clientInfo),
    }),
  },
  /** client → daemon: stop the daemon after answering; every client gets `daemon.stopping`. */
  'daemon.shutdown': { params: empty, result: ok },
  /** client → daemon: which credentials are set and valid (never the tokens). */
  'auth.status': { params: empty, result: authStatus },
  /** client → daemon: store a Railway token after validating it upstream; refused with Auth if bad. */
  'auth.setRailwayToken': {
    params: z.strictObject({
      token: z.string().check(z.minLength(1), z.maxLength(4096)),
      /** "project" sends it as Project-Access-Token; "account" (also workspace) as Bearer; auto tries both. */
      kind: z._default(z.enum(['auto', 'account', 'project']), 'auto'),
    }),
    result: credentialStatus,
  },
  /** client → daemon: store a GitHub token after validating it with GET /user. */
  'auth.setGithubToken': {
    params: z.strictObject({ token: z.string().check(z.minLength(1), z.maxLength(4096)) }),
    result: credentialStatus,
  },
  /** client → daemon: forget stored credentials (environment variables and the Railway CLI login stay). */
  'auth.signOut': {
    params: z.strictObject({ provider: z._default(z.enum(['railway', 'github', 'all']), 'all') }),
    result: authStatus,
  },
  /** client → daemon: follow a workspace folder's project; changes arrive as `environments.changed`. */
  'environments.watch': {
    params: z.strictObject({ folder }),
    result: z.object({ watchId: z.string(), view: projectView }),
  },
  /** client → daemon: stop following. */
  'environments.unwatch': { params: z.strictObject({ watchId: z.string() }), result: ok },
  /** client → daemon: refresh now (one upstream request) and return the new view. */
  'environments.refresh': {
    params: z.strictObject({ watchId: z.string() }),
    result: projectView,
  },
  /** client → daemon: rebuild and deploy a deployment's source again (deploymentRedeploy). */
  'deployments.redeploy': {
    params: z.strictObject({
      folder,
      deploymentId: z.string().check(z.minLength(1)),
      confirm: confirmation,
    }),
    result: actionResult,
  },
  /** client → daemon: restart a deployment's containers without rebuilding (deploymentRestart). */
  'deployments.restart': {
    params: z.strictObject({
      folder,
      deploymentId: z.string().check(z.minLength(1)),
      confirm: confirmation,
    }),
    result: actionResult,
  },
  /** client → daemon: make an earlier deployment the active one again (deploymentRollback). */
  'deployments.rollback': {
    params: z.strictObject({
      folder,
      deploymentId: z.string().check(z.minLength(1)),
      confirm: confirmation,
    }),
    result: actionResult,
  },
  /** client → daemon: deploy a given commit to a service (serviceInstanceDeployV2). */
  'deployments.deployCommit': {
    params: z.strictObject({
      folder,
      environmentId: z.string().check(z.minLength(1)),
      serviceId: z.string().check(z.minLength(1)),
      commitSha: z
        .string()
        .check(z.regex(/^[0-9a-f]{7,40}$/i, 'a commit sha (7 to 40 hex digits)')),
      confirm: confirmation,
    }),
    result: actionResult,
  },
  /** client → daemon: a service's branch's recent commits, for picking one to deploy (GitHub). */
  'deployments.recentCommits': {
    params: z.strictObject({
      folder,
      environmentId: z.string().check(z.minLength(1)),
      serviceId: z.string().check(z.minLength(1)),
      limit: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
    }),
    result: z.object({
      repo: z.string(),
      branch: z.string(),
      commits: z.array(
        z.object({
          sha: z.string(),
          message: z.string(),
          author: z.string(),
          authoredAt: z.string(),
          /** The commit the service runs now in that environment. */
          active: z.boolean(),
        }),
      ),
    }),
  },
  /** client → daemon: tail logs; lines arrive as `logs.batch` notifications for the returned stream. */
  'logs.subscribe': {
    params: z.strictObject({
      folder,
      environment: z.string().check(z.minLength(1), z.describe('environment name or id')),
      service: z
        .optional(z.string().check(z.minLength(1)))
        .check(z.describe('service name or id; omit for the whole environment')),
      deploymentId: z
        .optional(z.string().check(z.minLength(1)))
        .check(z.describe('a fixed deployment instead of following the service')),
      kind: z._default(z.enum(['deploy', 'build', 'environment']), 'deploy'),
      filter: z.optional(z.string().check(z.maxLength(1000))),
      backlog: z._default(z.number().check(z.int(), z.minimum(0), z.maximum(5000)), 100),
    }),
    result: z.object({
      streamId: z.string(),
      environment: z.string(),
      service: z.optional(z.string()),
      deploymentId: z.optional(z.string()),
    }),
  },
  /** client → daemon: stop a log stream. */
  'logs.unsubscribe': { params: z.strictObject({ streamId: z.string() }), result: ok },
  /** client → daemon: upstream request accounting, for `railyard status`. */
  'railway.usage': {
    params: empty,
    result: z.object({
      requestsLastHour: z.number(),
      limit: z.optional(z.number()),
      remaining: z.optional(z.number()),
      resetAt: z.optional(z.string()),
      /** Of the requests in the last hour, how many Railway refused with a 429 (either window). */
      rateLimitedLastHour: z.optional(z.number()),
      /** Requests per second the daemon keeps this token under (Railway's Hobby limit). */
      perSecondLimit: z.optional(z.number()),
    }),
  },
  ...promotionMethods(folder),
  ...metricsMethods(folder),
} as const;

/** Notifications, sent from the daemon to every connected client. */
export const notifications = {
  /** daemon → clients: a credential was set, validated or removed. */
  'auth.changed': authStatus,
  /** daemon → clients: the daemon is going away (shutdown request, SIGTERM, idle). */
  'daemon.stopping': z.object({ reason: z.enum(['requested', 'signal', 'idle']) }),
  /** daemon → the clients watching: a watched project's environments changed. */
  'environments.changed': z.object({ watchId: z.string(), view: projectView }),
  /** daemon → the subscribed client: log lines and markers of one stream, in order, batched. */
  'logs.batch': z.object({ streamId: z.string(), items: z.array(wireLogItem) }),
  /** daemon → every client: a promotion's whole record, on every transition and gate change. */
  'promotion.changed': z.object({ promotion: promotionRecord }),
} as const;

export type MethodName = keyof typeof methods;

/**
 * The methods that change what runs upstream. The daemon refuses every one of them for a folder
 * that is not trusted, in one place before any handler runs; a method added here is guarded.
 */
export const CHANGING_METHODS = [
  'deployments.redeploy',
  'deployments.restart',
  'deployments.rollback',
  'deployments.deployCommit',
  'promotion.plan',
  'promotion.recheck',
  'promotion.start',
  'promotion.signOff',
  'promotion.cancel',
  'promotion.rollback',
  'promotion.deployMissing',
  'promotion.revert',
] as const satisfies readonly MethodName[];
export type ChangingMethod = (typeof CHANGING_METHODS)[number];
export type NotificationName = keyof typeof notifications;
export type ParamsInput<M extends MethodName> = z.input<(typeof methods)[M]['params']>;
export type Params<M extends MethodName> = z.output<(typeof methods)[M]['params']>;
export type Result<M extends MethodName> = z.infer<(typeof methods)[M]['result']>;
export type NotificationParams<N extends NotificationName> = z.infer<(typeof notifications)[N]>;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

export function isNotificationName(name: string): name is NotificationName {
  return Object.prototype.hasOwnProperty.call(notifications, name);
}

/** The highest version both sides speak, or undefined when there is none. */
export function negotiateVersion(offered: readonly number[]): number | undefined {
  const common = offered.filter((v) => SUPPORTED_PROTOCOL_VERSIONS.includes(v));
  return common.length ? Math.max(...common) : undefined;
}

/** How a client presents the per-user secret on the WebSocket upgrade request. */
export const SECRET_HEADER = 'authorization';
export function secretHeaderValue(secret: string): string {
  return `Bearer ${secret}`;
}
