/**
 * Pooled ventures (打包联营, DESIGN §2 "Bundles", domain brief §9 and §11 items 20, 22, 23).
 */

/** 组织形式 Legal form of the venture. */
export const LEGAL_FORMS = [
  'COMPANY', // 有限责任公司 (强村公司, 联营公司)
  'COOPERATIVE_UNION', // 联合社 (股份经济合作联合社)
  'JOINT_COOPERATIVE', // 农民专业合作社联合社
  'OTHER', // 其他
] as const;
export type LegalForm = (typeof LEGAL_FORMS)[number];

export type BundleStatus = 'ACTIVE' | 'DISSOLVED';
/** INVITED until the first contribution is approved; ACTIVE while it holds a share; WITHDRAWN after. */
export type MemberStatus = 'INVITED' | 'ACTIVE' | 'WITHDRAWN';
export type ContributionKind = 'ASSET' | 'CASH';
/** PENDING while its resolutions are outstanding; ACTIVE once approved; REJECTED; RETURNED on withdrawal. */
export type ContributionStatus = 'PENDING' | 'ACTIVE' | 'REJECTED' | 'RETURNED';
export type ShareCause = 'CONTRIBUTE' | 'REVALUE' | 'WITHDRAW' | 'DISSOLVE';

export interface Bundle {
  id: number;
  partyId: number;
  name: string;
  legalForm: LegalForm;
  countyCode: string;
  /** The supervising region: the township when every member lies in one, else the county. */
  regionCode: string;
  status: BundleStatus;
  startOn: string;
  dissolvedOn: string | null;
  dissolveReason: string | null;
  createdBy: number;
  createdAt: string;
  updatedAt: string;
}

export interface BundleMember {
  id: number;
  bundleId: number;
  villageCode: string;
  partyId: number;
  status: MemberStatus;
  invitedOn: string;
  joinedOn: string | null;
  withdrawnOn: string | null;
  withdrawReason: string | null;
  withdrawChainId: number | null;
  createdAt: string;
  updatedAt: string;
}

/** A contribution's value credited to one member village (a jointly owned asset credits each owner). */
export interface OwnerWeight {
  villageCode: string;
  valueFen: number;
}

export interface BundleContribution {
  id: number;
  bundleId: number;
  memberId: number;
  kind: ContributionKind;
  assetId: number | null;
  /** Appraised value (asset) or amount (cash), in fen; a revaluation replaces it. */
  valueFen: number;
  appraiser: string | null;
  appraisedOn: string | null;
  appraisalReportNo: string | null;
  appraisalDocumentId: number | null;
  ownerWeights: OwnerWeight[];
  contributedOn: string;
  effectiveOn: string | null;
  status: ContributionStatus;
  chainId: number;
  entryId: number | null;
  returnedOn: string | null;
  returnEntryId: number | null;
  createdBy: number;
  createdAt: string;
  updatedAt: string;
}

export interface BundleRevaluation {
  id: number;
  contributionId: number;
  valueBeforeFen: number;
  valueAfterFen: number;
  appraiser: string;
  appraisedOn: string;
  appraisalReportNo: string | null;
  appraisalDocumentId: number | null;
  effectiveOn: string;
  reason: string | null;
  actorUserId: number;
  recordedAt: string;
}

export interface ShareLine {
  memberId: number;
  villageCode: string;
  valueFen: number;
  shareBp: number;
}

export interface ShareEvent {
  id: number;
  bundleId: number;
  seq: number;
  effectiveOn: string;
  cause: ShareCause;
  subjectId: number | null;
  actorUserId: number;
  recordedAt: string;
  lines: ShareLine[];
}

export interface BundleProfit {
  id: number;
  bundleId: number;
  year: number;
  profitFen: number;
  declaredOn: string;
  reference: string;
  memo: string | null;
  actorUserId: number;
  recordedAt: string;
}

export interface SplitLine {
  memberId: number;
  villageCode: string;
  shareBp: number;
  amountFen: number;
}

export interface IncomeSplit {
  id: number;
  bundleId: number;
  profitId: number;
  amountFen: number;
  splitOn: string;
  shareEventId: number;
  entryId: number;
  actorUserId: number;
  recordedAt: string;
  lines: SplitLine[];
}

/** 资产评估 An appraisal as the API shows it (BundleAppraisal). */
export interface BundleAppraisalView {
  appraiser: string;
  appraisedOn: string;
  reportNo: string | null;
  documentId: number | null;
}
