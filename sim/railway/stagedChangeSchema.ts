// The staged-changes part of the simulator's schema: an environment's pending patch and its commit.
export const stagedChangeSdl = /* GraphQL */ `
  """
  EnvironmentConfig is a custom scalar type that represents the serializedConfig for an environment.
  """
  scalar EnvironmentConfig

  extend type Query {
    environmentStagedChanges(environmentId: String!): EnvironmentPatch!
  }

  extend type Mutation {
    environmentPatchCommitStaged(
      commitMessage: String
      environmentId: String!
      skipDeploys: Boolean
    ): String!
  }

  type EnvironmentPatch {
    appliedAt: DateTime
    appliedBy: AppliedByMember
    createdAt: DateTime!
    environment: Environment!
    environmentId: String!
    id: ID!
    lastAppliedError: String
    message: String
    patch(decryptVariables: Boolean): EnvironmentConfig!
    status: EnvironmentPatchStatus!
    updatedAt: DateTime!
  }

  type AppliedByMember {
    avatar: String
    email: String!
    id: String!
    name: String
    username: String
  }

  enum EnvironmentPatchStatus {
    APPLYING
    COMMITTED
    STAGED
  }
`;
