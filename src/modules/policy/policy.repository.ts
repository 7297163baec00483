import type { Executor } from '../../db/connection';
import { CountyPolicy, DEFAULT_POLICY } from './policy.types';

export async function find(db: Executor, countyCode: string): Promise<CountyPolicy | undefined> {
  const r = await db('county_policies').where({ county_code: countyCode }).first();
  return (
    r && {
      countyCode: r.county_code,
      noticeDays: r.notice_days,
      dividendShareCeilingBp: r.dividend_share_ceiling_bp,
      minCollectiveRetentionBp: r.min_collective_retention_bp,
      idleFundsMonths: r.idle_funds_months,
      resultsNoticeDays: r.results_notice_days,
      formerlyPoorWeightBp: r.formerly_poor_weight_bp,
      monitoredWeightBp: r.monitored_weight_bp,
      townshipReview: r.township_review,
      jobWageShareCeilingBp: r.job_wage_share_ceiling_bp,
      hardshipCategories: JSON.parse(r.hardship_categories),
      idleMonths: r.idle_months,
      lowEfficiencyBenchmarkBp: r.low_efficiency_benchmark_bp,
      benefitExcuseWorkers: r.benefit_excuse_workers,
      maxContractTermYears: r.max_contract_term_years ?? null,
      singleAmountCeilingFen: r.single_amount_ceiling_fen == null ? DEFAULT_POLICY.singleAmountCeilingFen : Number(r.single_amount_ceiling_fen),
      disposalTier1MaxFen: Number(r.disposal_tier1_max_fen),
      disposalTier2MaxFen: Number(r.disposal_tier2_max_fen),
      disposalAppraisalThresholdFen: Number(r.disposal_appraisal_threshold_fen),
      disposalExchangeThresholdFen: Number(r.disposal_exchange_threshold_fen),
      disposalNoticeDays: r.disposal_notice_days,
      disposalProceedsBookingDays: r.disposal_proceeds_booking_days,
      isDefault: false,
      updatedAt: r.updated_at,
    }
  );
}

export async function upsert(db: Executor, p: Omit<CountyPolicy, 'isDefault'>, userId: number): Promise<void> {
  const row = {
    county_code: p.countyCode,
    notice_days: p.noticeDays,
    dividend_share_ceiling_bp: p.dividendShareCeilingBp,
    min_collective_retention_bp: p.minCollectiveRetentionBp,
    idle_funds_months: p.idleFundsMonths,
    results_notice_days: p.resultsNoticeDays,
    formerly_poor_weight_bp: p.formerlyPoorWeightBp,
    monitored_weight_bp: p.monitoredWeightBp,
    township_review: p.townshipReview,
    job_wage_share_ceiling_bp: p.jobWageShareCeilingBp,
    hardship_categories: JSON.stringify(p.hardshipCategories),
    idle_months: p.idleMonths,
    low_efficiency_benchmark_bp: p.lowEfficiencyBenchmarkBp,
    benefit_excuse_workers: p.benefitExcuseWorkers,
    max_contract_term_years: p.maxContractTermYears,
    single_amount_ceiling_fen: p.singleAmountCeilingFen,
    disposal_tier1_max_fen: p.disposalTier1MaxFen,
    disposal_tier2_max_fen: p.disposalTier2MaxFen,
    disposal_appraisal_threshold_fen: p.disposalAppraisalThresholdFen,
    disposal_exchange_threshold_fen: p.disposalExchangeThresholdFen,
    disposal_notice_days: p.disposalNoticeDays,
    disposal_proceeds_booking_days: p.disposalProceedsBookingDays,
    updated_at: p.updatedAt,
    updated_by: userId,
  };
  await db('county_policies').insert(row).onConflict('county_code').merge();
}

/** The maximum contract term each county under `prefix` has set (counties that set none are absent). */
export async function maxContractTermsUnder(db: Executor, prefix: string): Promise<Map<string, number>> {
  const rows = await db('county_policies').where('county_code', 'like', `${prefix.slice(0, 6)}%`).whereNotNull('max_contract_term_years');
  return new Map(rows.map((r: any) => [r.county_code as string, r.max_contract_term_years as number]));
}

/** The county's own depreciation rows (sub-types without a row use the defaults). */
export async function depreciationRows(db: Executor, countyCode: string) {
  const rows = await db('depreciation_rules').where({ county_code: countyCode });
  return rows.map((r: any) => ({ subType: r.sub_type, lifeMonths: r.life_months, residualBp: r.residual_bp, depreciated: !!r.depreciated }));
}

export async function upsertDepreciation(
  db: Executor,
  countyCode: string,
  r: { subType: string; lifeMonths: number; residualBp: number; depreciated: boolean },
  userId: number,
  now: string,
): Promise<void> {
  const row = { county_code: countyCode, sub_type: r.subType, life_months: r.lifeMonths, residual_bp: r.residualBp, depreciated: r.depreciated, updated_by: userId, updated_at: now };
  await db('depreciation_rules').insert(row).onConflict(['county_code', 'sub_type']).merge();
}

/** Counties under a code prefix that saved depreciation rules of their own. */
export async function countiesWithDepreciationRules(db: Executor, regionPrefix: string): Promise<string[]> {
  const rows = await db('depreciation_rules').where('county_code', 'like', `${regionPrefix.slice(0, 6)}%`).distinct('county_code').orderBy('county_code');
  return rows.map((r: any) => r.county_code);
}
