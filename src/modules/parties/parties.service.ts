import { z } from 'zod';
import type { Executor } from '../../db/connection';
import type { ServiceContext } from '../../shared/context';
import type { Clock } from '../../shared/clock';
import { DomainError } from '../../shared/errors';
import { keysetPage, PageArgs } from '../../shared/pagination';
import { parseInput, text } from '../../shared/validation';
import { appendAudit } from '../audit/audit.repository';
import { authorizeRole, canRead } from '../auth/auth.service';
import type { Actor } from '../auth/auth.types';
import { isRegionCode, levelOf, parentCodeOf, RegionLevel } from '../regions/regions.codes';
import { isVisible, requireRegion, scopedPrefix } from '../regions/regions.service';
import * as regionsRepo from '../regions/regions.repository';
import * as householdsRepo from '../households/households.repository';
import { isValidCreditCode } from './creditCode';
import * as repo from './parties.repository';
import { Party, PartyKind, PARTY_KINDS, REGISTRABLE_KINDS } from './parties.types';

/**
 * The village collective (村集体经济组织) of a village, created on first use: every village has exactly one,
 * and it owns village assets and holds the village's accounts.
 */
export async function collectiveOf(db: Executor, clock: Clock, villageCode: string): Promise<Party> {
  const existing = await repo.findCollective(db, villageCode);
  if (existing) return existing;
  const village = await regionsRepo.findByCode(db, villageCode);
  if (!village || village.level !== 'VILLAGE') {
    throw new DomainError('INVALID_REGION', `No village with code ${villageCode}`, ['villageCode']);
  }
  const id = await repo.insert(db, {
    kind: 'VILLAGE_COLLECTIVE',
    name: `${village.name}股份经济合作社`,
    regionCode: villageCode,
    createdAt: clock.now(),
  });
  return (await repo.findById(db, id))!;
}

/** The party standing for a household (owner of household assets, recipient of dividends), created on first use. */
export async function householdPartyOf(db: Executor, clock: Clock, householdId: number): Promise<Party> {
  const existing = await repo.findByHousehold(db, householdId);
  if (existing) return existing;
  const household = await householdsRepo.findById(db, householdId);
  if (!household) throw new DomainError('NOT_FOUND', `No household ${householdId}`, ['householdId']);
  const id = await repo.insert(db, {
    kind: 'HOUSEHOLD',
    name: `${household.headName}户`,
    regionCode: household.villageCode,
    householdId,
    createdAt: clock.now(),
  });
  return (await repo.findById(db, id))!;
}

/**
 * The parties of many households at once, created where missing: a distribution pays thousands of
 * households in one entry, so this costs a few statements per 500 households, not several per household.
 */
export async function householdPartiesOf(db: Executor, clock: Clock, householdIds: readonly number[]): Promise<Map<number, Party>> {
  const ids = [...new Set(householdIds)];
  const found = new Map<number, Party>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const p of await repo.findByHouseholds(db, ids.slice(i, i + 500))) found.set(p.householdId!, p);
  }
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) {
    const households = await householdsRepo.findByIds(db, missing);
    if (households.length !== missing.length) {
      const known = new Set(households.map((h) => h.id));
      throw new DomainError('NOT_FOUND', `No household ${missing.find((id) => !known.has(id))}`, ['householdId']);
    }
    const now = clock.now();
    const made = await repo.insertMany(
      db,
      households.map((h) => ({ kind: 'HOUSEHOLD' as const, name: `${h.headName}户`, regionCode: h.villageCode, householdId: h.id, createdAt: now })),
    );
    for (const p of made) found.set(p.householdId!, p);
  }
  return found;
}

/**
 * household id → party id for many households of one village (a distribution's execution: up to every
 * household of the village), created where missing. One read of the village's household parties; the rest
 * (none, usually; a party registered elsewhere, or none yet) go through householdPartiesOf.
 */
export async function householdPartyIdsOf(db: Executor, clock: Clock, villageCode: string, householdIds: readonly number[]): Promise<Map<number, number>> {
  const inVillage = householdIds.length >= 200 ? await repo.householdPartyIdsInVillage(db, villageCode) : new Map<number, number>();
  const out = new Map<number, number>();
  const rest: number[] = [];
  for (const id of householdIds) {
    const party = inVillage.get(id);
    if (party === undefined) rest.push(id);
    else out.set(id, party);
  }
  if (rest.length) for (const [id, p] of await householdPartiesOf(db, clock, rest)) out.set(id, p.id);
  return out;
}

export async function getParty(db: Executor, id: number): Promise<Party | undefined> {
  return repo.findById(db, id);
}

/** Households and individuals are people: seen only inside (or above) their own village. */
const PRIVATE_KINDS: readonly PartyKind[] = ['HOUSEHOLD', 'INDIVIDUAL'];

/** The county prefix of an actor scoped at county level or below (null for city/province scopes). */
function countyPrefixOf(actor: Actor): string | null {
  return actor.scopePrefix.length >= 6 ? actor.scopePrefix.slice(0, 6) : null;
}

/**
 * A party is visible when its region lies inside the actor's scope or contains it; organisations of the
 * actor's own county (collectives, townships, county bodies, companies, cooperatives) are visible too, so
 * a clerk can name a neighbouring village's collective as joint owner. People stay private to their village.
 */
export function canSeeParty(actor: Actor, party: Pick<Party, 'regionCode' | 'kind'>): boolean {
  if (isVisible(actor, party.regionCode)) return true;
  const county = countyPrefixOf(actor);
  return county !== null && !PRIVATE_KINDS.includes(party.kind) && party.regionCode.startsWith(county);
}

export async function getVisibleParty(svc: ServiceContext, id: number): Promise<Party | null> {
  const p = await repo.findById(svc.db, id);
  return p && canSeeParty(svc.actor, p) ? p : null;
}

/** Where a party of each registrable kind sits in the region tree. */
const REGION_LEVELS_OF: Record<(typeof REGISTRABLE_KINDS)[number], RegionLevel[]> = {
  VILLAGE_COLLECTIVE: ['VILLAGE'],
  TOWNSHIP: ['TOWNSHIP'],
  COUNTY_BODY: ['COUNTY'],
  COMPANY: ['COUNTY', 'TOWNSHIP', 'VILLAGE', 'CITY', 'PROVINCE'],
  COOPERATIVE: ['COUNTY', 'TOWNSHIP', 'VILLAGE'],
  INDIVIDUAL: ['COUNTY', 'TOWNSHIP', 'VILLAGE'],
};

/** Companies and cooperatives always have a credit code since 2015; a person never has one. */
const CREDIT_CODE_REQUIRED: readonly PartyKind[] = ['COMPANY', 'COOPERATIVE'];
const CREDIT_CODE_FORBIDDEN: readonly PartyKind[] = ['INDIVIDUAL'];

const registerSchema = z.object({
  kind: z.enum(REGISTRABLE_KINDS),
  name: text(200),
  regionCode: z.string(),
  creditCode: z
    .string()
    .trim()
    .toUpperCase()
    .nullish()
    .transform((v) => (v ? v : null)),
});

/** 主体登记 Registers an owner, operator or keeper (company, cooperative, individual, township, county body). */
export async function registerParty(svc: ServiceContext, raw: unknown): Promise<Party> {
  const input = parseInput(registerSchema, raw);
  authorizeRole(svc.actor, 'party.write');
  await requireRegion(svc.db, input.regionCode, ['input', 'regionCode'], REGION_LEVELS_OF[input.kind]);
  // A party is written inside the actor's scope, never above it: a clerk registering the county company
  // would create a county-level party the whole county sees. Parties above a village are the county's to
  // register (issue 8); everyone in the county can still name them.
  if (!canRead(svc.actor, input.regionCode)) {
    throw new DomainError('INVALID_REGION', `Region ${input.regionCode} is outside your scope: register parties of your own region`, ['input', 'regionCode']);
  }
  if (input.creditCode === null && CREDIT_CODE_REQUIRED.includes(input.kind)) {
    throw new DomainError('REQUIRED', `A ${input.kind} needs its unified social credit code (统一社会信用代码)`, ['input', 'creditCode']);
  }
  if (input.creditCode !== null && CREDIT_CODE_FORBIDDEN.includes(input.kind)) {
    throw new DomainError('INVALID_INPUT', 'An individual has no unified social credit code', ['input', 'creditCode']);
  }
  if (input.creditCode !== null && !isValidCreditCode(input.creditCode)) {
    throw new DomainError(
      'INVALID_CREDIT_CODE',
      'The unified social credit code fails the GB 32100-2015 check (统一社会信用代码校验失败)',
      ['input', 'creditCode'],
    );
  }
  if (input.creditCode !== null && (await repo.findByCreditCode(svc.db, input.creditCode))) {
    throw new DomainError('DUPLICATE', 'A party with this credit code is already registered', ['input', 'creditCode']);
  }
  // One collective per village and one government per township; other kinds are unique by name in a region.
  const clash =
    input.kind === 'VILLAGE_COLLECTIVE' || input.kind === 'TOWNSHIP'
      ? await repo.findByKindRegion(svc.db, input.kind, input.regionCode)
      : await repo.findByKindRegionName(svc.db, input.kind, input.regionCode, input.name);
  if (clash) {
    throw new DomainError('DUPLICATE', `${clash.name} is already registered (${clash.kind})`, ['input', 'name']);
  }
  const now = svc.clock.now();
  const id = await repo.insert(svc.db, { ...input, createdAt: now });
  await appendAudit(svc.db, {
    entityType: 'Party',
    entityId: id,
    action: 'REGISTER',
    actorUserId: svc.actor.userId,
    recordedAt: now,
    payload: input,
  });
  return (await repo.findById(svc.db, id))!;
}

/** The regions strictly containing a code (its township, county, city, province). */
function ancestorsOf(code: string): string[] {
  const out: string[] = [];
  for (let p = parentCodeOf(code); p; p = parentCodeOf(p)) out.push(p);
  return out;
}

export async function listParties(
  svc: ServiceContext,
  filter: { regionCode?: string | null; kind?: PartyKind | null; text?: string | null; creditCode?: string | null },
  page: PageArgs,
) {
  const regionPrefix = scopedPrefix(svc.actor, filter.regionCode);
  // Without a region filter the enclosing regions' parties (county companies, the township) and the
  // organisations of the actor's county are listed too — exactly the parties canSeeParty admits.
  const alsoRegions = filter.regionCode ? [] : ancestorsOf(svc.actor.regionCode);
  const organisationsPrefix = filter.regionCode ? null : countyPrefixOf(svc.actor);
  return keysetPage(
    repo.listQuery(svc.db, {
      regionPrefix,
      alsoRegions,
      organisationsPrefix,
      privateKinds: PRIVATE_KINDS,
      kind: filter.kind,
      text: filter.text,
      creditCode: filter.creditCode?.toUpperCase(),
    }),
    page,
    repo.toParty,
  );
}

/** A reference to a party in an input: a registered party, a village's collective, or a household. */
export interface PartyRef {
  partyId?: number | null;
  villageCode?: string | null;
  householdId?: number | null;
}

export const partyRefSchema = z.object({
  partyId: z.number().nullish(),
  villageCode: z.string().nullish(),
  householdId: z.number().nullish(),
});

/**
 * Resolves a party reference to a party the actor can see. Collectives and household parties are created
 * on first use, so a clerk never has to register its own village or households as parties first.
 */
export async function resolvePartyRef(svc: ServiceContext, ref: PartyRef, field: string[]): Promise<Party> {
  const given = [ref.partyId, ref.villageCode, ref.householdId].filter((v) => v !== null && v !== undefined);
  if (given.length !== 1) {
    throw new DomainError('INVALID_INPUT', 'Give exactly one of partyId, villageCode or householdId', field);
  }
  if (ref.partyId != null) {
    const p = await getVisibleParty(svc, ref.partyId);
    if (!p) throw new DomainError('NOT_FOUND', 'No such party in your scope', [...field, 'partyId']);
    return p;
  }
  if (ref.villageCode != null) {
    const code = ref.villageCode;
    const county = countyPrefixOf(svc.actor);
    const reachable = isVisible(svc.actor, code) || (county !== null && code.startsWith(county));
    if (!isRegionCode(code) || levelOf(code) !== 'VILLAGE' || !reachable) {
      throw new DomainError('INVALID_REGION', `${code} is not a village in your scope`, [...field, 'villageCode']);
    }
    // Another village's collective may be named once it exists, but never created as a side effect:
    // only a user of that village (or above it) brings a village's collective into being.
    const existing = await repo.findCollective(svc.db, code);
    if (existing) return existing;
    if (!canRead(svc.actor, code)) {
      throw new DomainError('INVALID_REGION', `The collective of village ${code} is not registered yet; its own village registers it`, [...field, 'villageCode']);
    }
    try {
      return await collectiveOf(svc.db, svc.clock, code);
    } catch (e) {
      if (e instanceof DomainError) throw new DomainError(e.code, e.message, [...field, 'villageCode']);
      throw e;
    }
  }
  const household = await householdsRepo.findById(svc.db, ref.householdId!);
  if (!household || !canRead(svc.actor, household.villageCode)) {
    throw new DomainError('NOT_FOUND', 'No such household in your scope', [...field, 'householdId']);
  }
  return householdPartyOf(svc.db, svc.clock, household.id);
}

export { PARTY_KINDS };
