import DataLoader from 'dataloader';
import type { Executor } from '../../db/connection';
import { byId, groupBy } from '../../shared/loaderUtils';
import * as repo from './disposal.repository';
import { disposalPolicyFor } from './disposal.service';

/** Per-request batch loaders of disposals: notices, objections and events, one query each per page. */
export function createDisposalLoaders(db: Executor) {
  return {
    disposalNotice: new DataLoader(async (ids: readonly number[]) => byId((await repo.noticesOf(db, ids)).map((n) => ({ ...n, id: n.disposalId })), ids)),
    disposalObjections: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.objectionsOf(db, ids), (o) => o.disposalId, ids)),
    assetDisposals: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.disposalsOfAssets(db, ids), (d) => d.assetId, ids)),
    memberPledges: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.pledgesOfMembers(db, ids), (p) => p.bundleMemberId!, ids)),
    assetPledgesOf: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.pledgesOfAssets(db, ids), (p) => p.assetId!, ids)),
    disposalReuses: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.reusesOf(db, ids), (r) => r.disposalId, ids)),
    /** The disposal policy of a county, once per county on the page (the PROCEEDS_LATE flag reads it). */
    disposalPolicyOf: new DataLoader(async (countyCodes: readonly string[]) => Promise.all(countyCodes.map((c) => disposalPolicyFor(db, c)))),
    disposalEvents: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.eventsOf(db, ids), (e) => e.disposalId, ids)),
  };
}

declare module '../../shared/context' {
  // The request context's loaders include this module's (see shared/context.ts).
  interface Loaders extends ReturnType<typeof createDisposalLoaders> {}
}
