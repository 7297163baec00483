import type { ModuleEntry } from '../../shared/module';
import { documentsResolvers } from './documents.resolvers';
import { getDocument } from './documents.service';
import { createDocumentsLoaders } from './documents.loaders';

/** The documents module's entry: what the server assembles (docs/architecture.md). */
export const documentsModule: ModuleEntry = {
  name: 'documents',
  resolvers: documentsResolvers,
  nodeFetchers: { Document: getDocument },
  loaders: createDocumentsLoaders,
};
