/** 职务 Offices of a village recorded in the register (村干部/村务人员). */
export const OFFICIAL_ROLES = [
  'PARTY_SECRETARY', // 村党组织书记
  'COMMITTEE_DIRECTOR', // 村委会主任
  'ACCOUNTANT', // 村会计/报账员
  'SUPERVISION_MEMBER', // 村务监督委员会成员
  'FIRST_SECRETARY', // 驻村第一书记
  'OTHER', // 其他村务人员
] as const;
export type OfficialRole = (typeof OFFICIAL_ROLES)[number];

export const OFFICIAL_ROLE_NAMES: Record<OfficialRole, string> = {
  PARTY_SECRETARY: '村党组织书记',
  COMMITTEE_DIRECTOR: '村委会主任',
  ACCOUNTANT: '村会计/报账员',
  SUPERVISION_MEMBER: '村务监督委员会成员',
  FIRST_SECRETARY: '驻村第一书记',
  OTHER: '其他村务人员',
};

export interface VillageOfficial {
  id: number;
  villageCode: string;
  name: string;
  role: OfficialRole;
  roleNote: string | null;
  idNumber: string | null;
  userId: number | null;
  householdId: number | null;
  partyId: number | null;
  termStartOn: string;
  termEndOn: string | null;
  endReason: string | null;
  createdBy: number;
  createdAt: string;
  updatedAt: string;
}

/** Whether the official held office on a date (the term's first and last day included). */
export function inOffice(o: Pick<VillageOfficial, 'termStartOn' | 'termEndOn'>, date: string): boolean {
  return o.termStartOn <= date && (o.termEndOn === null || o.termEndOn >= date);
}
