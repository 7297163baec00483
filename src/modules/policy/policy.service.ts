import { z } from 'zod';
import type { Executor } from '../../db/connection';
import type { ServiceContext } from '../../server/context';
import { DomainError } from '../../shared/errors';
import { formatFen } from '../../shared/money';
import { parseInput } from '../../shared/validation';
import { appendAudit } from '../audit/audit.repository';
import { authorize, canRead } from '../auth/auth.service';
import { countyCodeOf } from '../regions/regions.codes';
import { requireRegion } from '../regions/regions.service';
import * as repo from './policy.repository';
import { CountyPolicy, DEFAULT_POLICY } from './policy.types';

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
  singleAmountCeilingFen: z.number().int().min(100, 'at least 1.00').optional(),
});

/** County finance (or admin) sets the county's numbers; every change is kept in the audit log. */
export async function updatePolicy(svc: ServiceContext, raw: unknown): Promise<CountyPolicy> {
  const input = parseInput(updateSchema, raw);
  const region = await requireRegion(svc.db, input.countyCode, ['input', 'countyCode'], ['COUNTY']);
  authorize(svc.actor, 'policy.write', region.code);
  const before = await policyFor(svc.db, region.code);
  const { countyCode: _c, ...changes } = input;
  if (!Object.values(changes).some((v) => v !== undefined)) throw new DomainError('INVALID_INPUT', 'Nothing to change', ['input']);
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
