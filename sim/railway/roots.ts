// Every root resolver of the Railway simulator in one place, for the HTTP and the graphql-ws endpoints alike.
import {
  deploymentEventQueryRoot,
  deploymentEventSubscriptionRoot,
} from './deploymentEventResolvers';
import { logQueryRoot, logSubscriptionRoot } from './logResolvers';
import { metricsQueryRoot } from './metricsResolvers';
import { mutationRoot, queryRoot, subscriptionRoot } from './resolvers';
import { stagedChangeMutationRoot, stagedChangeQueryRoot } from './stagedChangeResolvers';
import { variableQueryRoot } from './variableResolvers';
import { volumeMutationRoot, volumeQueryRoot } from './volumeResolvers';

export const railwayQueryRoot = {
  ...queryRoot,
  ...logQueryRoot,
  ...deploymentEventQueryRoot,
  ...volumeQueryRoot,
  ...variableQueryRoot,
  ...stagedChangeQueryRoot,
  ...metricsQueryRoot,
};

export const railwayMutationRoot = {
  ...mutationRoot,
  ...volumeMutationRoot,
  ...stagedChangeMutationRoot,
};

export const railwaySubscriptionRoot = {
  ...subscriptionRoot,
  ...logSubscriptionRoot,
  ...deploymentEventSubscriptionRoot,
};
