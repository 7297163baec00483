import type { ServiceContext } from '../server/context';
import { assetsResolvers } from './assets/assets.resolvers';
import { getAsset } from './assets/assets.service';
import { authResolvers } from './auth/auth.resolvers';
import { householdsResolvers } from './households/households.resolvers';
import { getHousehold } from './households/households.service';
import { journalResolvers } from './journal/journal.resolvers';
import { getAccount, getEntry } from './journal/journal.service';
import { projectsResolvers } from './projects/projects.resolvers';
import { getProject } from './projects/projects.service';
import { regionsResolvers } from './regions/regions.resolvers';
import { policyResolvers } from './policy/policy.resolvers';
import { distributionResolvers } from './distribution/distribution.resolvers';
import { getPlan } from './distribution/distribution.service';
import { contractsResolvers } from './contracts/contracts.resolvers';
import { getContract } from './contracts/contracts.service';
import { documentsResolvers } from './documents/documents.resolvers';
import { getDocument } from './documents/documents.service';
import { partiesResolvers } from './parties/parties.resolvers';
import { getVisibleParty } from './parties/parties.service';
import { rightsResolvers } from './rights/rights.resolvers';
import { upkeepResolvers } from './upkeep/upkeep.resolvers';
import { incomeResolvers } from './income/income.resolvers';
import { getIncome } from './income/income.service';
import { registerioResolvers } from './registerio/registerio.resolvers';

/** Every module's resolvers; schema/*.graphql holds their SDL, one file per module. */
export const moduleResolvers = [
  authResolvers,
  regionsResolvers,
  householdsResolvers,
  projectsResolvers,
  assetsResolvers,
  policyResolvers,
  distributionResolvers,
  journalResolvers,
  partiesResolvers,
  rightsResolvers,
  upkeepResolvers,
  contractsResolvers,
  documentsResolvers,
  incomeResolvers,
  registerioResolvers,
];

/** Fetchers for `node(id)`, by the type in the global id; each applies its own scope check. */
export const nodeFetchers: Record<string, (svc: ServiceContext, id: number) => Promise<unknown>> = {
  Asset: getAsset,
  Project: getProject,
  Household: getHousehold,
  DistributionPlan: getPlan,
  JournalEntry: getEntry,
  Account: getAccount,
  Party: getVisibleParty,
  Contract: getContract,
  Document: getDocument,
  IncomeRecord: getIncome,
};
