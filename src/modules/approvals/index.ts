import type { ModuleEntry } from '../../shared/module';
import { approvalsResolvers } from './approvals.resolvers';
import { getChain } from './approvals.service';
import { createApprovalsLoaders } from './approvals.loaders';

/** The approvals module's entry: what the server assembles (docs/architecture.md). */
export const approvalsModule: ModuleEntry = {
  name: 'approvals',
  resolvers: approvalsResolvers,
  nodeFetchers: { ApprovalChain: getChain },
  loaders: createApprovalsLoaders,
};
