import type { Knex } from 'knex';
import type { Executor } from '../../db/connection';
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
      amount_fen: x.amountFen,
    }));
    // Batches keep each INSERT under SQLite's bound-parameter limit.
    for (let i = 0; i < rows.length; i += 500) await db('distribution_recipients').insert(rows.slice(i, i + 500));
  }
  return planId;
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
    amountFen: r.amount_fen,
  }));
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

export async function insertPayment(db: Executor, p: Omit<Payment, 'id' | 'reversedOn' | 'reversalReason'>): Promise<void> {
  await db('distribution_payments').insert({
    plan_id: p.planId,
    household_id: p.householdId,
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
    .whereIn('p.plan_id', planIds as number[])
    .orderBy('p.id')
    .select('p.*', 'r.reversed_on', 'r.reason as reversal_reason');
  if (!opts.includeReversed) q.whereNull('r.id');
  const rows = await q;
  return rows.map((r: any) => ({
    id: r.id,
    planId: r.plan_id,
    householdId: r.household_id,
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
