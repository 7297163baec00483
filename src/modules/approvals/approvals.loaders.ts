import DataLoader from 'dataloader';
import type { Executor } from '../../db/connection';
import { groupBy } from '../../shared/loaderUtils';
import * as repo from './approvals.repository';

/** Per-request batch loaders of approval chains: steps and decisions, one query each per page. */
export function createApprovalsLoaders(db: Executor) {
  return {
    approvalSteps: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.stepsOf(db, ids), (s) => s.chainId, ids)),
    approvalDecisions: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.decisionsOf(db, ids), (d) => d.chainId, ids)),
  };
}

declare module '../../shared/context' {
  // The request context's loaders include this module's (see shared/context.ts).
  interface Loaders extends ReturnType<typeof createApprovalsLoaders> {}
}
