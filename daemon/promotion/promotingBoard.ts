// The promotions the Environments tree marks on their targets: this daemon's in flight (from the
// store, once the promotion service exists) and teammates' (GitHub Deployments). Made before the
// environment service, which the promotion service itself depends on.
import {
  IN_FLIGHT_STATES,
  type PromotionRecord,
  type TeamPromotion,
} from '../../protocol/protocol';
import type { Promoting, PromotingSource } from '../environments/promotingWatch';
import type { GithubClient } from '../github/githubClient';
import { DEFAULT_LOCK_STALE_MINUTES, enteredAt } from './promotionRecords';
import { listTeamPromotions } from './teamPromotions';

export class PromotingBoard implements PromotingSource {
  private records: () => PromotionRecord[] = () => [];
  private readonly listeners = new Set<() => void>();
  private readonly flying = new Set<string>();

  constructor(private readonly github: () => GithubClient | undefined) {}

  /** The promotion store, once made. */
  attach(records: () => PromotionRecord[]): void {
    this.records = records;
    for (const r of records()) if (IN_FLIGHT_STATES.includes(r.state)) this.flying.add(r.id);
    this.fire();
  }

  /** Every record change: listeners hear only of promotions entering or leaving flight. */
  changed(record: PromotionRecord): void {
    const now = IN_FLIGHT_STATES.includes(record.state);
    if (now === this.flying.has(record.id)) return;
    if (now) this.flying.add(record.id);
    else this.flying.delete(record.id);
    this.fire();
  }

  local(projectId: string): Map<string, Promoting> {
    const marks = new Map<string, Promoting>();
    for (const r of this.records()) {
      if (r.projectId !== projectId || !IN_FLIGHT_STATES.includes(r.state)) continue;
      marks.set(r.to.id, {
        id: r.id,
        by: r.confirmedBy ?? r.createdBy,
        since: enteredAt(r, 'confirmed') ?? r.updatedAt,
        from: r.from.name,
        mine: true,
        stale: false,
        ...(r.deployment?.url && { url: r.deployment.url }),
      });
    }
    return marks;
  }

  async team(repo: string): Promise<TeamPromotion[] | undefined> {
    const github = this.github();
    if (!github) return [];
    const found = await listTeamPromotions(github, repo, {
      staleAfterMs: DEFAULT_LOCK_STALE_MINUTES * 60_000,
    });
    if (!found.ok) return undefined;
    const ours = new Set(this.records().map((r) => r.id));
    return found.value.promotions.filter((t) => !ours.has(t.id));
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private fire(): void {
    for (const l of [...this.listeners]) l();
  }
}
