/** 主体类型 Kinds of party. */
export const PARTY_KINDS = [
  'VILLAGE_COLLECTIVE', // 村集体经济组织
  'TOWNSHIP', // 乡镇人民政府
  'COUNTY_BODY', // 县级部门/国有平台
  'HOUSEHOLD', // 农户
  'COMPANY', // 企业
  'COOPERATIVE', // 农民专业合作社
  'INDIVIDUAL', // 个人
  'VENTURE', // 联营体 (pooled venture of several villages)
] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

/** Kinds that may own an asset (确权对象): public bodies, collectives and households — never an operator. */
export const OWNER_KINDS: readonly PartyKind[] = ['VILLAGE_COLLECTIVE', 'TOWNSHIP', 'COUNTY_BODY', 'HOUSEHOLD'];

/** Kinds registered through partyRegister; households and ventures come from their own modules. */
export const REGISTRABLE_KINDS = ['VILLAGE_COLLECTIVE', 'TOWNSHIP', 'COUNTY_BODY', 'COMPANY', 'COOPERATIVE', 'INDIVIDUAL'] as const;

export interface Party {
  id: number;
  kind: PartyKind;
  name: string;
  regionCode: string;
  creditCode: string | null;
  householdId: number | null;
  createdAt: string;
}
