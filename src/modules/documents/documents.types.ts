/** 附件类型 Kinds of evidence a step carries (domain brief §3 "Documents"). */
export const DOCUMENT_KINDS = [
  'ACCEPTANCE', // 竣工验收单
  'FINAL_ACCOUNTS', // 决算/审计报告
  'HANDOVER_LIST', // 移交清单
  'HANDOVER_DEED', // 移交书
  'RIGHTS_CERTIFICATE', // 确权证书/登记表
  'BOOKING_VOUCHER', // 入账凭证
  'CONTRACT', // 合同文本
  'CONTRACT_AMENDMENT', // 补充协议/续签协议
  'TERMINATION', // 解除协议
  'RESOLUTION', // 决议/会议记录
  'APPROVAL', // 审批文件
  'UPKEEP', // 管护记录
  'PHOTO', // 照片
  'OTHER',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface DocumentMeta {
  id: number;
  assetId: number;
  eventId: number | null;
  contractId: number | null;
  kind: DocumentKind;
  title: string;
  fileName: string;
  contentType: string;
  sha256: string;
  sizeBytes: number;
  documentOn: string;
  /** True when the content was uploaded and is kept in the database; false for a paper original held elsewhere. */
  stored: boolean;
  actorUserId: number;
  recordedAt: string;
}
