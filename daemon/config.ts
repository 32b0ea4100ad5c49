// The daemon's settings from its environment and argv: endpoints (for tests and self-hosting) and timers.
export interface DaemonConfig {
  railwayUrl: string;
  railwayWsUrl: string;
  githubApiUrl: string;
  /** Where `owner/repo` is fetched with git (GitHub unless RAILYARD_GIT_URL says otherwise). */
  gitUrl: string;
  /** 0 disables idle shutdown. */
  idleShutdownMs: number;
  /** Echo log lines to stderr (foreground runs). */
  foreground: boolean;
}

export const DEFAULT_RAILWAY_URL = 'https://backboard.railway.com/graphql/v2';
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
export const DEFAULT_GIT_URL = 'https://github.com';
const DEFAULT_IDLE_MINUTES = 30;

/** Railway serves subscriptions on the same path over ws(s). */
export function wsUrlFor(httpUrl: string): string {
  return httpUrl.replace(/^http(s?):/, 'ws$1:');
}

export function readConfig(env: NodeJS.ProcessEnv, argv: string[]): DaemonConfig {
  const railwayUrl = env.RAILYARD_RAILWAY_URL || DEFAULT_RAILWAY_URL;
  return {
    railwayUrl,
    railwayWsUrl: wsUrlFor(railwayUrl),
    githubApiUrl: (env.RAILYARD_GITHUB_API_URL || DEFAULT_GITHUB_API_URL).replace(/\/+$/, ''),
    gitUrl: (env.RAILYARD_GIT_URL || DEFAULT_GIT_URL).replace(/\/+$/, ''),
    idleShutdownMs: idleMs(flag(argv, '--idle-timeout') ?? env.RAILYARD_IDLE_TIMEOUT),
    foreground: argv.includes('--foreground'),
  };
}

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

/** Accepts seconds ("90"), or with a unit ("90s", "15m", "2h"); invalid values fall back to the default. */
export function idleMs(value: string | undefined): number {
  const m = value?.trim().match(/^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/);
  if (!m) return DEFAULT_IDLE_MINUTES * 60_000;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}
