// The metrics part of the simulator's schema: Railway's three metrics queries and their types, as
// the real schema names them (the http queries' method/path/statusCode filters are left out, so a
// query using them fails validation here rather than being answered unfiltered).
export const metricsSdl = /* GraphQL */ `
  extend type Query {
    httpDurationMetrics(
      endDate: DateTime!
      environmentId: String!
      serviceId: String!
      startDate: DateTime!
      stepSeconds: Int
    ): HttpDurationMetricsResult!
    httpMetricsGroupedByStatus(
      endDate: DateTime!
      environmentId: String!
      serviceId: String!
      startDate: DateTime!
      stepSeconds: Int
    ): [HttpMetricsByStatusResult!]!
    metrics(
      averagingWindowSeconds: Int
      endDate: DateTime
      environmentId: String
      groupBy: [MetricTag!]
      includeDeleted: Boolean
      measurements: [MetricMeasurement!]!
      projectId: String
      sampleRateSeconds: Int
      serviceId: String
      startDate: DateTime!
      volumeId: String
      volumeInstanceExternalId: String
      workspaceId: String
    ): [MetricsResult!]!
  }

  type HttpMetricsByStatusResult {
    samples: [HttpMetricsSample!]!
    statusCode: Int!
  }

  type HttpMetricsSample {
    ts: Int!
    value: Float!
  }

  type HttpDurationMetricsResult {
    samples: [HttpDurationMetricsSample!]!
  }

  type HttpDurationMetricsSample {
    p50: Float!
    p90: Float!
    p95: Float!
    p99: Float!
    ts: Int!
  }

  type MetricsResult {
    measurement: MetricMeasurement!
    tags: MetricTags!
    values: [Metric!]!
  }

  type MetricTags {
    deploymentId: String
    deploymentInstanceId: String
    environmentId: String
    pluginId: String
    projectId: String
    region: String
    serviceId: String
    volumeId: String
    volumeInstanceId: String
  }

  type Metric {
    ts: Int!
    value: Float!
  }

  enum MetricMeasurement {
    BACKUP_USAGE_GB
    CPU_LIMIT
    CPU_USAGE
    CPU_USAGE_2
    DISK_USAGE_GB
    EPHEMERAL_DISK_USAGE_GB
    MEASUREMENT_UNSPECIFIED
    MEMORY_LIMIT_GB
    MEMORY_USAGE_GB
    NETWORK_RX_GB
    NETWORK_TX_GB
    UNRECOGNIZED
  }

  enum MetricTag {
    DEPLOYMENT_ID
    DEPLOYMENT_INSTANCE_ID
    ENVIRONMENT_ID
    HOST_TYPE
    KEY_UNSPECIFIED
    PLUGIN_ID
    PROJECT_ID
    REGION
    SERVICE_ID
    UNRECOGNIZED
    VOLUME_ID
    VOLUME_INSTANCE_ID
  }
`;
