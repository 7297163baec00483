import type { Role } from '../../shared/actor';

/**
 * What a chain approves. Each purpose belongs to the module that opens such chains and reacts when they
 * settle (rights: OWNERSHIP_CHANGE; contracts: CONTRACT_MODE_CHANGE; bundles: BUNDLE_JOIN; disposal:
 * DISPOSAL, PLEDGE; revitalisation: REVITALISATION_CLOSE).
 */
export const APPROVAL_PURPOSES = [
  'OWNERSHIP_CHANGE', // 确权变更
  'CONTRACT_MODE_CHANGE', // 经营方式变更
  'BUNDLE_JOIN', // 入股联营
  'DISPOSAL', // 资产处置
  'PLEDGE', // 抵押/质押
  'REVITALISATION_CLOSE', // 盘活销号
] as const;
export type ApprovalPurpose = (typeof APPROVAL_PURPOSES)[number];

/** 审批环节 Who decides a step: the village by resolution, the township, a county department, county finance. */
export const STEP_KINDS = ['VILLAGE_RESOLUTION', 'VILLAGE_FILING', 'TOWNSHIP', 'COUNTY_DEPARTMENT', 'COUNTY_FINANCE'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/**
 * The role that decides each kind of step. A village resolution (四议两公开) is recorded by that village's
 * clerk from the meeting record; the county sector department (行业主管部门) is the rural-revitalisation
 * bureau, whose officers are the county planners.
 */
export const ROLE_OF_STEP: Record<StepKind, Role> = {
  VILLAGE_RESOLUTION: 'VILLAGE_CLERK',
  // 村委会备案: a household's decision filed with its village committee, recorded by the village clerk.
  VILLAGE_FILING: 'VILLAGE_CLERK',
  TOWNSHIP: 'TOWNSHIP_REVIEWER',
  COUNTY_DEPARTMENT: 'COUNTY_PLANNER',
  COUNTY_FINANCE: 'COUNTY_FINANCE',
};

export type ChainStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'WITHDRAWN';
export type Decision = 'APPROVE' | 'REJECT';

export interface StepSpec {
  kind: StepKind;
  /** The region whose officer decides: a village, a township or a county code. */
  regionCode: string;
}

export interface ApprovalChain {
  id: number;
  purpose: ApprovalPurpose;
  subjectType: string;
  subjectId: number | null;
  countyCode: string;
  regionCode: string;
  template: string;
  status: ChainStatus;
  /** What is being approved, fixed at request time (canonical JSON). */
  summary: Record<string, unknown>;
  requestedBy: number;
  requestedOn: string;
  createdAt: string;
  updatedAt: string;
}

export interface ApprovalStep {
  id: number;
  chainId: number;
  seq: number;
  kind: StepKind;
  role: Role;
  regionCode: string;
}

/** 村民代表会议记录 The record of a village resolution (四议两公开). */
export interface ResolutionMeeting {
  heldOn: string;
  memberCount: number;
  attendance: number;
  votesFor: number;
}

export interface ApprovalDecision {
  id: number;
  chainId: number;
  stepId: number;
  decision: Decision;
  decidedOn: string;
  reference: string | null;
  reason: string | null;
  meeting: ResolutionMeeting | null;
  documentIds: number[];
  actorUserId: number;
  recordedAt: string;
}

/** A step as the API shows it: with its decision, once made. */
export type ApprovalStepView = ApprovalStep & { decisionRow: ApprovalDecision | null };
