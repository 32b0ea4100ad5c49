// Routes `logs.batch` notifications to the consumer of each stream, including a stream's first batches
// when they arrive in the same socket read as the `logs.subscribe` answer that names the stream.
import type { NotificationParams, ParamsInput, Result } from '../protocol/protocol';
import type { RpcClient } from './rpcClient';

/**
 * Batches of streams nobody has claimed yet, across all streams. The daemon sends none before the
 * answer, so only those read together with an answer wait here; the bound is a safety net.
 */
export const MAX_EARLY_BATCHES = 64;

/** A subscribe in flight: `claim` once its answer names the stream, `abandon` when it failed. */
export interface Expectation<T> {
  claim(streamId: string, consumer: (batch: T) => void): void;
  abandon(): void;
}

/**
 * The bookkeeping, without a connection: batches of a known stream go to its consumer; batches of
 * an unknown stream are kept (in order, bounded) while a subscribe is in flight that may claim it,
 * and dropped once none is.
 */
export class StreamRouter<T> {
  private readonly consumers = new Map<string, (batch: T) => void>();
  private readonly early = new Map<string, T[]>();
  private earlyCount = 0;
  private inFlight = 0;

  constructor(private readonly maxEarly = MAX_EARLY_BATCHES) {}

  deliver(streamId: string, batch: T): void {
    const consumer = this.consumers.get(streamId);
    if (consumer) return consumer(batch);
    // A stream nobody asked for (one already unsubscribed, say) when no answer is awaited.
    if (this.inFlight === 0) return;
    const kept = this.early.get(streamId) ?? [];
    kept.push(batch);
    this.early.set(streamId, kept);
    if (++this.earlyCount > this.maxEarly) this.dropOldest();
  }

  /** Call before sending `logs.subscribe`. */
  expect(): Expectation<T> {
    this.inFlight++;
    let settled = false;
    const settle = () => {
      if (settled) return false;
      settled = true;
      this.inFlight--;
      return true;
    };
    return {
      claim: (streamId, consumer) => {
        if (!settle()) return;
        this.consumers.set(streamId, consumer);
        const kept = this.early.get(streamId) ?? [];
        this.early.delete(streamId);
        this.earlyCount -= kept.length;
        this.forgetUnclaimed();
        for (const batch of kept) consumer(batch);
      },
      abandon: () => {
        if (settle()) this.forgetUnclaimed();
      },
    };
  }

  /** The stream ended (unsubscribed): later batches of it are dropped. */
  forget(streamId: string): void {
    this.consumers.delete(streamId);
    this.earlyCount -= this.early.get(streamId)?.length ?? 0;
    this.early.delete(streamId);
  }

  /** How many batches wait for a stream id to be claimed (tests). */
  get waiting(): number {
    return this.earlyCount;
  }

  private forgetUnclaimed(): void {
    if (this.inFlight > 0) return;
    this.early.clear();
    this.earlyCount = 0;
  }

  private dropOldest(): void {
    // Map order is insertion order: the first stream seen is the oldest still waiting.
    for (const [id, kept] of this.early) {
      kept.shift();
      this.earlyCount--;
      if (!kept.length) this.early.delete(id);
      return;
    }
  }
}

export type WireBatch = NotificationParams<'logs.batch'>['items'];

/** The log streams of one daemon connection: subscribe with a consumer that gets every batch. */
export class LogStreams {
  private readonly router = new StreamRouter<WireBatch>();
  private readonly stopListening: () => void;

  constructor(readonly client: RpcClient) {
    this.stopListening = client.onNotification('logs.batch', (n) =>
      this.router.deliver(n.streamId, n.items),
    );
  }

  /**
   * Sends `logs.subscribe`; `consumer` gets the stream's batches from the first, which may have
   * come in the same read as the answer, before this resolves.
   */
  async subscribe(
    params: ParamsInput<'logs.subscribe'>,
    consumer: (items: WireBatch) => void,
  ): Promise<Result<'logs.subscribe'>> {
    const expectation = this.router.expect();
    try {
      const answer = await this.client.request('logs.subscribe', params);
      expectation.claim(answer.streamId, consumer);
      return answer;
    } catch (e) {
      expectation.abandon();
      throw e;
    }
  }

  /** Stops delivering the stream at once, then asks the daemon to end it. */
  async unsubscribe(streamId: string): Promise<void> {
    this.router.forget(streamId);
    await this.client.request('logs.unsubscribe', { streamId });
  }

  dispose(): void {
    this.stopListening();
  }
}
