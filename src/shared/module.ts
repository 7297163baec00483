import type { Executor } from '../db/connection';
import type { Clock } from './clock';
import type { ServiceContext } from './context';

/** Fetches one object for `node(id)` by its numeric id, applying the module's own read rule. */
export type NodeFetcher = (svc: ServiceContext, id: number) => Promise<unknown>;

/**
 * What a module hands the server, from its one entry file (`src/modules/<module>/index.ts`): its resolvers
 * (SDL in schema/<module>.graphql), the object types it serves through `node(id)`, and its batch loaders.
 * The server assembles these; a module never imports the server (docs/architecture.md).
 */
export interface ModuleEntry {
  name: string;
  resolvers: object;
  nodeFetchers?: Record<string, NodeFetcher>;
  loaders?: (db: Executor, clock: Clock) => object;
}
