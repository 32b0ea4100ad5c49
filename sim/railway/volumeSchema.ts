// The volume part of the simulator's schema: volume instances per environment, their backups, and the
// backup and restore workflows.
export const volumeSdl = /* GraphQL */ `
  extend type Query {
    volumeInstance(id: String!): VolumeInstance!
    volumeInstanceBackupList(volumeInstanceId: String!): [VolumeInstanceBackup!]!
    workflowStatus(workflowId: String!): WorkflowResult!
  }

  extend type Mutation {
    volumeInstanceBackupCreate(name: String, volumeInstanceId: String!): WorkflowId!
    volumeInstanceBackupRestore(
      replicaServiceIds: [String!]
      volumeInstanceBackupId: String!
      volumeInstanceId: String!
      wipeServiceIds: [String!]
    ): WorkflowId!
  }

  extend type Environment {
    volumeInstances(
      after: String
      before: String
      first: Int
      last: Int
    ): EnvironmentVolumeInstancesConnection!
  }

  type EnvironmentVolumeInstancesConnection {
    edges: [EnvironmentVolumeInstancesConnectionEdge!]!
    pageInfo: PageInfo!
  }

  type EnvironmentVolumeInstancesConnectionEdge {
    cursor: String!
    node: VolumeInstance!
  }

  type Volume {
    createdAt: DateTime!
    id: ID!
    name: String!
    project: Project!
    projectId: String!
  }

  type VolumeInstance {
    createdAt: DateTime!
    currentSizeMB: Float!
    deletedAt: DateTime
    environment: Environment!
    environmentId: String!
    externalId: String
    id: ID!
    isPendingDeletion: Boolean!
    mountPath: String!
    region: String
    service: Service!
    serviceId: String
    sizeMB: Int!
    state: VolumeState
    volume: Volume!
    volumeId: String!
  }

  enum VolumeState {
    DELETED
    DELETING
    ERROR
    MIGRATING
    MIGRATION_PENDING
    READY
    RESTORING
    UPDATING
  }

  type VolumeInstanceBackup {
    createdAt: DateTime!
    creatorId: String
    expiresAt: DateTime
    externalId: String!
    id: String!
    name: String
    referencedMB: Int
    scheduleId: String
    usedMB: Int
    volumeInstanceSizeMB: Int
  }

  type WorkflowId {
    workflowId: String
  }

  type WorkflowResult {
    error: String
    status: WorkflowStatus!
  }

  enum WorkflowStatus {
    Complete
    Error
    NotFound
    Running
  }
`;
