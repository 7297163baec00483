import type { Knex } from 'knex';
import type { Executor } from '../../db/connection';
import type {
  Contract,
  ContractDecision,
  ContractState,
  ContractTerms,
  ContractVersion,
  OperationMode,
} from './contracts.types';
import { DEFAULT_MAX_TERM_YEARS } from './contracts.types';

const termsOf = (r: any): ContractTerms => ({
  signedOn: r.v_signed_on ?? r.signed_on,
  effectiveFrom: r.effective_from,
  startOn: r.start_on,
  endOn: r.end_on,
  fee: {
    kind: r.fee_kind,
    amountFen: r.fee_amount_fen,
    rateBp: r.fee_rate_bp,
    period: r.fee_period,
  },
  guaranteedRateBp: r.guaranteed_rate_bp,
  depositFen: r.deposit_fen,
});

/** Maps a row of contractsQuery (a contract joined with its current version). */
export const toContract = (r: any): Contract => ({
  id: r.id,
  assetId: r.asset_id,
  countyCode: r.county_code,
  villageCode: r.village_code,
  contractNo: r.contract_no,
  mode: r.mode,
  operatorPartyId: r.operator_party_id,
  status: r.status,
  signedOn: r.signed_on,
  startOn: r.start_on,
  endOn: r.end_on,
  termMonths: r.term_months,
  currentVersion: r.current_version,
  terminatedOn: r.terminated_on,
  terminationReason: r.termination_reason,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  terms: termsOf(r),
});

const toVersion = (r: any): ContractVersion => ({
  id: r.id,
  contractId: r.contract_id,
  version: r.version,
  kind: r.kind,
  reason: r.reason,
  actorUserId: r.actor_user_id,
  recordedAt: r.recorded_at,
  ...termsOf(r),
});

const toDecision = (r: any): ContractDecision => ({
  id: r.id,
  contractId: r.contract_id,
  version: r.version,
  kind: r.kind,
  reference: r.reference,
  decidedOn: r.decided_on,
  partyId: r.party_id,
  recordedAt: r.recorded_at,
});

/** Contracts joined with their current version; the contract's own columns win on shared names. */
export function contractsQuery(db: Executor): Knex.QueryBuilder {
  return db('contracts')
    .join('contract_versions as v', function () {
      this.on('v.contract_id', '=', 'contracts.id').andOn('v.version', '=', 'contracts.current_version');
    })
    .select(
      'contracts.*',
      'v.signed_on as v_signed_on',
      'v.effective_from',
      'v.fee_kind',
      'v.fee_amount_fen',
      'v.fee_rate_bp',
      'v.fee_period',
      'v.guaranteed_rate_bp',
      'v.deposit_fen',
    );
}

export async function findById(db: Executor, id: number): Promise<Contract | undefined> {
  const r = await contractsQuery(db).where('contracts.id', id).first();
  return r && toContract(r);
}

export async function findByIds(db: Executor, ids: readonly number[]): Promise<Contract[]> {
  return (await contractsQuery(db).whereIn('contracts.id', ids as number[])).map(toContract);
}

export async function findByAssetIds(db: Executor, assetIds: readonly number[]): Promise<Contract[]> {
  const rows = await contractsQuery(db).whereIn('contracts.asset_id', assetIds as number[]).orderBy(['contracts.start_on', 'contracts.id']);
  return rows.map(toContract);
}

export async function findByNumber(db: Executor, countyCode: string, contractNo: string): Promise<Contract | undefined> {
  const r = await contractsQuery(db).where({ 'contracts.county_code': countyCode, 'contracts.contract_no': contractNo }).first();
  return r && toContract(r);
}


/** The asset's most recent contract before a new one (by start date), for the mode-change rule. */
export async function latestOfAsset(db: Executor, assetId: number): Promise<Contract | undefined> {
  const r = await contractsQuery(db)
    .where('contracts.asset_id', assetId)
    .where((w) => w.whereNull('contracts.terminated_on').orWhereRaw('contracts.terminated_on > contracts.start_on'))
    .orderBy([
      { column: 'contracts.start_on', order: 'desc' },
      { column: 'contracts.id', order: 'desc' },
    ])
    .first();
  return r && toContract(r);
}

export interface NewContract {
  assetId: number;
  countyCode: string;
  villageCode: string;
  contractNo: string;
  mode: OperationMode;
  operatorPartyId: number;
  termMonths: number;
  createdAt: string;
}

export async function insert(db: Executor, c: NewContract, terms: ContractTerms): Promise<number> {
  const [r] = await db('contracts')
    .insert({
      asset_id: c.assetId,
      county_code: c.countyCode,
      village_code: c.villageCode,
      contract_no: c.contractNo,
      mode: c.mode,
      operator_party_id: c.operatorPartyId,
      status: 'OPEN',
      signed_on: terms.signedOn,
      start_on: terms.startOn,
      end_on: terms.endOn,
      term_months: c.termMonths,
      current_version: 1,
      terminated_on: null,
      termination_reason: null,
      created_at: c.createdAt,
      updated_at: c.createdAt,
    })
    .returning('id');
  return r.id;
}

export async function insertVersion(db: Executor, v: Omit<ContractVersion, 'id'>): Promise<number> {
  const [r] = await db('contract_versions')
    .insert({
      contract_id: v.contractId,
      version: v.version,
      kind: v.kind,
      signed_on: v.signedOn,
      effective_from: v.effectiveFrom,
      start_on: v.startOn,
      end_on: v.endOn,
      fee_kind: v.fee.kind,
      fee_amount_fen: v.fee.amountFen,
      fee_rate_bp: v.fee.rateBp,
      fee_period: v.fee.period,
      guaranteed_rate_bp: v.guaranteedRateBp,
      deposit_fen: v.depositFen,
      reason: v.reason,
      actor_user_id: v.actorUserId,
      recorded_at: v.recordedAt,
    })
    .returning('id');
  return r.id;
}

/** Points the contract at a new version and mirrors that version's term for the indexed checks. */
export async function setCurrentVersion(
  db: Executor,
  id: number,
  p: { version: number; endOn: string; termMonths: number; updatedAt: string },
): Promise<void> {
  await db('contracts')
    .where({ id })
    .update({ current_version: p.version, end_on: p.endOn, term_months: p.termMonths, updated_at: p.updatedAt });
}

export async function terminate(db: Executor, id: number, p: { terminatedOn: string; reason: string; updatedAt: string }): Promise<void> {
  await db('contracts')
    .where({ id, status: 'OPEN' })
    .update({ status: 'TERMINATED', terminated_on: p.terminatedOn, termination_reason: p.reason, updated_at: p.updatedAt });
}

export async function versionsOf(db: Executor, contractIds: readonly number[]): Promise<ContractVersion[]> {
  return (await db('contract_versions').whereIn('contract_id', contractIds as number[]).orderBy(['contract_id', 'version'])).map(toVersion);
}

export async function insertDecisions(db: Executor, rows: Omit<ContractDecision, 'id'>[]): Promise<void> {
  if (!rows.length) return;
  await db('contract_decisions').insert(
    rows.map((d) => ({
      contract_id: d.contractId,
      version: d.version,
      kind: d.kind,
      reference: d.reference,
      decided_on: d.decidedOn,
      party_id: d.partyId,
      recorded_at: d.recordedAt,
    })),
  );
}

export async function decisionsOf(db: Executor, contractIds: readonly number[]): Promise<ContractDecision[]> {
  return (await db('contract_decisions').whereIn('contract_id', contractIds as number[]).orderBy('id')).map(toDecision);
}

export interface ContractFilter {
  regionPrefix: string;
  assetId?: number | null;
  operatorPartyId?: number | null;
  mode?: OperationMode | null;
  state?: ContractState | null;
  text?: string | null;
}

export function listQuery(db: Executor, f: ContractFilter, today: string): Knex.QueryBuilder {
  const q = contractsQuery(db).where('contracts.village_code', 'like', `${f.regionPrefix}%`);
  if (f.assetId) q.where('contracts.asset_id', f.assetId);
  if (f.operatorPartyId) q.where('contracts.operator_party_id', f.operatorPartyId);
  if (f.mode) q.where('contracts.mode', f.mode);
  if (f.text) q.whereRaw('lower(contracts.contract_no) like ?', [`%${f.text.toLowerCase().replace(/[%_\\]/g, '')}%`]);
  if (f.state === 'TERMINATED') q.where('contracts.status', 'TERMINATED');
  else if (f.state) {
    q.where('contracts.status', 'OPEN');
    if (f.state === 'PENDING') q.where('contracts.start_on', '>', today);
    if (f.state === 'EXPIRED') q.where('contracts.end_on', '<', today);
    if (f.state === 'ACTIVE') q.where('contracts.start_on', '<=', today).where('contracts.end_on', '>=', today);
  }
  return q;
}

/** Open contracts whose end falls within today..until. */
export function expiringQuery(db: Executor, regionPrefix: string, today: string, until: string): Knex.QueryBuilder {
  return contractsQuery(db)
    .where('contracts.village_code', 'like', `${regionPrefix}%`)
    .where('contracts.status', 'OPEN')
    .whereBetween('contracts.end_on', [today, until]);
}

/**
 * Open, unexpired contracts with an outside operator whose term exceeds their county's maximum (`limits`,
 * from the county policy; DEFAULT_MAX_TERM_YEARS where a county set none), or `maxYears` when given.
 * Self-operation is the owner running its own asset: it has no term to abuse.
 */
export function overlongQuery(
  db: Executor,
  regionPrefix: string,
  today: string,
  maxYears: number | null,
  limits: ReadonlyMap<string, number> = new Map(),
): Knex.QueryBuilder {
  const q = contractsQuery(db)
    .where('contracts.village_code', 'like', `${regionPrefix}%`)
    .where('contracts.status', 'OPEN')
    .where('contracts.end_on', '>=', today)
    .whereNot('contracts.mode', 'SELF_OPERATED');
  if (maxYears !== null) return q.where('contracts.term_months', '>', maxYears * 12);
  const counties = [...limits.keys()];
  return q.where((w) => {
    for (const [county, years] of limits) w.orWhere((c) => c.where('contracts.county_code', county).where('contracts.term_months', '>', years * 12));
    w.orWhere((c) => {
      if (counties.length) c.whereNotIn('contracts.county_code', counties);
      c.where('contracts.term_months', '>', DEFAULT_MAX_TERM_YEARS * 12);
    });
  });
}

/** Records the approved chain a mode-changing contract was signed under. */
export async function setModeChangeChain(db: Executor, id: number, chainId: number): Promise<void> {
  await db('contracts').where({ id }).update({ mode_change_chain_id: chainId });
}

export async function isModeChangeChainUsed(db: Executor, chainId: number): Promise<boolean> {
  return !!(await db('contracts').where({ mode_change_chain_id: chainId }).first('id'));
}

export async function modeChangeChainOf(db: Executor, ids: readonly number[]): Promise<{ id: number; chainId: number | null }[]> {
  return (await db('contracts').whereIn('id', ids as number[]).select('id', 'mode_change_chain_id')).map((r: any) => ({ id: r.id, chainId: r.mode_change_chain_id }));
}

// ---- Audit reads as of a date (issue 14: reports) ------------------------------------------------------

/** A contract in force on `asOf` (not yet terminated then), as SQL over the alias. */
const inForceOn = (alias: string) =>
  `${alias}.start_on <= ? AND ${alias}.end_on >= ? AND (${alias}.status = 'OPEN' OR ${alias}.terminated_on > ?)`;

/**
 * 合同到期未处理: contracts whose term ended before `asOf` and that were never terminated (or only after
 * `asOf`), while no other contract of the asset is in force on `asOf` — an expired lease left open (长期挂账).
 */
export async function expiredUnclosed(db: Executor, regionPrefix: string, asOf: string): Promise<Contract[]> {
  const rows = await contractsQuery(db)
    .where('contracts.village_code', 'like', `${regionPrefix}%`)
    .where('contracts.end_on', '<', asOf)
    .where((w) => w.where('contracts.status', 'OPEN').orWhere('contracts.terminated_on', '>', asOf))
    .whereNotExists(
      db('contracts as c2').whereRaw('c2.asset_id = contracts.asset_id AND c2.id <> contracts.id').whereRaw(inForceOn('c2'), [asOf, asOf, asOf]),
    )
    .orderBy('contracts.id');
  return rows.map(toContract);
}

/** 时间倒置: contract versions signed after the term they govern began (a lease running before its contract). */
export async function signedAfterStart(db: Executor, regionPrefix: string, asOf: string): Promise<{ contract: Contract; version: number; signedOn: string; startOn: string }[]> {
  const rows = await db('contract_versions as cv')
    .join('contracts', 'contracts.id', 'cv.contract_id')
    .where('contracts.village_code', 'like', `${regionPrefix}%`)
    .where('cv.signed_on', '<=', asOf)
    .whereRaw('cv.signed_on > cv.start_on')
    .where('cv.kind', 'ORIGINAL')
    .select('contracts.id as contract_id', 'cv.version', 'cv.signed_on as cv_signed_on', 'cv.start_on as cv_start_on')
    .orderBy('contracts.id');
  const contracts = new Map((await findByIds(db, rows.map((r: any) => r.contract_id))).map((c) => [c.id, c]));
  return rows.map((r: any) => ({ contract: contracts.get(r.contract_id)!, version: r.version, signedOn: r.cv_signed_on, startOn: r.cv_start_on }));
}
