import type { ModuleEntry } from '../../shared/module';
import { officialsResolvers } from './officials.resolvers';
import { getOfficial } from './officials.service';
import { createOfficialsLoaders } from './officials.loaders';

/** The officials module's entry (村干部/村务人员名册): what the server assembles (docs/architecture.md). */
export const officialsModule: ModuleEntry = {
  name: 'officials',
  resolvers: officialsResolvers,
  nodeFetchers: { VillageOfficial: getOfficial },
  loaders: createOfficialsLoaders,
};
