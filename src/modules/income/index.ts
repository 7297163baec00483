import type { ModuleEntry } from '../../shared/module';
import './income.reconcile'; // registers income's reconciliation with verify
import { incomeResolvers } from './income.resolvers';
import { getIncome } from './income.service';
import { createIncomeModuleLoaders } from './income.loaders';

/** The income module's entry: what the server assembles (docs/architecture.md). */
export const incomeModule: ModuleEntry = {
  name: 'income',
  resolvers: incomeResolvers,
  nodeFetchers: { IncomeRecord: getIncome },
  loaders: createIncomeModuleLoaders,
};
