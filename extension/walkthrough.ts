// The "Get started with Railyard" walkthrough's own commands: opening it (from the palette and the
// welcome views) and linking a project, its one step that has no command of its own elsewhere.
import * as vscode from 'vscode';
import { linkProject } from './errorDisplay';
import type { EnvironmentsWatch } from './environmentsWatch';
import { STEP_KEY_COPIES, type StepKey } from './walkthroughKeys';
import { name, publisher } from '../package.json';

/** The walkthrough's id in package.json's contributes.walkthroughs. */
export const WALKTHROUGH_ID = 'getStarted';
/** How VS Code names a contributed walkthrough: `<publisher>.<name>#<id>`. */
export const walkthroughRef = `${publisher}.${name}#${WALKTHROUGH_ID}`;

/** Each step key's value as last set in this window. */
const stepKeys = new Map<StepKey, boolean>();

/** Sets a context key a walkthrough step completes on, and remembers it for Get Started. */
export async function setStepKey(key: StepKey, value: boolean): Promise<void> {
  stepKeys.set(key, value);
  await vscode.commands.executeCommand('setContext', key, value);
}

/** Opens the walkthrough so that what is already done is checked (see walkthroughKeys.ts). */
async function openWalkthrough(): Promise<void> {
  const copies = (value: (key: StepKey) => boolean) =>
    Promise.all(
      [...stepKeys.keys()].map((key) =>
        vscode.commands.executeCommand('setContext', STEP_KEY_COPIES[key], value(key)),
      ),
    );
  await copies(() => false);
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', walkthroughRef, false);
  await copies((key) => stepKeys.get(key) ?? false);
}

export function walkthroughCommands(watch: EnvironmentsWatch): Record<string, () => unknown> {
  return {
    'railyard.getStarted': openWalkthrough,
    'railyard.linkProject': () => linkProject(watch.folder()),
  };
}
