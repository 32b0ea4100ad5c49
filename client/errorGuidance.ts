// What a user can do about each protocol error, for the editor and the CLI alike: the action the
// editor offers beside the daemon's sentence, and the exit code the CLI ends with. No `vscode` here.
import { RpcError } from '../protocol/jsonrpc';
import { ErrorCode, type ErrorCodeValue, type ProjectView } from '../protocol/protocol';

/** A step the editor can take for the user; the daemon's sentence names the same step in words. */
export type ErrorAction =
  | 'sign-in'
  /** A GitHub credential (`data.provider: "github"`) is missing or was refused. */
  | 'sign-in-github'
  | 'link-project'
  | 'trust-workspace'
  /** The daemon's own log: only its internal errors point there. */
  | 'show-daemon-log'
  /** The extension's log, for failures that are not the daemon's. */
  | 'show-log';

/** Kinds of problem a user meets; each has its own CLI exit code. */
export type ProblemKind =
  'failure' | 'usage' | 'credentials' | 'no-project' | 'not-found' | 'refused' | 'unavailable';

/**
 * `railyard`'s exit codes. 3 is taken: `railyard daemon status` exits 3 when no daemon runs, as
 * service managers do.
 */
export const EXIT_CODES: Readonly<Record<ProblemKind, number>> = {
  /** Anything else, the daemon's own bugs (InternalError) included. */
  failure: 1,
  /** The command line is wrong. */
  usage: 2,
  /** Signed out, or the credential was refused or needs two-factor authentication. */
  credentials: 4,
  /** No Railway project is linked to the folder. */
  'no-project': 5,
  /** No such environment, service or deployment. */
  'not-found': 6,
  /** Refused: an untrusted folder, a protected environment without its confirmation, a conflict. */
  refused: 7,
  /** Railway or the daemon could not answer: unreachable, blocked, failing or rate limiting. */
  unavailable: 8,
};

export const ACTION_LABELS: Readonly<Record<ErrorAction, string>> = {
  'sign-in': 'Sign In to Railway',
  'sign-in-github': 'Sign In to GitHub',
  'link-project': 'Link a Project',
  'trust-workspace': 'Manage Workspace Trust',
  'show-daemon-log': 'Show Log',
  'show-log': 'Show Log',
};

interface CodeGuidance {
  kind: ProblemKind;
  action?: ErrorAction;
}

/** Every protocol code: a new code that is not here does not compile. */
export const GUIDANCE: Readonly<Record<ErrorCodeValue, CodeGuidance>> = {
  // A client and daemon that disagree on JSON-RPC itself: a bug of the client's.
  [ErrorCode.ParseError]: { kind: 'failure', action: 'show-log' },
  [ErrorCode.InvalidRequest]: { kind: 'failure', action: 'show-log' },
  [ErrorCode.MethodNotFound]: { kind: 'failure', action: 'show-log' },
  [ErrorCode.NotInitialized]: { kind: 'failure', action: 'show-log' },
  // The daemon's own bug: its message points at its log, and the details are there.
  [ErrorCode.InternalError]: { kind: 'failure', action: 'show-daemon-log' },
  [ErrorCode.InvalidParams]: { kind: 'usage' },
  // The sentence says to update Railyard; no button does that.
  [ErrorCode.UnsupportedVersion]: { kind: 'failure' },
  [ErrorCode.SignedOut]: { kind: 'credentials', action: 'sign-in' },
  [ErrorCode.Auth]: { kind: 'credentials', action: 'sign-in' },
  // Another token would not help: the account needs 2FA, as the sentence says.
  [ErrorCode.TwoFactorRequired]: { kind: 'credentials' },
  [ErrorCode.NoProject]: { kind: 'no-project', action: 'link-project' },
  [ErrorCode.NotFound]: { kind: 'not-found' },
  // Forbidden for an untrusted folder gets the trust action in adviceFor; a missing typed
  // confirmation is only the sentence (the editor asks for the name before it sends).
  [ErrorCode.Forbidden]: { kind: 'refused' },
  [ErrorCode.Conflict]: { kind: 'refused' },
  [ErrorCode.RateLimited]: { kind: 'unavailable' },
  [ErrorCode.Network]: { kind: 'unavailable' },
  [ErrorCode.Upstream]: { kind: 'unavailable' },
  [ErrorCode.Blocked]: { kind: 'unavailable' },
};

export interface Advice {
  /** The sentence to show: the daemon's own, which says what to do. */
  message: string;
  code?: number;
  kind: ProblemKind;
  action?: ErrorAction;
  exitCode: number;
}

/** What to show and offer for a failure, whatever threw it. */
export function adviceFor(error: unknown): Advice {
  if (!(error instanceof RpcError)) {
    const message = error instanceof Error ? error.message : String(error);
    return { message, kind: 'failure', action: 'show-log', exitCode: EXIT_CODES.failure };
  }
  const guidance = guidanceFor(error.code);
  const untrusted = error.code === ErrorCode.Forbidden && dataFlag(error.data, 'untrusted');
  const github = guidance.action === 'sign-in' && dataValue(error.data, 'provider') === 'github';
  const action = untrusted ? 'trust-workspace' : github ? 'sign-in-github' : guidance.action;
  return {
    message: error.message,
    code: error.code,
    kind: guidance.kind,
    ...(action && { action }),
    exitCode: EXIT_CODES[guidance.kind],
  };
}

/** The guidance of a code; one this build does not know (a newer daemon's) is a plain failure. */
export function guidanceFor(code: number): CodeGuidance {
  return isKnownCode(code) ? GUIDANCE[code] : { kind: 'failure' };
}

/** The code a view that is not ready stands for (a daemon before `errorCode` is read by its state). */
export function viewErrorCode(view: ProjectView): number | undefined {
  if (view.state === 'ready') return undefined;
  if (view.errorCode !== undefined) return view.errorCode;
  if (view.state === 'signed-out') return ErrorCode.SignedOut;
  if (view.state === 'no-project') return ErrorCode.NoProject;
  return undefined;
}

function isKnownCode(code: number): code is ErrorCodeValue {
  return Object.prototype.hasOwnProperty.call(GUIDANCE, code);
}

function dataFlag(data: unknown, key: string): boolean {
  return dataValue(data, key) === true;
}

function dataValue(data: unknown, key: string): unknown {
  return typeof data === 'object' && data !== null
    ? (data as Record<string, unknown>)[key]
    : undefined;
}
