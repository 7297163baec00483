import type { Db } from '../db/connection';
import type { Clock } from '../shared/clock';
import type { Loaders } from '../shared/context';
import type { ModuleEntry, NodeFetcher } from '../shared/module';
import { authModule } from '../modules/auth';
import { approvalsModule } from '../modules/approvals';
import { regionsModule } from '../modules/regions';
import { householdsModule } from '../modules/households';
import { projectsModule } from '../modules/projects';
import { assetsModule } from '../modules/assets';
import { policyModule } from '../modules/policy';
import { distributionModule } from '../modules/distribution';
import { journalModule } from '../modules/journal';
import { partiesModule } from '../modules/parties';
import { officialsModule } from '../modules/officials';
import { rightsModule } from '../modules/rights';
import { upkeepModule } from '../modules/upkeep';
import { contractsModule } from '../modules/contracts';
import { documentsModule } from '../modules/documents';
import { incomeModule } from '../modules/income';
import { bundlesModule } from '../modules/bundles';
import { revitalisationModule } from '../modules/revitalisation';
import { disposalModule } from '../modules/disposal';
import { registerioModule } from '../modules/registerio';
import { reportsModule } from '../modules/reports';

/** Every module, in the order their SDL and resolvers are merged (schema/<module>.graphql holds each SDL). */
export const MODULES: ModuleEntry[] = [
  authModule, regionsModule, approvalsModule, householdsModule, projectsModule, assetsModule, policyModule, distributionModule, journalModule, partiesModule, officialsModule, rightsModule, upkeepModule, contractsModule, documentsModule, incomeModule, bundlesModule, revitalisationModule, disposalModule, registerioModule, reportsModule,
];

/** Fetchers for `node(id)`, by the type in the global id; each applies its own scope check. */
export const nodeFetchers: Record<string, NodeFetcher> = Object.assign({}, ...MODULES.map((m) => m.nodeFetchers ?? {}));

/**
 * The request's loaders, assembled from the modules' own (each module declares its part of `Loaders`).
 * Built lazily (issue 16, G1/G2): a request used to construct every module's DataLoaders (about 60) and used
 * a handful; now `ctx.loaders.x` builds x's module's loaders on first use, once per request (a getter on a
 * class made once from the modules' keys), so each request still has its own caches. A module's loader
 * factory must therefore only construct loaders, never query (none does).
 */
export function createLoaders(db: Db, clock: Clock): Loaders {
  return new (lazyLoadersClass ??= makeLazyLoadersClass(db, clock))(db, clock);
}

type LazyLoaders = new (db: Db, clock: Clock) => Loaders;
let lazyLoadersClass: LazyLoaders | undefined;

/** One getter per loader key; a key's getter builds its module's loaders (all keys of that module) once. */
function makeLazyLoadersClass(db: Db, clock: Clock): LazyLoaders {
  const factories = MODULES.flatMap((m) => (m.loaders ? [m.loaders] : []));
  class Lazy {
    readonly __built: (object | undefined)[] = new Array(factories.length);
    constructor(
      readonly __db: Db,
      readonly __clock: Clock,
    ) {}
  }
  const owner = new Map<string, number>();
  factories.forEach((factory, i) => {
    // The keys come from one construction (nothing runs until a loader's load); the result is discarded.
    for (const key of Object.keys(factory(db, clock))) {
      if (owner.has(key) || key.startsWith('__')) throw new Error(`Two modules declare the loader ${key}, or its name starts with __`);
      owner.set(key, i);
      Object.defineProperty(Lazy.prototype, key, {
        enumerable: true,
        get(this: Lazy) {
          const loaders = (this.__built[i] ??= factory(this.__db, this.__clock)) as Record<string, unknown>;
          return loaders[key];
        },
      });
    }
  });
  return Lazy as unknown as LazyLoaders;
}
