// Log streams as the protocol serves them: `logs.subscribe` / `logs.unsubscribe`, and the streams
// of a client that disconnects end with it.
import * as crypto from 'node:crypto';
import type { Params, Result } from '../../protocol/protocol';
import type { ClientLink } from '../clientLink';
import { LogStream, type StreamDeps } from './logStream';

export class LogService {
  private readonly streams = new Map<string, LogStream>();

  constructor(private readonly deps: StreamDeps) {}

  async subscribe(
    params: Params<'logs.subscribe'>,
    session: ClientLink,
  ): Promise<Result<'logs.subscribe'>> {
    const stream = new LogStream(crypto.randomUUID(), session, params, this.deps);
    this.streams.set(stream.id, stream);
    try {
      await stream.start();
    } catch (e) {
      this.unsubscribe(stream.id);
      throw e;
    }
    // The answer goes out in this turn; its batches must come after it, never before.
    setImmediate(() => stream.release());
    return { streamId: stream.id, ...stream.target };
  }

  unsubscribe(streamId: string): void {
    this.streams.get(streamId)?.stop();
    this.streams.delete(streamId);
  }

  dropSession(session: ClientLink): void {
    for (const s of [...this.streams.values()]) if (s.session === session) this.unsubscribe(s.id);
  }

  stopAll(): void {
    for (const id of [...this.streams.keys()]) this.unsubscribe(id);
  }
}
