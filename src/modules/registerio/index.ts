import type { ModuleEntry } from '../../shared/module';
import { registerioResolvers } from './registerio.resolvers';

/** The register import/export module's entry: what the server assembles (docs/architecture.md). */
export const registerioModule: ModuleEntry = {
  name: 'registerio',
  resolvers: registerioResolvers,
};
