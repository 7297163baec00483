import type { AssetClass } from '../assets/assets.types';

/** 收益类型 Kinds of asset income (issue 4). */
export const INCOME_KINDS = [
  'RENT', // 租金 (rent or fixed fee under a lease, 承包 or entrustment)
  'DIVIDEND', // 分红 (入股 dividend, 按股分红 profit share)
  'OPERATING_PROFIT', // 经营收益 (self-run asset, a household's productive asset)
  'GUARANTEE_TOP_UP', // 保底收益补足
  'OTHER', // 其他收入
] as const;
export type IncomeKind = (typeof INCOME_KINDS)[number];

/** Chinese label of each kind, used in the journal entry's memo. */
export const INCOME_KIND_LABEL: Record<IncomeKind, string> = {
  RENT: '租金',
  DIVIDEND: '分红',
  OPERATING_PROFIT: '经营收益',
  GUARANTEE_TOP_UP: '保底收益补足',
  OTHER: '其他收入',
};

/**
 * Which asset classes may yield each kind (brief §1, §5: only operating assets yield distributable income).
 * Rent, dividends and guarantee top-ups presuppose an operation arrangement, so operating assets only.
 * Operating profit and other income may also come from a household asset (到户类: livestock, orchards,
 * greenhouses are productive; the income goes to the owning household). Public-welfare assets (公益性)
 * yield no income to record here.
 */
export const CLASSES_OF_KIND: Record<IncomeKind, readonly AssetClass[]> = {
  RENT: ['OPERATING'],
  DIVIDEND: ['OPERATING'],
  GUARANTEE_TOP_UP: ['OPERATING'],
  OPERATING_PROFIT: ['OPERATING', 'HOUSEHOLD'],
  OTHER: ['OPERATING', 'HOUSEHOLD'],
};

/** 收益记录 One receipt of asset income, with the journal entry that booked it. */
export interface IncomeRecord {
  id: number;
  assetId: number;
  /** The asset's village: decides who may see the record (like the asset). */
  villageCode: string;
  contractId: number | null;
  kind: IncomeKind;
  receivedOn: string;
  payerPartyId: number;
  voucherNo: string;
  amountFen: number;
  memo: string | null;
  entryId: number;
  actorUserId: number;
  recordedAt: string;
}

/** One contract version's days in force within a year, with its yearly rent and guarantee. */
export interface TermInYear {
  contractId: number;
  contractNo: string;
  version: number;
  fromOn: string;
  toOn: string;
  days: number;
  annualRentFen: number;
  guaranteedRateBp: number | null;
  annualGuaranteeFen: number;
}

/** 收益对比 Income received by an operating asset in a year against its contract(s). */
export interface IncomeVsContract {
  assetId: number;
  year: number;
  daysInYear: number;
  daysInForce: number;
  receivedFen: number;
  rentDueFen: number;
  guaranteedReturnFen: number;
  expectedFen: number;
  shortfallFen: number;
  terms: TermInYear[];
}
