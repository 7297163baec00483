import type { HouseholdStatus } from '../households/households.types';

/** 分配项目类型 Line types allowed by the rules (domain brief §6, §11 item 13). */
export const LINE_TYPES = [
  'PUBLIC_WELFARE_JOB', // 公益性岗位工资 (against recorded work days)
  'PUBLIC_WORKS', // 小型公益事业
  'REWARD_GRANT', // 奖励补助
  'COLLECTIVE_RETENTION', // 集体积累
  'UPKEEP_RESERVE', // 管护资金
  'HOUSEHOLD_DIVIDEND', // 脱贫户/监测对象分红
] as const;
export type LineType = (typeof LINE_TYPES)[number];

/** The Chinese name of each line type, as a posted notice prints it. */
export const LINE_TYPE_NAMES: Record<LineType, string> = {
  PUBLIC_WELFARE_JOB: '公益性岗位工资',
  PUBLIC_WORKS: '小型公益事业',
  REWARD_GRANT: '奖励补助',
  COLLECTIVE_RETENTION: '集体积累',
  UPKEEP_RESERVE: '管护资金',
  HOUSEHOLD_DIVIDEND: '分红',
};

/** How a line's amount is set: a fixed amount, a share of the total, or whatever is left (one line at most). */
export const LINE_BASES = ['FIXED', 'PERCENT', 'REMAINDER'] as const;
export type LineBasis = (typeof LINE_BASES)[number];

/** Line types paid to people; the others go to the collective's own earmarked funds. */
export const RECIPIENT_REQUIRED: readonly LineType[] = ['HOUSEHOLD_DIVIDEND'];
export const RECIPIENT_FORBIDDEN: readonly LineType[] = ['PUBLIC_WORKS', 'COLLECTIVE_RETENTION', 'UPKEEP_RESERVE'];

/** Households a dividend may go to (brief §6: 脱贫户 and 监测对象). */
export const DIVIDEND_ELIGIBLE: readonly HouseholdStatus[] = ['FORMERLY_POOR', 'MONITORED'];

/**
 * Lines whose recipients must be eligible on the plan date (brief §11 rule 14): dividends; rewards and
 * grants (or a hardship category the county lists). Job wages are earned by recorded work instead.
 */
export const ELIGIBILITY_CHECKED: readonly LineType[] = ['HOUSEHOLD_DIVIDEND', 'REWARD_GRANT'];

export const PLAN_STATUSES = [
  'DRAFT', // 草案: meetings being recorded
  'RESOLVED', // 已决议: villagers' representatives resolved (四议 complete)
  'IN_NOTICE', // 公示中: plan notice published (first 公开)
  'APPROVED', // 乡镇已审核
  'EXECUTED', // 已执行: posted to the journal
  'CLOSED', // 已结案: paid and results published (second 公开)
  'REJECTED', // 乡镇退回
  'CANCELLED', // 已撤销
  'REVERSED', // 已冲销: execution reversed before any payment
] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** 四议 steps, in the order they must happen (brief §6, [S26]). */
export const MEETING_STEPS = ['PARTY_BRANCH_PROPOSAL', 'TWO_COMMITTEES', 'PARTY_MEMBERS', 'REPRESENTATIVES'] as const;
export type MeetingStep = (typeof MEETING_STEPS)[number];

export interface Plan {
  id: number;
  ownerPartyId: number;
  villageCode: string;
  title: string;
  periodFrom: string;
  periodTo: string;
  planOn: string;
  totalFen: number;
  status: PlanStatus;
  noticeStartOn: string | null;
  noticeEndOn: string | null;
  approvedOn: string | null;
  executedOn: string | null;
  executionEntryId: number | null;
  resultsStartOn: string | null;
  resultsEndOn: string | null;
  reversesPlanId: number | null;
  createdBy: number;
  createdAt: string;
  updatedAt: string;
}

export interface PlanLine {
  id: number;
  planId: number;
  lineNo: number;
  type: LineType;
  basis: LineBasis;
  fixedFen: number | null;
  percentBp: number | null;
  amountFen: number;
  description: string;
}

/** Whether a payment covers a recipient line: its own, or (older payments) every line of the household. */
export function pays(p: Pick<Payment, 'recipientId' | 'householdId'>, r: { id?: number; householdId: number }): boolean {
  return p.recipientId === null ? p.householdId === r.householdId : p.recipientId === r.id;
}

/**
 * The payment of each recipient line, looked up in constant time (a plan can have ten thousand lines and
 * as many payments): by the line's own row, else an older payment of all the household's lines.
 */
export function paymentFinder<P extends Pick<Payment, 'recipientId' | 'householdId'> & { planId?: number }>(payments: readonly P[]) {
  const byRecipient = new Map<number, P>();
  const byHousehold = new Map<string, P>();
  for (const p of payments) {
    if (p.recipientId !== null) byRecipient.set(p.recipientId, p);
    else byHousehold.set(`${p.planId ?? 0}/${p.householdId}`, p);
  }
  return (r: { id?: number; householdId: number; planId?: number }): P | undefined =>
    (r.id !== undefined ? byRecipient.get(r.id) : undefined) ?? byHousehold.get(`${r.planId ?? 0}/${r.householdId}`);
}

export interface PlanRecipient {
  id: number;
  planId: number;
  lineId: number;
  householdId: number;
  householdStatus: HouseholdStatus;
  weight: number;
  workDays: number | null;
  /** 困难类别 The hardship category a reward or grant relies on (null: the household's status does). */
  hardshipCategory: string | null;
  amountFen: number;
}

export interface Meeting {
  id: number;
  planId: number;
  step: MeetingStep;
  heldOn: string;
  memberCount: number;
  attendance: number;
  votesFor: number;
  votesAgainst: number;
  abstentions: number;
  minutesRef: string | null;
  note: string | null;
  recordedBy: number;
  recordedAt: string;
}

export interface Notice {
  id: number;
  planId: number;
  kind: 'PLAN' | 'RESULTS';
  startOn: string;
  endOn: string;
  contentSha256: string;
  content: string;
  publishedBy: number;
  publishedAt: string;
  /** The journal's head at publication (issue 8): verification fails if it is later rewritten away. */
  journalSequence?: number | null;
  journalHash?: string | null;
}

export interface Objection {
  id: number;
  planId: number;
  raisedOn: string;
  raisedBy: string;
  content: string;
  resolvedOn: string | null;
  resolution: string | null;
  recordedBy: number;
  recordedAt: string;
}

export interface Payment {
  id: number;
  planId: number;
  householdId: number;
  /** The recipient line it pays; null on payments recorded before payments were per line (all the household's lines). */
  recipientId: number | null;
  /** The line number it pays (null for older all-lines payments). */
  lineNo: number | null;
  amountFen: number;
  paidOn: string;
  bankReference: string;
  entryId: number;
  recordedBy: number;
  recordedAt: string;
  /** Set when the payment bounced or was recovered (its reversal entry returned the money to the payable). */
  reversedOn: string | null;
  reversalReason: string | null;
}

export interface PlanEvent {
  id: number;
  planId: number;
  action: string;
  fromStatus: PlanStatus | null;
  toStatus: PlanStatus;
  effectiveOn: string;
  reason: string | null;
  payload: unknown;
  actorUserId: number;
  recordedAt: string;
}

/** 风险提示 Flags: audit findings the plan shows instead of hiding (DESIGN §2 "flags, not silence"). */
export const FLAG_CODES = [
  'FLAT_EQUAL_SPLIT', // 平均分配: equal per-head cash with no work or condition
  'DIVIDEND_SHARE_HIGH', // 分红占比过高
  'RETENTION_BELOW_MINIMUM', // 集体积累不足
  'PAID_BEFORE_NOTICE_END', // 公示未结束即发放 (impossible by construction; checked anyway)
  'DUPLICATE_RECIPIENT', // 重复受益
  'RESULTS_NOTICE_MISSING', // 未公开分配结果
  'FUNDS_IDLE', // 资金滞留
  'JOB_WAGE_CONCENTRATED', // 公益岗位工资集中: one household above the county's share of the plan
] as const;
export type FlagCode = (typeof FLAG_CODES)[number];

export interface Flag {
  code: FlagCode;
  message: string;
  planId: number | null;
  villageCode: string;
}

/** A recipient as the API serves it (DistributionRecipient): a plan's, with its payment, or a preview's. */
export interface RecipientView {
  householdId: number;
  householdStatus: HouseholdStatus;
  weight: number;
  workDays?: number | null;
  amountFen: number;
  paidOn: string | null;
  bankReference: string | null;
  /** 困难类别 A reward's or grant's hardship category, when it relies on one. */
  hardshipCategory?: string | null;
  /** 出勤记录 The work behind a job line's wage. */
  attendance?: { fromOn: string; toOn: string; days: number; note?: string | null }[];
}

/** A line as the API serves it (DistributionLine): a plan's line or a preview's computed one. */
export interface LineView {
  lineNo: number;
  type: LineType;
  basis: LineBasis;
  percentBp?: number | null;
  amountFen: number;
  description: string;
  recipients: RecipientView[];
}

/** A receipt or cost as the API serves it (DistributionReceipt): a plan's claimed one, or a preview's. */
export interface ReceiptView {
  entryId: number;
  kind: string;
  effectiveOn: string;
  amountFen: number;
  paidFrom: string | null;
  releasedOn?: string | null;
}
