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

/** The request's loaders, assembled from the modules' own (each module declares its part of `Loaders`). */
export function createLoaders(db: Db, clock: Clock): Loaders {
  return Object.assign({}, ...MODULES.map((m) => m.loaders?.(db, clock) ?? {})) as Loaders;
}
