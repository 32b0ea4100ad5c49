// The one upstream request per refresh: a project's environments, their triggers, service
// instances (latest and active deployments, domains) and recent deployments, in a single query.
import { railwayOperations } from '../railway/operations';
import type {
  Connection,
  RailwayDeployment,
  RailwayDeploymentTrigger,
  RailwayEnvironment,
  RailwayServiceInstance,
} from '../railway/types';

/** The query itself lives with every other operation, where the conformance test checks it. */
export const environmentTreeDocument = railwayOperations.EnvironmentTree;

export interface TreeEnvironment extends RailwayEnvironment {
  deploymentTriggers: Connection<RailwayDeploymentTrigger>;
  serviceInstances: Connection<RailwayServiceInstance>;
  deployments: Connection<RailwayDeployment>;
}

export interface EnvironmentTreeResult {
  project: {
    id: string;
    name: string;
    services: Connection<{ id: string; name: string; icon: string | null }>;
    environments: Connection<TreeEnvironment>;
  };
}

/** Recent deployments fetched per environment: enough for ~5 per service in a typical project. */
export const RECENT_DEPLOYMENTS = 50;
