/**
 * A county's configurable rule numbers (县级政策参数). No national figures exist for most of them
 * (domain brief §6): the defaults below are the project's, each with the reasoning or source noted.
 */
export interface CountyPolicy {
  countyCode: string;
  /** 公示天数: notices stay up at least this many days (国开办发〔2018〕11号: in principle ≥ 10 days). */
  noticeDays: number;
  /** 分红占比上限: cash dividends above this share of a plan's total are flagged (简单发钱 risk). */
  dividendShareCeilingBp: number;
  /** 集体积累下限: collective retention below this share of a plan's total is flagged. */
  minCollectiveRetentionBp: number;
  /** 资金滞留月数: income left undistributed longer than this is flagged (资金滞留). */
  idleFundsMonths: number;
  /** 结果公开期限: the results notice is due this many days after the last payment. */
  resultsNoticeDays: number;
  /** 脱贫户权重: dividend weight per member of a formerly-poor household (basis points; 10000 = 1). */
  formerlyPoorWeightBp: number;
  /** 监测对象权重: dividend weight per member of a monitored household (因素法: weighted higher). */
  monitoredWeightBp: number;
  /**
   * 单笔金额上限: a single money mutation (an income receipt) above this many fen needs an explicit
   * confirmation (issue 8): a typo of a few zeros must not enter the books unnoticed.
   */
  singleAmountCeilingFen: number;
  /** Whether this county has saved its own numbers (false: the defaults apply). */
  isDefault: boolean;
  updatedAt: string | null;
}

export const DEFAULT_POLICY: Omit<CountyPolicy, 'countyCode' | 'isDefault' | 'updatedAt'> = {
  noticeDays: 10,
  dividendShareCeilingBp: 5000,
  minCollectiveRetentionBp: 1000,
  idleFundsMonths: 12,
  resultsNoticeDays: 30,
  formerlyPoorWeightBp: 10000,
  monitoredWeightBp: 15000,
  // 1亿元: above the largest single receipts of the demo county's pooled ventures (12M yuan) by far.
  singleAmountCeilingFen: 10_000_000_000,
};
