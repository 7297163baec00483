import type { Db } from '../db/connection';
import type { Clock } from '../shared/clock';
import type { Actor } from '../shared/actor';
import type { AppConfig, RequestContext } from '../shared/context';
import { createLoaders } from './modules';

/** The request context: built by the server, read by every module through src/shared/context. */
export function buildRequestContext(db: Db, clock: Clock, actor: Actor | null, config: AppConfig): RequestContext {
  return { db, clock, actor, loaders: createLoaders(db, clock), config };
}
