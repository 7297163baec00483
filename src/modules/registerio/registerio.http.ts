import type express from 'express';
import type { Db } from '../../db/connection';
import type { Clock } from '../../shared/clock';
import { authenticate } from '../auth/auth.service';
import { isRegionCode } from '../regions/regions.codes';
import { writeDetailCsv, writeMasterCsv, writeRegisterXlsx } from './registerio.export';
import { registerTemplate } from './registerio.template';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * GET /exports/templates/register.xlsx — the empty template (no data in it: no token needed).
 * GET /exports/register/:regionCode/register.xlsx — detail and master ledgers of the region, one workbook;
 * GET /exports/register/:regionCode/(detail|master).csv — each ledger as CSV. With the bearer token, scoped
 * like every read: a region outside the user's scope exports an empty ledger, never an error that confirms it.
 */
export function registerioRoutes(app: express.Express, db: Db, clock: Clock): void {
  app.get('/exports/templates/register.xlsx', async (_req, res, next) => {
    try {
      res.setHeader('content-disposition', `attachment; filename="register-template.xlsx"; filename*=UTF-8''${encodeURIComponent('帮扶资产台账导入模板.xlsx')}`);
      res.type(XLSX).send(await registerTemplate());
    } catch (err) {
      next(err);
    }
  });
  app.get('/exports/register/:regionCode/:file', async (req, res, next) => {
    try {
      const actor = await authenticate(db, req.get('authorization'));
      if (!actor) return void res.status(401).json({ error: 'UNAUTHENTICATED' });
      const { regionCode, file } = req.params;
      const m = /^(?:(register)\.xlsx|(detail|master)\.csv)$/.exec(file);
      if (!isRegionCode(regionCode) || !m) return void res.status(404).json({ error: 'NOT_FOUND' });
      const svc = { db, clock, actor };
      res.setHeader('content-disposition', `attachment; filename="register-${regionCode}-${file}"`);
      if (m[1]) {
        res.type(XLSX);
        await writeRegisterXlsx(svc, regionCode, res);
      } else {
        res.type('text/csv; charset=utf-8');
        await (m[2] === 'detail' ? writeDetailCsv : writeMasterCsv)(svc, regionCode, res);
      }
    } catch (err) {
      next(err);
    }
  });
}
