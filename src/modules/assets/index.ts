import type { ModuleEntry } from '../../shared/module';
import { assetsResolvers } from './assets.resolvers';
import { getAsset } from './assets.service';
import { createAssetsLoaders } from './assets.loaders';

/** The assets module's entry: what the server assembles (docs/architecture.md). */
export const assetsModule: ModuleEntry = {
  name: 'assets',
  resolvers: assetsResolvers,
  nodeFetchers: { Asset: getAsset },
  loaders: createAssetsLoaders,
};
