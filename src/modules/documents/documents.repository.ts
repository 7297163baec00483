import type { Executor } from '../../db/connection';
import type { DocumentMeta } from './documents.types';

const toDocument = (r: any): DocumentMeta => ({
  id: r.id,
  assetId: r.asset_id,
  eventId: r.event_id,
  contractId: r.contract_id,
  kind: r.kind,
  title: r.title,
  fileName: r.file_name,
  contentType: r.content_type,
  sha256: r.sha256,
  sizeBytes: Number(r.size_bytes),
  documentOn: r.document_on,
  stored: r.stored === true || r.stored === 1,
  actorUserId: r.actor_user_id,
  recordedAt: r.recorded_at,
});

export async function insert(db: Executor, d: Omit<DocumentMeta, 'id'>, content: Buffer | null): Promise<number> {
  const [r] = await db('documents')
    .insert({
      asset_id: d.assetId,
      event_id: d.eventId,
      contract_id: d.contractId,
      kind: d.kind,
      title: d.title,
      file_name: d.fileName,
      content_type: d.contentType,
      sha256: d.sha256,
      size_bytes: d.sizeBytes,
      document_on: d.documentOn,
      stored: d.stored,
      actor_user_id: d.actorUserId,
      recorded_at: d.recordedAt,
    })
    .returning('id');
  if (content) await db('document_blobs').insert({ document_id: r.id, content });
  return r.id;
}

export async function findById(db: Executor, id: number): Promise<DocumentMeta | undefined> {
  const r = await db('documents').where({ id }).first();
  return r && toDocument(r);
}

export async function contentOf(db: Executor, id: number): Promise<Buffer | undefined> {
  const r = await db('document_blobs').where({ document_id: id }).first();
  return r ? Buffer.from(r.content) : undefined;
}

export async function ofAssets(db: Executor, assetIds: readonly number[]): Promise<DocumentMeta[]> {
  return (await db('documents').whereIn('asset_id', assetIds as number[]).orderBy('id')).map(toDocument);
}

export async function ofContracts(db: Executor, contractIds: readonly number[]): Promise<DocumentMeta[]> {
  return (await db('documents').whereIn('contract_id', contractIds as number[]).orderBy('id')).map(toDocument);
}
