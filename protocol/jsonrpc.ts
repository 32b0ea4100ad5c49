// JSON-RPC 2.0 envelopes: the schemas both sides use to validate frames before looking inside.
import * as z from './zod';
import { ErrorCode } from './protocol';

const id = z.union([z.number(), z.string().check(z.maxLength(200))]);

export const requestEnvelope = z.strictObject({
  jsonrpc: z.literal('2.0'),
  id,
  method: z.string().check(z.maxLength(200)),
  params: z.optional(z.unknown()),
});
export const notificationEnvelope = z.strictObject({
  jsonrpc: z.literal('2.0'),
  method: z.string().check(z.maxLength(200)),
  params: z.optional(z.unknown()),
});
export const errorObject = z.object({
  code: z.number(),
  message: z.string(),
  data: z.optional(z.unknown()),
});
export const responseEnvelope = z.union([
  z.strictObject({ jsonrpc: z.literal('2.0'), id, result: z.unknown() }),
  z.strictObject({ jsonrpc: z.literal('2.0'), id: z.nullable(id), error: errorObject }),
]);

export type RequestEnvelope = z.infer<typeof requestEnvelope>;
export type NotificationEnvelope = z.infer<typeof notificationEnvelope>;
export type ResponseEnvelope = z.infer<typeof responseEnvelope>;
export type ErrorObject = z.infer<typeof errorObject>;

/** An error that crosses the wire: a stable code, a sentence a user can act on, optional data. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'RpcError';
  }

  toJSON(): ErrorObject {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

/** Turns a zod failure into the InvalidParams sentence: which field, what was wrong. */
export function invalidParams(method: string, error: z.core.$ZodError): RpcError {
  const issues = error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`);
  return new RpcError(ErrorCode.InvalidParams, `Bad params for ${method}: ${issues.join('; ')}`, {
    issues,
  });
}
