import { z } from 'zod';
import type { Executor } from '../../db/connection';
import type { ServiceContext } from '../../shared/context';
import { DomainError } from '../../shared/errors';
import { formatFen } from '../../shared/money';
import { parseInput } from '../../shared/validation';
import { appendAudit } from '../audit/audit.repository';
import { authorize, canRead } from '../auth/auth.service';
import { countyCodeOf } from '../regions/regions.codes';
import { requireRegion } from '../regions/regions.service';
import * as repo from './policy.repository';
import { CountyPolicy, DEFAULT_POLICY, TOWNSHIP_REVIEW_ORDERS } from './policy.types';
import { DEFAULT_RULES, type DepreciationRule } from './policy.depreciation';
import { ALL_SUB_TYPES, type AssetSubType } from '../assets/assets.types';

/** The policy in force for the county containing `regionCode`: the county's own numbers or the defaults. */
export async function policyFor(db: Executor, regionCode: string): Promise<CountyPolicy> {
  const countyCode = countyCodeOf(regionCode);
  return (await repo.find(db, countyCode)) ?? { countyCode, ...DEFAULT_POLICY, isDefault: true, updatedAt: null };
}

export async function getPolicy(svc: ServiceContext, countyCode: string): Promise<CountyPolicy | null> {
  if (!/^\d{12}$/.test(countyCode) || countyCodeOf(countyCode) !== countyCode) return null;
  if (!canRead(svc.actor, countyCode) && !countyCode.startsWith(svc.actor.scopePrefix.slice(0, 6))) return null;
  return policyFor(svc.db, countyCode);
}

const bp = z.number().int().min(0, 'at least 0').max(10000, 'at most 10000 (100%)');
const updateSchema = z.object({
  countyCode: z.string(),
  noticeDays: z.number().int().min(5, 'at least 5 days').max(60, 'at most 60 days').optional(),
  dividendShareCeilingBp: bp.optional(),
  minCollectiveRetentionBp: bp.optional(),
  idleFundsMonths: z.number().int().min(1).max(60).optional(),
  resultsNoticeDays: z.number().int().min(1).max(365).optional(),
  formerlyPoorWeightBp: z.number().int().min(1).max(100000).optional(),
  monitoredWeightBp: z.number().int().min(1).max(100000).optional(),
  townshipReview: z.enum(TOWNSHIP_REVIEW_ORDERS).optional(),
  jobWageShareCeilingBp: bp.optional(),
  hardshipCategories: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
  idleMonths: z.number().int().min(1, 'at least 1 month').max(120, 'at most 120 months').optional(),
  lowEfficiencyBenchmarkBp: bp.optional(),
  benefitExcuseWorkers: z.number().int().min(0).max(100000).optional(),
  singleAmountCeilingFen: z.number().int().min(100, 'at least 1.00').optional(),
});

/** Revitalisation numbers are the county planner's (县乡村振兴局); the others county finance's. */
const REVITALISATION_FIELDS = ['idleMonths', 'lowEfficiencyBenchmarkBp', 'benefitExcuseWorkers'] as const;

/** County finance (or admin) sets the county's numbers; every change is kept in the audit log. */
export async function updatePolicy(svc: ServiceContext, raw: unknown): Promise<CountyPolicy> {
  const input = parseInput(updateSchema, raw);
  const region = await requireRegion(svc.db, input.countyCode, ['input', 'countyCode'], ['COUNTY']);
  const { countyCode: _c, ...changes } = input;
  const given = Object.entries(changes).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (given.some((k) => !(REVITALISATION_FIELDS as readonly string[]).includes(k)) || !given.length) authorize(svc.actor, 'policy.write', region.code);
  if (given.some((k) => (REVITALISATION_FIELDS as readonly string[]).includes(k))) authorize(svc.actor, 'policy.revitalisation', region.code);
  if (!given.length) throw new DomainError('INVALID_INPUT', 'Nothing to change', ['input']);
  return changeCountySettings(svc, region.code, Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)));
}

/** The numbers a county may change (everything but its code and the bookkeeping fields). */
export type CountySettings = Omit<CountyPolicy, 'countyCode' | 'isDefault' | 'updatedAt'>;

/**
 * 县级参数变更 The one place a county's numbers change with their audit record ("county setting changed":
 * entity CountyPolicy, before and after): policyUpdate and the disposal module's disposalPolicyUpdate call it
 * after their own authorisation and validation. `check` sees the merged numbers before they are saved (a rule
 * across fields, e.g. tier 1 below tier 2) and may throw.
 */
export async function changeCountySettings(
  svc: ServiceContext,
  countyCode: string,
  patch: Partial<CountySettings>,
  check?: (next: CountyPolicy) => void,
): Promise<CountyPolicy> {
  const before = await policyFor(svc.db, countyCode);
  const next: CountyPolicy = { ...before, ...patch, updatedAt: svc.clock.now() };
  check?.(next);
  await repo.upsert(svc.db, next, svc.actor.userId);
  await appendAudit(svc.db, {
    entityType: 'CountyPolicy',
    entityId: Number(countyCode.slice(0, 6)),
    action: 'UPDATE',
    actorUserId: svc.actor.userId,
    recordedAt: next.updatedAt!,
    payload: { before, after: next },
  });
  return { ...next, isDefault: false };
}

/**
 * Saves some of a county's numbers on behalf of another module's own, already authorised mutation (the
 * contracts module's maximum term): the county's row is created with the defaults when it has none.
 */
export async function savePolicyNumbers(
  svc: ServiceContext,
  countyCode: string,
  patch: Partial<Omit<CountyPolicy, 'countyCode' | 'isDefault' | 'updatedAt'>>,
): Promise<CountyPolicy> {
  const before = await policyFor(svc.db, countyCode);
  const next = { ...before, ...patch, updatedAt: svc.clock.now() };
  await repo.upsert(svc.db, next, svc.actor.userId);
  return { ...next, isDefault: false };
}

/** The maximum contract term each county under `prefix` has set (absent: the contracts default applies). */
export async function maxContractTermsUnder(db: Executor, prefix: string): Promise<Map<string, number>> {
  return repo.maxContractTermsUnder(db, prefix);
}

// ---- Depreciation rules (issue 14) ---------------------------------------------------------------------

/** The depreciation rule of every sub-type in force for the county containing `regionCode`. */
/** The county's depreciation rules as a reader sees them: a county code inside the reader's scope, else none. */
export async function visibleDepreciationRules(svc: ServiceContext, countyCode: string): Promise<DepreciationRule[] | null> {
  if (!/^\d{6}0{6}$/.test(countyCode) || !canRead(svc.actor, countyCode)) return null;
  return depreciationRulesFor(svc.db, countyCode);
}

export async function depreciationRulesFor(db: Executor, regionCode: string): Promise<DepreciationRule[]> {
  const own = new Map((await repo.depreciationRows(db, countyCodeOf(regionCode))).map((r) => [r.subType, r]));
  return DEFAULT_RULES.map((d) => {
    const o = own.get(d.subType);
    return o ? { ...o, subType: d.subType, isDefault: false } : d;
  });
}

const depreciationSchema = z.object({
  countyCode: z.string(),
  subType: z.enum(ALL_SUB_TYPES as [AssetSubType, ...AssetSubType[]]),
  lifeMonths: z.number().int().min(12, 'at least 12 months').max(1200, 'at most 100 years'),
  residualBp: bp,
  depreciated: z.boolean(),
});

/** County finance sets a sub-type's useful life, residual rate and whether it is depreciated; audited. */
export async function setDepreciationRule(svc: ServiceContext, raw: unknown): Promise<DepreciationRule> {
  const input = parseInput(depreciationSchema, raw);
  const region = await requireRegion(svc.db, input.countyCode, ['input', 'countyCode'], ['COUNTY']);
  authorize(svc.actor, 'policy.write', region.code);
  const before = (await depreciationRulesFor(svc.db, region.code)).find((r) => r.subType === input.subType)!;
  const now = svc.clock.now();
  await repo.upsertDepreciation(svc.db, region.code, input, svc.actor.userId, now);
  const after: DepreciationRule = { subType: input.subType, lifeMonths: input.lifeMonths, residualBp: input.residualBp, depreciated: input.depreciated, isDefault: false };
  await appendAudit(svc.db, {
    entityType: 'DepreciationRule',
    entityId: Number(region.code.slice(0, 6)),
    action: 'UPDATE',
    actorUserId: svc.actor.userId,
    recordedAt: now,
    payload: { countyCode: region.code, before, after },
  });
  return after;
}

/** Rules for every county under a prefix that has its own, and the defaults for the rest (roll-ups). */
export async function depreciationRulesUnder(db: Executor, regionPrefix: string): Promise<{ byCounty: Map<string, DepreciationRule[]>; defaults: DepreciationRule[] }> {
  const byCounty = new Map<string, DepreciationRule[]>();
  for (const county of await repo.countiesWithDepreciationRules(db, regionPrefix)) {
    if (!county.startsWith(regionPrefix.slice(0, Math.min(6, regionPrefix.length)))) continue;
    byCounty.set(county.slice(0, 6), await depreciationRulesFor(db, county));
  }
  return { byCounty, defaults: DEFAULT_RULES };
}

/**
 * 单笔金额上限 A single money mutation above the county's ceiling is refused with AMOUNT_ABOVE_LIMIT unless
 * the request confirms the amount explicitly (issue 8): 46 万亿 yuan typed by mistake never reaches the books.
 */
export async function requireWithinCeiling(
  db: Executor,
  regionCode: string,
  amountFen: number,
  confirmed: boolean | null | undefined,
  field: string[],
): Promise<void> {
  const { singleAmountCeilingFen } = await policyFor(db, regionCode);
  if (amountFen <= singleAmountCeilingFen || confirmed) return;
  throw new DomainError(
    'AMOUNT_ABOVE_LIMIT',
    `${formatFen(amountFen)} yuan is above the county's single-amount ceiling of ${formatFen(singleAmountCeilingFen)}; check it, and confirm it explicitly (confirmAmountAboveLimit) if it is right`,
    field,
  );
}
