// The one upstream request per refresh: a project's environments, their triggers, service
// instances (latest and active deployments, domains) and recent deployments, in a single query.
import type {
  Connection,
  RailwayDeployment,
  RailwayDeploymentTrigger,
  RailwayEnvironment,
  RailwayServiceInstance,
} from '../railway/types';

export const environmentTreeDocument = /* GraphQL */ `
  query EnvironmentTree($projectId: String!, $recent: Int) {
    project(id: $projectId) {
      id
      name
      services {
        edges {
          node {
            id
            name
            icon
          }
        }
      }
      environments {
        edges {
          node {
            id
            name
            isEphemeral
            meta {
              prNumber
              prTitle
              branch
              baseBranch
            }
            deploymentTriggers {
              edges {
                node {
                  id
                  repository
                  branch
                  provider
                  checkSuites
                  serviceId
                  environmentId
                }
              }
            }
            serviceInstances {
              edges {
                node {
                  id
                  serviceId
                  serviceName
                  environmentId
                  healthcheckPath
                  numReplicas
                  source {
                    repo
                    image
                  }
                  domains {
                    serviceDomains {
                      domain
                    }
                    customDomains {
                      domain
                    }
                  }
                  latestDeployment {
                    ...DeploymentFields
                  }
                  activeDeployments {
                    ...DeploymentFields
                  }
                }
              }
            }
            deployments(first: $recent) {
              edges {
                node {
                  ...DeploymentFields
                }
              }
            }
          }
        }
      }
    }
  }
`;

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
