// The durable side of promotions: one file per promotion in <state>/promotions, replaced whole
// and fsynced (file, then directory) at every transition before the next step runs, so a daemon
// killed at any point comes back to the exact state. A file that cannot be read is set aside
// (renamed *.unreadable), never deleted, and the log says so.
import * as fs from 'node:fs';
import * as path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import * as z from '../../protocol/zod';
import { folderContext, promotionRecord } from '../../protocol/protocol';

/** What a journal file holds: the record, and the folder it was asked from (to resume it). */
const journalEntry = z.object({
  version: z.literal(1),
  folder: folderContext,
  record: promotionRecord,
});
export type JournalEntry = z.infer<typeof journalEntry>;

export class PromotionJournal {
  readonly dir: string;

  constructor(
    stateDir: string,
    private readonly warn: (message: string, fields?: Record<string, unknown>) => void,
  ) {
    this.dir = path.join(stateDir, 'promotions');
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  save(entry: Omit<JournalEntry, 'version'>): void {
    const file = this.fileOf(entry.record.id);
    const text = JSON.stringify({ version: 1, ...entry }, null, 2) + '\n';
    writeFileAtomic.sync(file, text, { mode: 0o600, fsync: true });
    syncDirectory(this.dir);
  }

  /** Every readable entry; unreadable files are renamed aside and reported. */
  loadAll(): JournalEntry[] {
    const entries: JournalEntry[] = [];
    for (const name of fs.readdirSync(this.dir)) {
      if (!/^[0-9a-f]{8}\.json$/.test(name)) continue;
      const file = path.join(this.dir, name);
      const entry = this.read(file);
      if (entry) entries.push(entry);
    }
    return entries;
  }

  private read(file: string): JournalEntry | undefined {
    try {
      const parsed = journalEntry.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
      if (parsed.success) return parsed.data;
      this.setAside(file, parsed.error.issues[0]?.message ?? 'unexpected shape');
    } catch (e) {
      this.setAside(file, (e as Error).message);
    }
    return undefined;
  }

  private setAside(file: string, why: string): void {
    const aside = `${file}.unreadable`;
    fs.renameSync(file, aside);
    this.warn('promotion journal file unreadable: set aside', { file: aside, why });
  }

  private fileOf(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }
}

/** The rename is only durable once the directory entry is on disk too. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on a directory; the file itself was fsynced.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
