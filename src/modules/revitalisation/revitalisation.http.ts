import type express from 'express';
import type { Db } from '../../db/connection';
import type { Clock } from '../../shared/clock';
import { authenticate } from '../auth/auth.service';
import { isRegionCode } from '../regions/regions.codes';
import { overviewSheets, toXlsx } from './revitalisation.export';

const error = (res: express.Response, status: number, code: string, message: string) =>
  res.status(status).json({ errors: [{ message, extensions: { code } }] });

/** GET /exports/revitalisation/:regionCode/overview.xlsx — the planner's overview workbook, scoped like the API. */
export function revitalisationOverviewDownload(db: Db, clock: Clock): express.RequestHandler {
  return async (req, res) => {
    try {
      const actor = await authenticate(db, req.get('authorization'));
      if (!actor) return error(res, 401, 'UNAUTHENTICATED', 'Authentication required: send "Authorization: Bearer <token>" (需要登录)');
      const code = String(req.params.regionCode);
      const sheets = isRegionCode(code) ? await overviewSheets({ db, clock, actor }, code) : null;
      if (!sheets) return error(res, 404, 'NOT_FOUND', 'No such region in your scope');
      res.set({
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': `attachment; filename="revitalisation-${code}.xlsx"`,
        'Cache-Control': 'private, no-store',
      });
      return res.end(await toXlsx(sheets));
    } catch {
      return error(res, 500, 'INTERNAL_SERVER_ERROR', 'Unexpected error');
    }
  };
}
