/** The five roles (DESIGN §6). Kept below the modules: every service receives an actor. */
export type Role = 'VILLAGE_CLERK' | 'TOWNSHIP_REVIEWER' | 'COUNTY_FINANCE' | 'COUNTY_PLANNER' | 'ADMIN';
export const ROLES: Role[] = ['VILLAGE_CLERK', 'TOWNSHIP_REVIEWER', 'COUNTY_FINANCE', 'COUNTY_PLANNER', 'ADMIN'];

/** Who is acting: a user with one role over one region (scope = that region's code prefix). */
export interface Actor {
  userId: number;
  name: string;
  role: Role;
  regionCode: string;
  /** Significant prefix of regionCode: every code inside the scope starts with it. */
  scopePrefix: string;
}
