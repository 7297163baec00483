/** 农户状态: 脱贫户 formerly poor, 监测对象 monitored for relapse, 一般户 ordinary. */
export type HouseholdStatus = 'FORMERLY_POOR' | 'MONITORED' | 'ORDINARY';
export const HOUSEHOLD_STATUSES: HouseholdStatus[] = ['FORMERLY_POOR', 'MONITORED', 'ORDINARY'];

export interface Household {
  id: number;
  villageCode: string;
  headName: string;
  idNumber: string;
  memberCount: number;
  status: HouseholdStatus;
  createdAt: string;
  updatedAt: string;
}

export interface HouseholdStatusChange {
  id: number;
  householdId: number;
  status: HouseholdStatus;
  effectiveOn: string;
  reason: string | null;
  actorUserId: number;
  recordedAt: string;
}
