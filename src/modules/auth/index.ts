import type { ModuleEntry } from '../../shared/module';
import { authResolvers } from './auth.resolvers';
import { createAuthLoaders } from './auth.loaders';

/** The auth module's entry: what the server assembles (docs/architecture.md). */
export const authModule: ModuleEntry = {
  name: 'auth',
  resolvers: authResolvers,
  loaders: createAuthLoaders,
};
