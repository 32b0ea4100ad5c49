// The log part of the simulator's schema (Railway's Log type and its three subscriptions), kept apart from the core types.
export const logSdl = /* GraphQL */ `
  extend type Query {
    buildLogs(
      deploymentId: String!
      endDate: DateTime
      filter: String
      limit: Int
      startDate: DateTime
    ): [Log!]!
  }

  extend type Subscription {
    buildLogs(deploymentId: String!, filter: String, limit: Int): [Log!]!
    deploymentLogs(deploymentId: String!, filter: String, limit: Int): [Log!]!
    environmentLogs(
      afterDate: String
      afterLimit: Int
      anchorDate: String
      beforeDate: String
      beforeLimit: Int
      environmentId: String!
      filter: String
    ): [Log!]!
  }

  type Log {
    attributes: [LogAttribute!]!
    message: String!
    severity: String
    tags: LogTags
    timestamp: String!
  }

  type LogAttribute {
    key: String!
    value: String!
  }

  type LogTags {
    deploymentId: String
    deploymentInstanceId: String
    environmentId: String
    projectId: String
    serviceId: String
  }
`;
