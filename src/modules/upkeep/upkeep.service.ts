import { z } from 'zod';
import type { ServiceContext } from '../../server/context';
import { DomainError } from '../../shared/errors';
import { MAX_FEN } from '../../shared/money';
import { keysetPage, PageArgs } from '../../shared/pagination';
import { dateString, optionalText, parseInput, text } from '../../shared/validation';
import * as assetsRepo from '../assets/assets.repository';
import { recordAssetEvent, requireAsset } from '../assets/assets.service';
import type { Asset } from '../assets/assets.types';
import { authorize, canRead } from '../auth/auth.service';
import { partyRefSchema, resolvePartyRef } from '../parties/parties.service';
import { scopedPrefix } from '../regions/regions.service';
import * as repo from './upkeep.repository';
import { UPKEEP_FUND_SOURCES, UPKEEP_RECORD_KINDS, UpkeepAssignment, UpkeepRecord } from './upkeep.types';

const assignSchema = z.object({
  assetId: z.number(),
  body: partyRefSchema,
  personName: text(50),
  personRole: optionalText(100),
  fundSource: z.enum(UPKEEP_FUND_SOURCES),
  effectiveFrom: dateString,
  note: optionalText(1000),
});

const recordSchema = z.object({
  assetId: z.number(),
  kind: z.enum(UPKEEP_RECORD_KINDS),
  doneOn: dateString,
  costFen: z
    .number()
    .int()
    .refine((v) => v >= 0 && v <= MAX_FEN, { message: 'cost must not be negative', params: { code: 'INVALID_AMOUNT' } }),
  note: optionalText(1000),
});

/** Upkeep starts once the owner is known: an unconfirmed asset has nobody to answer for it yet. */
function requireConfirmed(asset: Asset): void {
  if (asset.status === 'REGISTERED') {
    throw new DomainError('ILLEGAL_TRANSITION', 'Rights are not confirmed yet: confirm the owner before assigning upkeep', [
      'input',
      'assetId',
    ]);
  }
}

/**
 * 管护责任 Assigns upkeep: responsible body, responsible person, fund source, from a date (brief §4, §11.7).
 * A new assignment ends the current one the day before it starts; history is kept.
 */
export async function assignUpkeep(svc: ServiceContext, raw: unknown): Promise<{ asset: Asset; assignment: UpkeepAssignment }> {
  const input = parseInput(assignSchema, raw);
  const asset = await requireAsset(svc, input.assetId);
  authorize(svc.actor, 'upkeep.write', asset.villageCode);
  requireConfirmed(asset);
  const body = await resolvePartyRef(svc, input.body, ['input', 'body']);
  // The keeper of a village asset is named inside the actor's scope (issue 8): another village's collective
  // or household is not this clerk's to put on duty. Township and county bodies, companies stay nameable.
  if ((body.kind === 'VILLAGE_COLLECTIVE' || body.kind === 'HOUSEHOLD') && !canRead(svc.actor, body.regionCode)) {
    throw new DomainError('INVALID_REGION', `${body.name} is outside your region`, ['input', 'body']);
  }
  const current = await repo.openAssignment(svc.db, asset.id);
  if (current && input.effectiveFrom <= current.effectiveFrom) {
    throw new DomainError('DATE_ORDER', `effectiveFrom must be after ${current.effectiveFrom}, when the current keeper started`, [
      'input',
      'effectiveFrom',
    ]);
  }
  const now = svc.clock.now();
  if (current) await repo.closeAssignment(svc.db, asset.id, input.effectiveFrom);
  const assignment: Omit<UpkeepAssignment, 'id'> = {
    assetId: asset.id,
    bodyPartyId: body.id,
    personName: input.personName,
    personRole: input.personRole,
    fundSource: input.fundSource,
    effectiveFrom: input.effectiveFrom,
    effectiveTo: null,
    note: input.note,
    actorUserId: svc.actor.userId,
    recordedAt: now,
  };
  const id = await repo.insertAssignment(svc.db, assignment);
  await recordAssetEvent(svc, asset, 'UPKEEP_ASSIGN', {
    effectiveOn: input.effectiveFrom,
    reason: input.note,
    dateField: ['input', 'effectiveFrom'],
    payload: {
      assignmentId: id,
      bodyPartyId: body.id,
      personName: input.personName,
      fundSource: input.fundSource,
      ...(current ? { previousAssignmentId: current.id } : {}),
    },
  });
  return { asset, assignment: { id, ...assignment } };
}

/**
 * 管护记录 Records an inspection, maintenance or repair with its cost. Records are observations: a late
 * entry of an old inspection is fine, as long as it is not before the handover or in the future.
 */
export async function recordUpkeep(svc: ServiceContext, raw: unknown): Promise<{ asset: Asset; record: UpkeepRecord }> {
  const input = parseInput(recordSchema, raw);
  const asset = await requireAsset(svc, input.assetId);
  authorize(svc.actor, 'upkeep.write', asset.villageCode);
  if (!asset.handedOverOn) {
    throw new DomainError('ILLEGAL_TRANSITION', 'The asset is not handed over yet: its builder still maintains it', ['input', 'assetId']);
  }
  if (input.doneOn < asset.handedOverOn) {
    throw new DomainError('DATE_ORDER', `doneOn must not be before the handover (${asset.handedOverOn})`, ['input', 'doneOn']);
  }
  const now = svc.clock.now();
  const record: Omit<UpkeepRecord, 'id'> = {
    assetId: asset.id,
    kind: input.kind,
    doneOn: input.doneOn,
    costFen: input.costFen,
    note: input.note,
    actorUserId: svc.actor.userId,
    recordedAt: now,
  };
  const id = await repo.insertRecord(svc.db, record);
  await recordAssetEvent(svc, asset, 'UPKEEP_RECORD', {
    effectiveOn: input.doneOn,
    reason: input.note,
    dateField: ['input', 'doneOn'],
    payload: { recordId: id, kind: input.kind, costFen: input.costFen },
  });
  return { asset, record: { id, ...record } };
}

/**
 * 管护缺位 Public-welfare assets in use with no upkeep assignment in force today (brief §11.7): the
 * assets audits find nobody maintains.
 */
export async function upkeepWarnings(svc: ServiceContext, regionCode: string | null | undefined, page: PageArgs) {
  const today = svc.clock.today();
  const q = assetsRepo
    .listQuery(svc.db, { regionPrefix: scopedPrefix(svc.actor, regionCode), class: 'PUBLIC_WELFARE', status: 'IN_USE' })
    .whereNotExists(repo.assignedOnSubquery(svc.db, today));
  return keysetPage(q, page, (row: any) => {
    const asset = assetsRepo.toAsset(row);
    return {
      asset,
      kind: 'NO_KEEPER' as const,
      message: `${asset.name} (${asset.code}) is in use without upkeep assigned (管护责任未落实)`,
    };
  });
}

export async function assignmentsOf(svc: Pick<ServiceContext, 'db'>, assetIds: readonly number[]) {
  return repo.assignmentsOf(svc.db, assetIds);
}
