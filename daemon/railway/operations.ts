// Every GraphQL document the daemon sends to Railway, by operation name, so the conformance test can validate them all.

const deploymentFields = /* GraphQL */ `
  fragment DeploymentFields on Deployment {
    id
    status
    createdAt
    statusUpdatedAt
    canRedeploy
    canRollback
    url
    staticUrl
    meta
    serviceId
    environmentId
    projectId
    creator {
      name
      email
    }
  }
`;

/** What Railyard shows of an environment itself (PR environments carry their PR in meta). */
const environmentFields = /* GraphQL */ `
  fragment EnvironmentFields on Environment {
    id
    name
    isEphemeral
    meta {
      prNumber
      prTitle
      branch
      baseBranch
    }
  }
`;

/** Which branch of which repository deploys a service in an environment. */
const deploymentTriggerFields = /* GraphQL */ `
  fragment DeploymentTriggerFields on DeploymentTrigger {
    id
    repository
    branch
    provider
    checkSuites
    serviceId
    environmentId
  }
`;

/** What the tree shows of a service in an environment. */
const serviceInstanceFields = /* GraphQL */ `
  fragment ServiceInstanceFields on ServiceInstance {
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
`;

const logFields = /* GraphQL */ `
  fragment LogFields on Log {
    timestamp
    message
    severity
    attributes {
      key
      value
    }
    tags {
      deploymentId
      serviceId
    }
  }
`;

export const railwayOperations = {
  Me: /* GraphQL */ `
    query Me {
      me {
        id
        name
        email
      }
    }
  `,
  ApiTokenWorkspaces: /* GraphQL */ `
    query ApiTokenWorkspaces {
      apiToken {
        workspaces {
          id
          name
        }
      }
    }
  `,
  ProjectToken: /* GraphQL */ `
    query ProjectToken {
      projectToken {
        projectId
        environmentId
        project {
          id
          name
        }
        environment {
          id
          name
        }
      }
    }
  `,
  Deployments: /* GraphQL */ `
    query Deployments($input: DeploymentListInput!, $first: Int) {
      deployments(input: $input, first: $first) {
        edges {
          node {
            ...DeploymentFields
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
    ${deploymentFields}
  `,
  /** A deployment's instances, for the restarts a verification counts while it stays SUCCESS. */
  DeploymentInstances: /* GraphQL */ `
    query DeploymentInstances($id: String!) {
      deployment(id: $id) {
        id
        status
        instances {
          id
          status
        }
      }
    }
  `,
  DeploymentUpdates: /* GraphQL */ `
    subscription DeploymentUpdates($id: String!) {
      deployment(id: $id) {
        ...DeploymentFields
      }
    }
    ${deploymentFields}
  `,
  DeploymentRollback: /* GraphQL */ `
    mutation DeploymentRollback($id: String!) {
      deploymentRollback(id: $id)
    }
  `,
  DeploymentRestart: /* GraphQL */ `
    mutation DeploymentRestart($id: String!) {
      deploymentRestart(id: $id)
    }
  `,
  ServiceInstanceDeployV2: /* GraphQL */ `
    mutation ServiceInstanceDeployV2(
      $environmentId: String!
      $serviceId: String!
      $commitSha: String
    ) {
      serviceInstanceDeployV2(
        environmentId: $environmentId
        serviceId: $serviceId
        commitSha: $commitSha
      )
    }
  `,
  DeploymentRedeploy: /* GraphQL */ `
    mutation DeploymentRedeploy($id: String!) {
      deploymentRedeploy(id: $id) {
        ...DeploymentFields
      }
    }
    ${deploymentFields}
  `,
  /** The whole environments tree in one request: see daemon/environments/treeQuery.ts. */
  EnvironmentTree: /* GraphQL */ `
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
              ...EnvironmentFields
              deploymentTriggers {
                edges {
                  node {
                    ...DeploymentTriggerFields
                  }
                }
              }
              serviceInstances {
                edges {
                  node {
                    ...ServiceInstanceFields
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
    ${serviceInstanceFields}
    ${deploymentFields}
    ${environmentFields}
    ${deploymentTriggerFields}
  `,
  DeploymentLogs: /* GraphQL */ `
    subscription DeploymentLogs($deploymentId: String!, $filter: String, $limit: Int) {
      deploymentLogs(deploymentId: $deploymentId, filter: $filter, limit: $limit) {
        ...LogFields
      }
    }
    ${logFields}
  `,
  /** The query form: why a SKIPPED deployment was skipped is in its build log. */
  BuildLogLines: /* GraphQL */ `
    query BuildLogLines($deploymentId: String!, $limit: Int) {
      buildLogs(deploymentId: $deploymentId, limit: $limit) {
        ...LogFields
      }
    }
    ${logFields}
  `,
  BuildLogs: /* GraphQL */ `
    subscription BuildLogs($deploymentId: String!, $filter: String, $limit: Int) {
      buildLogs(deploymentId: $deploymentId, filter: $filter, limit: $limit) {
        ...LogFields
      }
    }
    ${logFields}
  `,
  EnvironmentLogs: /* GraphQL */ `
    subscription EnvironmentLogs($environmentId: String!, $filter: String, $beforeLimit: Int) {
      environmentLogs(environmentId: $environmentId, filter: $filter, beforeLimit: $beforeLimit) {
        ...LogFields
      }
    }
    ${logFields}
  `,
  /** One service's variables as typed (`${{…}}` templates unrendered): the config-drift gate compares names and references. */
  Variables: /* GraphQL */ `
    query Variables($projectId: String!, $environmentId: String!, $serviceId: String) {
      variables(
        projectId: $projectId
        environmentId: $environmentId
        serviceId: $serviceId
        unrendered: true
      )
    }
  `,
  /** The volumes mounted in an environment: what the backup gate snapshots. */
  EnvironmentVolumes: /* GraphQL */ `
    query EnvironmentVolumes($environmentId: String!) {
      environment(id: $environmentId) {
        id
        name
        volumeInstances {
          edges {
            node {
              id
              serviceId
              mountPath
              state
              volume {
                id
                name
              }
            }
          }
        }
      }
    }
  `,
  /** Starts a backup; Railway answers a workflow id (sometimes null) to poll with WorkflowStatus. */
  VolumeBackupCreate: /* GraphQL */ `
    mutation VolumeBackupCreate($volumeInstanceId: String!, $name: String) {
      volumeInstanceBackupCreate(volumeInstanceId: $volumeInstanceId, name: $name) {
        workflowId
      }
    }
  `,
  WorkflowStatus: /* GraphQL */ `
    query WorkflowStatus($workflowId: String!) {
      workflowStatus(workflowId: $workflowId) {
        status
        error
      }
    }
  `,
  /** Newest first: finds the backup a workflow made (and the one made when no workflow id came back). */
  VolumeBackupList: /* GraphQL */ `
    query VolumeBackupList($volumeInstanceId: String!) {
      volumeInstanceBackupList(volumeInstanceId: $volumeInstanceId) {
        id
        name
        createdAt
      }
    }
  `,
  /** Requests per step by exact status code (values are counts); no stepSeconds: one aggregate sample. */
  HttpMetricsByStatus: /* GraphQL */ `
    query HttpMetricsByStatus(
      $serviceId: String!
      $environmentId: String!
      $startDate: DateTime!
      $endDate: DateTime!
      $stepSeconds: Int
    ) {
      httpMetricsGroupedByStatus(
        serviceId: $serviceId
        environmentId: $environmentId
        startDate: $startDate
        endDate: $endDate
        stepSeconds: $stepSeconds
      ) {
        statusCode
        samples {
          ts
          value
        }
      }
    }
  `,
  /** Request duration percentiles per step, in ms. */
  HttpDurationMetrics: /* GraphQL */ `
    query HttpDurationMetrics(
      $serviceId: String!
      $environmentId: String!
      $startDate: DateTime!
      $endDate: DateTime!
      $stepSeconds: Int
    ) {
      httpDurationMetrics(
        serviceId: $serviceId
        environmentId: $environmentId
        startDate: $startDate
        endDate: $endDate
        stepSeconds: $stepSeconds
      ) {
        samples {
          ts
          p50
          p90
          p95
          p99
        }
      }
    }
  `,
  /** CPU, memory and network of one service in one environment, one series per measurement. */
  ResourceMetrics: /* GraphQL */ `
    query ResourceMetrics(
      $serviceId: String!
      $environmentId: String!
      $startDate: DateTime!
      $endDate: DateTime
      $sampleRateSeconds: Int
      $measurements: [MetricMeasurement!]!
    ) {
      metrics(
        serviceId: $serviceId
        environmentId: $environmentId
        startDate: $startDate
        endDate: $endDate
        sampleRateSeconds: $sampleRateSeconds
        measurements: $measurements
      ) {
        measurement
        values {
          ts
          value
        }
      }
    }
  `,
} as const;

export type RailwayOperationName = keyof typeof railwayOperations;
