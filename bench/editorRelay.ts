// The editor-load bench's relay for the baseline phase: the daemon keeps relaying the ten streams
// to a consumer in the bench's process, which reads and formats every line as Railyard's extension
// does (JSON, readLogItems, formatBatch) and drops it. So the baseline's window runs on a machine
// carrying the same simulated Railway, daemon and per-line work as Railyard's, and only what
// happens in the editor differs: a trivial extension appending, instead of Railyard.
import { readSecret, statePaths } from '../protocol/discovery';
import { folderContextOf } from '../protocol/protocol';
import { readLogItems } from '../client/logLines';
import { formatBatch } from '../client/logFormat';
import type { Simulators } from '../sim/server';
import { runningDaemon } from '../test/vscode/railyardHome';
import { LeanClient } from './logsClient';
import type { Stream } from './editorLoadWorld';

export interface Relay {
  daemonPid: number;
  /** Lines the consumer has read so far. */
  read(): number;
  /** Characters of channel text it formatted from them (the work Railyard's extension does). */
  formattedChars(): number;
  stop(): void;
}

/**
 * Subscribes a consumer to each stream through the daemon running for `home`, as "Tail Logs…" does
 * for `folder`; resolves once the simulated Railway serves every deployment to the daemon again.
 */
export async function startRelay(
  sims: Simulators,
  where: { home: string; folder: string },
  streams: Stream[],
  deploymentIds: string[],
): Promise<Relay> {
  const daemon = runningDaemon(where.home);
  const secret = readSecret(statePaths(where.home));
  if (!daemon || !secret) throw new Error(`no daemon running for ${where.home}`);
  const client = await LeanClient.connect(daemon.port, secret);
  let lines = 0;
  let formatted = 0;
  client.onBatch((_id, items) => {
    const read = readLogItems(items);
    lines += read.length;
    formatted += formatBatch(read).length;
  });
  const project = sims.railway.state.projects[0]!.id;
  for (const s of streams) {
    await client.request('logs.subscribe', {
      folder: folderContextOf(where.folder, true, { RAILWAY_PROJECT_ID: project }),
      environment: s.environment,
      service: s.service,
      backlog: 100,
    });
  }
  const logs = sims.railway.state.logs;
  await Promise.all(
    deploymentIds.map((id) => logs.untilSubscriptions((n) => n > 0, { deploymentId: id })),
  );
  return {
    daemonPid: daemon.pid,
    read: () => lines,
    formattedChars: () => formatted,
    stop: () => client.close(),
  };
}
