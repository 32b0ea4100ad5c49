// Every root resolver of the Railway simulator in one place, for the HTTP and the graphql-ws endpoints alike.
import {
  deploymentEventQueryRoot,
  deploymentEventSubscriptionRoot,
} from './deploymentEventResolvers';
import { logSubscriptionRoot } from './logResolvers';
import { mutationRoot, queryRoot, subscriptionRoot } from './resolvers';
import { volumeMutationRoot, volumeQueryRoot } from './volumeResolvers';

export const railwayQueryRoot = { ...queryRoot, ...deploymentEventQueryRoot, ...volumeQueryRoot };

export const railwayMutationRoot = { ...mutationRoot, ...volumeMutationRoot };

export const railwaySubscriptionRoot = {
  ...subscriptionRoot,
  ...logSubscriptionRoot,
  ...deploymentEventSubscriptionRoot,
};
