import type { Db, Executor } from '../db/connection';
import type { Clock } from './clock';
import type { Actor } from './actor';
import { unauthenticated } from './errors';

export interface AppConfig {
  /** Largest document upload accepted, in bytes. */
  uploadMaxBytes: number;
}

/**
 * The per-request batch loaders. Empty here on purpose: each module adds its own loaders to this interface
 * (`declare module '…/shared/context'` in its `<module>.loaders.ts`), and the server assembles them from
 * the modules' entry files, so no module imports the server and the server imports no repository.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface Loaders {}

/** Per-request GraphQL context. */
export interface RequestContext {
  db: Db;
  clock: Clock;
  actor: Actor | null;
  loaders: Loaders;
  config: AppConfig;
}

/** What a service receives: the transaction (or connection), the actor and the clock. */
export interface ServiceContext {
  db: Executor;
  clock: Clock;
  actor: Actor;
}

export function requireActor(ctx: RequestContext): Actor {
  if (!ctx.actor) throw unauthenticated();
  return ctx.actor;
}

/** A read-only service context on the request's connection. */
export function readContext(ctx: RequestContext): ServiceContext {
  return { db: ctx.db, clock: ctx.clock, actor: requireActor(ctx) };
}
