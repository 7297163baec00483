import type { ModuleEntry } from '../../shared/module';
import { contractsResolvers } from './contracts.resolvers';
import { getContract } from './contracts.service';
import { createContractsLoaders } from './contracts.loaders';

/** The contracts module's entry: what the server assembles (docs/architecture.md). */
export const contractsModule: ModuleEntry = {
  name: 'contracts',
  resolvers: contractsResolvers,
  nodeFetchers: { Contract: getContract },
  loaders: createContractsLoaders,
};
