import { Readable } from 'node:stream';
import type { RequestContext } from '../../shared/context';
import { requireActor } from '../../shared/context';
import { importRegister, ImportResult } from './registerio.import';
import type { ImportSource } from './registerio.read';
import { errorReportBuffer } from './registerio.report';
import type { Resolvers } from '../../generated/resolvers';
import type { ErrorCode } from '../../shared/errors';

interface UploadedFile {
  name: string;
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** An upload as a re-openable source; its bytes are read only once the size has been checked. */
function uploadSource(file: UploadedFile): ImportSource {
  let bytes: Buffer | null = null;
  return {
    name: file.name || 'upload',
    size: file.size,
    open: () =>
      Readable.from(
        (async function* () {
          bytes ??= Buffer.from(await file.arrayBuffer());
          yield bytes;
        })(),
      ),
  };
}

const MAX_ROW_ERRORS = 1000;

async function shape(result: ImportResult, source: ImportSource) {
  const report = result.errors.length && result.kind ? (await errorReportBuffer(source, result)).toString('base64') : null;
  return {
    ...result,
    errorCount: result.errors.length,
    // Row codes come from DomainErrors (typed ErrorCode) and the cell readers' codes, which the schema's
    // registerio ErrorCode extension lists; the union is asserted here at the API edge.
    rowErrors: result.errors.slice(0, MAX_ROW_ERRORS).map((e) => ({ ...e, code: e.code as ErrorCode })),
    errorReport: report,
  };
}

export const registerioResolvers: Resolvers = {
  Mutation: {
    registerImport: async (_: unknown, args, ctx: RequestContext) => {
      const actor = requireActor(ctx);
      const source = uploadSource(args.input.file);
      const result = await importRegister({ db: ctx.db, clock: ctx.clock, actor }, source, {
        dryRun: !!args.input.dryRun,
        regionCode: args.input.regionCode ?? undefined,
        maxBytes: ctx.config.uploadMaxBytes,
      });
      return { result: await shape(result, source), errors: [] };
    },
  },
};
