// What the editor offers and the CLI exits with for each protocol error: every code has an entry,
// the actionable ones get their button, and each kind of problem has its own exit code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  adviceFor,
  EXIT_CODES,
  GUIDANCE,
  guidanceFor,
  viewErrorCode,
} from '../../client/errorGuidance';
import { RpcError } from '../../protocol/jsonrpc';
import { ErrorCode } from '../../protocol/protocol';

const advice = (code: number, data?: unknown) =>
  adviceFor(new RpcError(code, `sentence for ${code}`, data));

describe('error guidance', () => {
  it('has an entry for every protocol code, and no entry for a code that is not one', () => {
    const codes = Object.values(ErrorCode).map(String).sort();
    assert.deepEqual(Object.keys(GUIDANCE).sort(), codes);
    for (const code of Object.values(ErrorCode))
      assert.equal(guidanceFor(code), GUIDANCE[code], `code ${code}`);
  });

  it('shows the daemon’s sentence as it is', () => {
    assert.equal(advice(ErrorCode.NoProject).message, `sentence for ${ErrorCode.NoProject}`);
  });

  it('offers Sign In for a missing or refused credential, not for 2FA', () => {
    assert.equal(advice(ErrorCode.SignedOut).action, 'sign-in');
    assert.equal(advice(ErrorCode.Auth, { kind: 'auth' }).action, 'sign-in');
    assert.equal(advice(ErrorCode.TwoFactorRequired).action, undefined);
  });

  it("offers GitHub's sign-in when the credential at fault is GitHub's", () => {
    const github = (code: number) =>
      adviceFor(new RpcError(code, 'Sign in to GitHub…', { provider: 'github' })).action;
    assert.equal(github(ErrorCode.SignedOut), 'sign-in-github');
    assert.equal(github(ErrorCode.Auth), 'sign-in-github');
    assert.equal(
      adviceFor(new RpcError(ErrorCode.Auth, 'x')).action,
      'sign-in',
      'Railway by default',
    );
  });

  it('offers to link a project when none is linked', () => {
    assert.equal(advice(ErrorCode.NoProject).action, 'link-project');
  });

  it('offers workspace trust only for an untrusted folder, not for a missing confirmation', () => {
    assert.equal(advice(ErrorCode.Forbidden, { untrusted: true }).action, 'trust-workspace');
    const unconfirmed = advice(ErrorCode.Forbidden, {
      environment: 'kars-prod',
      needsConfirmation: true,
    });
    assert.equal(unconfirmed.action, undefined);
    assert.equal(advice(ErrorCode.Forbidden).action, undefined);
  });

  it('offers the daemon’s log for its internal errors only, and nothing for a rate limit', () => {
    assert.equal(advice(ErrorCode.InternalError).action, 'show-daemon-log');
    assert.equal(advice(ErrorCode.RateLimited, { retryAfterSeconds: 30 }).action, undefined);
    const actions = Object.values(ErrorCode).map((c) => advice(c).action);
    assert.equal(actions.filter((a) => a === 'show-daemon-log').length, 1);
  });

  it('gives each kind of problem its own exit code, none of them 0 or `daemon status`’s 3', () => {
    const codes = Object.values(EXIT_CODES);
    assert.equal(new Set(codes).size, codes.length);
    assert.ok(!codes.includes(0) && !codes.includes(3));
    assert.deepEqual(
      {
        signedOut: advice(ErrorCode.SignedOut).exitCode,
        auth: advice(ErrorCode.Auth).exitCode,
        noProject: advice(ErrorCode.NoProject).exitCode,
        notFound: advice(ErrorCode.NotFound).exitCode,
        forbidden: advice(ErrorCode.Forbidden, { untrusted: true }).exitCode,
        network: advice(ErrorCode.Network).exitCode,
        rateLimited: advice(ErrorCode.RateLimited).exitCode,
        invalidParams: advice(ErrorCode.InvalidParams).exitCode,
        internal: advice(ErrorCode.InternalError).exitCode,
      },
      {
        signedOut: 4,
        auth: 4,
        noProject: 5,
        notFound: 6,
        forbidden: 7,
        network: 8,
        rateLimited: 8,
        invalidParams: 2,
        internal: 1,
      },
    );
  });

  it('treats a failure that is not a protocol error, or a code it does not know, as a plain failure', () => {
    assert.deepEqual(adviceFor(new Error('boom')), {
      message: 'boom',
      kind: 'failure',
      action: 'show-log',
      exitCode: 1,
    });
    assert.deepEqual(advice(1999), {
      message: 'sentence for 1999',
      code: 1999,
      kind: 'failure',
      exitCode: 1,
    });
  });

  it('reads the code of a view that is not ready, from a daemon that sends it or not', () => {
    const view = { environments: [] };
    assert.equal(viewErrorCode({ ...view, state: 'ready' }), undefined);
    assert.equal(viewErrorCode({ ...view, state: 'signed-out' }), ErrorCode.SignedOut);
    assert.equal(viewErrorCode({ ...view, state: 'no-project' }), ErrorCode.NoProject);
    assert.equal(viewErrorCode({ ...view, state: 'error', errorCode: ErrorCode.Blocked }), 1018);
    assert.equal(viewErrorCode({ ...view, state: 'error' }), undefined);
  });
});
