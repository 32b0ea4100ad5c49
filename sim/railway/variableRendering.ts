// Renders Railway's variable templates the way a deployment sees them: `${{Service.NAME}}`,
// `${{shared.NAME}}`, `${{NAME}}` (the same service) and the Railway-provided names such as
// RAILWAY_PRIVATE_DOMAIN, all within one environment.
import type { RailwayState } from './state';
import type { SimVariable } from './variables';

/** `${{ … }}` with optional spaces inside, as Railway's template syntax allows. */
const template = /\$\{\{\s*([^{}]*?)\s*\}\}/g;
/** References of references stop here (Railway refuses cycles; the simulator renders them empty). */
const maxDepth = 8;

export interface RenderScope {
  state: RailwayState;
  environmentId: string;
}

/** What each `${{…}}` in a raw value names, e.g. `Postgres.DATABASE_URL` or `PGUSER`. */
export function referencesOf(raw: string): string[] {
  return [...raw.matchAll(template)].map((m) => m[1] ?? '');
}

/** The name → value map of one service's variables (or the shared ones), rendered or raw; sealed values never. */
export function variableMap(
  scope: RenderScope,
  serviceId: string | null,
  unrendered: boolean,
): Record<string, string | null> {
  const { state } = scope;
  const map: Record<string, string | null> = {};
  for (const v of state.variables.of(scope.environmentId, serviceId)) {
    if (v.isSealed) {
      if (state.variables.sealedValues === 'null') map[v.name] = null;
      continue;
    }
    map[v.name] = unrendered ? v.value : render(scope, serviceId, v.value, 0);
  }
  return map;
}

function render(scope: RenderScope, serviceId: string | null, raw: string, depth: number): string {
  return raw.replace(template, (_, expr: string) => resolve(scope, serviceId, expr, depth + 1));
}

/**
 * One reference, from the variable's own service. A name that resolves to nothing renders empty,
 * as Railway does; so does a sealed one, since the API never hands out a sealed value in any form.
 */
function resolve(scope: RenderScope, from: string | null, expr: string, depth: number): string {
  if (depth > maxDepth) return '';
  const dot = expr.lastIndexOf('.');
  const name = expr.slice(dot + 1);
  const namespace = dot < 0 ? null : expr.slice(0, dot);
  const serviceId = namespace === null ? from : serviceIdOf(scope, namespace);
  if (serviceId === undefined) return '';
  const variable = scope.state.variables.find(scope.environmentId, serviceId, name);
  if (variable) return variable.isSealed ? '' : render(scope, serviceId, variable.value, depth);
  return serviceId === null ? '' : (railwayProvided(scope, serviceId)[name] ?? '');
}

/** `shared` is the shared namespace (null); anything else names a service of the project. */
function serviceIdOf(scope: RenderScope, namespace: string): string | null | undefined {
  if (namespace === 'shared') return null;
  const env = scope.state.environments.find((e) => e.id === scope.environmentId);
  return scope.state.services.find((s) => s.name === namespace && s.projectId === env?.projectId)
    ?.id;
}

/** The Railway-provided variables a reference can name (docs: variables/reference.md). */
export function railwayProvided(scope: RenderScope, serviceId: string): Record<string, string> {
  const { state, environmentId } = scope;
  const env = state.environments.find((e) => e.id === environmentId);
  const service = state.services.find((s) => s.id === serviceId);
  const project = state.projects.find((p) => p.id === env?.projectId);
  const instance = state.serviceInstances.find(
    (i) => i.environmentId === environmentId && i.serviceId === serviceId,
  );
  if (!env || !service || !project) return {};
  const provided: Record<string, string> = {
    RAILWAY_ENVIRONMENT_ID: env.id,
    RAILWAY_ENVIRONMENT_NAME: env.name,
    RAILWAY_PROJECT_ID: project.id,
    RAILWAY_PROJECT_NAME: project.name,
    RAILWAY_SERVICE_ID: service.id,
    RAILWAY_SERVICE_NAME: service.name,
    RAILWAY_PRIVATE_DOMAIN: `${privateName(service.name)}.railway.internal`,
  };
  const domain = instance?.serviceDomains[0];
  if (domain) provided.RAILWAY_PUBLIC_DOMAIN = domain;
  return provided;
}

/** Railway's private DNS name: the service name, lowercased, anything else as dashes. */
function privateName(serviceName: string): string {
  return serviceName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Variable.references: what the raw value refers to; nothing for a sealed one, whose value is not shown. */
export function referencesOfVariable(v: SimVariable): string[] {
  return v.isSealed ? [] : referencesOf(v.value);
}
