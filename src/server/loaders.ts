import DataLoader from 'dataloader';
import type { Executor } from '../db/connection';
import type { Clock } from '../shared/clock';
import * as authRepo from '../modules/auth/auth.repository';
import * as assetsRepo from '../modules/assets/assets.repository';
import * as contractsRepo from '../modules/contracts/contracts.repository';
import * as documentsRepo from '../modules/documents/documents.repository';
import * as householdsRepo from '../modules/households/households.repository';
import * as partiesRepo from '../modules/parties/parties.repository';
import * as rightsRepo from '../modules/rights/rights.repository';
import * as upkeepRepo from '../modules/upkeep/upkeep.repository';
import * as projectsRepo from '../modules/projects/projects.repository';
import { createRegionLoader } from '../modules/regions/regions.service';
import { createDistributionLoaders } from '../modules/distribution/distribution.loaders';
import { createJournalLoaders } from '../modules/journal/journal.loaders';
import { createIncomeLoaders } from '../modules/income/income.loaders';

function byId<T extends { id: number }>(rows: T[], ids: readonly number[]): (T | null)[] {
  const m = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => m.get(id) ?? null);
}

function groupBy<T, K>(rows: T[], key: (r: T) => K, keys: readonly K[]): T[][] {
  const m = new Map<K, T[]>();
  for (const r of rows) {
    const k = key(r);
    if (!m.has(k)) m.set(k, []);
    m.get(k)!.push(r);
  }
  return keys.map((k) => m.get(k) ?? []);
}

/**
 * Per-request batch loaders: a page of 100 assets with their villages, projects and funding lines costs a
 * constant number of queries. Loaders fetch by key only; the scope check happened on the parent object.
 */
export function createLoaders(db: Executor, clock: Clock) {
  return {
    region: createRegionLoader(db),
    user: new DataLoader(async (ids: readonly number[]) => byId(await authRepo.findUsersByIds(db, ids), ids)),
    project: new DataLoader(async (ids: readonly number[]) => byId(await projectsRepo.findByIds(db, ids), ids)),
    projectFundingLines: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await projectsRepo.fundingLines(db, ids), (l) => l.projectId, ids),
    ),
    asset: new DataLoader(async (ids: readonly number[]) => byId(await assetsRepo.findByIds(db, ids), ids)),
    assetFundingLines: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await assetsRepo.fundingLines(db, ids), (l) => l.assetId, ids),
    ),
    assetEvents: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await assetsRepo.eventsOf(db, ids), (e) => e.assetId, ids),
    ),
    household: new DataLoader(async (ids: readonly number[]) => byId(await householdsRepo.findByIds(db, ids), ids)),
    householdStatusHistory: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await householdsRepo.statusHistory(db, ids), (c) => c.householdId, ids),
    ),
    ...createDistributionLoaders(db, clock),
    journal: createJournalLoaders(db),
    income: createIncomeLoaders(db),
    assetEvent: new DataLoader(async (ids: readonly number[]) => byId(await assetsRepo.findEventsByIds(db, ids), ids)),
    // The asset card (issue 3): owners, rights, deed, upkeep, contracts and documents, one query each per page.
    party: new DataLoader(async (ids: readonly number[]) => byId(await partiesRepo.findByIds(db, ids), ids)),
    assetOwnerRows: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await rightsRepo.ownerRowsOf(db, ids), (o) => o.assetId, ids),
    ),
    rightsConfirmations: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await rightsRepo.confirmationsOf(db, ids), (c) => c.assetId, ids),
    ),
    handoverDeed: new DataLoader(async (ids: readonly number[]) => {
      const byAsset = new Map((await rightsRepo.deedsOf(db, ids)).map((d) => [d.assetId, d]));
      return ids.map((id) => byAsset.get(id) ?? null);
    }),
    upkeepAssignments: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await upkeepRepo.assignmentsOf(db, ids), (u) => u.assetId, ids),
    ),
    upkeepRecords: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await upkeepRepo.recordsOf(db, ids), (r) => r.assetId, ids),
    ),
    contract: new DataLoader(async (ids: readonly number[]) => byId(await contractsRepo.findByIds(db, ids), ids)),
    assetContracts: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await contractsRepo.findByAssetIds(db, ids), (c) => c.assetId, ids),
    ),
    contractVersions: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await contractsRepo.versionsOf(db, ids), (v) => v.contractId, ids),
    ),
    contractDecisions: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await contractsRepo.decisionsOf(db, ids), (d) => d.contractId, ids),
    ),
    assetDocuments: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await documentsRepo.ofAssets(db, ids), (d) => d.assetId, ids),
    ),
    contractDocuments: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await documentsRepo.ofContracts(db, ids), (d) => d.contractId!, ids),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
