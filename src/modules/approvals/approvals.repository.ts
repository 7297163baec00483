import type { Executor } from '../../db/connection';
import type { Knex } from 'knex';
import type { ApprovalChain, ApprovalDecision, ApprovalStep, ChainStatus } from './approvals.types';

export const toChain = (r: any): ApprovalChain => ({
  id: r.id,
  purpose: r.purpose,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  countyCode: r.county_code,
  regionCode: r.region_code,
  template: r.template,
  status: r.status,
  summary: JSON.parse(r.summary),
  requestedBy: r.requested_by,
  requestedOn: r.requested_on,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toStep = (r: any): ApprovalStep => ({
  id: r.id,
  chainId: r.chain_id,
  seq: r.seq,
  kind: r.kind,
  role: r.role,
  regionCode: r.region_code,
});

const toDecision = (r: any): ApprovalDecision => ({
  id: r.id,
  chainId: r.chain_id,
  stepId: r.step_id,
  decision: r.decision,
  decidedOn: r.decided_on,
  reference: r.reference,
  reason: r.reason,
  meeting: r.meeting ? JSON.parse(r.meeting) : null,
  documentIds: JSON.parse(r.document_ids),
  actorUserId: r.actor_user_id,
  recordedAt: r.recorded_at,
});

export async function insertChain(db: Executor, c: Omit<ApprovalChain, 'id'>, steps: Omit<ApprovalStep, 'id' | 'chainId'>[]): Promise<number> {
  const [r] = await db('approval_chains')
    .insert({
      purpose: c.purpose,
      subject_type: c.subjectType,
      subject_id: c.subjectId,
      county_code: c.countyCode,
      region_code: c.regionCode,
      template: c.template,
      status: c.status,
      summary: JSON.stringify(c.summary),
      requested_by: c.requestedBy,
      requested_on: c.requestedOn,
      created_at: c.createdAt,
      updated_at: c.updatedAt,
    })
    .returning('id');
  const id: number = r.id;
  await db('approval_steps').insert(steps.map((s) => ({ chain_id: id, seq: s.seq, kind: s.kind, role: s.role, region_code: s.regionCode })));
  return id;
}

/** Points a chain opened before its subject existed at the subject (a request row written after). */
export async function setSubject(db: Executor, id: number, subjectId: number, now: string): Promise<void> {
  await db('approval_chains').where({ id }).update({ subject_id: subjectId, updated_at: now });
}

export async function findChain(db: Executor, id: number, forUpdate = false): Promise<ApprovalChain | undefined> {
  const q = db('approval_chains').where({ id }).first();
  if (forUpdate && db.client.config.client === 'pg') q.forUpdate();
  const r = await q;
  return r && toChain(r);
}

export async function findChainsByIds(db: Executor, ids: readonly number[]): Promise<ApprovalChain[]> {
  return (await db('approval_chains').whereIn('id', ids as number[])).map(toChain);
}

export async function chainsOfSubjects(db: Executor, subjectType: string, ids: readonly number[]): Promise<ApprovalChain[]> {
  return (await db('approval_chains').where({ subject_type: subjectType }).whereIn('subject_id', ids as number[]).orderBy('id')).map(toChain);
}

export async function setStatus(db: Executor, id: number, status: ChainStatus, now: string): Promise<void> {
  await db('approval_chains').where({ id }).update({ status, updated_at: now });
}

export async function stepsOf(db: Executor, chainIds: readonly number[]): Promise<ApprovalStep[]> {
  return (await db('approval_steps').whereIn('chain_id', chainIds as number[]).orderBy(['chain_id', 'seq'])).map(toStep);
}

export async function decisionsOf(db: Executor, chainIds: readonly number[]): Promise<ApprovalDecision[]> {
  return (await db('approval_decisions').whereIn('chain_id', chainIds as number[]).orderBy('id')).map(toDecision);
}

export async function insertDecision(db: Executor, d: Omit<ApprovalDecision, 'id'>): Promise<number> {
  const [r] = await db('approval_decisions')
    .insert({
      chain_id: d.chainId,
      step_id: d.stepId,
      decision: d.decision,
      decided_on: d.decidedOn,
      reference: d.reference,
      reason: d.reason,
      meeting: d.meeting ? JSON.stringify(d.meeting) : null,
      document_ids: JSON.stringify(d.documentIds),
      actor_user_id: d.actorUserId,
      recorded_at: d.recordedAt,
    })
    .returning('id');
  return r.id;
}

/**
 * Pending chains whose next undecided step a role decides inside a region prefix: an officer's in-tray.
 * The next step is the lowest seq without a decision.
 */
export function awaitingQuery(db: Executor, role: string, regionPrefix: string): Knex.QueryBuilder {
  const next = db('approval_steps as s')
    .select('s.chain_id')
    .min('s.seq as seq')
    .whereNotExists(db('approval_decisions as d').whereRaw('d.step_id = s.id'))
    .groupBy('s.chain_id')
    .as('n');
  return db('approval_chains')
    .select('approval_chains.*')
    .join(next, 'n.chain_id', 'approval_chains.id')
    .join('approval_steps as st', (j) => j.on('st.chain_id', '=', 'n.chain_id').andOn('st.seq', '=', 'n.seq'))
    .where('approval_chains.status', 'PENDING')
    .where('st.role', role)
    .where('st.region_code', 'like', `${regionPrefix}%`);
}
