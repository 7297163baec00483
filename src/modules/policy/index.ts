import type { ModuleEntry } from '../../shared/module';
import { policyResolvers } from './policy.resolvers';

/** The policy module's entry: what the server assembles (docs/architecture.md). */
export const policyModule: ModuleEntry = {
  name: 'policy',
  resolvers: policyResolvers,
};
