import type express from 'express';
import type { Db } from '../../db/connection';
import type { Clock } from '../../shared/clock';
import { authenticate } from '../auth/auth.service';
import { DocumentIntegrityError, readDocumentContent } from './documents.service';

const error = (res: express.Response, status: number, code: string, message: string) =>
  res.status(status).json({ errors: [{ message, extensions: { code } }] });

/**
 * GET /documents/:id — the stored file, with the same bearer token and scope as the API. The content is
 * re-hashed on the way out; served as an attachment so a browser never renders it in the API's origin.
 */
export function documentDownload(db: Db, clock: Clock): express.RequestHandler {
  return async (req, res) => {
    try {
      const actor = await authenticate(db, req.get('authorization'));
      if (!actor) return error(res, 401, 'UNAUTHENTICATED', 'Authentication required: send "Authorization: Bearer <token>" (需要登录)');
      const m = /^([1-9]\d{0,15})$/.exec(String(req.params.id));
      const found = m ? await readDocumentContent({ db, clock, actor }, Number(m[1])) : null;
      if (!found) return error(res, 404, 'NOT_FOUND', 'No such stored document in your scope');
      const { meta, content } = found;
      res.set({
        'Content-Type': meta.contentType,
        'Content-Length': String(content.length),
        'Content-Disposition': `attachment; filename="document-${meta.id}"; filename*=UTF-8''${encodeURIComponent(meta.fileName)}`,
        'X-Content-Type-Options': 'nosniff',
        'X-Content-SHA256': meta.sha256,
        'Cache-Control': 'private, no-store',
      });
      return res.end(content);
    } catch (err) {
      if (err instanceof DocumentIntegrityError) return error(res, 500, 'INTEGRITY_FAILURE', err.message);
      return error(res, 500, 'INTERNAL_SERVER_ERROR', 'Unexpected error');
    }
  };
}
