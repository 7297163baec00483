import type { ModuleEntry } from '../../shared/module';
import { householdsResolvers } from './households.resolvers';
import { getHousehold } from './households.service';
import { createHouseholdsLoaders } from './households.loaders';

/** The households module's entry: what the server assembles (docs/architecture.md). */
export const householdsModule: ModuleEntry = {
  name: 'households',
  resolvers: householdsResolvers,
  nodeFetchers: { Household: getHousehold },
  loaders: createHouseholdsLoaders,
};
