/**
 * 处置 Disposal and 抵押/质押 pledges (issue 11, docs/disposal.md). Types and the pure rules that pick a
 * disposal's approval chain from the county's policy.
 */
import type { AssetClass } from '../assets/assets.types';
import { DEFAULT_POLICY } from '../policy/policy.types';

/** 处置原因 Why an asset is disposed of (brief §7 triggers). */
export const DISPOSAL_REASONS = [
  'DISASTER_DAMAGE', // 自然灾害损毁
  'END_OF_LIFE', // 达到使用年限或存在安全隐患
  'IDLE_NOT_REVIVABLE', // 长期闲置无法盘活
  'PLANNING_TAKEOVER', // 规划调整、征收拆除
  'INDUSTRY_CHANGE', // 产业调整转产
  'DEBT_SETTLEMENT', // 清偿债务
  'OTHER', // 其他
] as const;
export type DisposalReason = (typeof DISPOSAL_REASONS)[number];

/** 处置方式 How (brief §7 methods). */
export const DISPOSAL_METHODS = [
  'AUCTION', // 拍卖
  'TRANSFER', // 转让
  'CONVERSION', // 转产
  'SCRAPPING', // 报废
  'LOSS', // 报损
  'WRITE_OFF', // 核销
  'ALLOCATION', // 划转
  'DEBT_SETTLEMENT', // 以资抵债
] as const;
export type DisposalMethod = (typeof DISPOSAL_METHODS)[number];

/** Methods that transfer the asset's value to someone else for a price: always appraised, price ≥ appraisal. */
export const VALUE_TRANSFER_METHODS: readonly DisposalMethod[] = ['AUCTION', 'TRANSFER', 'DEBT_SETTLEMENT'];
/** Sales that go through the rural property exchange (产权交易平台) at or above the county's threshold. */
export const EXCHANGE_METHODS: readonly DisposalMethod[] = ['AUCTION', 'TRANSFER'];
/** Methods that may end with no proceeds at all. */
export const ZERO_PROCEEDS_METHODS: readonly DisposalMethod[] = ['SCRAPPING', 'LOSS', 'WRITE_OFF', 'ALLOCATION', 'CONVERSION'];

export const DISPOSAL_STATUSES = [
  'AWAITING_APPRAISAL', // 待评估
  'IN_APPROVAL', // 审批中
  'APPROVED', // 已批准
  'IN_NOTICE', // 公示中/已公示
  'EXECUTED', // 已处置
  'REJECTED', // 已驳回
  'CANCELLED', // 已撤回
] as const;
export type DisposalStatus = (typeof DISPOSAL_STATUSES)[number];
export const OPEN_STATUSES: readonly DisposalStatus[] = ['AWAITING_APPRAISAL', 'IN_APPROVAL', 'APPROVED', 'IN_NOTICE'];

export interface Disposal {
  id: number;
  assetId: number;
  villageCode: string;
  countyCode: string;
  reason: DisposalReason;
  method: DisposalMethod;
  description: string;
  documentIds: number[];
  status: DisposalStatus;
  requestedOn: string;
  bookValueFen: number;
  appraisalRequired: boolean;
  exchangeRequired: boolean;
  chainId: number | null;
  appraiser: string | null;
  appraisedOn: string | null;
  appraisedValueFen: number | null;
  appraisalReportNo: string | null;
  exceptionFloorFen: number | null;
  exceptionReason: string | null;
  approvedOn: string | null;
  rejectedOn: string | null;
  recipientPartyId: number | null;
  priceFen: number | null;
  insurerPartyId: number | null;
  insuranceFen: number | null;
  executedOn: string | null;
  proceedsReceivedOn: string | null;
  exchangeDealRef: string | null;
  dealContractNo: string | null;
  entryId: number | null;
  executeKey: string | null;
  executeFingerprint: string | null;
  cancelledOn: string | null;
  cancelReason: string | null;
  requestedBy: number;
  createdAt: string;
  updatedAt: string;
}

export interface DisposalNotice {
  id: number;
  disposalId: number;
  startOn: string;
  endOn: string;
  content: Record<string, unknown>;
  publishedBy: number;
  publishedAt: string;
}

export interface DisposalObjection {
  id: number;
  disposalId: number;
  raisedOn: string;
  raisedBy: string;
  content: string;
  resolvedOn: string | null;
  resolution: string | null;
  recordedBy: number;
  recordedAt: string;
}

export interface DisposalEvent {
  id: number;
  disposalId: number;
  action: string;
  fromStatus: DisposalStatus | null;
  toStatus: DisposalStatus;
  effectiveOn: string;
  payload: Record<string, unknown>;
  actorUserId: number;
  recordedAt: string;
}

export const PLEDGE_KINDS = ['MORTGAGE', 'PLEDGE'] as const; // 抵押 / 质押
export type PledgeKind = (typeof PLEDGE_KINDS)[number];
export type PledgeStatus = 'PENDING' | 'ACTIVE' | 'REJECTED' | 'RELEASED';

/** 抵押标的 What is pledged: an asset, or a village collective's stake in a pooled venture (rule 21). */
export const PLEDGE_SUBJECT_KINDS = ['ASSET', 'VENTURE_STAKE'] as const;
export type PledgeSubjectKind = (typeof PLEDGE_SUBJECT_KINDS)[number];
export type PledgeSubject = { kind: 'ASSET'; assetId: number } | { kind: 'VENTURE_STAKE'; bundleMemberId: number };

/** Statuses in which a pledge binds its subject (a hold on the asset; the stake guarded in bundles). */
export const LIVE_PLEDGE_STATUSES: readonly PledgeStatus[] = ['PENDING', 'ACTIVE'];

export interface AssetPledge {
  id: number;
  subjectKind: PledgeSubjectKind;
  /** The asset pledged (subjectKind ASSET), else null. */
  assetId: number | null;
  /** The venture membership whose stake is pledged (subjectKind VENTURE_STAKE), else null. */
  bundleMemberId: number | null;
  villageCode: string;
  countyCode: string;
  kind: PledgeKind;
  pledgeePartyId: number;
  loanFen: number;
  loanPurpose: string;
  contractNo: string;
  startOn: string;
  endOn: string | null;
  status: PledgeStatus;
  chainId: number | null;
  approvedOn: string | null;
  releasedOn: string | null;
  releaseReason: string | null;
  requestedBy: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * 处置政策参数 A county's disposal numbers, kept in its county policy (county_policies). No published county figures for these were found (brief §7: "No
 * value thresholds were found"); every default is the project's assumption, documented in docs/disposal.md.
 */
export interface DisposalPolicy {
  countyCode: string;
  /** Below this value: village resolution + township (default 50 000 yuan). */
  tier1MaxFen: number;
  /** Up to this value: + county sector department; above it + county finance (default 500 000 yuan). */
  tier2MaxFen: number;
  /** Any method is appraised at or above this value (default 500 000 yuan); sales always are. */
  appraisalThresholdFen: number;
  /** Auctions and transfers at or above this value go through the property exchange (default 50 000 yuan). */
  exchangeThresholdFen: number;
  /** 公示天数 A disposal notice stays up at least this many days (default 10, as distributions). */
  noticeDays: number;
  /** Proceeds received later than this many days after the deal are flagged (default 30). */
  proceedsBookingDays: number;
  isDefault: boolean;
  updatedAt: string | null;
}

/** The documented defaults (kept with every other county default in policy.types.ts's DEFAULT_POLICY). */
export const DEFAULT_DISPOSAL_POLICY: Omit<DisposalPolicy, 'countyCode' | 'isDefault' | 'updatedAt'> = {
  tier1MaxFen: DEFAULT_POLICY.disposalTier1MaxFen,
  tier2MaxFen: DEFAULT_POLICY.disposalTier2MaxFen,
  appraisalThresholdFen: DEFAULT_POLICY.disposalAppraisalThresholdFen,
  exchangeThresholdFen: DEFAULT_POLICY.disposalExchangeThresholdFen,
  noticeDays: DEFAULT_POLICY.disposalNoticeDays,
  proceedsBookingDays: DEFAULT_POLICY.disposalProceedsBookingDays,
};

/**
 * The chain a disposal needs (pure): each owner village's resolution (四议两公开) and the body above them
 * (their township; the county department when they span townships) always; the county sector department
 * from tier 2 (value ≥ tier1Max); county finance above tier2Max, for any sale of an operating asset, and
 * whenever a price below the appraisal is asked for. The value is the larger of book and appraised value.
 */
export function disposalChainFor(
  policy: Pick<DisposalPolicy, 'tier1MaxFen' | 'tier2MaxFen'>,
  a: { assetClass: AssetClass; method: DisposalMethod; valueFen: number; exception: boolean },
): { template: string; county: ('COUNTY_DEPARTMENT' | 'COUNTY_FINANCE')[]; tier: 1 | 2 | 3 } {
  const tier = a.valueFen < policy.tier1MaxFen ? 1 : a.valueFen <= policy.tier2MaxFen ? 2 : 3;
  const sale = a.assetClass === 'OPERATING' && VALUE_TRANSFER_METHODS.includes(a.method);
  const county: ('COUNTY_DEPARTMENT' | 'COUNTY_FINANCE')[] = [];
  if (tier >= 2) county.push('COUNTY_DEPARTMENT');
  if (tier === 3 || sale || a.exception) county.push('COUNTY_FINANCE');
  const template = `DISPOSAL_TIER_${tier}${sale ? '_OPERATING_SALE' : ''}${a.exception ? '_PRICE_EXCEPTION' : ''}`;
  return { template, county, tier };
}

/** A pledge's chain: the owner villages' resolutions, their township, county finance (assumption; brief §7, S22). */
export const PLEDGE_COUNTY_STEPS: ('COUNTY_DEPARTMENT' | 'COUNTY_FINANCE')[] = ['COUNTY_FINANCE'];

export const DISPOSAL_FLAGS = ['BELOW_APPRAISAL_WITH_EXCEPTION', 'NO_NOTICE', 'RELATED_BUYER', 'PROCEEDS_LATE'] as const;
export type DisposalFlag = (typeof DISPOSAL_FLAGS)[number];

/**
 * 处置收入再利用 One re-use of disposal proceeds: an owner's part of a disposal's proceeds moved from its
 * DISPOSAL_PROCEEDS account to its PROJECT_FUNDING account for a named assistance project, by one journal entry.
 */
export interface DisposalProceedsReuse {
  id: number;
  disposalId: number;
  ownerPartyId: number;
  villageCode: string;
  countyCode: string;
  projectId: number;
  amountFen: number;
  reusedOn: string;
  purpose: string;
  entryId: number;
  actorUserId: number;
  recordedAt: string;
}

/** 处置收入汇总 Proceeds, re-used and remaining of the disposals executed in one village. */
export interface ProceedsByRegion {
  villageCode: string;
  disposals: number;
  proceedsFen: number;
  reusedFen: number;
  remainingFen: number;
}
