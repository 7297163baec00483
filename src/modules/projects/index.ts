import type { ModuleEntry } from '../../shared/module';
import { projectsResolvers } from './projects.resolvers';
import { getProject } from './projects.service';
import { createProjectsLoaders } from './projects.loaders';

/** The projects module's entry: what the server assembles (docs/architecture.md). */
export const projectsModule: ModuleEntry = {
  name: 'projects',
  resolvers: projectsResolvers,
  nodeFetchers: { Project: getProject },
  loaders: createProjectsLoaders,
};
