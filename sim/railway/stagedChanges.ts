// Railway's staged changes: an environment's pending patch (EnvironmentPatch, status STAGED) that
// takes effect only when committed (environmentPatchCommitStaged), as the dashboard's "Deploy" does.

/** Railway's EnvironmentConfig patch, as far as the simulator stages anything: services and volumes by id. */
export interface SimConfigPatch {
  services?: Record<string, { volumeMounts?: Record<string, { mountPath: string }> }>;
  volumes?: Record<string, { isCreated?: boolean; sizeMB?: number; region?: string }>;
}

export type SimPatchStatus = 'STAGED' | 'APPLYING' | 'COMMITTED';

export interface SimEnvironmentPatch {
  id: string;
  environmentId: string;
  patch: SimConfigPatch;
  status: SimPatchStatus;
  message: string | null;
  createdAt: string;
  updatedAt: string;
  appliedAt: string | null;
}

/** One change waiting in a patch: what it adds to the patch, and what committing it does. */
export interface StagedChange {
  patch: SimConfigPatch;
  /** Makes the change real; runs once, at commit. */
  apply(): void;
  /** Services Railway redeploys on commit (unless skipDeploys). */
  serviceIds: string[];
}

interface Pending {
  patch: SimEnvironmentPatch;
  changes: StagedChange[];
}

export class StagedChangeStore {
  private readonly pending = new Map<string, Pending>();
  /** Railway answers an empty placeholder patch when nothing is staged (railwayapp/cli template_apply.rs). */
  private readonly placeholders = new Map<string, SimEnvironmentPatch>();

  constructor(
    private readonly nextId: () => string,
    private readonly timestamp: () => string,
  ) {}

  /** Adds a change to the environment's staged patch, starting one if none is pending. */
  stage(environmentId: string, change: StagedChange): SimEnvironmentPatch {
    const pending = this.pending.get(environmentId) ?? this.open(environmentId);
    pending.changes.push(change);
    pending.patch.patch = mergePatch(pending.patch.patch, change.patch);
    pending.patch.updatedAt = this.timestamp();
    return pending.patch;
  }

  /** What `environmentStagedChanges` answers: the pending patch, or the empty placeholder. */
  staged(environmentId: string): SimEnvironmentPatch {
    const pending = this.pending.get(environmentId);
    if (pending) return pending.patch;
    let placeholder = this.placeholders.get(environmentId);
    if (!placeholder) {
      placeholder = this.newPatch(environmentId);
      this.placeholders.set(environmentId, placeholder);
    }
    return placeholder;
  }

  /** Applies every staged change; returns the committed patch and the services to redeploy, or undefined. */
  commit(
    environmentId: string,
    message: string | null,
  ): { patch: SimEnvironmentPatch; serviceIds: string[] } | undefined {
    const pending = this.pending.get(environmentId);
    if (!pending) return undefined;
    this.pending.delete(environmentId);
    for (const change of pending.changes) change.apply();
    const at = this.timestamp();
    Object.assign(pending.patch, { status: 'COMMITTED', message, appliedAt: at, updatedAt: at });
    const serviceIds = [...new Set(pending.changes.flatMap((c) => c.serviceIds))];
    return { patch: pending.patch, serviceIds };
  }

  /** Forgets an environment's patches (the environment was deleted). */
  removeEnvironment(environmentId: string): void {
    this.pending.delete(environmentId);
    this.placeholders.delete(environmentId);
  }

  private open(environmentId: string): Pending {
    const pending = { patch: this.newPatch(environmentId), changes: [] };
    this.pending.set(environmentId, pending);
    return pending;
  }

  private newPatch(environmentId: string): SimEnvironmentPatch {
    const at = this.timestamp();
    return {
      id: this.nextId(),
      environmentId,
      patch: {},
      status: 'STAGED',
      message: null,
      createdAt: at,
      updatedAt: at,
      appliedAt: null,
    };
  }
}

/** Two patches as one: per service and per volume, the later entries win. */
function mergePatch(a: SimConfigPatch, b: SimConfigPatch): SimConfigPatch {
  const services = { ...a.services };
  for (const [id, s] of Object.entries(b.services ?? {}))
    services[id] = { volumeMounts: { ...services[id]?.volumeMounts, ...s.volumeMounts } };
  const volumes = { ...a.volumes, ...b.volumes };
  return {
    ...(Object.keys(services).length > 0 ? { services } : {}),
    ...(Object.keys(volumes).length > 0 ? { volumes } : {}),
  };
}
