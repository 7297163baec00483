import type { FundingLine } from '../projects/projects.types';

/** 资产类别: 经营性 operating, 公益性 public-welfare, 到户类 household. */
export const ASSET_CLASSES = ['OPERATING', 'PUBLIC_WELFARE', 'HOUSEHOLD'] as const;
export type AssetClass = (typeof ASSET_CLASSES)[number];

/** Sub-types valid for each class (domain brief §2). */
export const SUB_TYPES_BY_CLASS = {
  OPERATING: [
    'INDUSTRY_BASE', // 产业基地
    'PROCESSING_FACILITY', // 生产加工设施
    'TOURISM_FACILITY', // 旅游设施 (民宿等)
    'ECOMMERCE_FACILITY', // 电商设施
    'PV_STATION', // 光伏电站
    'ASSISTANCE_WORKSHOP', // 帮扶车间
    'MACHINERY', // 农机设备
    'REVENUE_INFRASTRUCTURE', // 经营性基础设施
    'EQUITY_STAKE', // 股权
    'DEBT_CLAIM', // 债权
    'OTHER_OPERATING',
  ],
  PUBLIC_WELFARE: [
    'ROAD', // 道路
    'FARMLAND_WATER', // 农田水利
    'DRINKING_WATER', // 饮水
    'SANITATION', // 环境卫生, 公厕
    'SCHOOL', // 学校
    'CULTURE_SPORTS', // 文体设施
    'CLINIC', // 卫生室
    'POWER', // 电力
    'SERVICE_CENTRE', // 便民服务中心
    'NETWORK', // 网络
    'OTHER_PUBLIC',
  ],
  HOUSEHOLD: [
    'LIVESTOCK', // 牲畜
    'ORCHARD', // 果园, 经济林
    'SMALL_MACHINERY', // 小型农机
    'GREENHOUSE', // 大棚
    'OTHER_HOUSEHOLD',
  ],
} as const satisfies Record<AssetClass, readonly string[]>;
export type AssetSubType = (typeof SUB_TYPES_BY_CLASS)[AssetClass][number];
export const ALL_SUB_TYPES = Object.values(SUB_TYPES_BY_CLASS).flat() as AssetSubType[];

/** Class code inside the human asset code (county-year-class-sequence). */
export const CLASS_CODE: Record<AssetClass, string> = { OPERATING: 'JY', PUBLIC_WELFARE: 'GY', HOUSEHOLD: 'DH' };

export const ASSET_STATUSES = [
  'REGISTERED', // 已登记
  'CONFIRMED', // 已确权
  'HANDED_OVER', // 已移交
  'IN_OPERATION', // 运营中
  'IN_USE', // 在用
  'IDLE', // 闲置
  'BUNDLED', // 已打包入股
  'DISPOSAL_PENDING', // 处置审批中
  'DISPOSED', // 已处置
] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

export interface Asset {
  id: number;
  countyCode: string;
  code: string;
  name: string;
  class: AssetClass;
  subType: AssetSubType;
  quantity: number;
  unit: string;
  villageCode: string;
  location: string | null;
  projectId: number;
  year: number;
  originalValueFen: number;
  completedOn: string | null;
  acceptedOn: string | null;
  handedOverOn: string | null;
  bookedOn: string | null;
  status: AssetStatus;
  createdAt: string;
  updatedAt: string;
}

export interface AssetFundingLine extends FundingLine {
  assetId: number;
}

export interface AssetEvent {
  id: number;
  assetId: number;
  action: AssetEventAction;
  fromStatus: AssetStatus | null;
  toStatus: AssetStatus;
  effectiveOn: string;
  reason: string | null;
  payload: unknown;
  actorUserId: number;
  recordedAt: string;
}

/**
 * 资产事件动作 What happened to an asset: one verb (object first, present tense, like the mutations), written
 * by one helper per kind of event (applyTransition for status steps, recordAssetEvent for observations).
 */
export const ASSET_EVENT_ACTIONS = [
  'REGISTER', // 登记
  'UPDATE', // 更正
  'CONFIRM_RIGHTS', // 确权
  'RIGHTS_CHANGE', // 确权变更
  'HAND_OVER', // 移交
  'START_OPERATION', // 投入运营
  'PUT_IN_USE', // 投入使用
  'MARK_IDLE', // 认定闲置
  'REVITALISE', // 盘活
  'UPKEEP_ASSIGN', // 落实管护
  'UPKEEP_RECORD', // 管护记录
  'CONTRACT_SIGN', // 签订合同
  'CONTRACT_AMEND', // 合同变更
  'CONTRACT_RENEW', // 续签
  'CONTRACT_TERMINATE', // 解除合同
  'DOCUMENT_ATTACH', // 附件
  'INCOME_RECORD', // 收益入账
  'BUNDLE', // 入股联营
  'UNBUNDLE', // 退出联营
  'PLEDGE', // 抵押/质押
  'PLEDGE_RELEASE', // 解除抵押
  'REQUEST_DISPOSAL', // 申请处置
  'RESTORE_FROM_DISPOSAL', // 处置驳回或撤回
  'DISPOSE', // 处置完成
  'IDLE_FLAG', // 认定闲置（规则，状态不变）
  'LOW_EFFICIENCY_FLAG', // 认定低效
  'REVITALISATION_OPEN', // 盘活立项
  'REVITALISATION_CLOSE', // 盘活销号
  'REVITALISATION_ABANDON', // 盘活终止
] as const;
export type AssetEventAction = (typeof ASSET_EVENT_ACTIONS)[number];

/**
 * Actions that record an observation rather than a lifecycle step: they are stamped with the day they
 * happened (or were entered) and may be entered out of order — a 2021 deed scanned today, an inspection
 * entered late, last year's rent booked after this year's contract amendment — so they neither obey nor
 * constrain the order of steps.
 */
export const OBSERVATION_ACTIONS: readonly AssetEventAction[] = [
  'REGISTER',
  'UPDATE',
  'DOCUMENT_ATTACH',
  'UPKEEP_RECORD',
  'INCOME_RECORD',
  // Revitalisation (issue 12): a flag or a case is the planner's observation about the asset; it must not
  // stop a clerk from entering a contract or step that happened earlier.
  'IDLE_FLAG',
  'LOW_EFFICIENCY_FLAG',
  'REVITALISATION_OPEN',
  'REVITALISATION_CLOSE',
  'REVITALISATION_ABANDON',
];

/** 占用类型 What may hold an asset (DESIGN §2, brief §11 rule 20). */
export const HOLD_KINDS = ['CONTRACT', 'BUNDLE', 'PLEDGE', 'DISPOSAL'] as const;
export type HoldKind = (typeof HOLD_KINDS)[number];

/**
 * 资产占用 A dated hold on an asset. Live on day d when startOn <= d <= endOn (no end: open) and, once
 * released, d < releasedOn. statusBefore is the status the hold replaced, restored on release.
 */
export interface AssetHold {
  id: number;
  assetId: number;
  kind: HoldKind;
  holderId: number;
  holderLabel: string;
  startOn: string;
  endOn: string | null;
  releasedOn: string | null;
  releaseReason: string | null;
  statusBefore: AssetStatus | null;
  actorUserId: number;
  createdAt: string;
  updatedAt: string;
}
