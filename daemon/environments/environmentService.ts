// Environments as the protocol serves them: which project a folder shows, one shared watcher per
// project however many clients watch it, and the notifications to each watching client.
import * as crypto from 'node:crypto';
import type { ProjectView } from '../../protocol/protocol';
import type { RailyardConfig } from '../project/railyardConfig';
import { readRailyardConfig } from '../project/railyardConfig';
import { discoverProject, type ProjectLink } from '../project/projectDiscovery';
import type { RpcSession } from '../rpcSession';
import { ProjectWatcher, type WatcherDeps } from './projectWatcher';

export interface FolderContext {
  folder: string;
  config?: RailyardConfig;
  configProblem?: string;
  link?: ProjectLink;
}

export interface ServiceDeps {
  env: NodeJS.ProcessEnv;
  railwayConfigFile: string;
  signedIn(): boolean;
  /** The project and environment a project token is scoped to, when the token is one. */
  tokenProject(): Promise<{ projectId: string; environmentId?: string } | undefined>;
  /** Everything a watcher needs but its project, link, config and listener. */
  watcherDeps: Omit<WatcherDeps, 'projectId' | 'link' | 'config' | 'onView'>;
}

interface Watch {
  id: string;
  /** The client that owns it; its watches end when it disconnects. */
  session: RpcSession;
  folder: string;
  projectId?: string;
  deliver(view: ProjectView): void;
}

export class EnvironmentService {
  private readonly watches = new Map<string, Watch>();
  private readonly watchers = new Map<string, ProjectWatcher>();

  constructor(private readonly deps: ServiceDeps) {}

  async resolve(folder: string): Promise<FolderContext> {
    const read = readRailyardConfig(folder);
    const config = read.found && 'config' in read ? read.config : undefined;
    const configProblem = read.found && 'problem' in read ? read.problem : undefined;
    const tokenProject = this.deps.signedIn() ? await this.deps.tokenProject() : undefined;
    const link = discoverProject({
      folder,
      env: this.deps.env,
      railwayConfigFile: this.deps.railwayConfigFile,
      configProjectId: config?.projectId,
      tokenProject,
    });
    return { folder, config, configProblem, link };
  }

  async watch(
    folder: string,
    session: RpcSession,
  ): Promise<{ watchId: string; view: ProjectView }> {
    const id = crypto.randomUUID();
    const watch: Watch = {
      id,
      session,
      folder,
      deliver: (view) => session.notify('environments.changed', { watchId: id, view }),
    };
    this.watches.set(id, watch);
    return { watchId: id, view: await this.attach(watch) };
  }

  /** A watch for the daemon's own use (log streams following a service), owned by a client. */
  async follow(
    folder: string,
    session: RpcSession,
    deliver: (view: ProjectView) => void,
  ): Promise<{ view: ProjectView; stop(): void }> {
    const watch: Watch = { id: crypto.randomUUID(), session, folder, deliver };
    this.watches.set(watch.id, watch);
    return { view: await this.attach(watch), stop: () => this.unwatch(watch.id) };
  }

  unwatch(watchId: string): void {
    const watch = this.watches.get(watchId);
    if (!watch) return;
    this.watches.delete(watchId);
    this.release(watch.projectId);
  }

  /** A client went away: its watches go with it. */
  dropSession(session: RpcSession): void {
    for (const w of [...this.watches.values()]) if (w.session === session) this.unwatch(w.id);
  }

  async refresh(watchId: string): Promise<ProjectView> {
    const watch = this.watches.get(watchId);
    if (!watch) throw new Error(`No watch ${watchId}; call environments.watch again.`);
    const watcher = watch.projectId ? this.watchers.get(watch.projectId) : undefined;
    return watcher ? watcher.refresh() : this.attach(watch);
  }

  /** Credentials changed: every watch is resolved again (signed out, another project, another token). */
  async reattachAll(): Promise<void> {
    for (const w of this.watchers.values()) w.stop();
    this.watchers.clear();
    await Promise.all(
      [...this.watches.values()].map(async (w) => {
        w.projectId = undefined;
        w.deliver(await this.attach(w));
      }),
    );
  }

  /** The live watcher of a folder's project, started if nobody watches it yet. */
  async watcherFor(folder: string): Promise<ProjectWatcher> {
    const ctx = await this.resolve(folder);
    if (!this.deps.signedIn()) throw new Error('Sign in to Railway first.');
    if (!ctx.link) throw new Error(noProjectMessage(folder));
    const existing = this.watchers.get(ctx.link.projectId);
    if (existing) {
      await existing.start();
      return existing;
    }
    const watcher = this.createWatcher(ctx.link, folder);
    await watcher.refresh();
    watcher.stop(); // a one-off look: nobody watches it, so it must not keep polling
    return watcher;
  }

  stopAll(): void {
    for (const w of this.watchers.values()) w.stop();
    this.watchers.clear();
  }

  private async attach(watch: Watch): Promise<ProjectView> {
    if (!this.deps.signedIn()) {
      return {
        state: 'signed-out',
        message: "Sign in to Railway to see this project's environments.",
        environments: [],
      };
    }
    const ctx = await this.resolve(watch.folder);
    if (!ctx.link)
      return {
        state: 'no-project',
        message: noProjectMessage(watch.folder),
        configProblem: ctx.configProblem,
        environments: [],
      };
    watch.projectId = ctx.link.projectId;
    const existing = this.watchers.get(ctx.link.projectId);
    // Another watch may have just created it: wait for its first answer, not its empty start.
    if (existing) return existing.start();
    const watcher = this.createWatcher(ctx.link, watch.folder);
    this.watchers.set(ctx.link.projectId, watcher);
    return watcher.start();
  }

  private createWatcher(link: ProjectLink, folder: string): ProjectWatcher {
    return new ProjectWatcher({
      ...this.deps.watcherDeps,
      projectId: link.projectId,
      link: { source: link.source, linkedFolder: link.linkedFolder },
      config: () => {
        const read = readRailyardConfig(folder);
        return read.found && 'config' in read
          ? { config: read.config }
          : read.found
            ? { problem: read.problem }
            : {};
      },
      onView: (view) => this.broadcast(link.projectId, view),
    });
  }

  private broadcast(projectId: string, view: ProjectView): void {
    for (const w of this.watches.values()) {
      if (w.projectId === projectId) w.deliver(view);
    }
  }

  /** The last watch of a project stops its watcher: no client, no polling. */
  private release(projectId: string | undefined): void {
    if (!projectId || [...this.watches.values()].some((w) => w.projectId === projectId)) return;
    this.watchers.get(projectId)?.stop();
    this.watchers.delete(projectId);
  }
}

function noProjectMessage(folder: string): string {
  return `No Railway project is linked to ${folder}. Run \`railway link\` there, set RAILWAY_PROJECT_ID, or add "projectId" to railyard.json.`;
}
