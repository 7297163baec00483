import type { ModuleEntry } from '../../shared/module';
import { rightsResolvers } from './rights.resolvers';
import { createRightsLoaders } from './rights.loaders';

/** The rights module's entry: what the server assembles (docs/architecture.md). */
export const rightsModule: ModuleEntry = {
  name: 'rights',
  resolvers: rightsResolvers,
  loaders: createRightsLoaders,
};
