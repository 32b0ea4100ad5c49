// The "Get started with Railyard" walkthrough's own commands: opening it (from the palette and the
// welcome views) and linking a project, its one step that has no command of its own elsewhere.
import * as vscode from 'vscode';
import { linkProject } from './errorDisplay';
import type { EnvironmentsWatch } from './environmentsWatch';
import { name, publisher } from '../package.json';

/** The walkthrough's id in package.json's contributes.walkthroughs. */
export const WALKTHROUGH_ID = 'getStarted';
/** How VS Code names a contributed walkthrough: `<publisher>.<name>#<id>`. */
export const walkthroughRef = `${publisher}.${name}#${WALKTHROUGH_ID}`;

export function walkthroughCommands(watch: EnvironmentsWatch): Record<string, () => unknown> {
  return {
    'railyard.getStarted': () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', walkthroughRef, false),
    'railyard.linkProject': () => linkProject(watch.folder()),
  };
}
