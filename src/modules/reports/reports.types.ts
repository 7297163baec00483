import type { Asset, AssetClass, AssetStatus, AssetSubType } from '../assets/assets.types';
import type { FundSource } from '../projects/projects.types';

/** 汇总维度 What a register summary can be grouped by. */
export const SUMMARY_DIMENSIONS = ['CLASS', 'SUB_TYPE', 'FUND_SOURCE', 'RIGHTS_LEVEL', 'YEAR', 'STATUS', 'CHILD_REGION'] as const;
export type SummaryDimension = (typeof SUMMARY_DIMENSIONS)[number];

export interface SummaryKey {
  class?: AssetClass | null;
  subType?: AssetSubType | null;
  fundSource?: FundSource | null;
  rightsLevel?: string | null;
  year?: number | null;
  status?: AssetStatus | null;
  regionCode?: string | null;
}

/** 按资金来源 An amount funded by one source. */
export interface SourceAmount {
  source: FundSource;
  amountFen: number;
}

/** An asset viewed as it stood on a date (the AssetAsOf type resolves its fields). */
export interface AssetAsOfView {
  asset: Asset;
  date: string;
}

export interface SummaryRow {
  key: SummaryKey;
  /** Assets not disposed on the date (live). */
  assetCount: number;
  originalValueFen: number;
  accumulatedDepreciationFen: number;
  bookValueFen: number;
  /** Live original value by fund source (funding lines). */
  fundingBySource: SourceAmount[];
  /** Assets disposed on or before the date: out of the live totals, in the disposal column. */
  disposedCount: number;
  disposedOriginalValueFen: number;
}

export interface RegisterSummary {
  regionCode: string;
  asOf: string;
  groupBy: SummaryDimension[];
  total: SummaryRow;
  rows: SummaryRow[];
}

/** 审计发现 Finding classes (docs/reports.md lists each with its rule and source). */
export const FINDING_CODES = [
  'PROJECT_NOT_MATCHED_BY_ASSETS',
  'REGISTERED_NOT_BOOKED',
  'HANDED_OVER_WITHOUT_CONFIRMATION',
  'LEASE_WITHOUT_CONTRACT',
  'CONTRACT_EXPIRED_OPEN',
  'CONTRACT_OVERLONG',
  'OPERATING_WITHOUT_INCOME',
  'PUBLIC_WELFARE_WITHOUT_UPKEEP',
  'FUNDS_IDLE',
  'RESULTS_NOTICE_MISSING',
  'DUPLICATE_PAYMENT',
  'TIMELINE_REVERSAL',
  'RELATED_PARTY_PAYEE',
  'DISPOSAL_BELOW_APPRAISAL',
  'DISPOSAL_WITHOUT_NOTICE',
  'DISPOSAL_PROCEEDS_LATE',
  'VENTURE_PROFIT_NOT_SPLIT',
  'IDLE_WITHOUT_CASE',
  'REVITALISATION_CASE_OVERDUE',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export type Severity = 'HIGH' | 'MEDIUM' | 'LOW';

export interface FindingObject {
  /** GraphQL type of the object (its global id is type:id). */
  type: string;
  id: number;
  label: string;
}

export interface Finding {
  code: FindingCode;
  severity: Severity;
  regionCode: string;
  message: string;
  objects: FindingObject[];
  /** The record that proves it: an object resolvable through node(id) (type and id). */
  evidence: FindingObject;
  /** The date the finding arose (when known): e.g. the contract's end, the last income. */
  since: string | null;
}
