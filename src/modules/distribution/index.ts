import type { ModuleEntry } from '../../shared/module';
import './distribution.reconcile'; // registers distribution's reconciliation with verify
import { distributionResolvers } from './distribution.resolvers';
import { getPlan } from './distribution.service';
import { createDistributionLoaders } from './distribution.loaders';

/** The distribution module's entry: what the server assembles (docs/architecture.md). */
export const distributionModule: ModuleEntry = {
  name: 'distribution',
  resolvers: distributionResolvers,
  nodeFetchers: { DistributionPlan: getPlan },
  loaders: createDistributionLoaders,
};
