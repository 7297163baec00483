import type { Executor } from '../../db/connection';

/** A register file that was imported and written (台账导入记录). */
export interface RegisterImport {
  id: number;
  fileHash: string;
  fileName: string;
  regionCode: string;
  rows: number;
  assets: number;
  projectsCreated: number;
  actorUserId: number;
  recordedAt: string;
}

const toImport = (r: any): RegisterImport => ({
  id: r.id,
  fileHash: r.file_hash,
  fileName: r.file_name,
  regionCode: r.region_code,
  rows: Number(r.rows),
  assets: Number(r.assets),
  projectsCreated: Number(r.projects_created),
  actorUserId: r.actor_user_id,
  recordedAt: r.recorded_at,
});

export async function findByHash(db: Executor, fileHash: string): Promise<RegisterImport | undefined> {
  const r = await db('register_imports').where({ file_hash: fileHash }).first();
  return r && toImport(r);
}

export async function insert(db: Executor, i: Omit<RegisterImport, 'id'>): Promise<number> {
  const [r] = await db('register_imports')
    .insert({
      file_hash: i.fileHash,
      file_name: i.fileName,
      region_code: i.regionCode,
      rows: i.rows,
      assets: i.assets,
      projects_created: i.projectsCreated,
      actor_user_id: i.actorUserId,
      recorded_at: i.recordedAt,
    })
    .returning('id');
  return r.id;
}
