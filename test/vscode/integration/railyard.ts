// Shared helpers for the in-extension-host tests: the Railyard extension, its test API, waiting on it.
import * as vscode from 'vscode';
import type { RailyardApi } from '../../../extension/extension';
import type { ProjectView } from '../../../protocol/protocol';

export const extensionId = 'railyard.railyard';

export function railyardExtension(): vscode.Extension<RailyardApi> {
  const ext = vscode.extensions.getExtension<RailyardApi>(extensionId);
  if (!ext) throw new Error(`extension ${extensionId} is not installed in this extension host`);
  return ext;
}

/** Activates the extension (a no-op if it already is) and returns its test API. */
export async function railyardApi(): Promise<RailyardApi> {
  const api = await railyardExtension().activate();
  if (typeof api?.connectionState !== 'function') {
    throw new Error('activate() did not return the test API ({ connectionState, ... })');
  }
  return api;
}

/** Resolves when the connection state is `want`, listening to the change event; never polls. */
export function waitForState(api: RailyardApi, want: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const seen: string[] = [api.connectionState()];
    if (seen[0] === want) return resolve();
    const timer = setTimeout(() => {
      sub.dispose();
      reject(
        new Error(`connection never reached "${want}" in ${timeoutMs} ms; saw ${seen.join(' → ')}`),
      );
    }, timeoutMs);
    const sub = api.onDidChangeConnectionState((state) => {
      seen.push(state);
      if (state !== want) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

/** Resolves with the first project view (the current one, else a changed one) that `accept`s. */
export function waitForView(
  api: RailyardApi,
  accept: (view: ProjectView) => boolean,
  timeoutMs: number,
): Promise<ProjectView> {
  return new Promise((resolve, reject) => {
    const current = api.projectView();
    if (current && accept(current)) return resolve(current);
    const seen: string[] = [current ? describeView(current) : 'none'];
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`no matching project view in ${timeoutMs} ms; saw ${seen.join(' → ')}`));
    }, timeoutMs);
    const sub = api.onDidChangeProjectView((view) => {
      seen.push(describeView(view));
      if (!accept(view)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(view);
    });
  });
}

function describeView(view: ProjectView): string {
  const names = view.environments.map((e) => e.name).join(', ');
  return `${view.state}${view.message ? ` (${view.message})` : ''} [${names}]`;
}
