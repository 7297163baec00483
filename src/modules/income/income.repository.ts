import type { Knex } from 'knex';
import { Executor, toInt } from '../../db/connection';
import { reversedEntryIdsQuery } from '../journal/journal.repository';
import type { IncomeKind, IncomeRecord } from './income.types';

/**
 * The only code that touches income_records. There is no update or delete: the table is append-only
 * (triggers on both databases); a wrong receipt is corrected by reversing its journal entry.
 */
export const toIncome = (r: any): IncomeRecord => ({
  id: r.id,
  assetId: r.asset_id,
  villageCode: r.village_code,
  contractId: r.contract_id,
  kind: r.kind,
  receivedOn: r.received_on,
  payerPartyId: r.payer_party_id,
  voucherNo: r.voucher_no,
  amountFen: toInt(r.amount_fen),
  memo: r.memo,
  entryId: r.entry_id,
  actorUserId: r.actor_user_id,
  recordedAt: r.recorded_at,
});

export async function insert(db: Executor, r: Omit<IncomeRecord, 'id'>): Promise<number> {
  const [row] = await db('income_records')
    .insert({
      asset_id: r.assetId,
      village_code: r.villageCode,
      contract_id: r.contractId,
      kind: r.kind,
      received_on: r.receivedOn,
      payer_party_id: r.payerPartyId,
      voucher_no: r.voucherNo,
      amount_fen: r.amountFen,
      memo: r.memo,
      entry_id: r.entryId,
      actor_user_id: r.actorUserId,
      recorded_at: r.recordedAt,
    })
    .returning('id');
  return row.id;
}

export async function findById(db: Executor, id: number): Promise<IncomeRecord | undefined> {
  const r = await db('income_records').where({ id }).first();
  return r && toIncome(r);
}

export async function findByIds(db: Executor, ids: readonly number[]): Promise<IncomeRecord[]> {
  return (await db('income_records').whereIn('id', ids as number[])).map(toIncome);
}

export async function findByEntryIds(db: Executor, entryIds: readonly number[]): Promise<IncomeRecord[]> {
  return (await db('income_records').whereIn('entry_id', entryIds as number[])).map(toIncome);
}

/** The record of a village with this voucher number in the year of `receivedOn`, if any. */
export async function findByVoucher(db: Executor, villageCode: string, voucherNo: string, receivedOn: string): Promise<IncomeRecord | undefined> {
  const year = receivedOn.slice(0, 4);
  const r = await db('income_records')
    .where({ village_code: villageCode, voucher_no: voucherNo })
    .where('received_on', '>=', `${year}-01-01`)
    .where('received_on', '<=', `${year}-12-31`)
    .first();
  return r && toIncome(r);
}

/** Every record of the assets, oldest receipt first. */
export async function ofAssets(db: Executor, assetIds: readonly number[]): Promise<IncomeRecord[]> {
  return (await db('income_records').whereIn('asset_id', assetIds as number[]).orderBy(['received_on', 'id'])).map(toIncome);
}

/**
 * Income received by each asset between two dates (inclusive), in fen, leaving out receipts whose entry was
 * reversed (a reversed receipt was a mistake). Summed in SQL, exact on both databases.
 */
export async function receivedByAsset(db: Executor, assetIds: readonly number[], fromOn: string, toOn: string): Promise<Map<number, number>> {
  if (!assetIds.length) return new Map();
  const rows = await db('income_records')
    .whereIn('asset_id', assetIds as number[])
    .where('received_on', '>=', fromOn)
    .where('received_on', '<=', toOn)
    .whereNotIn('entry_id', reversedEntryIdsQuery(db))
    .groupBy('asset_id')
    .select('asset_id', db.raw('sum(amount_fen) as total'));
  return new Map(rows.map((r: any) => [r.asset_id, toInt(r.total)]));
}

/**
 * 最近收益日期 The latest receipt date of each asset (receipts whose entry was reversed left out): what idle
 * detection compares against. Derived, so a reversal moves it back by itself.
 */
export async function lastIncomeOn(db: Executor, assetIds: readonly number[], asOf?: string): Promise<Map<number, string>> {
  if (!assetIds.length) return new Map();
  const q = db('income_records');
  if (asOf) q.where('received_on', '<=', asOf);
  const rows = await q
    .whereIn('asset_id', assetIds as number[])
    .whereNotIn('entry_id', reversedEntryIdsQuery(db))
    .groupBy('asset_id')
    .select('asset_id', db.raw('max(received_on) as last_on'));
  return new Map(rows.map((r: any) => [r.asset_id, r.last_on]));
}

/** Receipts under the contracts between two dates (inclusive), reversed receipts left out. */
export async function receiptsUnderContracts(db: Executor, contractIds: readonly number[], fromOn: string, toOn: string): Promise<IncomeRecord[]> {
  const rows = await db('income_records')
    .whereIn('contract_id', contractIds as number[])
    .where('received_on', '>=', fromOn)
    .where('received_on', '<=', toOn)
    .whereNotIn('entry_id', reversedEntryIdsQuery(db))
    .orderBy(['received_on', 'id']);
  return rows.map(toIncome);
}

export interface IncomeFilter {
  regionPrefix: string;
  assetId?: number | null;
  kind?: IncomeKind | null;
  fromDate?: string | null;
  toDate?: string | null;
}

export function listQuery(db: Executor, f: IncomeFilter): Knex.QueryBuilder {
  const q = db('income_records').where('village_code', 'like', `${f.regionPrefix}%`);
  if (f.assetId) q.where('asset_id', f.assetId);
  if (f.kind) q.where('kind', f.kind);
  if (f.fromDate) q.where('received_on', '>=', f.fromDate);
  if (f.toDate) q.where('received_on', '<=', f.toDate);
  return q;
}

// ---- Audit reads as of a date (issue 14: reports) ------------------------------------------------------

/** 有租无合同: rent received on or before `asOf` with no contract behind it (reversed receipts left out), per asset. */
export async function rentWithoutContract(db: Executor, regionPrefix: string, asOf: string): Promise<{ assetId: number; receipts: number; totalFen: number; lastOn: string; firstId: number }[]> {
  const rows = await db('income_records')
    .where('village_code', 'like', `${regionPrefix}%`)
    .where('kind', 'RENT')
    .whereNull('contract_id')
    .where('received_on', '<=', asOf)
    .whereNotIn('entry_id', reversedEntryIdsQuery(db))
    .groupBy('asset_id')
    .select('asset_id', db.raw('count(*) as n'), db.raw('sum(amount_fen) as total'), db.raw('max(received_on) as last_on'), db.raw('min(id) as first_id'))
    .orderBy('asset_id');
  return rows.map((r: any) => ({ assetId: r.asset_id, receipts: toInt(r.n), totalFen: toInt(r.total), lastOn: r.last_on, firstId: r.first_id }));
}

/** The latest receipt on or before `asOf` of each asset (reversed receipts left out). */
export async function lastIncomeOnBy(db: Executor, assetIds: readonly number[], asOf: string): Promise<Map<number, string>> {
  if (!assetIds.length) return new Map();
  const rows = await db('income_records')
    .whereIn('asset_id', assetIds as number[])
    .where('received_on', '<=', asOf)
    .whereNotIn('entry_id', reversedEntryIdsQuery(db))
    .groupBy('asset_id')
    .select('asset_id', db.raw('max(received_on) as last_on'));
  return new Map(rows.map((r: any) => [r.asset_id, r.last_on]));
}

/** 账实核对 Income records after `afterId`, lowest id first: what verify reconciles with their entries. */
/** What reconciliation checks of each income record, rows with id > afterId in id order (only those columns). */
export async function reconcileRowsAfter(
  db: Executor,
  afterId: number,
  limit: number,
): Promise<Pick<IncomeRecord, 'id' | 'assetId' | 'payerPartyId' | 'amountFen' | 'entryId'>[]> {
  const rows = await db('income_records').where('id', '>', afterId).orderBy('id').limit(limit).select('id', 'asset_id', 'payer_party_id', 'amount_fen', 'entry_id');
  return rows.map((r: any) => ({ id: r.id, assetId: r.asset_id, payerPartyId: r.payer_party_id, amountFen: toInt(r.amount_fen), entryId: r.entry_id }));
}

