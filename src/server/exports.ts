import type express from 'express';
import type { Db } from '../db/connection';
import type { Clock } from '../shared/clock';
import { authenticate } from '../modules/auth/auth.service';
import { exportSheets, toCsv, toXlsx } from '../modules/distribution/distribution.export';
import { fromGlobalId } from '../shared/ids';

/**
 * GET /exports/distribution-plans/:planId/(recipients|audit).(csv|xlsx) with the bearer token:
 * downloads for the finance office, scoped like every read.
 */
export function exportRoutes(app: express.Express, db: Db, clock: Clock): void {
  app.get('/exports/distribution-plans/:planId/:file', async (req, res, next) => {
    try {
      const actor = await authenticate(db, req.get('authorization'));
      if (!actor) return void res.status(401).json({ error: 'UNAUTHENTICATED' });
      const m = /^(recipients|audit)\.(csv|xlsx)$/.exec(req.params.file);
      const planId = fromGlobalId('DistributionPlan', req.params.planId) ?? (/^\d+$/.test(req.params.planId) ? Number(req.params.planId) : null);
      if (!m || planId === null) return void res.status(404).json({ error: 'NOT_FOUND' });
      const sheets = await exportSheets({ db, clock, actor }, planId, m[1] as 'recipients' | 'audit');
      if (!sheets) return void res.status(404).json({ error: 'NOT_FOUND' });
      const name = `plan-${planId}-${m[1]}.${m[2]}`;
      res.setHeader('content-disposition', `attachment; filename="${name}"`);
      if (m[2] === 'csv') {
        res.type('text/csv; charset=utf-8').send(toCsv(sheets));
      } else {
        res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await toXlsx(sheets));
      }
    } catch (err) {
      next(err);
    }
  });
}
