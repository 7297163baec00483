import type { ModuleEntry } from '../../shared/module';
import { journalResolvers } from './journal.resolvers';
import { getAccount, getEntry } from './journal.service';
import { createJournalModuleLoaders } from './journal.loaders';

/** The journal module's entry: what the server assembles (docs/architecture.md). */
export const journalModule: ModuleEntry = {
  name: 'journal',
  resolvers: journalResolvers,
  nodeFetchers: { JournalEntry: getEntry, Account: getAccount },
  loaders: createJournalModuleLoaders,
};
