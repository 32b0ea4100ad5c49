// The logs bench's baselines over bare ws on loopback: the same bytes in the same message sizes with
// no daemon (the physical ceiling here), the daemon's own frames JSON.parsed on receipt (what any
// client must do), and the same lines as one message each (a naive pipeline).
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import WebSocket from 'ws';

export interface BareResult {
  linesPerSecond: number;
  mbPerSecond: number;
}

/** Runs the sender on its own thread and measures what one client receives. */
export async function withBareServer<T>(run: (port: number) => Promise<T>): Promise<T> {
  // tsx's loader does not reach worker threads by itself: register it there first.
  const worker = new Worker("require('tsx/cjs'); require(require('worker_threads').workerData);", {
    eval: true,
    workerData: path.join(__dirname, 'logsBareWorker.ts'),
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    return await run(port);
  } finally {
    await worker.terminate();
  }
}

/**
 * Asks for `count` messages of `payload` (each standing for `linesPerMessage` lines) and times
 * their arrival; `parse` decodes each as a client must (the one-message-per-line pipeline does).
 */
export async function bareRun(
  port: number,
  payload: string,
  count: number,
  linesPerMessage: number,
  parse: boolean,
): Promise<BareResult> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}`, { maxPayload: 64 * 1024 * 1024 });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let received = 0;
  let bytes = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    ws.on('message', (data: Buffer) => {
      bytes += data.length;
      if (parse) JSON.parse(data.toString('utf8'));
      if (++received === count) resolve();
    });
    ws.send(JSON.stringify({ payload, count }));
  });
  const seconds = (performance.now() - started) / 1000;
  ws.close();
  return {
    linesPerSecond: (count * linesPerMessage) / seconds,
    mbPerSecond: bytes / 1e6 / seconds,
  };
}
