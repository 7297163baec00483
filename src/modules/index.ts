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

/** Every module's resolvers; schema/*.graphql holds their SDL, one file per module. */
export const moduleResolvers = [
  authResolvers,
  regionsResolvers,
  householdsResolvers,
  projectsResolvers,
  assetsResolvers,
  journalResolvers,
];

/** Fetchers for `node(id)`, by the type in the global id; each applies its own scope check. */
export const nodeFetchers: Record<string, (svc: ServiceContext, id: number) => Promise<unknown>> = {
  Asset: getAsset,
  Project: getProject,
  Household: getHousehold,
  JournalEntry: getEntry,
  Account: getAccount,
};
