// A promotion's entry in the append-only audit log: who, when, which commits, every gate with its
// evidence, overrides with their reasons, the outcome, how long each part took, and production's
// figures before and after the release once its verification has them.
import type { PromotionRecord } from '../../protocol/protocol';
import type { AuditEntry } from '../state/auditLog';

export function auditEntry(r: PromotionRecord, outcome: AuditEntry['outcome']): AuditEntry {
  return {
    action: 'promotion',
    project: r.projectId,
    environment: r.to.name,
    ...(r.mergeCommit && { commit: r.mergeCommit }),
    folder: r.folder,
    client: r.confirmedBy ?? r.createdBy,
    confirmed: r.confirmedBy !== undefined,
    outcome,
    detail: r.summary,
    promotion: {
      id: r.id,
      state: r.state,
      from: r.from.name,
      to: r.to.name,
      sourceCommit: r.sourceCommit,
      targetCommit: r.targetCommit,
      mergeCommit: r.mergeCommit,
      commits: r.changes?.commits.map((c) => ({
        sha: c.sha,
        author: c.author,
        message: c.message,
      })),
      commitCount: r.changes?.commitCount,
      gates: r.gates.map((g) => ({
        id: g.id,
        level: g.level,
        state: g.state,
        detail: g.detail,
        evidence: g.evidence,
        ...(g.override && { override: g.override }),
      })),
      overrides: r.overrides,
      signOff: r.signOff,
      services: r.services,
      createdBy: r.createdBy,
      confirmedBy: r.confirmedBy,
      timings: timings(r),
      ...(r.verification && { verification: r.verification }),
    },
  };
}

/** Seconds from each state to the next, e.g. { gated: 12, merged: 1, pushed: 2, deploying: 95 }. */
function timings(r: PromotionRecord): Record<string, number> {
  const out: Record<string, number> = {};
  r.history.forEach((h, i) => {
    const next = r.history[i + 1];
    if (next) out[h.state] = Math.round((Date.parse(next.at) - Date.parse(h.at)) / 100) / 10;
  });
  return out;
}
