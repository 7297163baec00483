import type { ModuleEntry } from '../../shared/module';
import { partiesResolvers } from './parties.resolvers';
import { getVisibleParty } from './parties.service';
import { createPartiesLoaders } from './parties.loaders';

/** The parties module's entry: what the server assembles (docs/architecture.md). */
export const partiesModule: ModuleEntry = {
  name: 'parties',
  resolvers: partiesResolvers,
  nodeFetchers: { Party: getVisibleParty },
  loaders: createPartiesLoaders,
};
