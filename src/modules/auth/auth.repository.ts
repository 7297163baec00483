import type { Executor } from '../../db/connection';
import type { Role, UserRow, UserView } from './auth.types';

/** The user of a live (unrevoked) token: only the columns an actor needs, on every request (issue 16). */
export async function findUserByTokenHash(db: Executor, tokenHash: string): Promise<UserView | undefined> {
  return db('users')
    .join('api_tokens', 'api_tokens.user_id', 'users.id')
    .where('api_tokens.token_hash', tokenHash)
    .whereNull('api_tokens.revoked_at')
    .first('users.id', 'users.name', 'users.role', 'users.region_code');
}

export async function insertUser(
  db: Executor,
  row: { name: string; role: Role; region_code: string; created_at: string },
): Promise<number> {
  const [r] = await db('users').insert(row).returning('id');
  return r.id;
}

export async function insertToken(
  db: Executor,
  row: { user_id: number; token_hash: string; label: string; created_at: string },
): Promise<void> {
  await db('api_tokens').insert(row);
}

export async function findUsersByIds(db: Executor, ids: readonly number[]): Promise<UserRow[]> {
  return db('users').whereIn('id', ids as number[]);
}

/** Users whose own region is one of `codes` (e.g. a village's clerk and its township's reviewers). */
export async function findUsersInRegions(db: Executor, codes: readonly string[]): Promise<UserRow[]> {
  return db('users').whereIn('region_code', codes as string[]);
}

/** A user by name, role and region (the command line's console user, created once per region). */
export async function findUserByNameRoleRegion(db: Executor, name: string, role: string, regionCode: string): Promise<UserRow | undefined> {
  return db('users').where({ name, role, region_code: regionCode }).first();
}
