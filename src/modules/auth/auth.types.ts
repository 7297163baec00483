import type { Role } from '../../shared/actor';
export type { Actor, Role } from '../../shared/actor';
export { ROLES } from '../../shared/actor';

export interface UserRow {
  id: number;
  name: string;
  role: Role;
  region_code: string;
  created_at: string;
}

/** A user as the API serves it (`me` builds one from the actor; loaders read the row). */
export type UserView = Pick<UserRow, 'id' | 'name' | 'role' | 'region_code'>;
