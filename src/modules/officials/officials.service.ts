/**
 * 村干部/村务人员名册 The register of village officials (issue 14). Who held which office in a village and when,
 * linked where known to a system user, the household the official belongs to and the official's own party.
 * The reports' related-party check and disposal's RELATED_BUYER flag read it through `relatedOfficials`.
 */
import { z } from 'zod';
import type { Executor } from '../../db/connection';
import type { ServiceContext } from '../../shared/context';
import { DomainError } from '../../shared/errors';
import { requireNotFuture, requireOrdered } from '../../shared/dates';
import { dateString, optionalText, parseInput, text } from '../../shared/validation';
import { authorize, authorizeRole, canRead } from '../auth/auth.service';
import { findUsersByIds } from '../auth/auth.repository';
import { appendAudit } from '../audit/audit.repository';
import { countyCodeOf, isWithin, prefixOf } from '../regions/regions.codes';
import { requireRegion, scopedPrefix } from '../regions/regions.service';
import * as householdsRepo from '../households/households.repository';
import { isValidResidentId } from '../households/residentId';
import * as partiesRepo from '../parties/parties.repository';
import { canSeeParty } from '../parties/parties.service';
import * as repo from './officials.repository';
import { inOffice, OFFICIAL_ROLES, OfficialRole, VillageOfficial } from './officials.types';

const registerSchema = z.object({
  villageCode: z.string(),
  name: text(50),
  role: z.enum(OFFICIAL_ROLES),
  roleNote: optionalText(100),
  idNumber: z.string().trim().toUpperCase().nullish().transform((v) => (v ? v : null)),
  userId: z.number().nullish().transform((v) => v ?? null),
  householdId: z.number().nullish().transform((v) => v ?? null),
  partyId: z.number().nullish().transform((v) => v ?? null),
  termStartOn: dateString,
  termEndOn: dateString.nullish().transform((v) => v ?? null),
});

const endSchema = z.object({
  officialId: z.number(),
  termEndOn: dateString,
  reason: optionalText(500),
});

/** 登记村干部 Records an official of a village (the village's clerk, or ADMIN). */
export async function registerOfficial(svc: ServiceContext, raw: unknown): Promise<VillageOfficial> {
  const input = parseInput(registerSchema, raw);
  authorize(svc.actor, 'official.write', input.villageCode);
  await requireRegion(svc.db, input.villageCode, ['input', 'villageCode'], ['VILLAGE']);
  if (input.role === 'OTHER' && !input.roleNote) {
    throw new DomainError('REQUIRED', 'An OTHER office needs roleNote (职务名称)', ['input', 'roleNote']);
  }
  if (input.idNumber && !isValidResidentId(input.idNumber, svc.clock.today())) {
    throw new DomainError('INVALID_ID_NUMBER', 'Resident ID number fails the GB 11643 check (身份证号码校验失败)', ['input', 'idNumber']);
  }
  requireNotFuture(svc, input.termStartOn, ['input', 'termStartOn']);
  requireOrdered([['termStartOn', input.termStartOn], ['termEndOn', input.termEndOn]], ['input']);

  let householdId = input.householdId;
  if (householdId !== null) {
    const h = await householdsRepo.findById(svc.db, householdId);
    if (!h || !canRead(svc.actor, h.villageCode)) throw new DomainError('NOT_FOUND', 'No such household in your scope', ['input', 'householdId']);
    if (h.villageCode !== input.villageCode) {
      throw new DomainError('INVALID_REGION', `Household ${h.id} belongs to village ${h.villageCode}, not ${input.villageCode} (非本村农户)`, ['input', 'householdId']);
    }
  }
  if (input.partyId !== null) {
    const p = await partiesRepo.findById(svc.db, input.partyId);
    if (!p || !canSeeParty(svc.actor, p)) throw new DomainError('NOT_FOUND', 'No such party in your scope', ['input', 'partyId']);
    if (p.kind !== 'HOUSEHOLD' && p.kind !== 'INDIVIDUAL') {
      throw new DomainError('INVALID_INPUT', `An official's own party is a person (HOUSEHOLD or INDIVIDUAL), not ${p.kind}`, ['input', 'partyId']);
    }
    if (!p.regionCode.startsWith(countyCodeOf(input.villageCode).slice(0, 6))) {
      throw new DomainError('INVALID_REGION', `Party ${p.id} is registered in ${p.regionCode}, outside the village's county`, ['input', 'partyId']);
    }
    if (p.kind === 'HOUSEHOLD') {
      if (householdId !== null && p.householdId !== householdId) {
        throw new DomainError('INVALID_INPUT', 'The party is another household than householdId', ['input', 'partyId']);
      }
      householdId = p.householdId;
      const h = householdId !== null ? await householdsRepo.findById(svc.db, householdId) : undefined;
      if (h && h.villageCode !== input.villageCode) {
        throw new DomainError('INVALID_REGION', `The party's household belongs to village ${h.villageCode}, not ${input.villageCode}`, ['input', 'partyId']);
      }
    }
  }
  if (input.userId !== null) {
    const [u] = await findUsersByIds(svc.db, [input.userId]);
    if (!u) {
      throw new DomainError('NOT_FOUND', 'No such user', ['input', 'userId']);
    }
    // The user's own region must cover the village: its clerk, its township's reviewer, its county's officers.
    if (!isWithin(input.villageCode, prefixOf(u.region_code))) {
      throw new DomainError('INVALID_REGION', `User ${u.id} serves ${u.region_code}, which does not cover village ${input.villageCode}`, ['input', 'userId']);
    }
  }
  if (await repo.findOverlapping(svc.db, { ...input })) {
    throw new DomainError('DUPLICATE', `${input.name} already holds this office in this village during that term`, ['input', 'termStartOn']);
  }
  const now = svc.clock.now();
  const id = await repo.insert(svc.db, {
    villageCode: input.villageCode,
    name: input.name,
    role: input.role,
    roleNote: input.roleNote ?? null,
    idNumber: input.idNumber,
    userId: input.userId,
    householdId,
    partyId: input.partyId,
    termStartOn: input.termStartOn,
    termEndOn: input.termEndOn,
    endReason: null,
    createdBy: svc.actor.userId,
    createdAt: now,
    updatedAt: now,
  });
  await appendAudit(svc.db, {
    entityType: 'VillageOfficial',
    entityId: id,
    action: 'REGISTER',
    actorUserId: svc.actor.userId,
    recordedAt: now,
    payload: { ...input, householdId, idNumber: undefined },
  });
  return (await repo.findById(svc.db, id))!;
}

/** 离任 Ends an official's term (on or after its start, not in the future; an ended term stays ended). */
export async function endOfficialTerm(svc: ServiceContext, raw: unknown): Promise<VillageOfficial> {
  authorizeRole(svc.actor, 'official.write');
  const input = parseInput(endSchema, raw);
  const o = await repo.findById(svc.db, input.officialId, true);
  if (!o || !canRead(svc.actor, o.villageCode)) throw new DomainError('NOT_FOUND', 'No such official in your scope', ['input', 'officialId']);
  authorize(svc.actor, 'official.write', o.villageCode);
  const today = svc.clock.today();
  if (o.endReason !== null || (o.termEndOn !== null && o.termEndOn < today)) {
    throw new DomainError('ILLEGAL_TRANSITION', `The term already ended on ${o.termEndOn} (已离任)`, ['input', 'officialId']);
  }
  requireNotFuture(svc, input.termEndOn, ['input', 'termEndOn']);
  requireOrdered([['termStartOn', o.termStartOn], ['termEndOn', input.termEndOn]], ['input']);
  const now = svc.clock.now();
  await repo.endTerm(svc.db, o.id, input.termEndOn, input.reason ?? '离任', now);
  await appendAudit(svc.db, {
    entityType: 'VillageOfficial',
    entityId: o.id,
    action: 'END_TERM',
    actorUserId: svc.actor.userId,
    recordedAt: now,
    payload: { before: { termEndOn: o.termEndOn }, termEndOn: input.termEndOn, reason: input.reason ?? null },
  });
  return (await repo.findById(svc.db, o.id))!;
}

export async function getOfficial(svc: ServiceContext, id: number): Promise<VillageOfficial | null> {
  const o = await repo.findById(svc.db, id);
  return o && canRead(svc.actor, o.villageCode) ? o : null;
}

/** Officials of the villages under a region inside the actor's scope (outside it: an empty list). */
export async function listOfficials(
  svc: ServiceContext,
  f: { regionCode?: string | null; inOfficeOn?: string | null; role?: OfficialRole | null },
): Promise<VillageOfficial[]> {
  const regionPrefix = scopedPrefix(svc.actor, f.regionCode);
  return (await repo.listQuery(svc.db, { regionPrefix, inOfficeOn: f.inOfficeOn, role: f.role }).orderBy(['village_code', 'id'])).map(repo.toOfficial);
}

/**
 * 关联方 Who a party is related to, by the register: for each party id, the officials of the village whose own
 * party it is or whose household's party it is. `officialUserIds` adds the register entries of those users
 * wherever recorded (a township cadre serving the village). Terms are not filtered here: use `relatedOn`.
 */
export interface RelatedIndex {
  byParty: Map<number, VillageOfficial[]>;
  byHousehold: Map<number, VillageOfficial[]>;
}

export async function relatedIndex(db: Executor, regionPrefix: string, extraUserIds: readonly number[] = []): Promise<RelatedIndex> {
  const officials = await repo.listUnder(db, regionPrefix);
  if (extraUserIds.length) {
    const known = new Set(officials.map((o) => o.id));
    const extra = (await repo.listByUsers(db, extraUserIds)).filter((o) => !known.has(o.id));
    officials.push(...extra);
  }
  const byParty = new Map<number, VillageOfficial[]>();
  const byHousehold = new Map<number, VillageOfficial[]>();
  const add = <K>(m: Map<K, VillageOfficial[]>, k: K, o: VillageOfficial) => m.set(k, [...(m.get(k) ?? []).filter((x) => x.id !== o.id), o]);
  for (const o of officials) {
    if (o.partyId !== null) add(byParty, o.partyId, o);
    if (o.householdId !== null) add(byHousehold, o.householdId, o);
  }
  const householdIds = [...byHousehold.keys()];
  for (const p of householdIds.length ? await partiesRepo.findByHouseholds(db, householdIds) : []) {
    for (const o of byHousehold.get(p.householdId!) ?? []) add(byParty, p.id, o);
  }
  return { byParty, byHousehold };
}

/**
 * The officials a payee is related to on a date: in office on that date (`date`), or — for a deal still
 * pending — in office at any time from `date` on (`pending`). A party is related through the official's
 * own party or the party of the official's household; a household payee through the household itself.
 */
export function relatedOn(
  index: RelatedIndex,
  payee: { partyId?: number | null; householdId?: number | null },
  date: string,
  pending = false,
): VillageOfficial[] {
  const found = [
    ...(payee.partyId != null ? index.byParty.get(payee.partyId) ?? [] : []),
    ...(payee.householdId != null ? index.byHousehold.get(payee.householdId) ?? [] : []),
  ];
  const held = (o: VillageOfficial) => (pending ? o.termEndOn === null || o.termEndOn >= date : inOffice(o, date));
  return [...new Map(found.filter(held).map((o) => [o.id, o])).values()];
}

/** Related officials of one village for one party on one date (disposal's RELATED_BUYER flag). */
export async function relatedOfficials(
  db: Executor,
  villageCode: string,
  partyId: number,
  date: string,
  opts: { pending?: boolean; userIds?: readonly number[] } = {},
): Promise<VillageOfficial[]> {
  return relatedOn(await relatedIndex(db, villageCode, opts.userIds ?? []), { partyId }, date, opts.pending ?? false);
}
