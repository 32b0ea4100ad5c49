// Environments as the protocol serves them: which project a folder shows, one shared watcher per
// project and folder however many clients watch it, and the notifications to each watching client.
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { ErrorCode, type FolderContext, type ProjectView } from '../../protocol/protocol';
import { RpcError } from '../../protocol/jsonrpc';
import type { RailyardConfig } from '../project/railyardConfig';
import { readRailyardConfig } from '../project/railyardConfig';
import { configForTrust, ignoredUntrusted } from '../project/configTrust';
import { discoverProject, type ProjectLink } from '../project/projectDiscovery';
import type { ClientLink } from '../clientLink';
import {
  noProjectMessage,
  noProjectView,
  SIGNED_OUT_MESSAGE,
  signedOutView,
  unavailableError,
} from './projectUnavailable';
import { ProjectWatcher, type WatcherDeps } from './projectWatcher';

export interface ResolvedFolder {
  folder: FolderContext;
  /** railyard.json as the folder's trust allows. */
  config?: RailyardConfig;
  configProblem?: string;
  link?: ProjectLink;
}

export interface ServiceDeps {
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
  session: ClientLink;
  folder: FolderContext;
  /** The watcher it shares (see watcherKey), once its project is known. */
  key?: string;
  deliver(view: ProjectView): void;
}

export class EnvironmentService {
  private readonly watches = new Map<string, Watch>();
  private readonly watchers = new Map<string, ProjectWatcher>();

  constructor(private readonly deps: ServiceDeps) {}

  async resolve(folder: FolderContext): Promise<ResolvedFolder> {
    const read = readFolderConfig(folder);
    const config = read.config;
    const configProblem = read.problem;
    const tokenProject = this.deps.signedIn() ? await this.deps.tokenProject() : undefined;
    const link = discoverProject({
      folder: folder.path,
      // The asking window's or terminal's environment: the daemon's own is whichever started it.
      env: folder.env ?? {},
      railwayConfigFile: this.deps.railwayConfigFile,
      configProjectId: config?.projectId,
      tokenProject,
    });
    return { folder, config, configProblem, link };
  }

  async watch(
    folder: FolderContext,
    session: ClientLink,
  ): Promise<{ watchId: string; view: ProjectView }> {
    const id = crypto.randomUUID();
    const watch: Watch = {
      id,
      session,
      folder,
      deliver: (view) => session.notify('environments.changed', { watchId: id, view }),
    };
    this.watches.set(id, watch);
    return { watchId: id, view: orEnded(await this.attach(watch)) };
  }

  /**
   * A watch for the daemon's own use (log streams following a service), owned by a client;
   * `problem` is the error to answer with when the folder's view is not ready.
   */
  async follow(
    folder: FolderContext,
    session: ClientLink,
    deliver: (view: ProjectView) => void,
  ): Promise<{
    view: ProjectView;
    problem?: RpcError;
    stop(): void;
    refresh(): Promise<ProjectView>;
  }> {
    const watch: Watch = { id: crypto.randomUUID(), session, folder, deliver };
    this.watches.set(watch.id, watch);
    const view = orEnded(await this.attach(watch));
    const failure = watch.key ? this.watchers.get(watch.key)?.failure : undefined;
    return {
      view,
      ...(view.state !== 'ready' && { problem: unavailableError(view, failure) }),
      stop: () => this.unwatch(watch.id),
      // The daemon's own refreshes (a promotion waiting for Railway) need no look at GitHub.
      refresh: () => this.refreshWatch(watch.id, false),
    };
  }

  unwatch(watchId: string): void {
    const watch = this.watches.get(watchId);
    if (!watch) return;
    this.watches.delete(watchId);
    this.release(watch.key);
  }

  /** A client went away: its watches go with it. */
  dropSession(session: ClientLink): void {
    for (const w of [...this.watches.values()]) if (w.session === session) this.unwatch(w.id);
  }

  /** A client's Refresh: Railway and teammates' promotions, both at once. */
  refresh(watchId: string): Promise<ProjectView> {
    return this.refreshWatch(watchId, true);
  }

  private async refreshWatch(watchId: string, withTeam: boolean): Promise<ProjectView> {
    const watch = this.watches.get(watchId);
    if (!watch)
      throw new RpcError(
        ErrorCode.NotFound,
        `No watch ${watchId.slice(0, 100)}: it ended (unwatched, or its client disconnected) or never existed. Call environments.watch again.`,
      );
    const watcher = watch.key ? this.watchers.get(watch.key) : undefined;
    if (!watcher) return orEnded(await this.attach(watch));
    return withTeam ? watcher.refreshAll() : watcher.refresh();
  }

  /** Credentials changed: every watch is resolved again (signed out, another project, another token). */
  async reattachAll(): Promise<void> {
    for (const w of this.watchers.values()) w.stop();
    this.watchers.clear();
    await Promise.all(
      [...this.watches.values()].map(async (w) => {
        w.key = undefined;
        const view = await this.attach(w);
        if (view) w.deliver(view);
      }),
    );
  }

  /** The live watcher of a folder's project, started if nobody watches it yet. */
  async watcherFor(folder: FolderContext): Promise<ProjectWatcher> {
    const ctx = await this.resolve(folder);
    if (!this.deps.signedIn()) throw new RpcError(ErrorCode.SignedOut, SIGNED_OUT_MESSAGE);
    if (!ctx.link)
      throw new RpcError(ErrorCode.NoProject, noProjectMessage(folder.path, ctx.configProblem));
    const existing = this.watchers.get(watcherKey(ctx.link.projectId, folder));
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

  /** The watch's view, its watcher shared or started; undefined when the watch ended meanwhile. */
  private async attach(watch: Watch): Promise<ProjectView | undefined> {
    if (!this.deps.signedIn()) return signedOutView();
    const ctx = await this.resolve(watch.folder);
    // Its client may have left while the token was checked: a watcher started now would have no
    // watch to stop it, and would poll Railway for as long as the daemon runs.
    if (this.watches.get(watch.id) !== watch) return undefined;
    if (!ctx.link) return noProjectView(watch.folder.path, ctx.configProblem);
    const key = watcherKey(ctx.link.projectId, watch.folder);
    watch.key = key;
    const existing = this.watchers.get(key);
    // Another watch may have just created it: wait for its first answer, not its empty start.
    if (existing) return existing.start();
    const watcher = this.createWatcher(ctx.link, watch.folder);
    this.watchers.set(key, watcher);
    return watcher.start();
  }

  private createWatcher(link: ProjectLink, folder: FolderContext): ProjectWatcher {
    const key = watcherKey(link.projectId, folder);
    return new ProjectWatcher({
      ...this.deps.watcherDeps,
      projectId: link.projectId,
      link: { source: link.source, linkedFolder: link.linkedFolder },
      // Read at every rebuild, so an edit to railyard.json shows without a restart.
      config: () => readFolderConfig(folder),
      onView: (view) => this.broadcast(key, view),
    });
  }

  private broadcast(key: string, view: ProjectView): void {
    for (const w of this.watches.values()) {
      if (w.key === key) w.deliver(view);
    }
  }

  /** The last watch of a watcher stops it: no client, no polling. */
  private release(key: string | undefined): void {
    if (!key || [...this.watches.values()].some((w) => w.key === key)) return;
    this.watchers.get(key)?.stop();
    this.watchers.delete(key);
  }
}

/**
 * Watchers are shared per project AND folder (with its trust): railyard.json decides protection,
 * order and health URLs, so one window's file must never decide them for another folder's view.
 * Windows on the same folder (the usual case) still share one.
 */
function watcherKey(projectId: string, folder: FolderContext): string {
  // Resolved, so `/a` and `/a/` share one.
  return JSON.stringify([projectId, path.resolve(folder.path), folder.trusted]);
}

/** A folder's railyard.json as its trust allows, with what was set aside and any problem. */
export function readFolderConfig(folder: FolderContext): {
  config?: RailyardConfig;
  problem?: string;
  ignored?: string[];
} {
  const read = readRailyardConfig(folder.path);
  if (!read.found) return {};
  if ('problem' in read) return { problem: read.problem };
  return {
    config: configForTrust(read.config, folder.trusted),
    ...(!folder.trusted && { ignored: ignoredUntrusted(read.config) }),
  };
}

/** A watch whose client left (or that was unwatched) before its first view. */
function orEnded(view: ProjectView | undefined): ProjectView {
  if (!view) throw new RpcError(ErrorCode.Conflict, 'The watch ended before its first view.');
  return view;
}
