// The Railway simulator's type definitions: a faithful subset of Railway's public schema (checked by railwayConformance.test.ts).
import { deploymentEventSdl } from './deploymentEventSchema';
import { logSdl } from './logSchema';
import { metricsSdl } from './metricsSchema';
import { stagedChangeSdl } from './stagedChangeSchema';
import { variableSdl } from './variableSchema';
import { volumeSdl } from './volumeSchema';

const coreSdl = /* GraphQL */ `
  scalar DateTime
  scalar DeploymentMeta

  type Query {
    apiToken: ApiTokenContext!
    deployment(id: String!): Deployment!
    deploymentTriggers(
      after: String
      before: String
      environmentId: String!
      first: Int
      last: Int
      projectId: String!
      serviceId: String!
    ): QueryDeploymentTriggersConnection!
    deployments(
      after: String
      before: String
      first: Int
      input: DeploymentListInput!
      last: Int
    ): QueryDeploymentsConnection!
    environment(id: String!, projectId: String): Environment!
    environments(
      after: String
      before: String
      first: Int
      isEphemeral: Boolean
      last: Int
      projectId: String!
    ): QueryEnvironmentsConnection!
    me: User!
    project(id: String!): Project!
    projectToken: ProjectToken!
    projects(
      after: String
      before: String
      first: Int
      includeDeleted: Boolean
      last: Int
      userId: String
      workspaceId: String
    ): QueryProjectsConnection!
    service(id: String!): Service!
    serviceInstance(environmentId: String!, serviceId: String!): ServiceInstance!
    workspace(workspaceId: String!): Workspace!
  }

  type Mutation {
    deploymentApprove(id: String!): Boolean!
    deploymentRedeploy(id: String!, usePreviousImageTag: Boolean): Deployment!
    deploymentRestart(id: String!): Boolean!
    deploymentRollback(id: String!): Boolean!
    serviceInstanceDeployV2(commitSha: String, environmentId: String!, serviceId: String!): String!
  }

  type Subscription {
    deployment(id: String!): Deployment!
  }

  type PageInfo {
    endCursor: String
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
  }

  type ApiTokenContext {
    workspaces: [ApiTokenWorkspace!]!
  }

  type ApiTokenWorkspace {
    id: String!
    name: String!
  }

  type ApiTokenRateLimit {
    remainingPoints: Int!
    resetsAt: String!
  }

  type User {
    apiTokenRateLimit: ApiTokenRateLimit
    avatar: String
    email: String!
    id: ID!
    name: String
    username: String
    workspaces: [Workspace!]!
  }

  type Workspace {
    apiTokenRateLimit: ApiTokenRateLimit
    id: ID!
    name: String!
    projects(after: String, before: String, first: Int, last: Int): WorkspaceProjectsConnection!
  }

  type WorkspaceProjectsConnection {
    edges: [WorkspaceProjectsConnectionEdge!]!
    pageInfo: PageInfo!
  }

  type WorkspaceProjectsConnectionEdge {
    cursor: String!
    node: Project!
  }

  type ProjectToken {
    createdAt: DateTime!
    environment: Environment!
    environmentId: String!
    id: ID!
    name: String!
    project: Project!
    projectId: String!
  }

  type QueryProjectsConnection {
    edges: [QueryProjectsConnectionEdge!]!
    pageInfo: PageInfo!
  }

  type QueryProjectsConnectionEdge {
    cursor: String!
    node: Project!
  }

  type Project {
    createdAt: DateTime!
    deletedAt: DateTime
    description: String
    environments(
      after: String
      before: String
      first: Int
      isEphemeral: Boolean
      last: Int
    ): ProjectEnvironmentsConnection!
    id: ID!
    name: String!
    services(after: String, before: String, first: Int, last: Int): ProjectServicesConnection!
    updatedAt: DateTime!
    workspace: Workspace
    workspaceId: String
  }

  type ProjectEnvironmentsConnection {
    edges: [ProjectEnvironmentsConnectionEdge!]!
    pageInfo: PageInfo!
  }

  type ProjectEnvironmentsConnectionEdge {
    cursor: String!
    node: Environment!
  }

  type ProjectServicesConnection {
    edges: [ProjectServicesConnectionEdge!]!
    pageInfo: PageInfo!
  }

  type ProjectServicesConnectionEdge {
    cursor: String!
    node: Service!
  }

  type QueryEnvironmentsConnection {
    edges: [QueryEnvironmentsConnectionEdge!]!
    pageInfo: PageInfo!
  }

  type QueryEnvironmentsConnectionEdge {
    cursor: String!
    node: Environment!
  }

  type Environment {
    createdAt: DateTime!
    deletedAt: DateTime
    deploymentTriggers(
      after: String
      before: String
      first: Int
      last: Int
    ): EnvironmentDeploymentTriggersConnection!
    deployments(
      after: String
      before: String
      first: Int
      last: Int
    ): EnvironmentDeploymentsConnection!
    id: ID!
    isEphemeral: Boolean!
    meta: EnvironmentMeta
    name: String!
    projectId: String!
    serviceInstances(
      after: String
      before: String
      first: Int
      last: Int
    ): EnvironmentServiceInstancesConnection!
    sourceEnvironment: Environment
    updatedAt: DateTime!
  }

  type EnvironmentMeta {
    baseBranch: String
    branch: String
    prNumber: Int
    prRepo: String
    prTitle: String
  }

  type EnvironmentServiceInstancesConnection {
    edges: [EnvironmentServiceInstancesConnectionEdge!]!
    pageInfo: PageInfo!
  }

  type EnvironmentServiceInstancesConnectionEdge {
    cursor: String!
    node: ServiceInstance!
  }

  type EnvironmentDeploymentsConnection {
    edges: [EnvironmentDeploymentsConnectionEdge!]!
    pageInfo: PageInfo!
  }

  type EnvironmentDeploymentsConnectionEdge {
    cursor: String!
    node: Deployment!
  }

  type EnvironmentDeploymentTriggersConnection {
    edges: [EnvironmentDeploymentTriggersConnectionEdge!]!
    pageInfo: PageInfo!
  }

  type EnvironmentDeploymentTriggersConnectionEdge {
    cursor: String!
    node: DeploymentTrigger!
  }

  type Service {
    createdAt: DateTime!
    deletedAt: DateTime
    icon: String
    id: ID!
    name: String!
    projectId: String!
    updatedAt: DateTime!
  }

  type ServiceInstance {
    activeDeployments: [Deployment!]!
    createdAt: DateTime!
    deletedAt: DateTime
    domains: AllDomains!
    environmentId: String!
    healthcheckPath: String
    id: ID!
    latestDeployment: Deployment
    numReplicas: Int
    restartPolicyMaxRetries: Int!
    rootDirectory: String
    serviceId: String!
    serviceName: String!
    source: ServiceSource
    startCommand: String
    updatedAt: DateTime!
    watchPatterns: [String!]!
  }

  type ServiceSource {
    image: String
    repo: String
  }

  type AllDomains {
    customDomains: [CustomDomain!]!
    serviceDomains: [ServiceDomain!]!
  }

  type ServiceDomain {
    domain: String!
    environmentId: String!
    id: ID!
    serviceId: String!
    targetPort: Int
  }

  type CustomDomain {
    domain: String!
    environmentId: String!
    id: ID!
    serviceId: String!
    targetPort: Int
  }

  enum DeploymentStatus {
    BUILDING
    CRASHED
    DEPLOYING
    FAILED
    INITIALIZING
    NEEDS_APPROVAL
    QUEUED
    REMOVED
    REMOVING
    SKIPPED
    SLEEPING
    SUCCESS
    WAITING
  }

  input DeploymentStatusInput {
    in: [DeploymentStatus!]
    notIn: [DeploymentStatus!]
  }

  input DeploymentListInput {
    environmentId: String
    includeDeleted: Boolean
    projectId: String
    serviceId: String
    status: DeploymentStatusInput
  }

  type DeploymentCreator {
    avatar: String
    email: String!
    id: String!
    name: String
  }

  type Deployment {
    canRedeploy: Boolean!
    canRollback: Boolean!
    createdAt: DateTime!
    creator: DeploymentCreator
    deploymentStopped: Boolean!
    environment: Environment!
    environmentId: String!
    id: ID!
    instances: [DeploymentDeploymentInstance!]!
    meta: DeploymentMeta
    projectId: String!
    service: Service!
    serviceId: String
    staticUrl: String
    status: DeploymentStatus!
    statusUpdatedAt: DateTime
    updatedAt: DateTime!
    url: String
  }

  type DeploymentDeploymentInstance {
    id: String!
    status: DeploymentInstanceStatus!
  }

  enum DeploymentInstanceStatus {
    CRASHED
    CREATED
    EXITED
    INITIALIZING
    REMOVED
    REMOVING
    RESTARTING
    RUNNING
    SKIPPED
    STOPPED
  }

  type QueryDeploymentsConnection {
    edges: [QueryDeploymentsConnectionEdge!]!
    pageInfo: PageInfo!
  }

  type QueryDeploymentsConnectionEdge {
    cursor: String!
    node: Deployment!
  }

  type DeploymentTrigger {
    branch: String!
    checkSuites: Boolean!
    environmentId: String!
    id: ID!
    projectId: String!
    provider: String!
    repository: String!
    serviceId: String
  }

  type QueryDeploymentTriggersConnection {
    edges: [QueryDeploymentTriggersConnectionEdge!]!
    pageInfo: PageInfo!
  }

  type QueryDeploymentTriggersConnectionEdge {
    cursor: String!
    node: DeploymentTrigger!
  }
`;

export const railwaySimSdl =
  coreSdl + logSdl + deploymentEventSdl + volumeSdl + variableSdl + stagedChangeSdl + metricsSdl;
