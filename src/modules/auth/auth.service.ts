import crypto from 'node:crypto';
import type { Executor } from '../../db/connection';
import { forbidden } from '../../shared/errors';
import { isWithin, prefixOf } from '../regions/regions.codes';
import * as repo from './auth.repository';
import type { Actor, Role } from './auth.types';

/** API tokens are stored as SHA-256 hashes only; a leaked database does not leak usable tokens. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newToken(): string {
  return `bf_${crypto.randomBytes(24).toString('base64url')}`;
}

/** The token of an `Authorization: Bearer …` header, or null when there is none or it is malformed. */
export function bearerToken(authorization: string | undefined | null): string | null {
  if (!authorization) return null;
  const m = /^Bearer\s+(\S{8,200})$/i.exec(authorization.trim());
  return m ? m[1] : null;
}

export async function authenticate(db: Executor, authorization: string | undefined | null): Promise<Actor | null> {
  const token = bearerToken(authorization);
  if (!token) return null;
  const user = await repo.findUserByTokenHash(db, hashToken(token));
  if (!user) return null;
  return toActor(user);
}

/**
 * Token → actor, cached per token hash for at most `ttlMs` (issue 16: the lookup was a fifth of the CPU of a
 * small query). The bound: a token revoked, or a user whose role or region changed, in the database takes
 * effect within `ttlMs` in every process; `forget`/`clear` make it immediate in this process. Only tokens
 * that authenticate are kept (a spray of random tokens fills nothing), at most `maxEntries` of them
 * (the oldest entry goes first). `ttlMs` 0 turns the cache off.
 */
export interface TokenCache {
  authenticate(db: Executor, authorization: string | undefined | null): Promise<Actor | null>;
  /** Drops one token (e.g. right after revoking it in this process). */
  forget(token: string): void;
  clear(): void;
}

export interface TokenCacheOptions {
  ttlMs: number;
  maxEntries?: number;
  /** Milliseconds since the epoch; injected by tests. */
  now?: () => number;
}

export function createTokenCache(opts: TokenCacheOptions): TokenCache {
  const now = opts.now ?? Date.now;
  const maxEntries = opts.maxEntries ?? 10_000;
  const entries = new Map<string, { actor: Actor; until: number }>();
  return {
    async authenticate(db, authorization) {
      const token = bearerToken(authorization);
      if (!token) return null;
      const hash = hashToken(token);
      const hit = entries.get(hash);
      if (hit && hit.until > now()) return hit.actor;
      if (hit) entries.delete(hash);
      const user = await repo.findUserByTokenHash(db, hash);
      if (!user) return null;
      // Frozen: one actor object now serves many requests.
      const actor = Object.freeze(toActor(user));
      if (opts.ttlMs > 0) {
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
        entries.set(hash, { actor, until: now() + opts.ttlMs });
      }
      return actor;
    },
    forget: (token) => void entries.delete(hashToken(token)),
    clear: () => entries.clear(),
  };
}

export function toActor(user: { id: number; name: string; role: Role; region_code: string }): Actor {
  return {
    userId: user.id,
    name: user.name,
    role: user.role,
    regionCode: user.region_code,
    scopePrefix: prefixOf(user.region_code),
  };
}

export async function createUserWithToken(
  db: Executor,
  input: { name: string; role: Role; regionCode: string; token?: string; label?: string },
  now: string,
): Promise<{ userId: number; token: string }> {
  const userId = await repo.insertUser(db, { name: input.name, role: input.role, region_code: input.regionCode, created_at: now });
  const token = input.token ?? newToken();
  await repo.insertToken(db, { user_id: userId, token_hash: hashToken(token), label: input.label ?? 'default', created_at: now });
  return { userId, token };
}

/**
 * What each role may do (DESIGN §6). Reads are open to every role inside its scope; this table lists writes.
 * Every service checks here, so the matrix lives in one place and the auth tests walk it.
 */
export const PERMISSIONS = {
  'project.write': ['VILLAGE_CLERK', 'COUNTY_PLANNER', 'ADMIN'],
  'asset.write': ['VILLAGE_CLERK', 'ADMIN'],
  'asset.lifecycle': ['VILLAGE_CLERK', 'ADMIN'],
  'asset.markIdle': ['VILLAGE_CLERK', 'COUNTY_PLANNER', 'ADMIN'],
  'household.write': ['VILLAGE_CLERK', 'ADMIN'],
  // The register of village officials (issue 14): kept by the village's clerk.
  'official.write': ['VILLAGE_CLERK', 'ADMIN'],
  'policy.write': ['COUNTY_FINANCE', 'ADMIN'],
  // Distribution: the village drafts, deliberates, executes and pays; the township approves or rejects.
  'distribution.write': ['VILLAGE_CLERK', 'ADMIN'],
  'distribution.approve': ['TOWNSHIP_REVIEWER', 'ADMIN'],
  'distribution.execute': ['VILLAGE_CLERK', 'ADMIN'],
  'distribution.reverse': ['VILLAGE_CLERK', 'COUNTY_FINANCE', 'ADMIN'],
  // The journal: finance officers correct by reversal; auditors verify the chain.
  'journal.reverse': ['COUNTY_FINANCE', 'ADMIN'],
  'journal.verify': ['COUNTY_FINANCE', 'TOWNSHIP_REVIEWER', 'ADMIN'],
  // Rights, upkeep and operation (issue 3): the village clerk records its village's assets; county users read.
  // Parties: a clerk registers those of its own village; parties above the village (the township
  // government, county bodies, county companies) are registered by the county planner (issue 8).
  'party.write': ['VILLAGE_CLERK', 'COUNTY_PLANNER', 'ADMIN'],
  'rights.write': ['VILLAGE_CLERK', 'ADMIN'],
  'upkeep.write': ['VILLAGE_CLERK', 'ADMIN'],
  'contract.write': ['VILLAGE_CLERK', 'ADMIN'],
  'document.write': ['VILLAGE_CLERK', 'ADMIN'],
  // County rules on contracts (maximum term): set by the county rural-revitalisation bureau.
  'contract.configure': ['COUNTY_PLANNER', 'ADMIN'],
  // Income recording (issue 4): the village books the income of its assets.
  'income.write': ['VILLAGE_CLERK', 'ADMIN'],
  // Revitalisation (issue 12): the county planner flags, plans, closes and sets the county's thresholds;
  // the village clerk records what its operating assets did for poor households (联农带农).
  'policy.revitalisation': ['COUNTY_PLANNER', 'ADMIN'],
  'revitalisation.manage': ['COUNTY_PLANNER', 'ADMIN'],
  'benefit.write': ['VILLAGE_CLERK', 'COUNTY_PLANNER', 'ADMIN'],
  // Pooled ventures (issue 10): the county planner, or the township reviewer for a venture inside one
  // township, runs the venture; each village clerk records its own village's contributions and withdrawal.
  'bundle.manage': ['COUNTY_PLANNER', 'TOWNSHIP_REVIEWER', 'ADMIN'],
  'bundle.contribute': ['VILLAGE_CLERK', 'ADMIN'],
  // Disposal and pledges (issue 11): the village requests, appraises, publishes and executes; officers decide steps.
  'disposal.write': ['VILLAGE_CLERK', 'ADMIN'],
} satisfies Record<string, Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function canRead(actor: Actor, regionCode: string): boolean {
  return isWithin(regionCode, actor.scopePrefix);
}

/** Throws a top-level FORBIDDEN unless the actor's role has the permission and the region is in scope. */
export function authorize(actor: Actor, permission: Permission, regionCode: string): void {
  if (!(PERMISSIONS[permission] as readonly Role[]).includes(actor.role)) {
    throw forbidden(`Role ${actor.role} may not ${permission} (无此权限)`);
  }
  if (!isWithin(regionCode, actor.scopePrefix)) {
    throw forbidden(`Region ${regionCode} is outside your scope ${actor.regionCode} (超出辖区)`);
  }
}

/**
 * Role check alone, for writes whose region rule differs from "inside your scope" — e.g. a village clerk
 * registering the county company that will operate its asset. The caller checks the region itself.
 */
export function authorizeRole(actor: Actor, permission: Permission): void {
  if (!(PERMISSIONS[permission] as readonly Role[]).includes(actor.role)) {
    throw forbidden(`Role ${actor.role} may not ${permission} (无此权限)`);
  }
}

/** Roles that see full personal data (resident ID numbers): those who pay or register households. */
export function seesPersonalData(actor: Actor): boolean {
  return actor.role === 'VILLAGE_CLERK' || actor.role === 'COUNTY_FINANCE' || actor.role === 'ADMIN';
}
