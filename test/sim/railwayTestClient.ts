// What the Railway simulator's tests speak with: a POST helper and a graphql-ws client that sends Railway's auth headers on the upgrade.
import assert from 'node:assert/strict';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { RailwaySim } from '../../sim/railway/server';

export interface GraphqlAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message: string }[];
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
export const projectHeader = (token: string) => ({ 'project-access-token': token });

export async function post(
  sim: RailwaySim,
  headers: Record<string, string>,
  query: string,
  variables?: object,
): Promise<GraphqlAnswer> {
  const res = await fetch(sim.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  assert.equal(res.status, 200);
  return (await res.json()) as GraphqlAnswer;
}

/** The data of an answer that must have no errors. */
export async function data<T>(
  sim: RailwaySim,
  headers: Record<string, string>,
  query: string,
  variables?: object,
): Promise<T> {
  const answer = await post(sim, headers, query, variables);
  assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
  return answer.data as T;
}

/** The first error's message of an answer that must fail. */
export async function errorOf(
  sim: RailwaySim,
  headers: Record<string, string>,
  query: string,
  variables?: object,
): Promise<string> {
  const answer = await post(sim, headers, query, variables);
  return answer.errors?.[0]?.message ?? '(no error)';
}

export function wsClient(sim: RailwaySim, headers: Record<string, string>): Client {
  class HeaderSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  return createClient({ url: sim.wsUrl, webSocketImpl: HeaderSocket, retryAttempts: 0 });
}
