// What a service (environments, logs) may do with the client it serves: send it notifications.
// Services hold clients by this, never by the RPC session, so the transport stays in rpc/.
import type { NotificationName, NotificationParams } from '../protocol/protocol';

export interface ClientLink {
  notify<N extends NotificationName>(method: N, params: NotificationParams<N>): void;
  /** Sends an already encoded notification unless `maxBuffered` bytes wait unsent; false then. */
  sendIfRoom(frame: Buffer, maxBuffered: number): boolean;
}
