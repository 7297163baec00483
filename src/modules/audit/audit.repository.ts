import type { Executor } from '../../db/connection';

export interface AuditEntry {
  entityType: string;
  entityId: number;
  action: string;
  actorUserId: number;
  recordedAt: string;
  payload: unknown;
}

/** Appends to audit_log (append-only: no update or delete path exists, and triggers forbid them). */
export async function appendAudit(db: Executor, e: AuditEntry): Promise<void> {
  await db('audit_log').insert({
    entity_type: e.entityType,
    entity_id: e.entityId,
    action: e.action,
    actor_user_id: e.actorUserId,
    recorded_at: e.recordedAt,
    payload: JSON.stringify(e.payload),
  });
}

export async function listAudit(db: Executor, entityType: string, entityId: number) {
  return db('audit_log').where({ entity_type: entityType, entity_id: entityId }).orderBy('id');
}
