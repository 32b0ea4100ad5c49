// Credentials as the protocol sees them: validate before storing, report status without ever
// returning a token, and remember validation results so status checks cost no upstream calls.
import * as crypto from 'node:crypto';
import type { AuthStatus, CredentialStatus, Params } from '../../protocol/protocol';
import type { Outcome, UpstreamError } from '../upstreamError';
import { toRpcError } from '../upstreamError';
import type { Redactor } from '../diagnostics/redact';
import type { CredentialStore } from './credentialStore';
import {
  findGithubToken,
  findRailwayToken,
  type FoundToken,
  type RailwayTokenKind,
} from './credentialSources';

export interface RailwayIdentity {
  tokenKind: RailwayTokenKind;
  account: string;
  projectId?: string;
  environmentId?: string;
}
export interface GithubIdentity {
  login: string;
  scopes: string[];
}

/** Upstream checks, injected so the service is testable and owns no HTTP. */
export interface TokenValidators {
  railway(token: string, kind: 'auto' | 'account' | 'project'): Promise<Outcome<RailwayIdentity>>;
  github(token: string): Promise<Outcome<GithubIdentity>>;
}

type Validation = Outcome<RailwayIdentity | GithubIdentity>;

const VALIDATION_TTL_MS = 10 * 60_000;

export class AuthService {
  private readonly validations = new Map<string, { at: number; result: Validation }>();
  /** Checks under way, per token: callers that come meanwhile wait for the same answer. */
  private readonly checking = new Map<string, Promise<Validation>>();

  constructor(
    private readonly store: CredentialStore,
    private readonly validators: TokenValidators,
    private readonly redactor: Redactor,
    private readonly onChange: (status: AuthStatus) => void,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    // Tokens in effect are registered as they are looked up; these are the ones a stored token hides.
    const stored = store.read();
    redactor.add(stored.railway?.token);
    redactor.add(stored.github?.token);
    redactor.add(findRailwayToken({}, env)?.token);
    redactor.add(findGithubToken({}, env)?.token);
  }

  /** The token the Railway client should use now, and how to send it. */
  railwayToken(): FoundToken | undefined {
    return this.registered(findRailwayToken(this.store.read(), this.env));
  }

  githubToken(): FoundToken | undefined {
    return this.registered(findGithubToken(this.store.read(), this.env));
  }

  /** Who the Railway token in effect belongs to (validated, cached), or undefined. */
  async railwayIdentity(): Promise<RailwayIdentity | undefined> {
    const found = this.railwayToken();
    if (!found) return undefined;
    const result = await this.validate(found, () =>
      this.validators.railway(found.token, found.kind),
    );
    return result.ok ? (result.value as RailwayIdentity) : undefined;
  }

  async status(): Promise<AuthStatus> {
    const [railway, github] = await Promise.all([this.railwayStatus(), this.githubStatus()]);
    return { railway, github };
  }

  async setRailwayToken(params: Params<'auth.setRailwayToken'>): Promise<CredentialStatus> {
    this.redactor.add(params.token);
    const result = await this.validators.railway(params.token, params.kind);
    if (!result.ok) throw toRpcError(result.error);
    this.remember(params.token, result);
    this.store.update((c) => ({
      ...c,
      railway: { token: params.token, tokenKind: result.value.tokenKind },
    }));
    await this.announce();
    return this.railwayStatus();
  }

  async setGithubToken(params: Params<'auth.setGithubToken'>): Promise<CredentialStatus> {
    this.redactor.add(params.token);
    const result = await this.validators.github(params.token);
    if (!result.ok) throw toRpcError(result.error);
    this.remember(params.token, result);
    this.store.update((c) => ({ ...c, github: { token: params.token } }));
    await this.announce();
    return this.githubStatus();
  }

  async signOut(provider: 'railway' | 'github' | 'all'): Promise<AuthStatus> {
    this.store.update((c) => ({
      railway: provider === 'github' ? c.railway : undefined,
      github: provider === 'railway' ? c.github : undefined,
    }));
    return this.announce();
  }

  private async announce(): Promise<AuthStatus> {
    const status = await this.status();
    this.onChange(status);
    return status;
  }

  private async railwayStatus(): Promise<CredentialStatus> {
    const found = this.railwayToken();
    if (!found) return { set: false, source: 'none' };
    const result = await this.validate(found, () =>
      this.validators.railway(found.token, found.kind),
    );
    const base = { set: true, source: found.source, origin: found.origin };
    if (!result.ok) return { ...base, ...unchecked(result.error) };
    const id = result.value as RailwayIdentity;
    return { ...base, valid: true, tokenKind: id.tokenKind, account: id.account };
  }

  private async githubStatus(): Promise<CredentialStatus> {
    const found = this.githubToken();
    if (!found) return { set: false, source: 'none' };
    const result = await this.validate(found, () => this.validators.github(found.token));
    const base = {
      set: true,
      source: found.source,
      origin: found.origin,
      tokenKind: 'user' as const,
    };
    if (!result.ok) return { ...base, ...unchecked(result.error) };
    const id = result.value as GithubIdentity;
    return { ...base, valid: true, account: id.login, scopes: id.scopes };
  }

  /**
   * Cached per token; transient failures (network, rate limits) are not cached. Concurrent calls
   * (a window's first watch, log streams and status at once) share one upstream check.
   */
  private validate(found: FoundToken, check: () => Promise<Validation>): Promise<Validation> {
    const key = fingerprint(found.token);
    const cached = this.validations.get(key);
    if (cached && Date.now() - cached.at < VALIDATION_TTL_MS) return Promise.resolve(cached.result);
    let pending = this.checking.get(key);
    if (!pending) {
      pending = check()
        .then((result) => {
          if (result.ok || result.error.kind === 'auth') this.remember(found.token, result);
          return result;
        })
        .finally(() => this.checking.delete(key));
      this.checking.set(key, pending);
    }
    return pending;
  }

  /**
   * Every token in effect passes here before anything uses it, so the redactor knows it before it
   * can reach a log: a `railway login` after the daemon started brings a token it never stored.
   */
  private registered(found: FoundToken | undefined): FoundToken | undefined {
    this.redactor.add(found?.token);
    return found;
  }

  private remember(token: string, result: Validation): void {
    this.validations.set(fingerprint(token), { at: Date.now(), result });
  }
}

/**
 * Only a refusal of the token itself makes it invalid. A proxy's page, Railway's 2FA requirement,
 * an outage or a rate limit kept the upstream from judging it: the token stays valid as far as
 * anyone knows, and the problem is what the user has to fix.
 */
function unchecked(error: UpstreamError): { valid?: false; problem: string } {
  return error.kind === 'auth'
    ? { valid: false, problem: error.message }
    : { problem: error.message };
}

/** Cache keys are hashes so no map ever holds a token as a key. */
function fingerprint(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}
