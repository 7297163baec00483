import DataLoader from 'dataloader';
import type { Executor } from '../../db/connection';
import { byId, groupBy } from '../../shared/loaderUtils';
import * as repo from './approvals.repository';

/** Per-request batch loaders of approval chains: chains, steps and decisions, one query each per page. */
export function createApprovalsLoaders(db: Executor) {
  return {
    /**
     * Chains by id, one query per page. No read rule here: a module loads the chain of a subject the reader
     * already sees under the subject's own rule (a disposal's or pledge's chain lies in its village).
     */
    approvalChain: new DataLoader(async (ids: readonly number[]) => byId(await repo.findChainsByIds(db, ids), ids)),
    approvalSteps: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.stepsOf(db, ids), (s) => s.chainId, ids)),
    approvalDecisions: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.decisionsOf(db, ids), (d) => d.chainId, ids)),
  };
}

declare module '../../shared/context' {
  // The request context's loaders include this module's (see shared/context.ts).
  interface Loaders extends ReturnType<typeof createApprovalsLoaders> {}
}
