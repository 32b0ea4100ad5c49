// Commands for logs: Tail Logs… (from the palette with the last choice remembered, or a tree row),
// Show Build Logs, Filter Logs…, Stop Tailing.
import * as vscode from 'vscode';
import type { EnvironmentsTree, Node } from './environmentsTree';
import type { LogTailer, TailSpec } from './logTailer';
import { rowMissing } from './treeModel';
import { channelName } from '../client/logFormat';

type Deps = { tree: EnvironmentsTree; tailer: LogTailer; state: vscode.Memento };
const LAST_KEY = 'railyard.lastTail';

export function logCommands(deps: Deps): Record<string, (node?: Node) => unknown> {
  return {
    'railyard.tailLogs': async (node) => {
      const spec = node ? specFromNode(node) : await pickService(deps);
      if (!spec) return;
      await deps.state.update(LAST_KEY, spec);
      await deps.tailer.tail(spec);
    },
    'railyard.showBuildLogs': (node) => {
      if (node?.kind !== 'service' && node?.kind !== 'deployment')
        throw rowMissing('Show Build Logs', 'a service or a deployment');
      const deployment = node.kind === 'deployment' ? node.deployment : node.service.latest;
      if (!deployment) throw new Error(`${node.service.name} has no deployment yet.`);
      return deps.tailer.tail({
        environment: node.env.name,
        service: node.service.name,
        kind: 'build',
        deploymentId: deployment.id,
      });
    },
    'railyard.filterLogs': async () => {
      const spec = await pickActive(deps, 'Filter which stream?');
      if (!spec) return;
      const filter = await vscode.window.showInputBox({
        title: `Filter ${channelName(spec.service, spec.environment, spec.kind)}`,
        prompt:
          'Railway filter syntax: text, "a phrase", @level:error, @attr:value, AND, OR, -negation. Empty shows everything.',
        value: spec.filter ?? '',
      });
      if (filter === undefined) return;
      await deps.tailer.tail({ ...spec, filter: filter.trim() || undefined });
    },
    'railyard.stopTailing': async () => {
      const spec = await pickActive(deps, 'Stop tailing which stream?');
      if (spec) await deps.tailer.stop(spec);
    },
  };
}

function specFromNode(node: Node): TailSpec | undefined {
  if (node.kind === 'environment') return { environment: node.env.name, kind: 'environment' };
  if (node.kind === 'service')
    return { environment: node.env.name, service: node.service.name, kind: 'deploy' };
  if (node.kind === 'deployment')
    return {
      environment: node.env.name,
      service: node.service.name,
      kind: 'deploy',
      deploymentId: node.deployment.id,
    };
  return undefined;
}

/** Environment, then service; the last choice is offered first. */
async function pickService(deps: Deps): Promise<TailSpec | undefined> {
  const envs = deps.tree.current?.environments ?? [];
  if (!envs.length)
    throw new Error('No Railway environments to tail yet: sign in and link a project first.');
  const last = deps.state.get<TailSpec>(LAST_KEY);
  const items = envs.flatMap((e) =>
    e.services.map((s) => ({
      label: s.name,
      description: e.name,
      spec: { environment: e.name, service: s.name, kind: 'deploy' as const },
    })),
  );
  items.sort((a, b) => Number(isLast(b.spec, last)) - Number(isLast(a.spec, last)));
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Tail logs of',
    placeHolder: 'service (environment)',
    matchOnDescription: true,
  });
  return pick?.spec;
}

const isLast = (s: TailSpec, last: TailSpec | undefined) =>
  !!last && s.environment === last.environment && s.service === last.service;

async function pickActive(deps: Deps, title: string): Promise<TailSpec | undefined> {
  const active = deps.tailer.active;
  if (!active.length)
    throw new Error('No log stream is running. Start one with "Railyard: Tail Logs…".');
  if (active.length === 1) return active[0];
  const pick = await vscode.window.showQuickPick(
    active.map((spec) => ({
      label: channelName(spec.service, spec.environment, spec.kind),
      description: spec.filter,
      spec,
    })),
    { title },
  );
  return pick?.spec;
}
