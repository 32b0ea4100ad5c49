// Every promotion the daemon knows, in memory and in the journal: each change is journaled
// (fsynced) and then announced to every client, in that order, so what a client sees is on disk.
import {
  IN_FLIGHT_STATES,
  type FolderContext,
  type PromotionRecord,
} from '../../protocol/protocol';
import type { JournalEntry, PromotionJournal } from './promotionJournal';

export class PromotionStore {
  private readonly entries = new Map<string, JournalEntry>();

  constructor(
    private readonly journal: PromotionJournal,
    private readonly notify: (record: PromotionRecord) => void,
    /** Test-only: dies right after journaling a record in this state ("kill at every step"). */
    private readonly crashAt?: string,
  ) {
    for (const entry of journal.loadAll()) this.entries.set(entry.record.id, entry);
  }

  get(id: string): PromotionRecord | undefined {
    return this.entries.get(id)?.record;
  }

  folderOf(id: string): FolderContext | undefined {
    return this.entries.get(id)?.folder;
  }

  all(): PromotionRecord[] {
    return [...this.entries.values()]
      .map((e) => e.record)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  put(folder: FolderContext, record: PromotionRecord): PromotionRecord {
    this.journal.save({ folder, record });
    this.entries.set(record.id, { version: 1, folder, record });
    this.crashIf(record.state);
    this.notify(record);
    return record;
  }

  update(id: string, change: (r: PromotionRecord) => PromotionRecord): PromotionRecord {
    const entry = this.entries.get(id);
    if (!entry) throw new Error(`no promotion ${id}`);
    return this.put(entry.folder, change(entry.record));
  }

  /**
   * Changes the record only while it is still in one of `from` (a cancel or a rollback asked for
   * meanwhile wins); undefined when it has moved on.
   */
  move(
    id: string,
    from: readonly PromotionRecord['state'][],
    change: (r: PromotionRecord) => PromotionRecord,
  ): PromotionRecord | undefined {
    const current = this.get(id);
    if (!current || !from.includes(current.state)) return undefined;
    return this.update(id, change);
  }

  /** The other promotion holding this project's target, if any. */
  holder(record: PromotionRecord): PromotionRecord | undefined {
    return this.all().find(
      (r) =>
        r.id !== record.id &&
        r.projectId === record.projectId &&
        r.to.id === record.to.id &&
        IN_FLIGHT_STATES.includes(r.state),
    );
  }

  /** A crash point that is not a state: between an effect upstream and its journal entry. */
  crashIf(point: string): void {
    if (this.crashAt && this.crashAt === point) process.kill(process.pid, 'SIGKILL');
  }
}
