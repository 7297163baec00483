import DataLoader from 'dataloader';
import type { Executor } from '../../db/connection';
import { byId, groupBy } from '../../shared/loaderUtils';
import * as repo from './bundles.repository';

/** Per-request batch loaders of the bundles module: a page of ventures costs one query per loader. */
export function createBundlesLoaders(db: Executor) {
  return {
    bundle: new DataLoader(async (ids: readonly number[]) => byId(await repo.findBundles(db, ids), ids)),
    bundleMember: new DataLoader(async (ids: readonly number[]) => byId(await repo.findMembers(db, ids), ids)),
    bundleMembers: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.membersOf(db, ids), (m) => m.bundleId, ids)),
    bundleContributions: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.contributionsOf(db, ids), (c) => c.bundleId, ids)),
    bundleShareEvents: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.shareEventsOf(db, ids), (e) => e.bundleId, ids)),
    bundleProfits: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.profitsOf(db, ids), (p) => p.bundleId, ids)),
    bundleSplits: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.splitsOf(db, ids), (s) => s.bundleId, ids)),
    bundleSplitOfEntry: new DataLoader(async (ids: readonly number[]) => {
      const splits = await repo.splitsByEntries(db, ids);
      return ids.map((id) => splits.find((s) => s.entryId === id) ?? null);
    }),
    bundleRevaluations: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await repo.revaluationsOf(db, ids), (r) => r.contributionId, ids),
    ),
  };
}

declare module '../../shared/context' {
  // The request context's loaders include this module's (see shared/context.ts).
  interface Loaders extends ReturnType<typeof createBundlesLoaders> {}
}
