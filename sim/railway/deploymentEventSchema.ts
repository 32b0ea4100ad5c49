// The deployment-events part of the simulator's schema (Railway's DeploymentEvent, its query and its subscription).
export const deploymentEventSdl = /* GraphQL */ `
  extend type Query {
    deploymentEvents(
      after: String
      before: String
      first: Int
      id: String!
      last: Int
    ): QueryDeploymentEventsConnection!
  }

  extend type Subscription {
    deploymentEvents(id: String!): DeploymentEvent!
  }

  type DeploymentEvent {
    completedAt: DateTime
    createdAt: DateTime!
    id: ID!
    payload: DeploymentEventPayload
    step: DeploymentEventStep!
  }

  enum DeploymentEventStep {
    BUILD_IMAGE
    CONFIGURE_NETWORK
    CREATE_CONTAINER
    DRAIN_INSTANCES
    HEALTHCHECK
    MIGRATE_VOLUMES
    PRE_DEPLOY_COMMAND
    PUBLISH_IMAGE
    SNAPSHOT_CODE
    WAIT_FOR_DEPENDENCIES
  }

  type DeploymentEventPayload {
    attempt: Int
    detail: String
    durationMs: Int
    error: String
    maxAttempts: Int
    reason: String
    skipped: Boolean
  }

  type QueryDeploymentEventsConnection {
    edges: [QueryDeploymentEventsConnectionEdge!]!
    pageInfo: PageInfo!
  }

  type QueryDeploymentEventsConnectionEdge {
    cursor: String!
    node: DeploymentEvent!
  }
`;
