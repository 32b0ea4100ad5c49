// Railway's variables in the simulator: Environment.variables lists names (never values); the
// `variables` query answers one service's (or the shared) name → value map, rendered unless asked raw.
import { GraphQLError } from 'graphql';
import { notFound } from './access';
import type { SimEnvironment } from './model';
import { environmentFor } from './resolvers';
import { referencesOfVariable, variableMap } from './variableRendering';
import type { SimVariable } from './variables';
import { connection, environmentView, serviceView, type PageArgs, type SimContext } from './views';

interface VariablesArgs {
  environmentId: string;
  projectId: string;
  serviceId?: string | null;
  unrendered?: boolean | null;
}

/** Railway's Variable: where it lives and what it refers to; the type has no value field at all. */
export function variableView(ctx: SimContext, v: SimVariable) {
  const { state } = ctx;
  return {
    id: v.id,
    name: v.name,
    isSealed: v.isSealed,
    environmentId: v.environmentId,
    serviceId: v.serviceId,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
    references: referencesOfVariable(v),
    environment: () => {
      const env = state.environments.find((e) => e.id === v.environmentId);
      if (!env) throw notFound('Environment');
      return environmentView(ctx, env);
    },
    service: () => {
      const service = state.services.find((s) => s.id === v.serviceId);
      if (!service) throw new GraphQLError('Variable is shared: it belongs to no service');
      return serviceView(service);
    },
  };
}

/** Environment.variables: every service's variables and the shared ones, sealed ones included by name. */
export function environmentVariables(ctx: SimContext, env: SimEnvironment, args: PageArgs) {
  return connection(ctx.state.variables.inEnvironment(env.id), args, (v) => variableView(ctx, v));
}

export const variableQueryRoot = {
  /** A project token only reaches its own environment (environmentFor refuses the others). */
  variables: (args: VariablesArgs, ctx: SimContext) => {
    const env = environmentFor(ctx, args.environmentId);
    if (env.projectId !== args.projectId) throw notFound('Environment');
    const serviceId = args.serviceId ?? null;
    if (
      serviceId !== null &&
      !ctx.state.services.some((s) => s.id === serviceId && s.projectId === env.projectId)
    )
      throw notFound('Service');
    return variableMap(
      { state: ctx.state, environmentId: env.id },
      serviceId,
      args.unrendered === true,
    );
  },
};
