import { GraphQLError, GraphQLScalarType } from 'graphql';
import type { RequestContext } from '../../shared/context';
import { readContext } from '../../shared/context';
import { runMutation } from '../../shared/mutation';
import { fromGlobalId, requireGlobalId, toGlobalId } from '../../shared/ids';
import type { Asset } from '../assets/assets.types';
import * as service from './documents.service';
import type { DocumentMeta } from './documents.types';
import { referenced } from '../../shared/loaderUtils';
import type { Resolvers } from '../../generated/resolvers';

const badFile = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/** The multipart upload: graphql-yoga puts a web File in the variables; anything else is refused. */
export const FileScalar = new GraphQLScalarType({
  name: 'File',
  description: '文件 File: an upload sent as a GraphQL multipart request.',
  parseValue(value) {
    const f = value as service.UploadedFile | null;
    if (!f || typeof f !== 'object' || typeof f.arrayBuffer !== 'function' || typeof f.size !== 'number') {
      throw badFile('File must be sent as a multipart upload (see the GraphQL multipart request spec)');
    }
    return f;
  },
  parseLiteral() {
    throw badFile('File cannot be written inline; send it as a multipart upload');
  },
  serialize() {
    throw new GraphQLError('File is an input-only scalar');
  },
});

const optionalId = (type: string, id: string | null | undefined, field: string[]) =>
  id === null || id === undefined ? null : requireGlobalId(type, id, field);

export const documentsResolvers: Resolvers = {
  File: FileScalar,
  Query: {
    document: (_: unknown, args: { id: string }, ctx: RequestContext) => {
      const id = fromGlobalId('Document', args.id);
      return id === null ? null : service.getDocument(readContext(ctx), id);
    },
  },
  Mutation: {
    documentAttach: (_: unknown, args, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) =>
          service.attachDocument(
            svc,
            {
              ...args.input,
              file: undefined,
              assetId: requireGlobalId('Asset', args.input.assetId, ['input', 'assetId']),
              eventId: optionalId('AssetEvent', args.input.eventId, ['input', 'eventId']),
              contractId: optionalId('Contract', args.input.contractId, ['input', 'contractId']),
            },
            args.input.file ?? null,
            { uploadMaxBytes: ctx.config.uploadMaxBytes },
          ),
        (document) => ({ document }),
      ),
  },
  Asset: {
    documents: (a: Asset, _: unknown, ctx: RequestContext) => ctx.loaders.assetDocuments.load(a.id),
  },
  Document: {
    id: (d: DocumentMeta) => toGlobalId('Document', d.id),
    asset: (d: DocumentMeta, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.asset.load(d.assetId)),
    downloadUrl: (d: DocumentMeta) => (d.stored ? `/documents/${d.id}` : null),
    event: (d: DocumentMeta, _: unknown, ctx: RequestContext) => (d.eventId ? ctx.loaders.assetEvent.load(d.eventId) : null),
    contract: (d: DocumentMeta, _: unknown, ctx: RequestContext) => (d.contractId ? ctx.loaders.contract.load(d.contractId) : null),
    actor: (d: DocumentMeta, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.user.load(d.actorUserId)),
  },
};
