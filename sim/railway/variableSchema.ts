// The variables part of the simulator's schema: Environment.variables (names, never values) and the
// `variables` query, which answers Railway's EnvironmentVariables map (name → value).
export const variableSdl = /* GraphQL */ `
  """
  EnvironmentVariables is a custom scalar type that represents a map of environment variables.
  """
  scalar EnvironmentVariables

  extend type Query {
    variables(
      environmentId: String!
      projectId: String!
      serviceId: String
      unrendered: Boolean
    ): EnvironmentVariables!
  }

  extend type Environment {
    variables(after: String, before: String, first: Int, last: Int): EnvironmentVariablesConnection!
  }

  type EnvironmentVariablesConnection {
    edges: [EnvironmentVariablesConnectionEdge!]!
    pageInfo: PageInfo!
  }

  type EnvironmentVariablesConnectionEdge {
    cursor: String!
    node: Variable!
  }

  type Variable {
    createdAt: DateTime!
    environment: Environment!
    environmentId: String
    id: ID!
    isSealed: Boolean!
    name: String!
    references: [String!]!
    service: Service!
    serviceId: String
    updatedAt: DateTime!
  }
`;
