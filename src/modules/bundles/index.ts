import type { ModuleEntry } from '../../shared/module';
import './bundles.reconcile'; // registers the ventures' reconciliation with verify
import { bundlesResolvers } from './bundles.resolvers';
import { getBundle, getContribution, getSplit } from './bundles.service';
import { createBundlesLoaders } from './bundles.loaders';

/** The bundles module's entry: what the server assembles (docs/architecture.md). */
export const bundlesModule: ModuleEntry = {
  name: 'bundles',
  resolvers: bundlesResolvers,
  nodeFetchers: { Bundle: getBundle, BundleContribution: getContribution, BundleIncomeSplit: getSplit },
  loaders: createBundlesLoaders,
};
