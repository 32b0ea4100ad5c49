// The GraphQL documents the simulator's own tests send for variables, backups, restores, staged
// changes and PR environments, by operation name, so the conformance test validates each against
// Railway's real schema as it does the daemon's: a test can only lean on API that exists.

export const simOperations = {
  EnvironmentVariableNames: /* GraphQL */ `
    query EnvironmentVariableNames($id: String!) {
      environment(id: $id) {
        variables {
          edges {
            cursor
            node {
              id
              name
              serviceId
              environmentId
              isSealed
              references
              createdAt
              updatedAt
              environment {
                name
              }
            }
          }
          pageInfo {
            hasNextPage
          }
        }
      }
    }
  `,
  VariableService: /* GraphQL */ `
    query VariableService($id: String!) {
      environment(id: $id) {
        variables(first: 1) {
          edges {
            node {
              name
              service {
                id
                name
              }
            }
          }
        }
      }
    }
  `,
  Variables: /* GraphQL */ `
    query Variables(
      $environmentId: String!
      $projectId: String!
      $serviceId: String
      $unrendered: Boolean
    ) {
      variables(
        environmentId: $environmentId
        projectId: $projectId
        serviceId: $serviceId
        unrendered: $unrendered
      )
    }
  `,
  BackupCreate: /* GraphQL */ `
    mutation BackupCreate($id: String!, $name: String) {
      volumeInstanceBackupCreate(volumeInstanceId: $id, name: $name) {
        workflowId
      }
    }
  `,
  WorkflowStatus: /* GraphQL */ `
    query WorkflowStatus($id: String!) {
      workflowStatus(workflowId: $id) {
        status
        error
      }
    }
  `,
  BackupList: /* GraphQL */ `
    query BackupList($id: String!) {
      volumeInstanceBackupList(volumeInstanceId: $id) {
        id
        name
        createdAt
        usedMB
      }
    }
  `,
  BackupRestore: /* GraphQL */ `
    mutation BackupRestore($volumeInstanceId: String!, $backupId: String!) {
      volumeInstanceBackupRestore(
        volumeInstanceId: $volumeInstanceId
        volumeInstanceBackupId: $backupId
      ) {
        workflowId
      }
    }
  `,
  StagedChanges: /* GraphQL */ `
    query StagedChanges($environmentId: String!) {
      environmentStagedChanges(environmentId: $environmentId) {
        id
        status
        patch
        message
        environmentId
        createdAt
        updatedAt
        appliedAt
        lastAppliedError
        appliedBy {
          email
        }
        environment {
          name
        }
      }
    }
  `,
  CommitStaged: /* GraphQL */ `
    mutation CommitStaged($environmentId: String!, $message: String, $skipDeploys: Boolean) {
      environmentPatchCommitStaged(
        environmentId: $environmentId
        commitMessage: $message
        skipDeploys: $skipDeploys
      )
    }
  `,
  EnvironmentVolumes: /* GraphQL */ `
    query EnvironmentVolumes($id: String!) {
      environment(id: $id) {
        volumeInstances {
          edges {
            node {
              id
              volumeId
              serviceId
              mountPath
              sizeMB
              currentSizeMB
              volume {
                name
              }
            }
          }
        }
      }
    }
  `,
  ProjectEnvironments: /* GraphQL */ `
    query ProjectEnvironments($projectId: String!) {
      environments(projectId: $projectId) {
        edges {
          node {
            id
            name
            isEphemeral
            meta {
              prNumber
              branch
            }
          }
        }
      }
    }
  `,
  EnvironmentById: /* GraphQL */ `
    query EnvironmentById($id: String!) {
      environment(id: $id) {
        id
        name
      }
    }
  `,
} as const;
