import { requireNotFuture } from '../../shared/dates';
import { z } from 'zod';
import type { ServiceContext } from '../../shared/context';
import { DomainError } from '../../shared/errors';
import { keysetPage, PageArgs } from '../../shared/pagination';
import { parseInput, text, optionalText, dateString } from '../../shared/validation';
import { authorize, canRead } from '../auth/auth.service';
import { appendAudit } from '../audit/audit.repository';
import { requireRegion, scopedPrefix } from '../regions/regions.service';
import * as repo from './households.repository';
import { isValidResidentId } from './residentId';
import { HOUSEHOLD_STATUSES, Household, HouseholdStatus, HouseholdStatusChange } from './households.types';

const statusEnum = z.enum(HOUSEHOLD_STATUSES as [HouseholdStatus, ...HouseholdStatus[]]);

const registerSchema = z.object({
  villageCode: z.string(),
  headName: text(50),
  idNumber: z.string().trim().toUpperCase(),
  memberCount: z.number().int().min(1, 'at least 1').max(30, 'at most 30'),
  status: statusEnum,
  statusEffectiveOn: dateString,
});

const updateSchema = z.object({
  householdId: z.number(),
  headName: text(50).optional(),
  memberCount: z.number().int().min(1, 'at least 1').max(30, 'at most 30').optional(),
  status: statusEnum.optional(),
  statusEffectiveOn: dateString.optional(),
  reason: optionalText(500),
});

export async function registerHousehold(svc: ServiceContext, raw: unknown): Promise<Household> {
  const input = parseInput(registerSchema, raw);
  await requireRegion(svc.db, input.villageCode, ['input', 'villageCode'], ['VILLAGE']);
  authorize(svc.actor, 'household.write', input.villageCode);
  if (!isValidResidentId(input.idNumber, svc.clock.today())) {
    throw new DomainError('INVALID_ID_NUMBER', 'Resident ID number fails the GB 11643 check (身份证号码校验失败)', ['input', 'idNumber']);
  }
  requireNotFuture(svc, input.statusEffectiveOn, ['input', 'statusEffectiveOn']);
  if (await repo.findByIdNumber(svc.db, input.idNumber)) {
    throw new DomainError('DUPLICATE', 'A household with this resident ID number is already registered', ['input', 'idNumber']);
  }
  const now = svc.clock.now();
  const id = await repo.insert(svc.db, {
    villageCode: input.villageCode,
    headName: input.headName,
    idNumber: input.idNumber,
    memberCount: input.memberCount,
    status: input.status,
    createdAt: now,
    updatedAt: now,
  });
  await repo.insertStatusChange(svc.db, {
    householdId: id,
    status: input.status,
    effectiveOn: input.statusEffectiveOn,
    reason: 'registered',
    actorUserId: svc.actor.userId,
    recordedAt: now,
  });
  await appendAudit(svc.db, {
    entityType: 'Household',
    entityId: id,
    action: 'REGISTER',
    actorUserId: svc.actor.userId,
    recordedAt: now,
    payload: { ...input, idNumber: undefined },
  });
  return (await repo.findById(svc.db, id))!;
}

export async function updateHousehold(svc: ServiceContext, raw: unknown): Promise<Household> {
  const input = parseInput(updateSchema, raw);
  const existing = await repo.findById(svc.db, input.householdId);
  if (!existing || !canRead(svc.actor, existing.villageCode)) {
    throw new DomainError('NOT_FOUND', 'No such household in your scope', ['input', 'householdId']);
  }
  authorize(svc.actor, 'household.write', existing.villageCode);
  const statusChanges = input.status !== undefined && input.status !== existing.status;
  if (statusChanges) {
    if (!input.statusEffectiveOn) {
      throw new DomainError('REQUIRED', 'A status change needs statusEffectiveOn', ['input', 'statusEffectiveOn']);
    }
    requireNotFuture(svc, input.statusEffectiveOn, ['input', 'statusEffectiveOn']);
    const last = await repo.latestEffectiveOn(svc.db, existing.id);
    if (last && input.statusEffectiveOn < last) {
      throw new DomainError('DATE_ORDER', `Status change must be effective on or after ${last}, the last change`, [
        'input',
        'statusEffectiveOn',
      ]);
    }
  }
  if (input.headName === undefined && input.memberCount === undefined && !statusChanges) {
    throw new DomainError('INVALID_INPUT', 'Nothing to change', ['input']);
  }
  const now = svc.clock.now();
  await repo.update(svc.db, existing.id, {
    headName: input.headName,
    memberCount: input.memberCount,
    status: statusChanges ? input.status : undefined,
    updatedAt: now,
  });
  if (statusChanges) {
    await repo.insertStatusChange(svc.db, {
      householdId: existing.id,
      status: input.status!,
      effectiveOn: input.statusEffectiveOn!,
      reason: input.reason,
      actorUserId: svc.actor.userId,
      recordedAt: now,
    });
  }
  await appendAudit(svc.db, {
    entityType: 'Household',
    entityId: existing.id,
    action: 'UPDATE',
    actorUserId: svc.actor.userId,
    recordedAt: now,
    payload: {
      before: { headName: existing.headName, memberCount: existing.memberCount, status: existing.status },
      change: input,
    },
  });
  return (await repo.findById(svc.db, existing.id))!;
}

export async function getHousehold(svc: ServiceContext, id: number): Promise<Household | null> {
  const h = await repo.findById(svc.db, id);
  return h && canRead(svc.actor, h.villageCode) ? h : null;
}

export async function listHouseholds(
  svc: ServiceContext,
  filter: { regionCode?: string | null; status?: HouseholdStatus | null; text?: string | null },
  page: PageArgs,
) {
  const regionPrefix = scopedPrefix(svc.actor, filter.regionCode);
  return keysetPage(repo.listQuery(svc.db, { regionPrefix, status: filter.status, text: filter.text }), page, repo.toHousehold);
}

/** Status of a household on a date, from its history (distribution eligibility is judged on the plan date). */
export function statusOn(history: HouseholdStatusChange[], date: string): HouseholdStatus | null {
  let status: HouseholdStatus | null = null;
  for (const c of history) {
    if (c.effectiveOn <= date) status = c.status;
  }
  return status;
}

export async function statusHistoryOf(svc: ServiceContext, householdIds: readonly number[]) {
  return repo.statusHistory(svc.db, householdIds);
}
