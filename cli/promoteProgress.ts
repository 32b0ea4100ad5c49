// Turns the stream of whole records `promotion.changed` carries into the lines that are new: a
// gate when it settles, a step when it runs or ends, a service when its deploy status moves.
import type { PromotionRecord } from '../protocol/protocol';
import { gateLines, serviceLine, stepDetail, stepLine, waitingLine } from './promoteOutput';

export class PromotionProgress {
  private readonly gates = new Map<string, string>();
  private readonly steps = new Map<string, string>();
  private readonly services = new Map<string, string>();
  /** Steps whose wait on a person was explained: once is enough, however long the review takes. */
  private readonly waitingSaid = new Set<string>();

  /** The lines this record adds to what was already shown; the same record twice adds none. */
  next(record: PromotionRecord): string[] {
    return [...this.gateLines(record), ...this.stepLines(record), ...this.serviceLines(record)];
  }

  /** A re-check (after a sign-off, a rejected push) shows gates again as they settle anew. */
  forgetGates(): void {
    this.gates.clear();
  }

  private gateLines(record: PromotionRecord): string[] {
    return record.gates.flatMap((g) => {
      // Pending is not news; a gate that settles again the same way is not either.
      const key = `${g.state}|${g.detail}|${g.override ? 'o' : ''}`;
      if (g.state === 'pending' || this.gates.get(g.id) === key) return [];
      this.gates.set(g.id, key);
      return gateLines(g);
    });
  }

  private stepLines(record: PromotionRecord): string[] {
    return record.steps.flatMap((s) => {
      // The shown detail, not the step's own: a PR's link or a tag may arrive after the step's words.
      const key = `${s.state}|${stepDetail(s, record) ?? ''}`;
      if (s.state === 'pending' || this.steps.get(s.id) === key) return [];
      this.steps.set(s.id, key);
      if (s.state !== 'needs-you' || this.waitingSaid.has(s.id)) return [stepLine(s, record)];
      this.waitingSaid.add(s.id);
      return [stepLine(s, record), waitingLine(s, record)];
    });
  }

  private serviceLines(record: PromotionRecord): string[] {
    return record.services.flatMap((s) => {
      const key = `${s.status ?? ''}|${s.detail ?? ''}|${s.rollbackDeploymentId ?? ''}`;
      if (this.services.get(s.id) === key || (!s.status && !s.detail)) return [];
      this.services.set(s.id, key);
      return [serviceLine(s)];
    });
  }
}
