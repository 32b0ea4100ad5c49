// Decodes a `ws` message (Buffer, fragments or ArrayBuffer) as the UTF-8 text of a JSON-RPC frame.
import type { RawData } from 'ws';

export function frameText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
