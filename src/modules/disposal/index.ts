import type { ModuleEntry } from '../../shared/module';
import './disposal.reconcile'; // registers disposal's reconciliation with verify
import { disposalResolvers } from './disposal.resolvers';
import { getDisposal, getPledge } from './disposal.service';
import { createDisposalLoaders } from './disposal.loaders';

/** The disposal module's entry: disposals (处置) and pledges (抵押/质押), issue 11 (docs/disposal.md). */
export const disposalModule: ModuleEntry = {
  name: 'disposal',
  resolvers: disposalResolvers,
  nodeFetchers: { Disposal: getDisposal, AssetPledge: getPledge },
  loaders: createDisposalLoaders,
};
