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

/**
 * Sets the copy of each key now true, then false again (see walkthroughKeys.ts). A running
 * walkthrough service checks each step whose copy it has not seen true yet; one not started yet
 * sees the copies false when it starts, so a later pulse still checks them.
 */
async function pulseCopies(): Promise<void> {
  const done = [...stepKeys].filter(([, value]) => value).map(([key]) => STEP_KEY_COPIES[key]);
  const set = (value: boolean) =>
    Promise.all(done.map((copy) => vscode.commands.executeCommand('setContext', copy, value)));
  await set(true);
  await set(false);
}

/** Opens the walkthrough with what is already done checked. */
async function openWalkthrough(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', walkthroughRef, false);
  await pulseCopies();
}

/**
 * The Welcome page (and the walkthrough opened from it) is a tab of an editor type the API does not
 * know, so its input is undefined; its service has started by the time it opens. Pulsed for any
 * such tab opened or relabelled: cheap, and harmless for the Settings editor and the like.
 */
export function checkStepsOnWelcomePage(): vscode.Disposable {
  return vscode.window.tabGroups.onDidChangeTabs((e) => {
    if ([...e.opened, ...e.changed].some((tab) => tab.input === undefined)) void pulseCopies();
  });
}

export function walkthroughCommands(watch: EnvironmentsWatch): Record<string, () => unknown> {
  return {
    'railyard.getStarted': openWalkthrough,
    'railyard.linkProject': () => linkProject(watch.folder()),
  };
}
