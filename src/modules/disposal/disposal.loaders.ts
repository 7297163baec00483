import DataLoader from 'dataloader';
import type { Executor } from '../../db/connection';
import { byId, groupBy } from '../../shared/loaderUtils';
import * as repo from './disposal.repository';

/** Per-request batch loaders of disposals: notices, objections and events, one query each per page. */
export function createDisposalLoaders(db: Executor) {
  return {
    disposalNotice: new DataLoader(async (ids: readonly number[]) => byId((await repo.noticesOf(db, ids)).map((n) => ({ ...n, id: n.disposalId })), ids)),
    disposalObjections: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.objectionsOf(db, ids), (o) => o.disposalId, ids)),
    assetDisposals: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.disposalsOfAssets(db, ids), (d) => d.assetId, ids)),
    memberPledges: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.pledgesOfMembers(db, ids), (p) => p.bundleMemberId!, ids)),
    assetPledgesOf: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.pledgesOfAssets(db, ids), (p) => p.assetId!, ids)),
    disposalEvents: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.eventsOf(db, ids), (e) => e.disposalId, ids)),
  };
}

declare module '../../shared/context' {
  // The request context's loaders include this module's (see shared/context.ts).
  interface Loaders extends ReturnType<typeof createDisposalLoaders> {}
}
