// Tokens the user gave Railyard, in one 0600 file written atomically. Only the daemon reads it.
import * as fs from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import * as z from '../../protocol/zod';

const stored = z.object({
  railway: z.optional(
    z.object({ token: z.string(), tokenKind: z.enum(['account', 'workspace', 'project']) }),
  ),
  github: z.optional(z.object({ token: z.string() })),
});
export type StoredCredentials = z.infer<typeof stored>;

export class CredentialStore {
  constructor(private readonly file: string) {}

  /** The stored tokens; a missing or corrupt file reads as empty (a corrupt one is kept aside). */
  read(): StoredCredentials {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return {};
    }
    try {
      return stored.parse(JSON.parse(text));
    } catch {
      fs.renameSync(this.file, `${this.file}.corrupt-${Date.now()}`);
      return {};
    }
  }

  update(change: (current: StoredCredentials) => StoredCredentials): void {
    const next = change(this.read());
    if (!next.railway && !next.github) {
      fs.rmSync(this.file, { force: true });
      return;
    }
    writeFileAtomic.sync(this.file, JSON.stringify(next) + '\n', { mode: 0o600 });
  }
}
