import type { ModuleEntry } from '../../shared/module';
import { regionsResolvers } from './regions.resolvers';
import { createRegionsLoaders } from './regions.loaders';

/** The regions module's entry: what the server assembles (docs/architecture.md). */
export const regionsModule: ModuleEntry = {
  name: 'regions',
  resolvers: regionsResolvers,
  loaders: createRegionsLoaders,
};
