import type { Knex } from 'knex';
import { toInt, type Executor } from '../../db/connection';
import type {
  Meeting,
  Notice,
  Objection,
  Payment,
  Plan,
  PlanEvent,
  PlanLine,
  PlanRecipient,
  PlanStatus,
} from './distribution.types';
import type { ComputedLine } from './distribution.allocation';
import { insertRows } from '../../db/insertRows';
import { insertManyRows } from '../../db/manyRows';

const toPlan = (r: any): Plan => ({
  id: r.id,
  ownerPartyId: r.owner_party_id,
  villageCode: r.village_code,
  title: r.title,
  periodFrom: r.period_from,
  periodTo: r.period_to,
  planOn: r.plan_on,
  totalFen: r.total_fen,
  status: r.status,
  noticeStartOn: r.notice_start_on,
  noticeEndOn: r.notice_end_on,
  approvedOn: r.approved_on,
  executedOn: r.executed_on,
  executionEntryId: r.execution_entry_id,
  resultsStartOn: r.results_start_on,
  resultsEndOn: r.results_end_on,
  reversesPlanId: r.reverses_plan_id,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
export { toPlan };

const PLAN_COLUMNS: Partial<Record<keyof Plan, string>> = {
  status: 'status',
  noticeStartOn: 'notice_start_on',
  noticeEndOn: 'notice_end_on',
  approvedOn: 'approved_on',
  executedOn: 'executed_on',
  executionEntryId: 'execution_entry_id',
  resultsStartOn: 'results_start_on',
  resultsEndOn: 'results_end_on',
  updatedAt: 'updated_at',
};

export async function findPlan(db: Executor, id: number, forUpdate = false): Promise<Plan | undefined> {
  const q = db('distribution_plans').where({ id }).first();
  if (forUpdate && db.client.config.client === 'pg') q.forUpdate();
  const r = await q;
  return r && toPlan(r);
}

export async function findPlans(db: Executor, ids: readonly number[]): Promise<Plan[]> {
  return (await db('distribution_plans').whereIn('id', ids as number[])).map(toPlan);
}

export async function insertPlan(db: Executor, p: Omit<Plan, 'id'>, lines: ComputedLine[], statusOf: Map<number, string>): Promise<number> {
  const [r] = await db('distribution_plans')
    .insert({
      owner_party_id: p.ownerPartyId,
      village_code: p.villageCode,
      title: p.title,
      period_from: p.periodFrom,
      period_to: p.periodTo,
      plan_on: p.planOn,
      total_fen: p.totalFen,
      status: p.status,
      reverses_plan_id: p.reversesPlanId,
      created_by: p.createdBy,
      created_at: p.createdAt,
      updated_at: p.updatedAt,
    })
    .returning('id');
  const planId = r.id as number;
  for (const l of lines) {
    const [lr] = await db('distribution_lines')
      .insert({
        plan_id: planId,
        line_no: l.lineNo,
        type: l.type,
        basis: l.basis,
        fixed_fen: l.basis === 'FIXED' ? l.fixedFen : null,
        percent_bp: l.basis === 'PERCENT' ? l.percentBp : null,
        amount_fen: l.amountFen,
        description: l.description,
      })
      .returning('id');
    const rows = l.recipients.map((x) => ({
      plan_id: planId,
      line_id: lr.id,
      household_id: x.householdId,
      household_status: statusOf.get(x.householdId),
      weight: x.weight,
      work_days: x.workDays ?? null,
      hardship_category: x.hardshipCategory ?? null,
      amount_fen: x.amountFen,
    }));
    // Thousands of recipients written at the database's own cost (insertManyRows); the ids come back
    // for the attendance rows, which only job lines have.
    const hasAttendance = l.recipients.some((r) => r.attendance?.length);
    const made = await insertManyRows(db, 'distribution_recipients', rows, hasAttendance ? { returning: 'id, household_id' } : {});
    if (hasAttendance) await insertAttendance(db, planId, new Map(made.map((r: any) => [r.household_id, r.id])), l.recipients);
  }
  return planId;
}

/** The attendance rows behind a job line's recipients, each tied to its recipient row. */
async function insertAttendance(db: Executor, planId: number, ids: Map<number, number>, recipients: ComputedLine['recipients']): Promise<void> {
  if (!recipients.some((r) => r.attendance?.length)) return;
  const rows = recipients.flatMap((r) =>
    (r.attendance ?? []).map((a) => ({ plan_id: planId, recipient_id: ids.get(r.householdId), from_on: a.fromOn, to_on: a.toOn, days: a.days, note: a.note ?? null })),
  );
  await insertRows(db, 'distribution_attendance', rows);
}

export interface AttendanceRecord {
  planId: number;
  recipientId: number;
  fromOn: string;
  toOn: string;
  days: number;
  note: string | null;
}

export async function attendanceOf(db: Executor, planIds: readonly number[]): Promise<AttendanceRecord[]> {
  const rows = await db('distribution_attendance').whereIn('plan_id', planIds as number[]).orderBy('id');
  return rows.map((r: any) => ({ planId: r.plan_id, recipientId: r.recipient_id, fromOn: r.from_on, toOn: r.to_on, days: r.days, note: r.note }));
}

export async function updatePlan(db: Executor, id: number, patch: Partial<Plan>): Promise<void> {
  const row: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) {
    const col = PLAN_COLUMNS[k as keyof Plan];
    if (!col) throw new Error(`plan field ${k} is not updatable`);
    row[col] = v;
  }
  await db('distribution_plans').where({ id }).update(row);
}

export async function linesOf(db: Executor, planIds: readonly number[]): Promise<PlanLine[]> {
  const rows = await db('distribution_lines').whereIn('plan_id', planIds as number[]).orderBy(['plan_id', 'line_no']);
  return rows.map((r: any) => ({
    id: r.id,
    planId: r.plan_id,
    lineNo: r.line_no,
    type: r.type,
    basis: r.basis,
    fixedFen: r.fixed_fen,
    percentBp: r.percent_bp,
    amountFen: r.amount_fen,
    description: r.description,
  }));
}

export async function recipientsOf(db: Executor, planIds: readonly number[]): Promise<PlanRecipient[]> {
  const rows = await db('distribution_recipients').whereIn('plan_id', planIds as number[]).orderBy('id');
  return rows.map((r: any) => ({
    id: r.id,
    planId: r.plan_id,
    lineId: r.line_id,
    householdId: r.household_id,
    householdStatus: r.household_status,
    weight: r.weight,
    workDays: r.work_days,
    hardshipCategory: r.hardship_category ?? null,
    amountFen: r.amount_fen,
  }));
}

/** What executing a plan reads of its recipients: line, household and amount, in id order (narrow: 10,000 rows). */
export async function recipientAmountsOf(db: Executor, planId: number): Promise<Pick<PlanRecipient, 'lineId' | 'householdId' | 'amountFen'>[]> {
  const rows: any[] = await db('distribution_recipients').where({ plan_id: planId }).orderBy('id').select('line_id', 'household_id', 'amount_fen');
  return rows.map((r) => ({ lineId: r.line_id, householdId: r.household_id, amountFen: toInt(r.amount_fen) }));
}

export async function insertMeeting(db: Executor, m: Omit<Meeting, 'id'>): Promise<void> {
  await db('distribution_meetings').insert({
    plan_id: m.planId,
    step: m.step,
    held_on: m.heldOn,
    member_count: m.memberCount,
    attendance: m.attendance,
    votes_for: m.votesFor,
    votes_against: m.votesAgainst,
    abstentions: m.abstentions,
    minutes_ref: m.minutesRef,
    note: m.note,
    recorded_by: m.recordedBy,
    recorded_at: m.recordedAt,
  });
}

export async function meetingsOf(db: Executor, planIds: readonly number[]): Promise<Meeting[]> {
  const rows = await db('distribution_meetings').whereIn('plan_id', planIds as number[]).orderBy('id');
  return rows.map((r: any) => ({
    id: r.id,
    planId: r.plan_id,
    step: r.step,
    heldOn: r.held_on,
    memberCount: r.member_count,
    attendance: r.attendance,
    votesFor: r.votes_for,
    votesAgainst: r.votes_against,
    abstentions: r.abstentions,
    minutesRef: r.minutes_ref,
    note: r.note,
    recordedBy: r.recorded_by,
    recordedAt: r.recorded_at,
  }));
}

export async function insertNotice(db: Executor, n: Omit<Notice, 'id'>): Promise<void> {
  await db('distribution_notices').insert({
    plan_id: n.planId,
    kind: n.kind,
    start_on: n.startOn,
    end_on: n.endOn,
    content_sha256: n.contentSha256,
    content: n.content,
    published_by: n.publishedBy,
    published_at: n.publishedAt,
    journal_sequence: n.journalSequence ?? null,
    journal_hash: n.journalHash ?? null,
  });
}

export async function noticesOf(db: Executor, planIds: readonly number[]): Promise<Notice[]> {
  const rows = await db('distribution_notices').whereIn('plan_id', planIds as number[]).orderBy('id');
  return rows.map((r: any) => ({
    id: r.id,
    planId: r.plan_id,
    kind: r.kind,
    startOn: r.start_on,
    endOn: r.end_on,
    contentSha256: r.content_sha256,
    content: r.content,
    publishedBy: r.published_by,
    publishedAt: r.published_at,
  }));
}

const toObjection = (r: any): Objection => ({
  id: r.id,
  planId: r.plan_id,
  raisedOn: r.raised_on,
  raisedBy: r.raised_by,
  content: r.content,
  resolvedOn: r.resolved_on,
  resolution: r.resolution,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at,
});

export async function insertObjection(db: Executor, o: Omit<Objection, 'id'>): Promise<number> {
  const [r] = await db('distribution_objections')
    .insert({
      plan_id: o.planId,
      raised_on: o.raisedOn,
      raised_by: o.raisedBy,
      content: o.content,
      resolved_on: null,
      resolution: null,
      recorded_by: o.recordedBy,
      recorded_at: o.recordedAt,
    })
    .returning('id');
  return r.id;
}

export async function findObjection(db: Executor, id: number): Promise<Objection | undefined> {
  const r = await db('distribution_objections').where({ id }).first();
  return r && toObjection(r);
}

export async function resolveObjection(db: Executor, id: number, resolvedOn: string, resolution: string): Promise<void> {
  await db('distribution_objections').where({ id }).whereNull('resolved_on').update({ resolved_on: resolvedOn, resolution });
}

export async function objectionsOf(db: Executor, planIds: readonly number[]): Promise<Objection[]> {
  return (await db('distribution_objections').whereIn('plan_id', planIds as number[]).orderBy('id')).map(toObjection);
}

export async function insertPayment(db: Executor, p: Omit<Payment, 'id' | 'lineNo' | 'reversedOn' | 'reversalReason'>): Promise<void> {
  await db('distribution_payments').insert({
    plan_id: p.planId,
    household_id: p.householdId,
    recipient_id: p.recipientId,
    amount_fen: p.amountFen,
    paid_on: p.paidOn,
    bank_reference: p.bankReference,
    entry_id: p.entryId,
    recorded_by: p.recordedBy,
    recorded_at: p.recordedAt,
  });
}

/**
 * Payments of plans. By default only those standing (not reversed): what the plan has actually paid.
 * With `includeReversed`, every payment, each with its reversal date if it bounced.
 */
export async function paymentsOf(db: Executor, planIds: readonly number[], opts: { includeReversed?: boolean } = {}): Promise<Payment[]> {
  const q = db('distribution_payments as p')
    .leftJoin('distribution_payment_reversals as r', 'r.payment_id', 'p.id')
    .leftJoin('distribution_recipients as dr', 'dr.id', 'p.recipient_id')
    .leftJoin('distribution_lines as dl', 'dl.id', 'dr.line_id')
    .whereIn('p.plan_id', planIds as number[])
    .orderBy('p.id')
    .select('p.*', 'r.reversed_on', 'r.reason as reversal_reason', 'dl.line_no as line_no');
  if (!opts.includeReversed) q.whereNull('r.id');
  const rows = await q;
  return rows.map((r: any) => ({
    id: r.id,
    planId: r.plan_id,
    householdId: r.household_id,
    recipientId: r.recipient_id ?? null,
    lineNo: r.line_no ?? null,
    amountFen: r.amount_fen,
    paidOn: r.paid_on,
    bankReference: r.bank_reference,
    entryId: r.entry_id,
    recordedBy: r.recorded_by,
    recordedAt: r.recorded_at,
    reversedOn: r.reversed_on ?? null,
    reversalReason: r.reversal_reason ?? null,
  }));
}

export async function insertPaymentReversal(
  db: Executor,
  r: { paymentId: number; planId: number; reversedOn: string; reason: string; entryId: number; recordedBy: number; recordedAt: string },
): Promise<void> {
  await db('distribution_payment_reversals').insert({
    payment_id: r.paymentId,
    plan_id: r.planId,
    reversed_on: r.reversedOn,
    reason: r.reason,
    entry_id: r.entryId,
    recorded_by: r.recordedBy,
    recorded_at: r.recordedAt,
  });
}

export async function insertEvent(db: Executor, e: Omit<PlanEvent, 'id'>): Promise<void> {
  await db('distribution_events').insert({
    plan_id: e.planId,
    action: e.action,
    from_status: e.fromStatus,
    to_status: e.toStatus,
    effective_on: e.effectiveOn,
    reason: e.reason,
    payload: JSON.stringify(e.payload ?? {}),
    actor_user_id: e.actorUserId,
    recorded_at: e.recordedAt,
  });
}

export async function eventsOf(db: Executor, planIds: readonly number[]): Promise<PlanEvent[]> {
  const rows = await db('distribution_events').whereIn('plan_id', planIds as number[]).orderBy('id');
  return rows.map((r: any) => ({
    id: r.id,
    planId: r.plan_id,
    action: r.action,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    effectiveOn: r.effective_on,
    reason: r.reason,
    payload: JSON.parse(r.payload),
    actorUserId: r.actor_user_id,
    recordedAt: r.recorded_at,
  }));
}

export interface PlanFilter {
  regionPrefix: string;
  status?: PlanStatus | null;
}

export function listQuery(db: Executor, f: PlanFilter): Knex.QueryBuilder {
  const q = db('distribution_plans').where('village_code', 'like', `${f.regionPrefix}%`);
  if (f.status) q.where('status', f.status);
  return q;
}

export async function plansInRegion(db: Executor, regionPrefix: string): Promise<Plan[]> {
  return (await db('distribution_plans').where('village_code', 'like', `${regionPrefix}%`).orderBy('id')).map(toPlan);
}

// ------------------------------------------------------------------------------------------------------
// Receipts and costs claimed by plans (distribution.receipts.ts)
// ------------------------------------------------------------------------------------------------------

export interface PlanReceipt {
  id: number;
  planId: number;
  ownerPartyId: number;
  entryId: number;
  role: 'RECEIPT' | 'COST';
  kind: string;
  effectiveOn: string;
  amountFen: number;
  paidFrom: string | null;
  releasedOn: string | null;
}

/** Of the given entries, those a live plan of this collective has claimed. */
export async function liveClaimedEntryIds(db: Executor, ownerPartyId: number, entryIds: readonly number[]): Promise<Set<number>> {
  const ids = new Set<number>();
  for (let i = 0; i < entryIds.length; i += 500) {
    const rows = await db('distribution_plan_receipts')
      .where({ owner_party_id: ownerPartyId })
      .whereNull('released_on')
      .whereIn('entry_id', entryIds.slice(i, i + 500) as number[])
      .select('entry_id');
    for (const r of rows) ids.add(r.entry_id);
  }
  return ids;
}

export async function insertPlanReceipts(
  db: Executor,
  planId: number,
  ownerPartyId: number,
  items: { entryId: number; role: 'RECEIPT' | 'COST'; kind: string; effectiveOn: string; amountFen: number; paidFrom: string | null }[],
): Promise<void> {
  const rows = items.map((i) => ({
    plan_id: planId,
    owner_party_id: ownerPartyId,
    entry_id: i.entryId,
    role: i.role,
    kind: i.kind,
    effective_on: i.effectiveOn,
    amount_fen: i.amountFen,
    paid_from: i.paidFrom,
    released_on: null,
  }));
  await insertRows(db, 'distribution_plan_receipts', rows);
}

const toPlanReceipt = (r: any): PlanReceipt => ({
  id: r.id,
  planId: r.plan_id,
  ownerPartyId: r.owner_party_id,
  entryId: r.entry_id,
  role: r.role,
  kind: r.kind,
  effectiveOn: r.effective_on,
  amountFen: toInt(r.amount_fen),
  paidFrom: r.paid_from,
  releasedOn: r.released_on,
});

export async function planReceiptsOf(db: Executor, planIds: readonly number[]): Promise<PlanReceipt[]> {
  const rows = await db('distribution_plan_receipts').whereIn('plan_id', planIds as number[]).orderBy('id');
  return rows.map(toPlanReceipt);
}

/** Frees a plan's receipts and costs for another plan (the plan was cancelled, rejected or reversed). */
export async function releasePlanReceipts(db: Executor, planId: number, on: string): Promise<void> {
  await db('distribution_plan_receipts').where({ plan_id: planId }).whereNull('released_on').update({ released_on: on });
}

// ---- Audit reads as of a date (issue 14: reports) ------------------------------------------------------

/**
 * 重复支付: two standing (not reversed) payments on or before `asOf` to the same household from plans of the same
 * owner whose periods overlap — the same income paid out twice. Plans reversed, and reversal plans, are left out.
 */
export async function duplicatePayments(db: Executor, regionPrefix: string, asOf: string) {
  const standing = (alias: string) => db('distribution_payment_reversals').whereRaw(`distribution_payment_reversals.payment_id = ${alias}.id`);
  const rows = await db('distribution_payments as p1')
    .join('distribution_payments as p2', function () {
      this.on('p2.household_id', '=', 'p1.household_id').andOn('p2.id', '>', 'p1.id');
    })
    .join('distribution_plans as a', 'a.id', 'p1.plan_id')
    .join('distribution_plans as b', 'b.id', 'p2.plan_id')
    .where('a.village_code', 'like', `${regionPrefix}%`)
    .whereRaw('a.owner_party_id = b.owner_party_id')
    .whereRaw('a.period_from <= b.period_to AND b.period_from <= a.period_to')
    .whereNotIn('a.status', ['REVERSED'])
    .whereNotIn('b.status', ['REVERSED'])
    .whereNull('a.reverses_plan_id')
    .whereNull('b.reverses_plan_id')
    .where('p1.paid_on', '<=', asOf)
    .where('p2.paid_on', '<=', asOf)
    .whereNotExists(standing('p1'))
    .whereNotExists(standing('p2'))
    .select(
      'p1.id as first_id', 'p2.id as second_id', 'p1.household_id', 'a.village_code',
      'p1.plan_id as first_plan', 'p2.plan_id as second_plan', 'p1.amount_fen as first_fen', 'p2.amount_fen as second_fen',
      'p1.paid_on as first_on', 'p2.paid_on as second_on',
    )
    .orderBy('p1.id');
  return rows.map((r: any) => ({
    firstPaymentId: r.first_id, secondPaymentId: r.second_id, householdId: r.household_id, villageCode: r.village_code,
    firstPlanId: r.first_plan, secondPlanId: r.second_plan, firstFen: toInt(r.first_fen), secondFen: toInt(r.second_fen),
    firstOn: r.first_on, secondOn: r.second_on,
  }));
}

/** A published notice by id (for its printable page). */
export async function findNotice(db: Executor, id: number): Promise<Notice | undefined> {
  const r = await db('distribution_notices').where({ id }).first();
  return r && (await noticesOf(db, [r.plan_id])).find((n) => n.id === id);
}

/** The live plan (not released) that claims an entry as a receipt or cost, if any. */
export async function planClaiming(db: Executor, entryId: number): Promise<number | null> {
  const r = await db('distribution_plan_receipts').where({ entry_id: entryId }).whereNull('released_on').first('plan_id');
  return r ? r.plan_id : null;
}

/**
 * Standing payments (not reversed, of plans not reversed) under a region up to a date, on recipient lines of the
 * given types: one row per payment and line (an older all-lines payment gives a row per line it covered). The
 * reports' related-party check reads wages and grants with it (issue 14).
 */
export async function paymentsOnLineTypes(db: Executor, regionPrefix: string, asOf: string, types: readonly string[]) {
  const rows = await db('distribution_payments as p')
    .join('distribution_plans as pl', 'pl.id', 'p.plan_id')
    .join('distribution_recipients as r', function () {
      this.on('r.id', '=', 'p.recipient_id').orOn(function () {
        this.onNull('p.recipient_id').andOn('r.plan_id', '=', 'p.plan_id').andOn('r.household_id', '=', 'p.household_id');
      });
    })
    .join('distribution_lines as l', 'l.id', 'r.line_id')
    .where('pl.village_code', 'like', `${regionPrefix}%`)
    .whereNot('pl.status', 'REVERSED')
    .whereNull('pl.reverses_plan_id')
    .where('p.paid_on', '<=', asOf)
    .whereIn('l.type', types as string[])
    .whereNotExists(db('distribution_payment_reversals').whereRaw('distribution_payment_reversals.payment_id = p.id'))
    .select('p.id as payment_id', 'p.plan_id', 'pl.title', 'pl.village_code', 'p.household_id', 'l.type', 'l.line_no', 'r.amount_fen', 'p.paid_on')
    .orderBy(['p.id', 'l.line_no']);
  return rows.map((r: any) => ({
    paymentId: r.payment_id as number,
    planId: r.plan_id as number,
    planTitle: r.title as string,
    villageCode: r.village_code as string,
    householdId: r.household_id as number,
    lineType: r.type as string,
    lineNo: r.line_no as number,
    amountFen: toInt(r.amount_fen),
    paidOn: r.paid_on as string,
  }));
}

// ---- 账实核对: what verify reconciles with the journal (distribution.reconcile.ts) -------------------------

/** Payment rows after `afterId`, lowest id first. */
export async function paymentRowsAfter(db: Executor, afterId: number, limit: number) {
  const rows = await db('distribution_payments').where('id', '>', afterId).orderBy('id').limit(limit).select('id', 'entry_id', 'amount_fen');
  return rows.map((r: any) => ({ id: r.id as number, entryId: (r.entry_id ?? null) as number | null, amountFen: toInt(r.amount_fen) }));
}

/** The fen of all payment rows of each entry (one payment entry covers every line it pays). */
export async function paymentFenByEntry(db: Executor, entryIds: readonly number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (let i = 0; i < entryIds.length; i += 500) {
    const rows = await db('distribution_payments')
      .whereIn('entry_id', entryIds.slice(i, i + 500) as number[])
      .groupBy('entry_id')
      .select('entry_id', db.raw('sum(amount_fen) as fen'));
    for (const r of rows as any[]) out.set(r.entry_id, toInt(r.fen));
  }
  return out;
}

/** Payment reversal rows after `afterId`, each with the entry of the payment it reverses. */
export async function paymentReversalRowsAfter(db: Executor, afterId: number, limit: number) {
  const rows = await db('distribution_payment_reversals as r')
    .leftJoin('distribution_payments as p', 'p.id', 'r.payment_id')
    .where('r.id', '>', afterId)
    .orderBy('r.id')
    .limit(limit)
    .select('r.id as id', 'r.entry_id as entry_id', 'p.entry_id as payment_entry_id');
  return rows.map((r: any) => ({
    id: r.id as number,
    entryId: (r.entry_id ?? null) as number | null,
    paymentEntryId: (r.payment_entry_id ?? null) as number | null,
  }));
}

/** Executed plans (with an execution entry) after `afterId`, lowest id first. */
export async function executedPlansAfter(db: Executor, afterId: number, limit: number): Promise<Plan[]> {
  return (await db('distribution_plans').where('id', '>', afterId).whereNotNull('execution_entry_id').orderBy('id').limit(limit)).map(toPlan);
}

/**
 * Per plan, the costs its execution repaid to the pot that fronted them: COST rows paid from anything but
 * income awaiting distribution. Released rows count too: an executed plan's rows are released only when
 * the plan is reversed, and its execution entry moved them all the same.
 */
export async function repaidCostFenOfPlans(db: Executor, planIds: readonly number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (let i = 0; i < planIds.length; i += 500) {
    const rows = await db('distribution_plan_receipts')
      .whereIn('plan_id', planIds.slice(i, i + 500) as number[])
      .where({ role: 'COST' })
      .whereNotNull('paid_from')
      .whereNot('paid_from', 'INCOME_PENDING_DISTRIBUTION')
      .groupBy('plan_id')
      .select('plan_id', db.raw('sum(amount_fen) as fen'));
    for (const r of rows as any[]) out.set(r.plan_id, toInt(r.fen));
  }
  return out;
}

/** Plan receipt and cost rows after `afterId`, lowest id first. */
export async function planReceiptRowsAfter(db: Executor, afterId: number, limit: number): Promise<PlanReceipt[]> {
  const rows = await db('distribution_plan_receipts').where('id', '>', afterId).orderBy('id').limit(limit);
  return rows.map(toPlanReceipt);
}
