// The tree's actions: open, copy, redeploy, restart, rollback, deploy a commit. Changes to a
// protected environment ask for its name first; the daemon checks the same confirmation again.
import * as vscode from 'vscode';
import type { EnvironmentView } from '../protocol/protocol';
import type { DaemonConnection } from './daemonConnection';
import type { EnvironmentsTree, Node } from './environmentsTree';
import type { EnvironmentsWatch } from './environmentsWatch';
import { commitPicks, rowMissing, shortSha, shownDeployment, type CommitPick } from './treeModel';

type Deps = { connection: DaemonConnection; tree: EnvironmentsTree; watch: EnvironmentsWatch };
type ServiceOrDeployment = Extract<Node, { kind: 'service' | 'deployment' }>;

export function deploymentCommands(deps: Deps): Record<string, (node?: Node) => unknown> {
  return {
    'railyard.refresh': () => deps.watch.refresh(),
    'railyard.openUrl': (node) => openUrl(node),
    'railyard.openDashboard': (node) => {
      const url = node ? deps.tree.dashboardFor(node) : deps.tree.current?.project?.dashboardUrl;
      if (url) return vscode.env.openExternal(vscode.Uri.parse(url));
    },
    'railyard.copyCommit': (node) => {
      const sha = deploymentOf(node)?.commitHash;
      if (sha)
        return vscode.env.clipboard
          .writeText(sha)
          .then(() => vscode.window.setStatusBarMessage(`Copied ${shortSha(sha)}`, 3000));
    },
    'railyard.redeploy': (node) => act(deps, node, 'redeploy'),
    'railyard.restart': (node) => act(deps, node, 'restart'),
    'railyard.rollback': (node) => act(deps, node, 'rollback'),
    'railyard.deployCommit': (node) => deployCommit(deps, node),
  };
}

function deploymentOf(node: Node | undefined) {
  if (node?.kind === 'deployment') return node.deployment;
  if (node?.kind === 'service') return shownDeployment(node.service);
  return undefined;
}

function openUrl(node: Node | undefined) {
  const url =
    node?.kind === 'service'
      ? node.service.url
      : node?.kind === 'deployment'
        ? (node.deployment.url ?? node.service.url)
        : undefined;
  if (url) return vscode.env.openExternal(vscode.Uri.parse(url));
}

/**
 * Asks for the environment's name when it is protected; false means the user backed out. In an
 * untrusted workspace nothing is asked: the daemon refuses the action whatever is typed.
 */
export async function confirmProtected(
  env: EnvironmentView,
  what: string,
): Promise<string | undefined | false> {
  if (!env.protected || !vscode.workspace.isTrusted) return undefined;
  const typed = await vscode.window.showInputBox({
    title: `${what} in ${env.name}`,
    prompt: `${env.name} is protected. Type its name to confirm.`,
    placeHolder: env.name,
    ignoreFocusOut: true,
    validateInput: (v) => (v === env.name ? undefined : `Type ${env.name} exactly to confirm.`),
  });
  return typed === env.name ? typed : false;
}

/** A rollback replaces what serves, even where no typed name is needed: ask once, in a modal. */
async function confirmRollback(target: ServiceOrDeployment, what: string): Promise<boolean> {
  const serving = shortSha(target.service.active?.commitHash);
  const answer = await vscode.window.showWarningMessage(
    `${what} in ${target.env.name}?`,
    {
      modal: true,
      detail: `Railway starts a new deployment from that deployment's image${serving ? `; ${serving} stops serving once it is up` : ''}.`,
    },
    'Roll Back',
  );
  return answer === 'Roll Back';
}

async function act(
  deps: Deps,
  node: Node | undefined,
  action: 'redeploy' | 'restart' | 'rollback',
) {
  const verb = { redeploy: 'Redeploy', restart: 'Restart', rollback: 'Roll back' }[action];
  if (node?.kind !== 'service' && node?.kind !== 'deployment')
    throw rowMissing(verb, 'a service or a deployment');
  const target: ServiceOrDeployment = node;
  const deployment = deploymentOf(target);
  if (!deployment)
    throw new Error(`${target.service.name} has no deployment to ${verb.toLowerCase()}.`);
  const what = `${verb} ${target.service.name}${action === 'rollback' ? ` to ${shortSha(deployment.commitHash) ?? deployment.id.slice(0, 8)}` : ''}`;
  const confirm = await confirmProtected(target.env, what);
  if (confirm === false) return;
  if (action === 'rollback' && !target.env.protected && !(await confirmRollback(target, what)))
    return;
  const client = deps.connection.client;
  if (!client) throw new Error('The Railyard daemon is not connected.');
  const folder = deps.watch.folder()!;
  const result = await client.request(`deployments.${action}`, {
    folder,
    deploymentId: deployment.id,
    confirm,
  });
  void vscode.window.showInformationMessage(result.message);
}

async function deployCommit(deps: Deps, node: Node | undefined) {
  if (node?.kind !== 'service') throw rowMissing('Deploy Commit', 'a service');
  const sha = await pickCommit(deps, node);
  if (!sha) return;
  const confirm = await confirmProtected(
    node.env,
    `Deploy ${shortSha(sha)} to ${node.service.name}`,
  );
  if (confirm === false) return;
  const client = deps.connection.client;
  if (!client) throw new Error('The Railyard daemon is not connected.');
  const result = await client.request('deployments.deployCommit', {
    folder: deps.watch.folder()!,
    environmentId: node.env.id,
    serviceId: node.service.id,
    commitSha: sha.trim(),
    confirm,
  });
  void vscode.window.showInformationMessage(result.message);
}

/**
 * The branch's recent commits from the daemon (GitHub), newest first, the running one marked; a
 * sha can be typed too. When the list cannot be had (no GitHub sign-in, an image service), the
 * picker says why and still takes a typed sha.
 */
async function pickCommit(
  deps: Deps,
  node: Extract<Node, { kind: 'service' }>,
): Promise<string | undefined> {
  const client = deps.connection.client;
  const folder = deps.watch.folder();
  if (!client || !folder) throw new Error('The Railyard daemon is not connected.');
  const qp = vscode.window.createQuickPick<CommitPick>();
  qp.title = `Deploy a commit to ${node.service.name} in ${node.env.name}`;
  qp.placeholder = 'Loading the branch’s commits… or type a sha';
  qp.matchOnDescription = true;
  qp.busy = true;
  let commits: Parameters<typeof commitPicks>[0] = [];
  const render = () => (qp.items = commitPicks(commits, qp.value));
  qp.onDidChangeValue(render);
  qp.show();
  client
    .request('deployments.recentCommits', {
      folder,
      environmentId: node.env.id,
      serviceId: node.service.id,
      limit: 30,
    })
    .then(
      (r) => {
        commits = r.commits;
        qp.placeholder = `A commit of ${r.branch}, or type a sha`;
      },
      (e: unknown) => {
        qp.placeholder = `Type the sha to deploy (${e instanceof Error ? e.message : String(e)})`;
      },
    )
    .finally(() => {
      qp.busy = false;
      render();
    });
  const picked = await new Promise<string | undefined>((resolve) => {
    qp.onDidAccept(() => resolve(qp.selectedItems[0]?.sha));
    qp.onDidHide(() => resolve(undefined));
  });
  qp.dispose();
  return picked;
}
