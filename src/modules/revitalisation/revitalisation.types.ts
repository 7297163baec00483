/**
 * 盘活 Revitalisation of idle and low-efficiency assets (issue 12; domain brief §8, §11 items 10, 25, 26).
 * docs/revitalisation.md states the rules, the formula and their sources.
 */

/** 盘活路径 The six paths (Guizhou's 盘活闲置低效扶贫项目资产专项行动, as the project's sources give them). */
export const REVITALISATION_PATHS = [
  'IMPROVE_FACILITIES', // 完善设施
  'ATTRACT_OPERATORS', // 招强引优
  'OPTIMISE_USE', // 优化用途
  'FLEXIBLE_RESTRUCTURING', // 灵活重组
  'SLIM_DOWN', // 瘦身增效
  'STRENGTHEN_ALLOCATION', // 强化配置
] as const;
export type RevitalisationPath = (typeof REVITALISATION_PATHS)[number];

export const PATH_LABEL: Record<RevitalisationPath, string> = {
  IMPROVE_FACILITIES: '完善设施',
  ATTRACT_OPERATORS: '招强引优',
  OPTIMISE_USE: '优化用途',
  FLEXIBLE_RESTRUCTURING: '灵活重组',
  SLIM_DOWN: '瘦身增效',
  STRENGTHEN_ALLOCATION: '强化配置',
};

export const FLAG_KINDS = ['IDLE', 'LOW_EFFICIENCY'] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

export const CASE_STATUSES = ['OPEN', 'CLOSED', 'ABANDONED'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** 销号依据 What the ledger shows when a case closes. */
export const CLOSING_KINDS = [
  'NEW_CONTRACT_WITH_INCOME', // 新签运营合同并已收益
  'BUNDLED', // 打包入股联营
  'DISPOSED', // 已处置
  'USE_RESTORED', // 公益性资产恢复使用、落实管护
] as const;
export type ClosingKind = (typeof CLOSING_KINDS)[number];

/** What the latest activity of an idle asset was. */
export type ActivityKind = 'INCOME' | 'CONTRACT' | 'USE' | 'UPKEEP' | 'HANDOVER' | 'ACCEPTANCE' | 'COMPLETION' | 'REGISTRATION';

/** 闲置认定 Why an asset counts as idle on a date, with the figures. */
export interface IdleFinding {
  assetId: number;
  villageCode: string;
  asOf: string;
  thresholdMonths: number;
  /** Latest of: income received, a day under an operation contract, a recorded use, upkeep done, handover. */
  lastActivityOn: string;
  lastActivityKind: ActivityKind;
  lastIncomeOn: string | null;
  lastContractDayOn: string | null;
  lastUseOn: string | null;
  /** Whole months from the last activity to asOf (≥ thresholdMonths). */
  monthsInactive: number;
  /** The first day the asset counted as idle: lastActivityOn + thresholdMonths. */
  idleFromOn: string;
  originalValueFen: number;
}

export type LowEfficiencyReason = 'BELOW_GUARANTEE' | 'BELOW_BENCHMARK';

/** 低效认定 Why an operating asset counts as low-efficiency in a year, with the figures. */
export interface LowEfficiencyFinding {
  assetId: number;
  villageCode: string;
  year: number;
  daysInForce: number;
  daysInYear: number;
  receivedFen: number;
  /** 保底收益 The contract's guaranteed return for the days in force (0 when none). */
  guaranteedReturnFen: number;
  benchmarkBp: number;
  /** 基准收益 original value × benchmark rate × days in force ÷ days in the year, half up. */
  benchmarkFen: number;
  /** The larger of the guarantee and the benchmark, less what was received. */
  shortfallFen: number;
  reasons: LowEfficiencyReason[];
  /** 联农带农 figures of the year, if recorded. */
  poorWorkers: number | null;
  poorWorkerEarningsFen: number | null;
  /** Excused: the year's formerly-poor/monitored workers reach the county's number. */
  excused: boolean;
  excuseWorkers: number;
  originalValueFen: number;
}

export interface RevitalisationFlag {
  id: number;
  assetId: number;
  villageCode: string;
  kind: FlagKind;
  raisedOn: string;
  year: number | null;
  evidence: IdleFinding | LowEfficiencyFinding;
  assetEventId: number;
  actorUserId: number;
  recordedAt: string;
}

export interface RevitalisationCase {
  id: number;
  assetId: number;
  villageCode: string;
  flagId: number;
  assetValueFen: number;
  path: RevitalisationPath;
  measures: string;
  responsibleUnit: string;
  responsiblePerson: string;
  openedOn: string;
  deadlineOn: string;
  target: string;
  targetIncomeFen: number | null;
  status: CaseStatus;
  endedOn: string | null;
  closingKind: ClosingKind | null;
  closingEvidence: Record<string, unknown> | null;
  abandonReason: string | null;
  actorUserId: number;
  createdAt: string;
  updatedAt: string;
}

export type CaseUpdateKind = 'OPEN' | 'PROGRESS' | 'CLOSE' | 'ABANDON';

export interface RevitalisationCaseUpdate {
  id: number;
  caseId: number;
  kind: CaseUpdateKind;
  onDate: string;
  note: string | null;
  changes: Record<string, unknown> | null;
  actorUserId: number;
  recordedAt: string;
}

/** 联农带农 What an operating asset did for poor households in a year, as the operator reports it. */
export interface BenefitLinkage {
  id: number;
  assetId: number;
  villageCode: string;
  year: number;
  outputValueFen: number;
  wagesFen: number;
  poorWorkers: number;
  poorWorkerEarningsFen: number;
  source: string | null;
  actorUserId: number;
  recordedAt: string;
}

/** 盘活率 One region's figures; the four components add up exactly from villages to township to county. */
export interface RevitalisationRate {
  regionCode: string;
  fromOn: string;
  toOn: string;
  toRevitaliseCount: number;
  toRevitaliseValueFen: number;
  revitalisedCount: number;
  revitalisedValueFen: number;
  /** (revitalised value ÷ value + revitalised count ÷ count) ÷ 2 as a reduced fraction; null with nothing to revitalise. */
  ratioNumerator: string | null;
  ratioDenominator: string | null;
  /** The ratio in basis points, rounded half up to a whole basis point. */
  rateBp: number | null;
}
