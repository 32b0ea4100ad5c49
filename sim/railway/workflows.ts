// Railway's server-side workflows (a backup, a restore): each runs on the simulators' clock and is
// polled with `workflowStatus`, with the quirks Railway's CLI has to tolerate switchable per test.
import type { SimClock, SimTimer } from '../clock';
import type { SimWorkflowStatus } from './model';

/**
 * What Railway is seen to do around workflows (FACTS.md; railwayapp/cli controllers/workflow.rs
 * polls through NotFound "tolerating read-after-write lag right after the workflow was created",
 * and its restore only waits `if let Some(workflow_id)`). Both off by default.
 */
export interface WorkflowQuirks {
  /** The mutation answers `workflowId: null`; the work still runs and lands. */
  nullWorkflowId: boolean;
  /** For this long after it starts, `workflowStatus` says NotFound. */
  notFoundMs: number;
}

export interface WorkflowRun {
  /** Runs when the workflow's time is up: returns an error message to end in Error, else null. */
  finish(): string | null;
  /** Who may see its status: the volume instance it works on. */
  volumeInstanceId: string;
  /** Names the clock timer, so a test can see what it is waiting on. */
  label: string;
}

interface Workflow {
  id: string;
  startedAtMs: number;
  run: WorkflowRun;
  status: Exclude<SimWorkflowStatus, 'NotFound'>;
  error: string | null;
  timer: SimTimer;
}

export class WorkflowStore {
  readonly quirks: WorkflowQuirks = { nullWorkflowId: false, notFoundMs: 0 };
  private readonly workflows = new Map<string, Workflow>();

  constructor(
    private readonly clock: SimClock,
    private readonly nextId: () => string,
  ) {}

  /** Starts `run`, finishing after `durationMs` on the clock; returns the id the mutation answers (maybe null). */
  start(
    prefix: string,
    durationMs: number,
    run: WorkflowRun,
  ): { id: string; answered: string | null } {
    const id = `${prefix}-${this.nextId()}`;
    const timer = this.clock.after(durationMs, () => this.finish(id), run.label);
    this.workflows.set(id, {
      id,
      startedAtMs: this.clock.nowMs(),
      run,
      status: 'Running',
      error: null,
      timer,
    });
    return { id, answered: this.quirks.nullWorkflowId ? null : id };
  }

  /** The volume instance a workflow works on, whatever its status. */
  volumeInstanceOf(id: string): string | undefined {
    return this.workflows.get(id)?.run.volumeInstanceId;
  }

  status(id: string): { status: SimWorkflowStatus; error: string | null } {
    const w = this.workflows.get(id);
    if (!w || this.clock.nowMs() < w.startedAtMs + this.quirks.notFoundMs)
      return { status: 'NotFound', error: null };
    return { status: w.status, error: w.error };
  }

  /** Finishes every running workflow now, ahead of its timer: the old `advance()` path. */
  finishAll(): number {
    const running = [...this.workflows.values()].filter((w) => w.status === 'Running');
    for (const w of running) this.finish(w.id);
    return running.length;
  }

  private finish(id: string): void {
    const w = this.workflows.get(id);
    if (!w || w.status !== 'Running') return;
    w.timer.cancel();
    const error = w.run.finish();
    w.status = error === null ? 'Complete' : 'Error';
    w.error = error;
  }
}
