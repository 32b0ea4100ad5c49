// The commits of `kars/kars-app` (seeded by sim/git/karsRepo.ts) that the kars fixture's deployments were built from.
import type { SimCommit } from './model';

export const karsRepo = 'kars/kars-app';

/** The branches Railway's triggers watch in the kars fixture: one per environment. */
export type KarsBranch = 'kars-dev' | 'kars-prod' | 'feature/invoice-export';

/** Per branch, the commits that were deployed, oldest first; the last is the branch head. */
export type KarsHistory = Record<KarsBranch, SimCommit[]>;

/**
 * The seeded repository's real shas, messages and authors, so the Railway simulator started alone agrees
 * with the git server; test/sim/world.test.ts proves these equal what the seeded repository holds.
 */
export const karsDeployedCommits: KarsHistory = {
  'kars-dev': [
    {
      hash: '4add61bf055f3ee68463add53110435bab5ea908',
      message: 'Add index on invoices.customer_id',
      author: 'Grace Hopper',
    },
    {
      hash: '321de2cc5a7afda78956f76dbde4f270f2aa3bc0',
      message: 'Show invoice totals in the list',
      author: 'Katherine Johnson',
    },
  ],
  'kars-prod': [
    {
      hash: 'c16eb1afa136ddc7b60504b6eb32b7f9adb90305',
      message: 'Initial backend, frontend and database schema',
      author: 'Ada Lovelace',
    },
    {
      hash: 'f212c712b9e088856c66d64fe1757eab3eb74795',
      message: "Merge branch 'kars-dev' into kars-prod",
      author: 'Ada Lovelace',
    },
  ],
  'feature/invoice-export': [
    {
      hash: '86a0d65c8c853f4d9f04ece7c80d725cb82dbf2e',
      message: 'Export invoices as CSV',
      author: 'Grace Hopper',
    },
  ],
};
