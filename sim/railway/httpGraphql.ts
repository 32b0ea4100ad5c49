// GraphQL over HTTP POST for the Railway simulator: auth, rate limits, faults, then execution.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  execute,
  getOperationAST,
  GraphQLError,
  OperationTypeNode,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { identify, type Identity, type Viewer } from './access';
import type { BlockPage, Faults } from '../faults';
import { railwayMutationRoot, railwayQueryRoot } from './roots';
import type { RailwayState } from './state';
import type { RateDecision, Traffic } from '../traffic';

export interface SimRuntime {
  schema: GraphQLSchema;
  state: RailwayState;
  viewers: Map<string, Viewer>;
  traffic: Traffic;
  faults: Faults;
  /** Resolves after `ms`, or at once when the simulator closes. */
  wait(ms: number): Promise<void>;
  isClosed(): boolean;
}

interface GraphqlBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

const maxBodyBytes = 1_000_000;

export async function handleGraphqlPost(
  rt: SimRuntime,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readJson(req);
  const inFront = rt.faults.takeInFront();
  if (inFront?.blockPage) return sendBlockPage(res, inFront.blockPage);
  const identity = identify(req.headers, rt.viewers);
  const document = typeof body?.query === 'string' ? tryParse(body.query) : undefined;
  const operation = operationNameOf(body, document);
  const decision = rt.traffic.hit(tokenKey(identity), operation);
  setRateHeaders(res, decision);
  if (!decision.allowed) {
    res.setHeader('Retry-After', String(decision.retryAfterSeconds));
    return send(res, 429, {
      errors: [{ message: 'Rate limit exceeded. Please try again later.' }],
    });
  }
  const held = rt.faults.heldFor(operation);
  if (held) await held;
  const fault = rt.faults.takeHttp(operation);
  if (fault?.delayMs) await rt.wait(fault.delayMs);
  if (rt.isClosed()) return;
  if (fault?.status) {
    if (fault.retryAfter !== undefined) res.setHeader('Retry-After', String(fault.retryAfter));
    return send(res, fault.status, {
      errors: [{ message: `Simulated upstream failure (${fault.status})` }],
    });
  }
  if ('refused' in identity)
    return send(res, 200, { data: null, errors: [{ message: identity.refused }] });
  if (fault?.twoFactorRequired) return send(res, 200, twoFactorAnswer(fault.twoFactorRequired));
  const viewer = 'viewer' in identity ? identity.viewer : null;
  return runOperation(rt, res, body, document, viewer);
}

function runOperation(
  rt: SimRuntime,
  res: ServerResponse,
  body: GraphqlBody | undefined,
  document: DocumentNode | GraphQLError | undefined,
  viewer: Viewer | null,
): Promise<void> | void {
  if (!body || document === undefined)
    return send(res, 400, { errors: [{ message: 'Must provide query string.' }] });
  if (document instanceof GraphQLError) return send(res, 400, { errors: [document.toJSON()] });
  const invalid = validate(rt.schema, document);
  if (invalid.length > 0) return send(res, 400, { errors: invalid.map((e) => e.toJSON()) });
  const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
  const operation = getOperationAST(document, operationName)?.operation;
  if (operation === OperationTypeNode.SUBSCRIPTION) {
    return send(res, 400, {
      errors: [{ message: 'Subscriptions are served over graphql-transport-ws.' }],
    });
  }
  const contextValue = simContext(rt, viewer);
  const result = execute({
    schema: rt.schema,
    document,
    rootValue: operation === OperationTypeNode.MUTATION ? railwayMutationRoot : railwayQueryRoot,
    contextValue,
    variableValues: isRecord(body.variables) ? body.variables : undefined,
    operationName,
  });
  return Promise.resolve(result).then((r) => send(res, 200, r));
}

export function simContext(rt: SimRuntime, viewer: Viewer | null) {
  return { state: rt.state, viewer, rateLimit: rt.traffic.remaining(viewer?.token ?? 'anonymous') };
}

function tokenKey(identity: Identity): string {
  if ('viewer' in identity) return identity.viewer.token;
  if ('refused' in identity) return identity.token;
  return 'anonymous';
}

/** The name requests are counted under: the one sent, else the document's, else 'anonymous'. */
export function operationNameOf(
  body: GraphqlBody | undefined,
  document: DocumentNode | GraphQLError | undefined,
): string {
  if (typeof body?.operationName === 'string') return body.operationName;
  if (!document || document instanceof GraphQLError) return 'unknown';
  return getOperationAST(document)?.name?.value ?? 'anonymous';
}

/** Railway's answer when a workspace requires 2FA and the account has none (as Railway's CLI reads it). */
function twoFactorAnswer(f: { workspaceName: string }): unknown {
  const extensions = { workspaceName: f.workspaceName };
  return { data: null, errors: [{ message: 'Two Factor Authentication Required', extensions }] };
}

/** What users of Railway's API have met from Cloudflare in front of backboard.railway.com. */
const cloudflareTitle = 'Access denied | backboard.railway.com used Cloudflare to restrict access';

/** A proxy's or Cloudflare's HTML page in place of the API's answer. */
function sendBlockPage(res: ServerResponse, page: BlockPage): void {
  const title = (page.title ?? cloudflareTitle).replace(/[<>&"]/g, '');
  res.statusCode = page.status;
  res.setHeader('Content-Type', 'text/html; charset=UTF-8');
  if (page.cloudflare ?? true) {
    res.setHeader('Server', 'cloudflare');
    res.setHeader('CF-RAY', '8f3a1c2b4d5e6f70-CDG');
  }
  res.end(
    `<!DOCTYPE html>\n<html lang="en-US"><head><meta charset="UTF-8"><title>${title}</title></head>` +
      `<body><h1>${title}</h1><p>The site owner may have set restrictions that prevent you from ` +
      `accessing the site.</p><p>Ray ID: 8f3a1c2b4d5e6f70</p></body></html>\n`,
  );
}

function setRateHeaders(res: ServerResponse, d: RateDecision): void {
  res.setHeader('X-RateLimit-Limit', String(d.limit));
  res.setHeader('X-RateLimit-Remaining', String(d.remaining));
  res.setHeader('X-RateLimit-Reset', String(d.resetEpochSeconds));
}

export function tryParse(source: string): DocumentNode | GraphQLError {
  try {
    return parse(source);
  } catch (error) {
    return error instanceof GraphQLError ? error : new GraphQLError(String(error));
  }
}

async function readJson(req: IncomingMessage): Promise<GraphqlBody | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) return undefined;
    chunks.push(chunk);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed || res.writableEnded) return;
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}
