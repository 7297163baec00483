/** 经营方式 Operation modes (brief §5). */
export const OPERATION_MODES = [
  'SELF_OPERATED', // 自营: the owner runs it itself; the operator is an owner
  'ENTRUSTED', // 委托经营
  'LEASE', // 租赁
  'CONTRACTING', // 承包
  'EQUITY', // 入股
  'COOPERATION', // 合作经营
] as const;
export type OperationMode = (typeof OPERATION_MODES)[number];

/** 租金/费用方式 How the rent or fee is set. */
export const FEE_KINDS = ['NONE', 'FIXED', 'PERCENT_OF_VALUE'] as const;
export type FeeKind = (typeof FEE_KINDS)[number];

/** 支付周期 Payment period of a rent or fee. */
export const FEE_PERIODS = ['YEAR', 'HALF_YEAR', 'QUARTER', 'MONTH'] as const;
export type FeePeriod = (typeof FEE_PERIODS)[number];
export const PERIODS_PER_YEAR: Record<FeePeriod, number> = { YEAR: 1, HALF_YEAR: 2, QUARTER: 4, MONTH: 12 };

/** Modes whose whole point is a rent: they need a fee schedule. */
export const FEE_REQUIRED_MODES: readonly OperationMode[] = ['LEASE', 'CONTRACTING'];

export const VERSION_KINDS = ['ORIGINAL', 'AMENDMENT', 'RENEWAL'] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];

/** Stored status: a contract is open until terminated; pending, active and expired follow from the dates. */
export type ContractStatus = 'OPEN' | 'TERMINATED';
/** 合同状态 What a reader sees, on a given day. */
export type ContractState = 'PENDING' | 'ACTIVE' | 'EXPIRED' | 'TERMINATED';
export const CONTRACT_STATES = ['PENDING', 'ACTIVE', 'EXPIRED', 'TERMINATED'] as const;

/** 决策记录 Decision records behind a contract (brief §5 "who decides a mode", §11.9). */
export const DECISION_KINDS = ['VILLAGE_RESOLUTION', 'TOWNSHIP_FILING', 'VILLAGE_FILING'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** Default maximum term when the county has set none: 20 years, the cap on leases in Civil Code art. 705. */
export const DEFAULT_MAX_TERM_YEARS = 20;

export interface FeeSchedule {
  kind: FeeKind;
  /** FIXED: amount per period, in fen. */
  amountFen: number | null;
  /** PERCENT_OF_VALUE: yearly rate in basis points of the asset's original value. */
  rateBp: number | null;
  period: FeePeriod | null;
}

/** The terms agreed in one version. */
export interface ContractTerms {
  signedOn: string;
  effectiveFrom: string;
  startOn: string;
  endOn: string;
  fee: FeeSchedule;
  /** 保底收益率 Guaranteed annual return in basis points of the asset's original value. */
  guaranteedRateBp: number | null;
  depositFen: number | null;
}

export interface ContractVersion extends ContractTerms {
  id: number;
  contractId: number;
  version: number;
  kind: VersionKind;
  reason: string | null;
  actorUserId: number;
  recordedAt: string;
}

/** A contract with its current terms (those of its latest version). */
export interface Contract {
  id: number;
  assetId: number;
  countyCode: string;
  villageCode: string;
  contractNo: string;
  mode: OperationMode;
  operatorPartyId: number;
  status: ContractStatus;
  /** Signing date of the original contract. */
  signedOn: string;
  startOn: string;
  endOn: string;
  termMonths: number;
  currentVersion: number;
  terminatedOn: string | null;
  terminationReason: string | null;
  createdAt: string;
  updatedAt: string;
  terms: ContractTerms;
}

export interface ContractDecision {
  id: number;
  contractId: number;
  version: number;
  kind: DecisionKind;
  reference: string;
  decidedOn: string;
  partyId: number | null;
  recordedAt: string;
}

/** A version as the API serves it: with its contract's asset at hand, so its fee can be computed. */
export type ContractVersionOfAsset = ContractVersion & { assetId: number };

/** A county's longest allowed contract term, as the API serves it. */
export interface ContractTermLimitView {
  countyCode: string;
  maxYears: number;
  isDefault: boolean;
}
