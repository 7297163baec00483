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
      singleAmountCeilingFen: r.single_amount_ceiling_fen == null ? DEFAULT_POLICY.singleAmountCeilingFen : Number(r.single_amount_ceiling_fen),
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
    single_amount_ceiling_fen: p.singleAmountCeilingFen,
    updated_at: p.updatedAt,
    updated_by: userId,
  };
  await db('county_policies').insert(row).onConflict('county_code').merge();
}
