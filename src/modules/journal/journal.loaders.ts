import DataLoader from 'dataloader';
import type { Executor } from '../../db/connection';
import * as partiesRepo from '../parties/parties.repository';
import * as repo from './journal.repository';
import type { PostingWithAccount } from './journal.types';

function byId<T extends { id: number }>(rows: T[], ids: readonly number[]): (T | null)[] {
  const m = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => m.get(id) ?? null);
}

/**
 * Batch loaders for the journal's nested fields: a page of 100 entries with their postings, accounts and
 * holders costs a constant number of queries. Loaders fetch by key only; scope was checked on the entry.
 */
export function createJournalLoaders(db: Executor) {
  return {
    entry: new DataLoader(async (ids: readonly number[]) => byId(await repo.findEntriesByIds(db, ids), ids)),
    /** The regions of each entry's holders: what decides who may see it (journal.service loadVisibleEntry). */
    entryRegions: new DataLoader(async (ids: readonly number[]) => {
      const regions = await repo.holderRegionsOfEntries(db, ids);
      return ids.map((id) => regions.get(id) ?? []);
    }),
    postings: new DataLoader(async (entryIds: readonly number[]) => {
      const byEntry = new Map<number, PostingWithAccount[]>(entryIds.map((id) => [id, []]));
      for (const p of await repo.postingsOf(db, entryIds)) byEntry.get(p.entryId)!.push(p);
      return entryIds.map((id) => byEntry.get(id)!);
    }),
    reversalOf: new DataLoader(async (entryIds: readonly number[]) => {
      const rows = await repo.findReversalsOf(db, entryIds);
      return entryIds.map((id) => rows.find((r) => r.reversesEntryId === id) ?? null);
    }),
    account: new DataLoader(async (ids: readonly number[]) => byId(await repo.findAccountsByIds(db, ids), ids)),
    holder: new DataLoader(async (ids: readonly number[]) => byId(await partiesRepo.findByIds(db, ids), ids)),
  };
}

export type JournalLoaders = ReturnType<typeof createJournalLoaders>;

/** The journal's loaders sit under `loaders.journal` in the request context. */
export function createJournalModuleLoaders(db: Executor) {
  return { journal: createJournalLoaders(db) };
}

declare module '../../shared/context' {
  interface Loaders extends ReturnType<typeof createJournalModuleLoaders> {}
}
