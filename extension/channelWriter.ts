// Paces appends to an Output channel. Each append makes VS Code read the channel's file again and,
// for the channel in view, re-render the Output editor; at 500 lines/s that re-rendering is what
// slows typing elsewhere in the window. Lines that arrive together are written together, at most
// once per interval; a line after a quiet spell is written at once.

/** Where the text goes (an OutputChannel) and how time passes (setTimeout; a fake in tests). */
export interface WriterDeps {
  appendLine(text: string): void;
  now(): number;
  schedule(run: () => void, ms: number): { cancel(): void };
}

export class ChannelWriter {
  private pending: string[] = [];
  private timer: { cancel(): void } | undefined;
  private lastWrite = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deps: WriterDeps,
    private readonly intervalMs: number,
  ) {}

  /** Writes `text` now if the channel was quiet for the interval; otherwise with the next write. */
  appendLine(text: string): void {
    this.pending.push(text);
    if (this.timer) return;
    const wait = this.lastWrite + this.intervalMs - this.deps.now();
    if (wait <= 0) this.flush();
    else this.timer = this.deps.schedule(() => this.flush(), wait);
  }

  /** Writes what waits now: before a line that must follow it, or when the channel goes away. */
  flush(): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (!this.pending.length) return;
    const text = this.pending.join('\n');
    this.pending = [];
    this.lastWrite = this.deps.now();
    this.deps.appendLine(text);
  }
}

/** A writer for `channel` on the real clock. */
export function channelWriter(
  channel: { appendLine(text: string): void },
  intervalMs: number,
): ChannelWriter {
  return new ChannelWriter(
    {
      appendLine: (text) => channel.appendLine(text),
      now: () => performance.now(),
      schedule: (run, ms) => {
        const t = setTimeout(run, ms);
        return { cancel: () => clearTimeout(t) };
      },
    },
    intervalMs,
  );
}
