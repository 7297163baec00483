/**
 * The baseline servers of `npm run bench` (G1, G2): what the same answers cost without the application.
 * Run as its own process, like the app, on the same database (SQLITE_FILE or DATABASE_URL), on PORT.
 *
 *  - POST /me: bare express (JSON body parsed), answering the JSON the app answers to `{ me { name } }`
 *    (BENCH_ME_NAME), with no authentication and no database.
 *  - GET /assets?first=50&after=ID: express + knex REST, the same 50 assets of the county with their
 *    village, project and funding lines (project's and asset's), as the same JSON the app answers to
 *    bench.ts's ASSET_PAGE query: five plain queries (assets, regions, projects, two funding-line tables),
 *    no authentication, scoped to the county by the same prefix the app uses.
 */
import express from 'express';
import { createDb } from '../src/db/connection';
import { formatFen } from '../src/shared/money';
import { toGlobalId } from '../src/shared/ids';

const port = Number(process.env.PORT ?? 4100);
const countyPrefix = process.env.BENCH_PREFIX ?? '511922';
const meName = process.env.BENCH_ME_NAME ?? '';
const db = createDb();
const app = express();
app.use(express.json());

app.post('/me', (_req, res) => {
  res.json({ data: { me: { name: meName } } });
});

const line = (r: any) => ({ source: r.source, level: r.level, amount: formatFen(Number(r.amount_fen)) });

app.get('/assets', async (req, res, next) => {
  try {
    const first = Math.min(100, Number(req.query.first ?? 50));
    const q = db('assets')
      .select('id', 'code', 'name', 'class', 'sub_type', 'status', 'original_value_fen', 'village_code', 'project_id')
      .where('village_code', 'like', `${countyPrefix}%`)
      .orderBy('id')
      .limit(first);
    if (req.query.after) q.where('id', '>', Number(req.query.after));
    const assets = await q;
    const ids = assets.map((a: any) => a.id);
    const projectIds = [...new Set(assets.map((a: any) => a.project_id))];
    const [regions, projects, projectLines, assetLines] = await Promise.all([
      db('regions').select('code', 'name').whereIn('code', [...new Set(assets.map((a: any) => a.village_code))]),
      db('projects').select('id', 'name').whereIn('id', projectIds),
      db('project_funding_lines').select('project_id', 'source', 'level', 'amount_fen').whereIn('project_id', projectIds).orderBy('id'),
      db('asset_funding_lines').select('asset_id', 'source', 'level', 'amount_fen').whereIn('asset_id', ids).orderBy('id'),
    ]);
    const region = new Map(regions.map((r: any) => [r.code, r]));
    const project = new Map(projects.map((p: any) => [p.id, p]));
    const group = (rows: any[], key: string) => {
      const m = new Map<number, any[]>();
      for (const r of rows) (m.get(r[key]) ?? m.set(r[key], []).get(r[key])!).push(line(r));
      return m;
    };
    const pl = group(projectLines, 'project_id');
    const al = group(assetLines, 'asset_id');
    res.json({
      data: {
        assets: {
          edges: assets.map((a: any) => ({
            node: {
              id: toGlobalId('Asset', a.id),
              code: a.code,
              name: a.name,
              class: a.class,
              subType: a.sub_type,
              status: a.status,
              originalValue: formatFen(Number(a.original_value_fen)),
              village: { code: a.village_code, name: (region.get(a.village_code) as any)?.name },
              project: { id: toGlobalId('Project', a.project_id), name: (project.get(a.project_id) as any)?.name, fundingLines: pl.get(a.project_id) ?? [] },
              fundingLines: al.get(a.id) ?? [],
            },
          })),
        },
      },
    });
  } catch (err) {
    next(err);
  }
});

app.listen(port, () => console.log(`baseline on http://localhost:${port}`));
