import { Readable } from 'node:stream';
import type { RequestContext } from '../../server/context';
import { requireActor } from '../../server/context';
import { importRegister, ImportResult } from './registerio.import';
import type { ImportSource } from './registerio.read';
import { errorReportBuffer } from './registerio.report';

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
    rowErrors: result.errors.slice(0, MAX_ROW_ERRORS),
    errorReport: report,
  };
}

export const registerioResolvers = {
  Mutation: {
    registerImport: async (_: unknown, args: { input: { file: UploadedFile; dryRun?: boolean; regionCode?: string } }, ctx: RequestContext) => {
      const actor = requireActor(ctx);
      const source = uploadSource(args.input.file);
      const result = await importRegister({ db: ctx.db, clock: ctx.clock, actor }, source, {
        dryRun: !!args.input.dryRun,
        regionCode: args.input.regionCode,
        maxBytes: ctx.config.uploadMaxBytes,
      });
      return { result: await shape(result, source), errors: [] };
    },
  },
};
