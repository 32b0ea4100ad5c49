// Shared helpers for the in-extension-host tests: the Railyard extension, its test API, waiting.
import * as vscode from 'vscode';
import type { RailyardApi } from '../../../extension/extension';

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
