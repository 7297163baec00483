import { z } from 'zod';
import type { Executor } from '../../db/connection';
import type { ServiceContext } from '../../shared/context';
import { DomainError } from '../../shared/errors';
import { dateString, optionalText, parseInput, text } from '../../shared/validation';
import { nextStatus } from '../assets/assets.lifecycle';
import { applyTransition, planTransition, recordAssetEvent, requireAsset, type PlannedAsset } from '../assets/assets.service';
import { chainsOf, onChainSettled, openChain } from '../approvals/approvals.service';
import { supervisingStep, villageResolutions } from '../approvals/approvals.steps';
import type { ApprovalChain } from '../approvals/approvals.types';
import { requireNotFuture, requireOrdered } from '../../shared/dates';
import type { Asset } from '../assets/assets.types';
import { authorize, canRead } from '../auth/auth.service';
import { countyCodeOf, townshipCodeOf } from '../regions/regions.codes';
import { partyRefSchema, resolvePartyRef } from '../parties/parties.service';
import { OWNER_KINDS, Party } from '../parties/parties.types';
import * as partiesRepo from '../parties/parties.repository';
import * as repo from './rights.repository';
import { AssetOwner, FULL_SHARE_BP, HandoverDeed, OWNER_KIND_OF_LEVEL, RIGHTS_LEVELS, RightsConfirmation, RightsLevel } from './rights.types';

/**
 * The owners of an asset on a date, with their shares in basis points (summing to 10000 when the asset was
 * confirmed by then; empty before confirmation). Income earned on that date is split by these shares.
 */
export async function ownersOn(db: Executor, assetId: number, date: string): Promise<{ partyId: number; shareBp: number }[]> {
  return (await repo.ownersOn(db, [assetId], date)).map((o) => ({ partyId: o.partyId, shareBp: o.shareBp }));
}

const ownerSchema = partyRefSchema.extend({
  shareBp: z.number().int().min(1, 'a share is at least 1 basis point').max(FULL_SHARE_BP, 'a share is at most 10000 basis points'),
});

const ownersSchema = z.array(ownerSchema).min(1, 'at least one owner').max(100, 'at most 100 owners');

const confirmSchema = z.object({
  assetId: z.number(),
  owners: ownersSchema,
  rightsLevel: z.enum(RIGHTS_LEVELS),
  certificateNo: text(60),
  confirmedOn: dateString,
  note: optionalText(1000),
});

const changeSchema = z.object({
  assetId: z.number(),
  owners: ownersSchema,
  rightsLevel: z.enum(RIGHTS_LEVELS),
  certificateNo: text(60),
  effectiveOn: dateString,
  reason: text(1000),
  approval: z
    .object({ reference: text(100), approvedBy: text(200), approvedOn: dateString })
    .nullish(),
});

const handOverSchema = z.object({
  assetId: z.number(),
  deedNo: text(60),
  handedOverOn: dateString,
  transferor: text(200),
  recipient: partyRefSchema.nullish(),
  recipientSignatory: optionalText(50),
  witness: text(200),
  bookedOn: dateString.nullish(),
  note: optionalText(1000),
});

type OwnerInput = z.infer<typeof ownerSchema>;

/**
 * Checks a list of owners against the asset (brief §11.4): only public bodies, collectives and households
 * own; a household asset is owned by households of its village; a public-welfare asset never by a household;
 * every owner is of the rights level's kind and sits in the asset's county; shares add up to exactly 100%.
 */
async function resolveOwners(
  svc: ServiceContext,
  asset: Pick<Asset, 'class' | 'villageCode'>,
  inputs: OwnerInput[],
  level: RightsLevel,
  resolve: typeof resolvePartyRef = resolvePartyRef,
): Promise<{ party: Party; shareBp: number }[]> {
  const out: { party: Party; shareBp: number }[] = [];
  for (const [i, o] of inputs.entries()) {
    const field = ['input', 'owners', String(i)];
    const party = await resolve(svc, o, field);
    if (out.some((x) => x.party.id === party.id)) {
      throw new DomainError('DUPLICATE', `${party.name} is listed twice`, field);
    }
    if (!OWNER_KINDS.includes(party.kind)) {
      throw new DomainError(
        'OWNER_NOT_ALLOWED',
        `${party.name} is a ${party.kind}: operators (companies, cooperatives, individuals) and ventures never own assets`,
        field,
      );
    }
    if (asset.class === 'HOUSEHOLD' && party.kind !== 'HOUSEHOLD') {
      throw new DomainError('OWNER_NOT_ALLOWED', 'A household asset (到户类) is owned by households', field);
    }
    if (asset.class === 'PUBLIC_WELFARE' && party.kind === 'HOUSEHOLD') {
      throw new DomainError('OWNER_NOT_ALLOWED', 'A public-welfare asset (公益性) is never owned by a household', field);
    }
    if (party.kind !== OWNER_KIND_OF_LEVEL[level]) {
      throw new DomainError(
        'RIGHTS_LEVEL_MISMATCH',
        `Rights level ${level} means owners of kind ${OWNER_KIND_OF_LEVEL[level]}; ${party.name} is a ${party.kind}`,
        ['input', 'rightsLevel'],
      );
    }
    const where: Record<string, [boolean, string]> = {
      COUNTY_BODY: [party.regionCode === countyCodeOf(asset.villageCode), "a county body of the asset's county"],
      TOWNSHIP: [party.regionCode === townshipCodeOf(asset.villageCode), "the government of the asset's township"],
      VILLAGE_COLLECTIVE: [countyCodeOf(party.regionCode) === countyCodeOf(asset.villageCode), "a village collective of the asset's county"],
      HOUSEHOLD: [party.regionCode === asset.villageCode, "a household of the asset's village"],
    };
    const [ok, expected] = where[party.kind];
    if (!ok) throw new DomainError('OWNER_NOT_ALLOWED', `${party.name} is not ${expected}`, field);
    out.push({ party, shareBp: o.shareBp });
  }
  const total = out.reduce((s, o) => s + o.shareBp, 0);
  if (total !== FULL_SHARE_BP) {
    throw new DomainError(
      'SHARES_NOT_100',
      `Owner shares add up to ${total} basis points; they must add up to exactly 10000 (100%)`,
      ['input', 'owners'],
    );
  }
  return out;
}

/** The CONFIRMATION row 确权 writes, for confirmRights and the import's batch alike. */
function confirmationRow(
  svc: ServiceContext,
  assetId: number,
  input: { rightsLevel: RightsConfirmation['rightsLevel']; certificateNo: RightsConfirmation['certificateNo']; confirmedOn: string; note: RightsConfirmation['reason'] },
  now: string,
): Omit<RightsConfirmation, 'id'> {
  return {
    assetId,
    kind: 'CONFIRMATION',
    rightsLevel: input.rightsLevel,
    certificateNo: input.certificateNo,
    effectiveOn: input.confirmedOn,
    reason: input.note,
    approvalRef: null,
    approvedBy: null,
    approvedOn: null,
    actorUserId: svc.actor.userId,
    recordedAt: now,
  };
}

/** 确权 Confirms the rights: owners with shares, level and certificate; REGISTERED → CONFIRMED. */
export async function confirmRights(svc: ServiceContext, raw: unknown): Promise<{ asset: Asset; confirmation: RightsConfirmation }> {
  const input = parseInput(confirmSchema, raw);
  const asset = await requireAsset(svc, input.assetId);
  authorize(svc.actor, 'rights.write', asset.villageCode);
  nextStatus(asset, 'CONFIRM_RIGHTS'); // confirming twice is an illegal step, whatever the owners
  const owners = await resolveOwners(svc, asset, input.owners, input.rightsLevel);
  const now = svc.clock.now();
  const confirmation = confirmationRow(svc, asset.id, input, now);
  const id = await repo.insertConfirmation(svc.db, confirmation);
  await repo.insertOwners(svc.db, ownerRows(asset.id, id, owners, input.confirmedOn, now));
  const updated = await applyTransition(svc, asset, 'CONFIRM_RIGHTS', {
    effectiveOn: input.confirmedOn,
    reason: input.note,
    dateField: ['input', 'confirmedOn'],
    payload: {
      confirmationId: id,
      rightsLevel: input.rightsLevel,
      certificateNo: input.certificateNo,
      owners: owners.map((o) => ({ partyId: o.party.id, shareBp: o.shareBp })),
    },
  });
  return { asset: updated, confirmation: { id, ...confirmation } };
}

function ownerRows(
  assetId: number,
  confirmationId: number,
  owners: { party: Party; shareBp: number }[],
  from: string,
  now: string,
): Omit<AssetOwner, 'id'>[] {
  return owners.map((o) => ({
    assetId,
    partyId: o.party.id,
    shareBp: o.shareBp,
    effectiveFrom: from,
    effectiveTo: null,
    confirmationId,
    recordedAt: now,
  }));
}

/**
 * 确权变更 Changes owners or shares from a date. The current rows are closed, never rewritten, so the owners
 * on any earlier date stay readable. A change of ownership is a transfer of a public asset (brief §11.21):
 * when it adds, removes or reweights an owner it waits on an approval chain — every affected village's own
 * resolution, then the township (villages of one township) or county finance (across townships) — and
 * takes effect only when the chain approves it. The typed-in approval reference is evidence, not authority.
 * A change that keeps the same owners and shares (a new certificate or level) applies at once.
 */
export async function changeRights(
  svc: ServiceContext,
  raw: unknown,
): Promise<{ asset: Asset; confirmation: RightsConfirmation | null; chain: ApprovalChain | null }> {
  const input = parseInput(changeSchema, raw);
  const asset = await requireAsset(svc, input.assetId);
  authorize(svc.actor, 'rights.write', asset.villageCode);
  if (asset.status === 'REGISTERED') {
    throw new DomainError('ILLEGAL_TRANSITION', 'Rights are not confirmed yet: use rightsConfirm first', ['input', 'assetId']);
  }
  if (!input.approval) {
    throw new DomainError(
      'APPROVAL_REQUIRED',
      'A change of ownership is a transfer: record the approval (reference, approving body, date)',
      ['input', 'approval'],
    );
  }
  requireNotFuture(svc, input.approval.approvedOn, ['input', 'approval', 'approvedOn']);
  requireOrdered(
    [
      ['approvedOn', input.approval.approvedOn],
      ['effectiveOn', input.effectiveOn],
    ],
    ['input'],
  );
  const owners = await resolveOwners(svc, asset, input.owners, input.rightsLevel);
  const current = await repo.openOwners(svc.db, asset.id);
  requireAfterCurrentOwners(current, input.effectiveOn);
  const change: OwnershipChange = {
    assetId: asset.id,
    owners: owners.map((o) => ({ partyId: o.party.id, shareBp: o.shareBp })),
    rightsLevel: input.rightsLevel,
    certificateNo: input.certificateNo,
    effectiveOn: input.effectiveOn,
    reason: input.reason,
    approval: input.approval,
  };
  if (sameOwners(current, change.owners)) return { ...(await applyOwnershipChange(svc, asset, change, null)), chain: null };
  if (await pendingChangeOf(svc, asset.id)) {
    throw new DomainError('APPROVAL_PENDING', 'A change of ownership of this asset is already waiting for approval', ['input', 'assetId']);
  }
  const chain = await openChain(svc, {
    purpose: 'OWNERSHIP_CHANGE',
    subjectType: 'Asset',
    subjectId: asset.id,
    regionCode: asset.villageCode,
    template: 'OWNERSHIP_CHANGE',
    steps: await ownershipChangeSteps(svc, asset, current, owners),
    summary: { ...change },
    requestedOn: svc.clock.today() < input.effectiveOn ? svc.clock.today() : input.effectiveOn,
  });
  return { asset, confirmation: null, chain };
}

interface OwnershipChange {
  assetId: number;
  owners: { partyId: number; shareBp: number }[];
  rightsLevel: RightsLevel;
  certificateNo: string;
  effectiveOn: string;
  reason: string;
  approval: { reference: string; approvedBy: string; approvedOn: string };
}

function requireAfterCurrentOwners(current: AssetOwner[], effectiveOn: string): void {
  const since = current.reduce((d, o) => (o.effectiveFrom > d ? o.effectiveFrom : d), '');
  if (effectiveOn <= since) {
    throw new DomainError('DATE_ORDER', `effectiveOn must be after ${since}, when the current owners took effect`, ['input', 'effectiveOn']);
  }
}

function sameOwners(current: AssetOwner[], next: { partyId: number; shareBp: number }[]): boolean {
  const key = (os: { partyId: number; shareBp: number }[]) => os.map((o) => `${o.partyId}:${o.shareBp}`).sort().join(',');
  return key(current) === key(next);
}

async function pendingChangeOf(svc: ServiceContext, assetId: number): Promise<boolean> {
  return (await chainsOf(svc, 'Asset', assetId)).some((c) => c.purpose === 'OWNERSHIP_CHANGE' && c.status === 'PENDING');
}

/** Every village whose collective owns the asset before or after the change decides by its own resolution. */
async function ownershipChangeSteps(svc: ServiceContext, asset: Asset, current: AssetOwner[], next: { party: Party }[]) {
  const before = await partiesRepo.findByIds(svc.db, current.map((o) => o.partyId));
  const villages = [...before, ...next.map((o) => o.party)]
    .filter((p) => p.kind === 'VILLAGE_COLLECTIVE')
    .map((p) => p.regionCode);
  const all = [...new Set([asset.villageCode, ...villages])];
  return [...villageResolutions(all), supervisingStep(all, 'COUNTY_FINANCE')];
}

/** Closes the current owners and opens the new ones from the change's date, with its event. */
async function applyOwnershipChange(
  svc: ServiceContext,
  asset: Asset,
  change: OwnershipChange,
  chainId: number | null,
): Promise<{ asset: Asset; confirmation: RightsConfirmation }> {
  const current = await repo.openOwners(svc.db, asset.id);
  requireAfterCurrentOwners(current, change.effectiveOn);
  const now = svc.clock.now();
  const confirmation: Omit<RightsConfirmation, 'id'> = {
    assetId: asset.id,
    kind: 'CHANGE',
    rightsLevel: change.rightsLevel,
    certificateNo: change.certificateNo,
    effectiveOn: change.effectiveOn,
    reason: change.reason,
    approvalRef: change.approval.reference,
    approvedBy: change.approval.approvedBy,
    approvedOn: change.approval.approvedOn,
    actorUserId: svc.actor.userId,
    recordedAt: now,
  };
  const id = await repo.insertConfirmation(svc.db, confirmation);
  await repo.closeOwners(svc.db, asset.id, change.effectiveOn);
  const rows = change.owners.map((o) => ({ assetId: asset.id, partyId: o.partyId, shareBp: o.shareBp, effectiveFrom: change.effectiveOn, effectiveTo: null, confirmationId: id, recordedAt: now }));
  await repo.insertOwners(svc.db, rows);
  await recordAssetEvent(svc, asset, 'RIGHTS_CHANGE', {
    effectiveOn: change.effectiveOn,
    reason: change.reason,
    payload: {
      confirmationId: id,
      rightsLevel: change.rightsLevel,
      certificateNo: change.certificateNo,
      approval: change.approval,
      ...(chainId ? { approvalChainId: chainId } : {}),
      before: current.map((o) => ({ partyId: o.partyId, shareBp: o.shareBp })),
      after: change.owners,
    },
  });
  return { asset, confirmation: { id, ...confirmation } };
}

// The change waits on its chain: applied when approved (as the approving officer), dropped when rejected.
onChainSettled('OWNERSHIP_CHANGE', async (svc, chain) => {
  if (chain.status !== 'APPROVED' || chain.subjectId === null) return;
  const asset = await requireAsset(svc, chain.subjectId);
  await applyOwnershipChange(svc, asset, chain.summary as unknown as OwnershipChange, chain.id);
});

/**
 * What 移交 asks of the asset and the input, for assetHandOver and the import's batch alike: the status allows
 * it, the asset was accepted, a booking date agrees with one already recorded, and accepted ≤ handed over ≤
 * booked. Returns the booking date the asset will carry.
 */
function requireHandOverable(svc: ServiceContext, asset: Omit<Asset, 'id'>, input: { handedOverOn: string; bookedOn?: string | null }): string | null {
  nextStatus(asset, 'HAND_OVER');
  if (!asset.acceptedOn) {
    throw new DomainError('NOT_ACCEPTED', 'The asset has no acceptance date (竣工验收): it cannot be handed over before acceptance', [
      'input',
      'assetId',
    ]);
  }
  if (input.bookedOn && asset.bookedOn && input.bookedOn !== asset.bookedOn) {
    throw new DomainError('INVALID_INPUT', `The asset was already booked on ${asset.bookedOn}`, ['input', 'bookedOn']);
  }
  const bookedOn = asset.bookedOn ?? input.bookedOn ?? null;
  if (input.bookedOn) requireNotFuture(svc, input.bookedOn, ['input', 'bookedOn']);
  requireOrdered(
    [
      ['acceptedOn', asset.acceptedOn],
      ['handedOverOn', input.handedOverOn],
      ['bookedOn', bookedOn],
    ],
    ['input'],
  );
  return bookedOn;
}

/**
 * 移交 Hands the asset over to its owner under a deed (transferor, recipient, witness, date);
 * CONFIRMED → HANDED_OVER. Dates are ordered: accepted ≤ handed over ≤ booked (brief §11.5).
 */
export async function handOverAsset(svc: ServiceContext, raw: unknown): Promise<{ asset: Asset; deed: HandoverDeed }> {
  const input = parseInput(handOverSchema, raw);
  const asset = await requireAsset(svc, input.assetId);
  authorize(svc.actor, 'rights.write', asset.villageCode);
  const bookedOn = requireHandOverable(svc, asset, input);
  const owners = await repo.openOwners(svc.db, asset.id);
  let recipientPartyId: number;
  if (input.recipient) {
    const recipient = await resolvePartyRef(svc, input.recipient, ['input', 'recipient']);
    if (!owners.some((o) => o.partyId === recipient.id)) {
      throw new DomainError('NOT_AN_OWNER', `${recipient.name} is not an owner of this asset; the owner receives it`, ['input', 'recipient']);
    }
    recipientPartyId = recipient.id;
  } else {
    // The owner with the largest share signs for the owners (the first confirmed one on a tie).
    recipientPartyId = [...owners].sort((a, b) => b.shareBp - a.shareBp || a.id - b.id)[0].partyId;
  }
  const now = svc.clock.now();
  const deed: Omit<HandoverDeed, 'id'> = {
    assetId: asset.id,
    deedNo: input.deedNo,
    handedOverOn: input.handedOverOn,
    transferor: input.transferor,
    recipientPartyId,
    recipientSignatory: input.recipientSignatory,
    witness: input.witness,
    note: input.note,
    actorUserId: svc.actor.userId,
    recordedAt: now,
  };
  const id = await repo.insertDeed(svc.db, deed);
  const updated = await applyTransition(svc, asset, 'HAND_OVER', {
    effectiveOn: input.handedOverOn,
    reason: input.note,
    dateField: ['input', 'handedOverOn'],
    patch: { handedOverOn: input.handedOverOn, bookedOn },
    payload: {
      deedId: id,
      deedNo: input.deedNo,
      transferor: input.transferor,
      recipientPartyId,
      witness: input.witness,
      ...(input.bookedOn && !asset.bookedOn ? { bookedOn: input.bookedOn } : {}),
    },
  });
  return { asset: updated, deed: { id, ...deed } };
}

/** Owners on a date from a batch of rows (the asset card's loader returns every row of an asset). */
export function ownersAt(rows: AssetOwner[], date: string): AssetOwner[] {
  return rows.filter((o) => o.effectiveFrom <= date && (o.effectiveTo === null || o.effectiveTo > date));
}

export async function ownerRowsOf(svc: Pick<ServiceContext, 'db'>, assetIds: readonly number[]) {
  return repo.ownerRowsOf(svc.db, assetIds);
}

/** The current owners (open rows) as parties, for rules that depend on who owns (operators, decisions). */
export async function currentOwnerParties(db: Executor, assetId: number): Promise<{ party: Party; shareBp: number }[]> {
  const rows = await repo.openOwners(db, assetId);
  const parties = new Map((await partiesRepo.findByIds(db, rows.map((r) => r.partyId))).map((p) => [p.id, p]));
  return rows.map((r) => ({ party: parties.get(r.partyId)!, shareBp: r.shareBp }));
}

// ---- Batch (the register import) --------------------------------------------------------------------------

interface PlannedRights {
  confirmation?: { row: Omit<RightsConfirmation, 'id'>; owners: Omit<AssetOwner, 'id'>[]; payload: Record<string, unknown> };
  deed?: { row: Omit<HandoverDeed, 'id'>; payload: Record<string, unknown> };
}

/**
 * 批量确权、移交 Rights confirmation and handover of assets planned in an assets batch (AssetBatch), held to
 * exactly rightsConfirm's and assetHandOver's checks, in the same order; parties named as owners or
 * recipients are resolved once per batch. Nothing is written until `write`, after writeAssetBatch has given
 * the assets their ids. A plan whose row is dropped is simply not passed to `write`.
 */
export class RightsBatch {
  private parties = new Map<string, Promise<Party>>();
  private planned = new Map<PlannedAsset, PlannedRights>();

  constructor(private readonly svc: ServiceContext) {}

  private resolve = (svc: ServiceContext, ref: z.infer<typeof partyRefSchema>, field: string[]): Promise<Party> => {
    const key = `${ref.partyId ?? ''}|${ref.villageCode ?? ''}|${ref.householdId ?? ''}`;
    let p = this.parties.get(key);
    if (!p) {
      p = resolvePartyRef(svc, ref, field);
      this.parties.set(key, p);
      // A refusal is not cached: each row gets its own error, with its own field path.
      p.catch(() => this.parties.get(key) === p && this.parties.delete(key));
    }
    return p;
  };

  /** rightsConfirm on a planned asset: REGISTERED → CONFIRMED. */
  async confirm(plan: PlannedAsset, raw: unknown): Promise<void> {
    const svc = this.svc;
    const input = parseInput(confirmSchema, raw);
    const asset = plan.asset;
    if (!canRead(svc.actor, asset.villageCode)) throw new DomainError('NOT_FOUND', 'No such asset in your scope', ['input', 'assetId']);
    authorize(svc.actor, 'rights.write', asset.villageCode);
    nextStatus(asset, 'CONFIRM_RIGHTS');
    const owners = await resolveOwners(svc, asset, input.owners, input.rightsLevel, this.resolve);
    const now = svc.clock.now();
    const row = confirmationRow(svc, 0, input, now);
    const payload = {
      confirmationId: 0,
      rightsLevel: input.rightsLevel,
      certificateNo: input.certificateNo,
      owners: owners.map((o) => ({ partyId: o.party.id, shareBp: o.shareBp })),
    };
    planTransition(svc, plan, 'CONFIRM_RIGHTS', { effectiveOn: input.confirmedOn, reason: input.note, dateField: ['input', 'confirmedOn'], payload });
    const entry = this.planned.get(plan) ?? {};
    entry.confirmation = { row, owners: ownerRows(0, 0, owners, input.confirmedOn, now), payload };
    this.planned.set(plan, entry);
  }

  /** assetHandOver on a planned asset: CONFIRMED → HANDED_OVER. */
  async handOver(plan: PlannedAsset, raw: unknown): Promise<void> {
    const svc = this.svc;
    const input = parseInput(handOverSchema, raw);
    const asset = plan.asset;
    if (!canRead(svc.actor, asset.villageCode)) throw new DomainError('NOT_FOUND', 'No such asset in your scope', ['input', 'assetId']);
    authorize(svc.actor, 'rights.write', asset.villageCode);
    const bookedOn = requireHandOverable(svc, asset, input);
    // The open owners are this batch's confirmation's (an asset of the batch has no other).
    const owners = this.planned.get(plan)?.confirmation?.owners ?? [];
    let recipientPartyId: number;
    if (input.recipient) {
      const recipient = await this.resolve(svc, input.recipient, ['input', 'recipient']);
      if (!owners.some((o) => o.partyId === recipient.id)) {
        throw new DomainError('NOT_AN_OWNER', `${recipient.name} is not an owner of this asset; the owner receives it`, ['input', 'recipient']);
      }
      recipientPartyId = recipient.id;
    } else {
      // The owner with the largest share signs for the owners (the first confirmed one on a tie).
      recipientPartyId = owners.map((o, i) => ({ o, i })).sort((a, b) => b.o.shareBp - a.o.shareBp || a.i - b.i)[0].o.partyId;
    }
    const now = svc.clock.now();
    const row: Omit<HandoverDeed, 'id'> = {
      assetId: 0,
      deedNo: input.deedNo,
      handedOverOn: input.handedOverOn,
      transferor: input.transferor,
      recipientPartyId,
      recipientSignatory: input.recipientSignatory,
      witness: input.witness,
      note: input.note,
      actorUserId: svc.actor.userId,
      recordedAt: now,
    };
    const payload = {
      deedId: 0,
      deedNo: input.deedNo,
      transferor: input.transferor,
      recipientPartyId,
      witness: input.witness,
      ...(input.bookedOn && !asset.bookedOn ? { bookedOn: input.bookedOn } : {}),
    };
    planTransition(svc, plan, 'HAND_OVER', {
      effectiveOn: input.handedOverOn,
      reason: input.note,
      dateField: ['input', 'handedOverOn'],
      patch: { handedOverOn: input.handedOverOn, bookedOn },
      payload,
    });
    const entry = this.planned.get(plan) ?? {};
    entry.deed = { row, payload };
    this.planned.set(plan, entry);
  }

  /** Writes the confirmations, owners and deeds of written plans (ids set) and completes their events' payloads. */
  async write(plans: PlannedAsset[]): Promise<void> {
    const kept = plans.map((p) => [p, this.planned.get(p)] as const).filter((x): x is readonly [PlannedAsset, PlannedRights] => !!x[1]);
    const confirmations = kept.filter(([, r]) => r.confirmation);
    const cIds = await repo.insertConfirmationsMany(this.svc.db, confirmations.map(([p, r]) => ({ ...r.confirmation!.row, assetId: p.id! })));
    const owners: Omit<AssetOwner, 'id'>[] = [];
    confirmations.forEach(([p, r], i) => {
      r.confirmation!.payload.confirmationId = cIds[i];
      for (const o of r.confirmation!.owners) owners.push({ ...o, assetId: p.id!, confirmationId: cIds[i] });
    });
    await repo.insertOwnersMany(this.svc.db, owners);
    const deeds = kept.filter(([, r]) => r.deed);
    const dIds = await repo.insertDeedsMany(this.svc.db, deeds.map(([p, r]) => ({ ...r.deed!.row, assetId: p.id! })));
    deeds.forEach(([, r], i) => (r.deed!.payload.deedId = dIds[i]));
    for (const p of plans) this.planned.delete(p);
  }

  /** Forgets plans of dropped rows. */
  drop(plan: PlannedAsset): void {
    this.planned.delete(plan);
  }
}
