// The audit trail: one JSON line per action that changes what runs (who, what, when, why, outcome),
// appended to audit.log in the state directory.
import * as fs from 'node:fs';
import * as os from 'node:os';

export interface AuditEntry {
  action: string;
  project?: string;
  environment?: string;
  service?: string;
  deploymentId?: string;
  /** For a rollback: the deployment whose image it restored (`deploymentId` is the new one). */
  restored?: string;
  commit?: string;
  /** The workspace folder it was asked from, when the request was refused before a lookup. */
  folder?: string;
  /** The client that asked, e.g. "VS Code kars" or "railyard CLI". */
  client?: string;
  confirmed?: boolean;
  reason?: string;
  /** `refused`: the daemon said no before calling Railway (an untrusted folder, no confirmation). */
  outcome: 'ok' | 'failed' | 'refused';
  detail?: string;
  /** A promotion's whole story: commits, every gate with its evidence, overrides, timings. */
  promotion?: Record<string, unknown>;
}

export class AuditLog {
  constructor(private readonly file: string) {}

  record(entry: AuditEntry): void {
    const line = JSON.stringify({
      at: new Date().toISOString(),
      user: os.userInfo().username,
      ...entry,
    });
    fs.appendFileSync(this.file, line + '\n', { mode: 0o600 });
  }

  /** The newest entries first. */
  read(limit = 100): (AuditEntry & { at: string; user: string })[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter(Boolean)
      .slice(-limit)
      .reverse()
      .map((l) => JSON.parse(l) as AuditEntry & { at: string; user: string });
  }
}
