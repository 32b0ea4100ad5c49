// The simulator's variables: per service (or shared) and per environment, raw values as the user typed
// them, `${{…}}` references included; rendering lives in variableRendering.ts.
import type { RailwayState } from './state';

export interface SimVariable {
  id: string;
  environmentId: string;
  /** null for a shared variable (Railway's `${{shared.NAME}}`). */
  serviceId: string | null;
  name: string;
  /** The raw value, templates unrendered. Sealed values are kept (deployments get them) but never answered. */
  value: string;
  isSealed: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface VariableInput {
  environmentId: string;
  serviceId: string | null;
  name: string;
  value: string;
  /** Sealing is one-way in Railway: an upsert without `sealed` keeps a sealed variable sealed. */
  sealed?: boolean;
}

/**
 * How the `variables` query answers for a sealed variable. Railway's CLI types the map's values as
 * optional and drops the null ones "because a sealed variable has no value to inject"
 * (railwayapp/cli, controllers/variables.rs), so `null` is the default; whether the plain
 * `variables` query omits the name instead is not documented, so tests cover both.
 */
export type SealedValues = 'null' | 'omitted';

export class VariableStore {
  private readonly variables: SimVariable[] = [];
  sealedValues: SealedValues = 'null';

  constructor(
    private readonly nextId: () => string,
    private readonly timestamp: () => string,
  ) {}

  /** Creates or replaces one variable; returns it. */
  upsert(input: VariableInput): SimVariable {
    const existing = this.find(input.environmentId, input.serviceId, input.name);
    const at = this.timestamp();
    if (existing) {
      existing.value = input.value;
      existing.isSealed = existing.isSealed || input.sealed === true;
      existing.updatedAt = at;
      return existing;
    }
    const created: SimVariable = {
      id: this.nextId(),
      environmentId: input.environmentId,
      serviceId: input.serviceId,
      name: input.name,
      value: input.value,
      isSealed: input.sealed === true,
      createdAt: at,
      updatedAt: at,
    };
    this.variables.push(created);
    return created;
  }

  /** True when there was such a variable. */
  delete(environmentId: string, serviceId: string | null, name: string): boolean {
    const found = this.find(environmentId, serviceId, name);
    if (found) this.variables.splice(this.variables.indexOf(found), 1);
    return found !== undefined;
  }

  find(environmentId: string, serviceId: string | null, name: string): SimVariable | undefined {
    return this.variables.find(
      (v) => v.environmentId === environmentId && v.serviceId === serviceId && v.name === name,
    );
  }

  /** One service's variables (or the shared ones, for null) in one environment, by name. */
  of(environmentId: string, serviceId: string | null): SimVariable[] {
    return this.variables
      .filter((v) => v.environmentId === environmentId && v.serviceId === serviceId)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Every variable of an environment: each service's, then the shared ones. */
  inEnvironment(environmentId: string): SimVariable[] {
    return this.variables
      .filter((v) => v.environmentId === environmentId)
      .sort(
        (a, b) =>
          (a.serviceId ?? '~').localeCompare(b.serviceId ?? '~') || a.name.localeCompare(b.name),
      );
  }

  /** Drops an environment's variables (the environment was deleted). */
  removeEnvironment(environmentId: string): void {
    for (const v of this.inEnvironment(environmentId))
      this.variables.splice(this.variables.indexOf(v), 1);
  }
}

/** The test API for drift and fixtures: a variable by environment and service names (null service: shared). */
export function setVariable(
  state: RailwayState,
  environmentName: string,
  serviceName: string | null,
  name: string,
  value: string,
  options: { sealed?: boolean } = {},
): SimVariable {
  const env = state.environmentByName(environmentName);
  const serviceId =
    serviceName === null ? null : state.serviceByName(serviceName, env.projectId).id;
  return state.variables.upsert({ environmentId: env.id, serviceId, name, value, ...options });
}

/** Removes a variable by environment and service names; true when it existed. */
export function deleteVariable(
  state: RailwayState,
  environmentName: string,
  serviceName: string | null,
  name: string,
): boolean {
  const env = state.environmentByName(environmentName);
  const serviceId =
    serviceName === null ? null : state.serviceByName(serviceName, env.projectId).id;
  return state.variables.delete(env.id, serviceId, name);
}
