import type { ModuleEntry } from '../../shared/module';
import { revitalisationResolvers } from './revitalisation.resolvers';
import { getCase } from './revitalisation.service';
import { createRevitalisationLoaders } from './revitalisation.loaders';

/** The revitalisation module's entry: what the server assembles (docs/architecture.md). */
export const revitalisationModule: ModuleEntry = {
  name: 'revitalisation',
  resolvers: revitalisationResolvers,
  nodeFetchers: { RevitalisationCase: getCase },
  loaders: createRevitalisationLoaders,
};
