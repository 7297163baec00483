import type { ModuleEntry } from '../../shared/module';
import './upkeep.reconcile'; // registers upkeep's reconciliation with verify
import { upkeepResolvers } from './upkeep.resolvers';
import { createUpkeepLoaders } from './upkeep.loaders';

/** The upkeep module's entry: what the server assembles (docs/architecture.md). */
export const upkeepModule: ModuleEntry = {
  name: 'upkeep',
  resolvers: upkeepResolvers,
  loaders: createUpkeepLoaders,
};
