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
   * 乡镇审核顺序: DURING_NOTICE — the township reviews a plan whose notice is up (the project's default);
   * BEFORE_NOTICE — the township reviews the resolved plan first and the village publishes it afterwards.
   */
  townshipReview: TownshipReviewOrder;
  /** 公益岗位工资集中度: one household's job wages above this share of a plan's total are flagged. */
  jobWageShareCeilingBp: number;
  /** 困难类别: hardship categories (e.g. 低保户) that make a household eligible for rewards and grants. */
  hardshipCategories: string[];
  /** 闲置认定月数: a live asset with no income, no operation contract and no recorded use this long is idle. */
  idleMonths: number;
  /** 低效基准收益率: yearly income below this share of original value (basis points) is low-efficiency. */
  lowEfficiencyBenchmarkBp: number;
  /** 联农带农豁免人数: this many formerly-poor/monitored workers employed in the year excuse a low return (0: never). */
  benefitExcuseWorkers: number;
  /** 合同期限上限 (years): null while the county set none (contracts apply DEFAULT_MAX_TERM_YEARS, 20). */
  maxContractTermYears: number | null;
  /**
   * 单笔金额上限: a single money mutation (an income receipt) above this many fen needs an explicit
   * confirmation (issue 8): a typo of a few zeros must not enter the books unnoticed.
   */
  singleAmountCeilingFen: number;
  /** 处置一档上限: a disposal below this value needs the village resolution + township (issue 11, assumption). */
  disposalTier1MaxFen: number;
  /** 处置二档上限: up to this value + the county sector department; above it + county finance (assumption). */
  disposalTier2MaxFen: number;
  /** 评估门槛: any disposal method is appraised at or above this value; sales always are (assumption). */
  disposalAppraisalThresholdFen: number;
  /** 进场交易门槛: auctions and transfers at or above this value go through the property exchange (assumption). */
  disposalExchangeThresholdFen: number;
  /** 处置公示天数: a disposal notice stays up at least this many days (as distributions: 10). */
  disposalNoticeDays: number;
  /** 处置收入入账期限: proceeds received later than this many days after the deal are flagged (assumption). */
  disposalProceedsBookingDays: number;
  /** Whether this county has saved its own numbers (false: the defaults apply). */
  isDefault: boolean;
  updatedAt: string | null;
}

export const TOWNSHIP_REVIEW_ORDERS = ['DURING_NOTICE', 'BEFORE_NOTICE'] as const;
export type TownshipReviewOrder = (typeof TOWNSHIP_REVIEW_ORDERS)[number];

export const DEFAULT_POLICY: Omit<CountyPolicy, 'countyCode' | 'isDefault' | 'updatedAt'> = {
  noticeDays: 10,
  dividendShareCeilingBp: 5000,
  minCollectiveRetentionBp: 1000,
  idleFundsMonths: 12,
  resultsNoticeDays: 30,
  formerlyPoorWeightBp: 10000,
  monitoredWeightBp: 15000,
  townshipReview: 'DURING_NOTICE',
  jobWageShareCeilingBp: 2000,
  hardshipCategories: [],
  idleMonths: 12,
  lowEfficiencyBenchmarkBp: 300,
  benefitExcuseWorkers: 10,
  maxContractTermYears: null,
  // 1亿元: above the largest single receipts of the demo county's pooled ventures (12M yuan) by far.
  singleAmountCeilingFen: 10_000_000_000,
  // Disposal (issue 11, docs/disposal.md): no published county figures were found; the examples.
  disposalTier1MaxFen: 5_000_000,
  disposalTier2MaxFen: 50_000_000,
  disposalAppraisalThresholdFen: 50_000_000,
  disposalExchangeThresholdFen: 5_000_000,
  disposalNoticeDays: 10,
  disposalProceedsBookingDays: 30,
};
