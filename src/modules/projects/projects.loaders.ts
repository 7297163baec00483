import DataLoader from 'dataloader';
import type { Executor } from '../../db/connection';
import { byId, groupBy } from '../../shared/loaderUtils';
import * as projectsRepo from './projects.repository';

/** Per-request batch loaders of this module: a page of objects costs one query per loader. */
export function createProjectsLoaders(db: Executor) {
  return {
    project: new DataLoader(async (ids: readonly number[]) => byId(await projectsRepo.findByIds(db, ids), ids)),
    projectFundingLines: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await projectsRepo.fundingLines(db, ids), (l) => l.projectId, ids),
    ),
  };
}

declare module '../../shared/context' {
  // The request context's loaders include this module's (see shared/context.ts).
  interface Loaders extends ReturnType<typeof createProjectsLoaders> {}
}
