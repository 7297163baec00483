import { z } from 'zod';
import type { Executor } from '../../db/connection';
import type { ServiceContext } from '../../shared/context';
import { DomainError } from '../../shared/errors';
import { parseInput } from '../../shared/validation';
import { appendAudit } from '../audit/audit.repository';
import { authorize, canRead } from '../auth/auth.service';
import { countyCodeOf } from '../regions/regions.codes';
import { requireRegion } from '../regions/regions.service';
import * as repo from './policy.repository';
import { CountyPolicy, DEFAULT_POLICY, TOWNSHIP_REVIEW_ORDERS } from './policy.types';

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
  const before = await policyFor(svc.db, region.code);
  if (!given.length) throw new DomainError('INVALID_INPUT', 'Nothing to change', ['input']);
  const next = { ...before, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)), updatedAt: svc.clock.now() };
  await repo.upsert(svc.db, next, svc.actor.userId);
  await appendAudit(svc.db, {
    entityType: 'CountyPolicy',
    entityId: Number(region.code.slice(0, 6)),
    action: 'UPDATE',
    actorUserId: svc.actor.userId,
    recordedAt: next.updatedAt,
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
