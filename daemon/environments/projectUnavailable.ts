// Why a folder's project cannot be served, in one place: the sentence its view shows, and the
// protocol error a request about the folder fails with (signed out, no project linked, Railway failing).
import { ErrorCode, type ProjectView } from '../../protocol/protocol';
import { RpcError } from '../../protocol/jsonrpc';
import { toRpcError, type UpstreamError } from '../upstreamError';

/** Said to the editor and the CLI alike, so it names the way to sign in from each. */
export const SIGNED_OUT_MESSAGE =
  'Not signed in to Railway. Sign in with "Railyard: Sign in to Railway" in VS Code, `railyard login railway` (the token on standard input), or `railway login` in a terminal.';

export function noProjectMessage(folder: string, configProblem?: string): string {
  const broken = configProblem ? ` (${configProblem}; fix it to use its "projectId")` : '';
  return `No Railway project is linked to ${folder}${broken}. Run \`railway link\` there, set RAILWAY_PROJECT_ID, or add "projectId" to railyard.json.`;
}

export const signedOutView = (): ProjectView => ({
  state: 'signed-out',
  message: SIGNED_OUT_MESSAGE,
  errorCode: ErrorCode.SignedOut,
  environments: [],
});

/** The file's problem is the view's `configProblem`, shown beside the message rather than in it. */
export const noProjectView = (folder: string, configProblem?: string): ProjectView => ({
  state: 'no-project',
  message: noProjectMessage(folder),
  errorCode: ErrorCode.NoProject,
  configProblem,
  environments: [],
});

/**
 * The error for a request about a folder whose view is not ready; `failure` is the upstream error
 * behind an `error` view when the watcher still has it (its kind and Retry-After travel as data).
 */
export function unavailableError(view: ProjectView, failure?: UpstreamError): RpcError {
  if (view.state === 'signed-out')
    return new RpcError(ErrorCode.SignedOut, view.message ?? SIGNED_OUT_MESSAGE);
  if (view.state === 'no-project')
    return new RpcError(ErrorCode.NoProject, view.message ?? 'No Railway project is linked here.');
  if (failure) return toRpcError(failure);
  return new RpcError(
    view.errorCode ?? ErrorCode.Upstream,
    view.message ?? 'Railway did not answer for this project; try again in a moment.',
  );
}
