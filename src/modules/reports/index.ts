import type { ModuleEntry } from '../../shared/module';
import { reportsResolvers } from './reports.resolvers';
import { createReportsLoaders } from './reports.loaders';

/** The reports module's entry (issue 14): roll-ups, the register as of a date, audit findings, book value. */
export const reportsModule: ModuleEntry = {
  name: 'reports',
  resolvers: reportsResolvers,
  loaders: createReportsLoaders,
};
