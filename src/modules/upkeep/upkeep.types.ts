/** 管护资金来源 Where the upkeep money comes from (brief §4). */
export const UPKEEP_FUND_SOURCES = [
  'VILLAGE_OPERATING_FUNDS', // 村级运行经费 (village public-welfare assets)
  'ASSET_INCOME', // 资产收益 (operating assets pay upkeep from their income)
  'FISCAL_UPKEEP_FUNDS', // 财政管护资金
  'OPERATOR', // 运营方承担 (under the operation contract)
  'HOUSEHOLD', // 农户自管
  'OTHER',
] as const;
export type UpkeepFundSource = (typeof UPKEEP_FUND_SOURCES)[number];

/** 管护记录类型 What was done. */
export const UPKEEP_RECORD_KINDS = ['INSPECTION', 'MAINTENANCE', 'REPAIR'] as const;
export type UpkeepRecordKind = (typeof UPKEEP_RECORD_KINDS)[number];

/** 管护责任 Who keeps an asset from which date; effectiveTo is exclusive, null while current. */
export interface UpkeepAssignment {
  id: number;
  assetId: number;
  bodyPartyId: number;
  personName: string;
  personRole: string | null;
  fundSource: UpkeepFundSource;
  effectiveFrom: string;
  effectiveTo: string | null;
  note: string | null;
  actorUserId: number;
  recordedAt: string;
}

/**
 * 支付来源 The village collective's pot a cost is paid from. Income awaiting distribution pays it straight
 * out of the receipts; the upkeep reserve or cash front it, and the next plan of the period repays them.
 */
export const UPKEEP_PAID_FROM = ['INCOME_PENDING_DISTRIBUTION', 'UPKEEP_RESERVE', 'CASH'] as const;
export type UpkeepPaidFrom = (typeof UPKEEP_PAID_FROM)[number];

/** 管护记录 An inspection, maintenance or repair, with its cost. */
export interface UpkeepRecord {
  id: number;
  assetId: number;
  kind: UpkeepRecordKind;
  doneOn: string;
  costFen: number;
  note: string | null;
  /** The UPKEEP_EXPENSE journal entry that paid the cost (null when it cost nothing). */
  entryId: number | null;
  paidFrom: UpkeepPaidFrom | null;
  actorUserId: number;
  recordedAt: string;
}
