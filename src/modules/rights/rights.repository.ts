import type { Knex } from 'knex';
import type { Executor } from '../../db/connection';
import { insertRows } from '../../db/insertRows';
import type { AssetOwner, HandoverDeed, RightsConfirmation } from './rights.types';

const toConfirmation = (r: any): RightsConfirmation => ({
  id: r.id,
  assetId: r.asset_id,
  kind: r.kind,
  rightsLevel: r.rights_level,
  certificateNo: r.certificate_no,
  effectiveOn: r.effective_on,
  reason: r.reason,
  approvalRef: r.approval_ref,
  approvedBy: r.approved_by,
  approvedOn: r.approved_on,
  actorUserId: r.actor_user_id,
  recordedAt: r.recorded_at,
});

const toOwner = (r: any): AssetOwner => ({
  id: r.id,
  assetId: r.asset_id,
  partyId: r.party_id,
  shareBp: r.share_bp,
  effectiveFrom: r.effective_from,
  effectiveTo: r.effective_to,
  confirmationId: r.confirmation_id,
  recordedAt: r.recorded_at,
});

const toDeed = (r: any): HandoverDeed => ({
  id: r.id,
  assetId: r.asset_id,
  deedNo: r.deed_no,
  handedOverOn: r.handed_over_on,
  transferor: r.transferor,
  recipientPartyId: r.recipient_party_id,
  recipientSignatory: r.recipient_signatory,
  witness: r.witness,
  note: r.note,
  actorUserId: r.actor_user_id,
  recordedAt: r.recorded_at,
});

const confirmationRow = (c: Omit<RightsConfirmation, 'id'>) => ({
  asset_id: c.assetId,
  kind: c.kind,
  rights_level: c.rightsLevel,
  certificate_no: c.certificateNo,
  effective_on: c.effectiveOn,
  reason: c.reason,
  approval_ref: c.approvalRef,
  approved_by: c.approvedBy,
  approved_on: c.approvedOn,
  actor_user_id: c.actorUserId,
  recorded_at: c.recordedAt,
});

export async function insertConfirmation(db: Executor, c: Omit<RightsConfirmation, 'id'>): Promise<number> {
  const [r] = await db('rights_confirmations').insert(confirmationRow(c)).returning('id');
  return r.id;
}

export async function findConfirmation(db: Executor, id: number): Promise<RightsConfirmation | undefined> {
  const r = await db('rights_confirmations').where({ id }).first();
  return r && toConfirmation(r);
}

export async function confirmationsOf(db: Executor, assetIds: readonly number[]): Promise<RightsConfirmation[]> {
  return (await db('rights_confirmations').whereIn('asset_id', assetIds as number[]).orderBy('id')).map(toConfirmation);
}

export async function insertOwners(db: Executor, rows: Omit<AssetOwner, 'id'>[]): Promise<void> {
  await db('asset_owners').insert(
    rows.map((o) => ({
      asset_id: o.assetId,
      party_id: o.partyId,
      share_bp: o.shareBp,
      effective_from: o.effectiveFrom,
      effective_to: o.effectiveTo,
      confirmation_id: o.confirmationId,
      recorded_at: o.recordedAt,
    })),
  );
}

/** Ends the open ownership rows of an asset on `on` (exclusive). The only update asset_owners ever gets. */
export async function closeOwners(db: Executor, assetId: number, on: string): Promise<void> {
  await db('asset_owners').where({ asset_id: assetId }).whereNull('effective_to').update({ effective_to: on });
}

/** The open ownership rows (the owners from the latest confirmation or change). */
export async function openOwners(db: Executor, assetId: number): Promise<AssetOwner[]> {
  return (await db('asset_owners').where({ asset_id: assetId }).whereNull('effective_to').orderBy('id')).map(toOwner);
}

/** Owners of the assets on a date: effective_from ≤ date < effective_to. */
export async function ownersOn(db: Executor, assetIds: readonly number[], date: string): Promise<AssetOwner[]> {
  const rows = await db('asset_owners')
    .whereIn('asset_id', assetIds as number[])
    .where('effective_from', '<=', date)
    .where((w) => w.whereNull('effective_to').orWhere('effective_to', '>', date))
    .orderBy('id');
  return rows.map(toOwner);
}

/** Every ownership row of the assets, history included, oldest first. */
export async function ownerRowsOf(db: Executor, assetIds: readonly number[]): Promise<AssetOwner[]> {
  return (await db('asset_owners').whereIn('asset_id', assetIds as number[]).orderBy('id')).map(toOwner);
}

export async function insertDeed(db: Executor, d: Omit<HandoverDeed, 'id'>): Promise<number> {
  const [r] = await db('handover_deeds')
    .insert({
      asset_id: d.assetId,
      deed_no: d.deedNo,
      handed_over_on: d.handedOverOn,
      transferor: d.transferor,
      recipient_party_id: d.recipientPartyId,
      recipient_signatory: d.recipientSignatory,
      witness: d.witness,
      note: d.note,
      actor_user_id: d.actorUserId,
      recorded_at: d.recordedAt,
    })
    .returning('id');
  return r.id;
}

/** Many confirmations in multi-row inserts (the register import); ids in the order given. */
export async function insertConfirmationsMany(db: Executor, cs: Omit<RightsConfirmation, 'id'>[]): Promise<number[]> {
  return (await insertRows(db, 'rights_confirmations', cs.map(confirmationRow), { returning: 'id' })).map((r) => r.id);
}

export async function insertOwnersMany(db: Executor, owners: Omit<AssetOwner, 'id'>[]): Promise<void> {
  const rows = owners.map((o) => ({
    asset_id: o.assetId,
    party_id: o.partyId,
    share_bp: o.shareBp,
    effective_from: o.effectiveFrom,
    effective_to: o.effectiveTo,
    confirmation_id: o.confirmationId,
    recorded_at: o.recordedAt,
  }));
  await insertRows(db, 'asset_owners', rows);
}

/** Many handover deeds in multi-row inserts; ids in the order given. */
export async function insertDeedsMany(db: Executor, ds: Omit<HandoverDeed, 'id'>[]): Promise<number[]> {
  const rows = ds.map((d) => ({
    asset_id: d.assetId,
    deed_no: d.deedNo,
    handed_over_on: d.handedOverOn,
    transferor: d.transferor,
    recipient_party_id: d.recipientPartyId,
    recipient_signatory: d.recipientSignatory ?? null,
    witness: d.witness,
    note: d.note ?? null,
    actor_user_id: d.actorUserId,
    recorded_at: d.recordedAt,
  }));
  return (await insertRows(db, 'handover_deeds', rows, { returning: 'id' })).map((r) => r.id);
}

export async function findDeed(db: Executor, id: number): Promise<HandoverDeed | undefined> {
  const r = await db('handover_deeds').where({ id }).first();
  return r && toDeed(r);
}

export async function deedsOf(db: Executor, assetIds: readonly number[]): Promise<HandoverDeed[]> {
  return (await db('handover_deeds').whereIn('asset_id', assetIds as number[])).map(toDeed);
}

// ---- Reads as of a date (issue 14: reports) ------------------------------------------------------------

/** Correlated SQL for `assets`: the rights level (确权层级) on `asOf`, 'UNCONFIRMED' before any confirmation. */
export function rightsLevelOnSql(db: Executor, asOf: string): string {
  return db
    .raw(
      `coalesce((SELECT rc.rights_level FROM rights_confirmations rc WHERE rc.asset_id = assets.id AND rc.effective_on <= ?
         ORDER BY rc.effective_on DESC, rc.id DESC LIMIT 1), 'UNCONFIRMED')`,
      [asOf],
    )
    .toQuery();
}

/** Correlated sub-query for `assets`: a rights confirmation effective on or before `asOf`. */
export function confirmedBySubquery(db: Executor, asOf: string): Knex.QueryBuilder {
  return db('rights_confirmations').whereRaw('rights_confirmations.asset_id = assets.id').where('rights_confirmations.effective_on', '<=', asOf);
}

/** Correlated sub-query for `assets`: a handover deed dated on or before `asOf`. */
export function deedBySubquery(db: Executor, asOf: string): Knex.QueryBuilder {
  return db('handover_deeds').whereRaw('handover_deeds.asset_id = assets.id').where('handover_deeds.handed_over_on', '<=', asOf);
}
