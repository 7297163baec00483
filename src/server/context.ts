import type { Db, Executor } from '../db/connection';
import type { Clock } from '../shared/clock';
import type { Actor } from '../modules/auth/auth.types';
import { unauthenticated } from '../shared/errors';
import { createLoaders, Loaders } from './loaders';

export interface AppConfig {
  /** Largest document upload accepted, in bytes. */
  uploadMaxBytes: number;
}

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

export function buildRequestContext(db: Db, clock: Clock, actor: Actor | null, config: AppConfig): RequestContext {
  return { db, clock, actor, loaders: createLoaders(db, clock), config };
}

export function requireActor(ctx: RequestContext): Actor {
  if (!ctx.actor) throw unauthenticated();
  return ctx.actor;
}

/** A read-only service context on the request's connection. */
export function readContext(ctx: RequestContext): ServiceContext {
  return { db: ctx.db, clock: ctx.clock, actor: requireActor(ctx) };
}
