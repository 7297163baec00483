import { Executor, toInt } from '../../db/connection';
import type {
  BenefitLinkage,
  CaseStatus,
  RevitalisationCase,
  RevitalisationCaseUpdate,
  RevitalisationFlag,
  RevitalisationPath,
} from './revitalisation.types';

/** The only code that touches revitalisation_flags, revitalisation_cases(_updates) and benefit_linkage_records. */

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
const parse = (v: unknown) => (v === null || v === undefined ? null : typeof v === 'string' ? JSON.parse(v) : v);

export const toFlag = (r: any): RevitalisationFlag => ({
  id: r.id,
  assetId: r.asset_id,
  villageCode: r.village_code,
  kind: r.kind,
  raisedOn: r.raised_on,
  year: r.year ?? null,
  evidence: parse(r.evidence),
  assetEventId: r.asset_event_id,
  actorUserId: r.actor_user_id,
  recordedAt: r.recorded_at,
});

export async function insertFlag(db: Executor, f: Omit<RevitalisationFlag, 'id'>): Promise<number> {
  const [row] = await db('revitalisation_flags')
    .insert({
      asset_id: f.assetId,
      village_code: f.villageCode,
      kind: f.kind,
      raised_on: f.raisedOn,
      year: f.year,
      evidence: json(f.evidence),
      asset_event_id: f.assetEventId,
      actor_user_id: f.actorUserId,
      recorded_at: f.recordedAt,
    })
    .returning('id');
  return row.id;
}

export async function flagsOf(db: Executor, assetIds: readonly number[]): Promise<RevitalisationFlag[]> {
  if (!assetIds.length) return [];
  return (await db('revitalisation_flags').whereIn('asset_id', assetIds as number[]).orderBy(['raised_on', 'id'])).map(toFlag);
}

export async function findFlagsByIds(db: Executor, ids: readonly number[]): Promise<RevitalisationFlag[]> {
  return (await db('revitalisation_flags').whereIn('id', ids as number[])).map(toFlag);
}

export const toCase = (r: any): RevitalisationCase => ({
  id: r.id,
  assetId: r.asset_id,
  villageCode: r.village_code,
  flagId: r.flag_id,
  assetValueFen: toInt(r.asset_value_fen),
  path: r.path,
  measures: r.measures,
  responsibleUnit: r.responsible_unit,
  responsiblePerson: r.responsible_person,
  openedOn: r.opened_on,
  deadlineOn: r.deadline_on,
  target: r.target,
  targetIncomeFen: r.target_income_fen === null || r.target_income_fen === undefined ? null : toInt(r.target_income_fen),
  status: r.status,
  endedOn: r.ended_on ?? null,
  closingKind: r.closing_kind ?? null,
  closingEvidence: parse(r.closing_evidence),
  abandonReason: r.abandon_reason ?? null,
  actorUserId: r.actor_user_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function insertCase(db: Executor, c: Omit<RevitalisationCase, 'id'>): Promise<number> {
  const [row] = await db('revitalisation_cases')
    .insert({
      asset_id: c.assetId,
      village_code: c.villageCode,
      flag_id: c.flagId,
      asset_value_fen: c.assetValueFen,
      path: c.path,
      measures: c.measures,
      responsible_unit: c.responsibleUnit,
      responsible_person: c.responsiblePerson,
      opened_on: c.openedOn,
      deadline_on: c.deadlineOn,
      target: c.target,
      target_income_fen: c.targetIncomeFen,
      status: c.status,
      ended_on: c.endedOn,
      closing_kind: c.closingKind,
      closing_evidence: json(c.closingEvidence),
      abandon_reason: c.abandonReason,
      actor_user_id: c.actorUserId,
      created_at: c.createdAt,
      updated_at: c.updatedAt,
    })
    .returning('id');
  return row.id;
}

export async function updateCase(db: Executor, id: number, patch: Partial<Omit<RevitalisationCase, 'id'>>): Promise<void> {
  const cols: Record<string, unknown> = {};
  const map: Record<string, string> = {
    path: 'path',
    measures: 'measures',
    responsibleUnit: 'responsible_unit',
    responsiblePerson: 'responsible_person',
    deadlineOn: 'deadline_on',
    target: 'target',
    targetIncomeFen: 'target_income_fen',
    status: 'status',
    endedOn: 'ended_on',
    closingKind: 'closing_kind',
    abandonReason: 'abandon_reason',
    updatedAt: 'updated_at',
  };
  for (const [k, v] of Object.entries(patch)) {
    if (k === 'closingEvidence') cols.closing_evidence = json(v);
    else if (map[k]) cols[map[k]] = v;
  }
  await db('revitalisation_cases').where({ id }).update(cols);
}

export async function findCase(db: Executor, id: number, forUpdate = false): Promise<RevitalisationCase | undefined> {
  const q = db('revitalisation_cases').where({ id });
  if (forUpdate && db.client.config.client === 'pg') q.forUpdate();
  const r = await q.first();
  return r && toCase(r);
}

export async function findCasesByIds(db: Executor, ids: readonly number[]): Promise<RevitalisationCase[]> {
  return (await db('revitalisation_cases').whereIn('id', ids as number[])).map(toCase);
}

export async function openCaseOf(db: Executor, assetId: number): Promise<RevitalisationCase | undefined> {
  const r = await db('revitalisation_cases').where({ asset_id: assetId, status: 'OPEN' }).first();
  return r && toCase(r);
}

export async function casesOfAssets(db: Executor, assetIds: readonly number[]): Promise<RevitalisationCase[]> {
  if (!assetIds.length) return [];
  return (await db('revitalisation_cases').whereIn('asset_id', assetIds as number[]).orderBy('id')).map(toCase);
}

export interface CaseFilter {
  regionPrefix: string;
  status?: CaseStatus | null;
  path?: RevitalisationPath | null;
  assetId?: number | null;
  overdueOn?: string | null;
}

export function casesQuery(db: Executor, f: CaseFilter) {
  const q = db('revitalisation_cases').where('village_code', 'like', `${f.regionPrefix}%`);
  if (f.status) q.where('status', f.status);
  if (f.path) q.where('path', f.path);
  if (f.assetId) q.where('asset_id', f.assetId);
  if (f.overdueOn) q.where('status', 'OPEN').where('deadline_on', '<', f.overdueOn);
  return q;
}

/** Every case of the region opened on or before `toOn` (the 盘活率 and overview read them all). */
export async function casesUnder(db: Executor, regionPrefix: string, toOn: string): Promise<RevitalisationCase[]> {
  return (await db('revitalisation_cases').where('village_code', 'like', `${regionPrefix}%`).where('opened_on', '<=', toOn).orderBy('id')).map(toCase);
}

export const toUpdate = (r: any): RevitalisationCaseUpdate => ({
  id: r.id,
  caseId: r.case_id,
  kind: r.kind,
  onDate: r.on_date,
  note: r.note ?? null,
  changes: parse(r.changes),
  actorUserId: r.actor_user_id,
  recordedAt: r.recorded_at,
});

export async function insertUpdate(db: Executor, u: Omit<RevitalisationCaseUpdate, 'id'>): Promise<number> {
  const [row] = await db('revitalisation_case_updates')
    .insert({
      case_id: u.caseId,
      kind: u.kind,
      on_date: u.onDate,
      note: u.note,
      changes: json(u.changes),
      actor_user_id: u.actorUserId,
      recorded_at: u.recordedAt,
    })
    .returning('id');
  return row.id;
}

export async function updatesOf(db: Executor, caseIds: readonly number[]): Promise<RevitalisationCaseUpdate[]> {
  if (!caseIds.length) return [];
  return (await db('revitalisation_case_updates').whereIn('case_id', caseIds as number[]).orderBy('id')).map(toUpdate);
}

export const toBenefit = (r: any): BenefitLinkage => ({
  id: r.id,
  assetId: r.asset_id,
  villageCode: r.village_code,
  year: r.year,
  outputValueFen: toInt(r.output_value_fen),
  wagesFen: toInt(r.wages_fen),
  poorWorkers: r.poor_workers,
  poorWorkerEarningsFen: toInt(r.poor_worker_earnings_fen),
  source: r.source ?? null,
  actorUserId: r.actor_user_id,
  recordedAt: r.recorded_at,
});

export async function findBenefit(db: Executor, assetId: number, year: number): Promise<BenefitLinkage | undefined> {
  const r = await db('benefit_linkage_records').where({ asset_id: assetId, year }).first();
  return r && toBenefit(r);
}

/** One row per asset and year: a second record replaces the figures (the caller keeps the old ones in the audit log). */
export async function upsertBenefit(db: Executor, b: Omit<BenefitLinkage, 'id'>): Promise<number> {
  const row = {
    asset_id: b.assetId,
    village_code: b.villageCode,
    year: b.year,
    output_value_fen: b.outputValueFen,
    wages_fen: b.wagesFen,
    poor_workers: b.poorWorkers,
    poor_worker_earnings_fen: b.poorWorkerEarningsFen,
    source: b.source,
    actor_user_id: b.actorUserId,
    recorded_at: b.recordedAt,
  };
  const [r] = await db('benefit_linkage_records').insert(row).onConflict(['asset_id', 'year']).merge().returning('id');
  return r.id;
}

export async function benefitsOf(db: Executor, assetIds: readonly number[], year?: number): Promise<BenefitLinkage[]> {
  if (!assetIds.length) return [];
  const q = db('benefit_linkage_records').whereIn('asset_id', assetIds as number[]);
  if (year !== undefined) q.where('year', year);
  return (await q.orderBy(['asset_id', 'year'])).map(toBenefit);
}

export async function benefitsUnder(db: Executor, regionPrefix: string, year: number): Promise<BenefitLinkage[]> {
  return (await db('benefit_linkage_records').where('village_code', 'like', `${regionPrefix}%`).where('year', year).orderBy('id')).map(toBenefit);
}

/** Flags raised under a region on or before a date (the reports' idle-without-case check, issue 14). */
export async function flagsUnder(db: Executor, regionPrefix: string, toOn: string): Promise<RevitalisationFlag[]> {
  return (await db('revitalisation_flags').where('village_code', 'like', `${regionPrefix}%`).where('raised_on', '<=', toOn).orderBy(['raised_on', 'id'])).map(toFlag);
}
