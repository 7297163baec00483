/**
 * The only code that touches the bundle tables (migrations/20261205010000_bundles.ts). Share events, share
 * lines, revaluations, profits and income splits are append-only (triggers on both databases).
 */
import type { Knex } from 'knex';
import { Executor, toInt } from '../../db/connection';
import type {
  Bundle,
  BundleContribution,
  BundleMember,
  BundleProfit,
  BundleRevaluation,
  IncomeSplit,
  ShareEvent,
  ShareLine,
  SplitLine,
} from './bundles.types';

const pg = (db: Executor) => db.client.config.client === 'pg';
const ids = (xs: readonly number[]) => xs as number[];

async function insertReturningId(db: Executor, table: string, row: Record<string, unknown>): Promise<number> {
  const [r] = await db(table).insert(row).returning('id');
  return typeof r === 'object' ? r.id : r;
}

// ---------------------------------------------------------------------------------------------- bundles

export const toBundle = (r: any): Bundle => ({
  id: r.id,
  partyId: r.party_id,
  name: r.name,
  legalForm: r.legal_form,
  countyCode: r.county_code,
  regionCode: r.region_code,
  status: r.status,
  startOn: r.start_on,
  dissolvedOn: r.dissolved_on,
  dissolveReason: r.dissolve_reason,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function insertBundle(db: Executor, b: Omit<Bundle, 'id'>): Promise<number> {
  return insertReturningId(db, 'bundles', {
    party_id: b.partyId,
    name: b.name,
    legal_form: b.legalForm,
    county_code: b.countyCode,
    region_code: b.regionCode,
    status: b.status,
    start_on: b.startOn,
    dissolved_on: b.dissolvedOn,
    dissolve_reason: b.dissolveReason,
    created_by: b.createdBy,
    created_at: b.createdAt,
    updated_at: b.updatedAt,
  });
}

/** Reads a venture; `lock` takes its row until the transaction ends (PostgreSQL; SQLite serialises writers). */
export async function findBundle(db: Executor, id: number, lock = false): Promise<Bundle | undefined> {
  const q = db('bundles').where({ id }).first();
  if (lock && pg(db)) q.forUpdate();
  const r = await q;
  return r && toBundle(r);
}

export async function findBundles(db: Executor, bundleIds: readonly number[]): Promise<Bundle[]> {
  return (await db('bundles').whereIn('id', ids(bundleIds))).map(toBundle);
}

export async function findBundleByParty(db: Executor, partyId: number): Promise<Bundle | undefined> {
  const r = await db('bundles').where({ party_id: partyId }).first();
  return r && toBundle(r);
}

export async function findBundleByName(db: Executor, countyCode: string, name: string): Promise<Bundle | undefined> {
  const r = await db('bundles').where({ county_code: countyCode, name }).first();
  return r && toBundle(r);
}

export async function updateBundle(db: Executor, id: number, patch: Partial<Pick<Bundle, 'status' | 'dissolvedOn' | 'dissolveReason' | 'updatedAt'>>) {
  const row: Record<string, unknown> = {};
  if (patch.status !== undefined) row.status = patch.status;
  if (patch.dissolvedOn !== undefined) row.dissolved_on = patch.dissolvedOn;
  if (patch.dissolveReason !== undefined) row.dissolve_reason = patch.dissolveReason;
  if (patch.updatedAt !== undefined) row.updated_at = patch.updatedAt;
  await db('bundles').where({ id }).update(row);
}

export interface BundleFilter {
  /** The actor's scope (or a region inside it): ventures supervised inside it or with a member inside it. */
  regionPrefix: string;
  status?: string | null;
  villageCode?: string | null;
  text?: string | null;
}

export function listQuery(db: Executor, f: BundleFilter): Knex.QueryBuilder {
  const q = db('bundles').select('bundles.*');
  q.where((w) =>
    w
      .where('bundles.region_code', 'like', `${f.regionPrefix}%`)
      .orWhereIn('bundles.id', db('bundle_members').select('bundle_id').where('village_code', 'like', `${f.regionPrefix}%`)),
  );
  if (f.status) q.where('bundles.status', f.status);
  if (f.villageCode) q.whereIn('bundles.id', db('bundle_members').select('bundle_id').where('village_code', f.villageCode));
  if (f.text) q.where('bundles.name', 'like', `%${f.text}%`);
  return q;
}

// ---------------------------------------------------------------------------------------------- members

export const toMember = (r: any): BundleMember => ({
  id: r.id,
  bundleId: r.bundle_id,
  villageCode: r.village_code,
  partyId: r.party_id,
  status: r.status,
  invitedOn: r.invited_on,
  joinedOn: r.joined_on,
  withdrawnOn: r.withdrawn_on,
  withdrawReason: r.withdraw_reason,
  withdrawChainId: r.withdraw_chain_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function insertMember(db: Executor, m: Omit<BundleMember, 'id'>): Promise<number> {
  return insertReturningId(db, 'bundle_members', {
    bundle_id: m.bundleId,
    village_code: m.villageCode,
    party_id: m.partyId,
    status: m.status,
    invited_on: m.invitedOn,
    joined_on: m.joinedOn,
    withdrawn_on: m.withdrawnOn,
    withdraw_reason: m.withdrawReason,
    withdraw_chain_id: m.withdrawChainId,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
  });
}

export async function membersOf(db: Executor, bundleIds: readonly number[]): Promise<BundleMember[]> {
  return (await db('bundle_members').whereIn('bundle_id', ids(bundleIds)).orderBy('village_code')).map(toMember);
}

export async function findMembers(db: Executor, memberIds: readonly number[]): Promise<BundleMember[]> {
  return (await db('bundle_members').whereIn('id', ids(memberIds))).map(toMember);
}

export async function findMember(db: Executor, id: number): Promise<BundleMember | undefined> {
  const r = await db('bundle_members').where({ id }).first();
  return r && toMember(r);
}

export async function updateMember(
  db: Executor,
  id: number,
  patch: Partial<Pick<BundleMember, 'status' | 'joinedOn' | 'withdrawnOn' | 'withdrawReason' | 'withdrawChainId' | 'updatedAt'>>,
) {
  const cols: Record<string, string> = {
    status: 'status',
    joinedOn: 'joined_on',
    withdrawnOn: 'withdrawn_on',
    withdrawReason: 'withdraw_reason',
    withdrawChainId: 'withdraw_chain_id',
    updatedAt: 'updated_at',
  };
  const row: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) row[cols[k]] = v;
  await db('bundle_members').where({ id }).update(row);
}

/** The memberships of villages inside a prefix (a village's ventures). */
export async function membershipsUnder(db: Executor, prefix: string): Promise<BundleMember[]> {
  return (await db('bundle_members').where('village_code', 'like', `${prefix}%`).orderBy('id')).map(toMember);
}

// ---------------------------------------------------------------------------------------------- contributions

export const toContribution = (r: any): BundleContribution => ({
  id: r.id,
  bundleId: r.bundle_id,
  memberId: r.member_id,
  kind: r.kind,
  assetId: r.asset_id,
  valueFen: toInt(r.value_fen),
  appraiser: r.appraiser,
  appraisedOn: r.appraised_on,
  appraisalReportNo: r.appraisal_report_no,
  appraisalDocumentId: r.appraisal_document_id,
  ownerWeights: JSON.parse(r.owner_weights),
  contributedOn: r.contributed_on,
  effectiveOn: r.effective_on,
  status: r.status,
  chainId: r.chain_id,
  entryId: r.entry_id,
  returnedOn: r.returned_on,
  returnEntryId: r.return_entry_id,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function insertContribution(db: Executor, c: Omit<BundleContribution, 'id'>): Promise<number> {
  return insertReturningId(db, 'bundle_contributions', {
    bundle_id: c.bundleId,
    member_id: c.memberId,
    kind: c.kind,
    asset_id: c.assetId,
    value_fen: c.valueFen,
    appraiser: c.appraiser,
    appraised_on: c.appraisedOn,
    appraisal_report_no: c.appraisalReportNo,
    appraisal_document_id: c.appraisalDocumentId,
    owner_weights: JSON.stringify(c.ownerWeights),
    contributed_on: c.contributedOn,
    effective_on: c.effectiveOn,
    status: c.status,
    chain_id: c.chainId,
    entry_id: c.entryId,
    returned_on: c.returnedOn,
    return_entry_id: c.returnEntryId,
    created_by: c.createdBy,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  });
}

export async function contributionsOf(db: Executor, bundleIds: readonly number[]): Promise<BundleContribution[]> {
  return (await db('bundle_contributions').whereIn('bundle_id', ids(bundleIds)).orderBy('id')).map(toContribution);
}

export async function findContribution(db: Executor, id: number): Promise<BundleContribution | undefined> {
  const r = await db('bundle_contributions').where({ id }).first();
  return r && toContribution(r);
}

/** Contributions of an asset still pending or in force (at most one may be). */
export async function openContributionsOfAsset(db: Executor, assetId: number): Promise<BundleContribution[]> {
  return (await db('bundle_contributions').where({ asset_id: assetId }).whereIn('status', ['PENDING', 'ACTIVE'])).map(toContribution);
}

export async function updateContribution(
  db: Executor,
  id: number,
  patch: Partial<Pick<BundleContribution, 'status' | 'effectiveOn' | 'entryId' | 'valueFen' | 'ownerWeights' | 'returnedOn' | 'returnEntryId' | 'updatedAt'>>,
) {
  const cols: Record<string, string> = {
    status: 'status',
    effectiveOn: 'effective_on',
    entryId: 'entry_id',
    valueFen: 'value_fen',
    returnedOn: 'returned_on',
    returnEntryId: 'return_entry_id',
    updatedAt: 'updated_at',
  };
  const row: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    if (k === 'ownerWeights') row.owner_weights = JSON.stringify(v);
    else row[cols[k]] = v;
  }
  await db('bundle_contributions').where({ id }).update(row);
}

// ---------------------------------------------------------------------------------------------- revaluations

const toRevaluation = (r: any): BundleRevaluation => ({
  id: r.id,
  contributionId: r.contribution_id,
  valueBeforeFen: toInt(r.value_before_fen),
  valueAfterFen: toInt(r.value_after_fen),
  appraiser: r.appraiser,
  appraisedOn: r.appraised_on,
  appraisalReportNo: r.appraisal_report_no,
  appraisalDocumentId: r.appraisal_document_id,
  effectiveOn: r.effective_on,
  reason: r.reason,
  actorUserId: r.actor_user_id,
  recordedAt: r.recorded_at,
});

export function insertRevaluation(db: Executor, v: Omit<BundleRevaluation, 'id'>): Promise<number> {
  return insertReturningId(db, 'bundle_revaluations', {
    contribution_id: v.contributionId,
    value_before_fen: v.valueBeforeFen,
    value_after_fen: v.valueAfterFen,
    appraiser: v.appraiser,
    appraised_on: v.appraisedOn,
    appraisal_report_no: v.appraisalReportNo,
    appraisal_document_id: v.appraisalDocumentId,
    effective_on: v.effectiveOn,
    reason: v.reason,
    actor_user_id: v.actorUserId,
    recorded_at: v.recordedAt,
  });
}

export async function revaluationsOf(db: Executor, contributionIds: readonly number[]): Promise<BundleRevaluation[]> {
  return (await db('bundle_revaluations').whereIn('contribution_id', ids(contributionIds)).orderBy('id')).map(toRevaluation);
}

// ---------------------------------------------------------------------------------------------- share events

export async function insertShareEvent(db: Executor, e: Omit<ShareEvent, 'id'>): Promise<number> {
  const id = await insertReturningId(db, 'bundle_share_events', {
    bundle_id: e.bundleId,
    seq: e.seq,
    effective_on: e.effectiveOn,
    cause: e.cause,
    subject_id: e.subjectId,
    actor_user_id: e.actorUserId,
    recorded_at: e.recordedAt,
  });
  if (e.lines.length) {
    await db('bundle_share_lines').insert(
      e.lines.map((l) => ({ event_id: id, member_id: l.memberId, village_code: l.villageCode, value_fen: l.valueFen, share_bp: l.shareBp })),
    );
  }
  return id;
}

const toLine = (r: any): ShareLine => ({ memberId: r.member_id, villageCode: r.village_code, valueFen: toInt(r.value_fen), shareBp: r.share_bp });

/** Every share event of the ventures, with its whole table, in recording order. */
export async function shareEventsOf(db: Executor, bundleIds: readonly number[]): Promise<ShareEvent[]> {
  const rows = await db('bundle_share_events').whereIn('bundle_id', ids(bundleIds)).orderBy(['bundle_id', 'seq']);
  if (!rows.length) return [];
  const lines = await db('bundle_share_lines').whereIn('event_id', rows.map((r: any) => r.id)).orderBy(['event_id', 'village_code']);
  return rows.map((r: any) => ({
    id: r.id,
    bundleId: r.bundle_id,
    seq: r.seq,
    effectiveOn: r.effective_on,
    cause: r.cause,
    subjectId: r.subject_id,
    actorUserId: r.actor_user_id,
    recordedAt: r.recorded_at,
    lines: lines.filter((l: any) => l.event_id === r.id).map(toLine),
  }));
}

// ---------------------------------------------------------------------------------------------- profits and splits

const toProfit = (r: any): BundleProfit => ({
  id: r.id,
  bundleId: r.bundle_id,
  year: r.year,
  profitFen: toInt(r.profit_fen),
  declaredOn: r.declared_on,
  reference: r.reference,
  memo: r.memo,
  actorUserId: r.actor_user_id,
  recordedAt: r.recorded_at,
});

export function insertProfit(db: Executor, p: Omit<BundleProfit, 'id'>): Promise<number> {
  return insertReturningId(db, 'bundle_profits', {
    bundle_id: p.bundleId,
    year: p.year,
    profit_fen: p.profitFen,
    declared_on: p.declaredOn,
    reference: p.reference,
    memo: p.memo,
    actor_user_id: p.actorUserId,
    recorded_at: p.recordedAt,
  });
}

export async function findProfit(db: Executor, bundleId: number, year: number): Promise<BundleProfit | undefined> {
  const r = await db('bundle_profits').where({ bundle_id: bundleId, year }).first();
  return r && toProfit(r);
}

export async function profitsOf(db: Executor, bundleIds: readonly number[]): Promise<BundleProfit[]> {
  return (await db('bundle_profits').whereIn('bundle_id', ids(bundleIds)).orderBy(['bundle_id', 'year'])).map(toProfit);
}

export async function insertSplit(db: Executor, s: Omit<IncomeSplit, 'id'>): Promise<number> {
  const id = await insertReturningId(db, 'bundle_income_splits', {
    bundle_id: s.bundleId,
    profit_id: s.profitId,
    amount_fen: s.amountFen,
    split_on: s.splitOn,
    share_event_id: s.shareEventId,
    entry_id: s.entryId,
    actor_user_id: s.actorUserId,
    recorded_at: s.recordedAt,
  });
  await db('bundle_income_split_lines').insert(
    s.lines.map((l) => ({ split_id: id, member_id: l.memberId, village_code: l.villageCode, share_bp: l.shareBp, amount_fen: l.amountFen })),
  );
  return id;
}

async function withLines(db: Executor, rows: any[]): Promise<IncomeSplit[]> {
  if (!rows.length) return [];
  const lines = await db('bundle_income_split_lines').whereIn('split_id', rows.map((r) => r.id)).orderBy(['split_id', 'village_code']);
  return rows.map((r) => ({
    id: r.id,
    bundleId: r.bundle_id,
    profitId: r.profit_id,
    amountFen: toInt(r.amount_fen),
    splitOn: r.split_on,
    shareEventId: r.share_event_id,
    entryId: r.entry_id,
    actorUserId: r.actor_user_id,
    recordedAt: r.recorded_at,
    lines: lines
      .filter((l: any) => l.split_id === r.id)
      .map((l: any): SplitLine => ({ memberId: l.member_id, villageCode: l.village_code, shareBp: l.share_bp, amountFen: toInt(l.amount_fen) })),
  }));
}

export async function splitsOf(db: Executor, bundleIds: readonly number[]): Promise<IncomeSplit[]> {
  return withLines(db, await db('bundle_income_splits').whereIn('bundle_id', ids(bundleIds)).orderBy('id'));
}

export async function splitsByEntries(db: Executor, entryIds: readonly number[]): Promise<IncomeSplit[]> {
  return withLines(db, await db('bundle_income_splits').whereIn('entry_id', ids(entryIds)));
}

export async function splitByEntry(db: Executor, entryId: number): Promise<IncomeSplit | undefined> {
  return (await withLines(db, await db('bundle_income_splits').where({ entry_id: entryId })))[0];
}

export async function splitTotalOfProfit(db: Executor, profitId: number): Promise<number> {
  const r = await db('bundle_income_splits').where({ profit_id: profitId }).sum({ total: 'amount_fen' }).first();
  return toInt(r?.total ?? 0);
}

export async function findSplit(db: Executor, id: number): Promise<IncomeSplit | undefined> {
  return (await withLines(db, await db('bundle_income_splits').where({ id })))[0];
}

// ---------------------------------------------------------------------------------------------- 账实核对

/** Income splits (with their lines) after `afterId`, lowest id first: what verify reconciles. */
export async function splitsAfter(db: Executor, afterId: number, limit: number): Promise<IncomeSplit[]> {
  return withLines(db, await db('bundle_income_splits').where('id', '>', afterId).orderBy('id').limit(limit));
}

/** Contributions after `afterId`, lowest id first: what verify reconciles. */
export async function contributionsAfter(db: Executor, afterId: number, limit: number): Promise<BundleContribution[]> {
  return (await db('bundle_contributions').where('id', '>', afterId).orderBy('id').limit(limit)).map(toContribution);
}
