/**
 * Ad-hoc: CPU per G2-like page of SQL (the page, its count, villages, projects, funding lines) through knex on
 * better-sqlite3, with knex's own client (prepares every statement) and with CachingSqliteClient (reuses
 * them), alternated in rounds. Process CPU time, so a loaded machine changes the figures little.
 *   npx tsx scripts/perf-statements.ts /tmp/perf.sqlite [rounds] [pages]
 */
import knex, { Knex } from 'knex';
import { CachingSqliteClient } from '../src/db/sqliteClient';

const [file = '/tmp/perf-http.sqlite', roundsArg = '5', pagesArg = '300'] = process.argv.slice(2);

async function page(db: Knex, after: number) {
  const rows: any[] = await db('assets').where('village_code', 'like', '511922%').where('id', '>', after).orderBy('id').limit(51);
  await db('assets').where('village_code', 'like', '511922105%').count({ n: '*' });
  const ids = rows.map((r) => r.id);
  await db('regions').whereIn('code', [...new Set(rows.map((r) => r.village_code))]);
  await db('projects').whereIn('id', [...new Set(rows.map((r) => r.project_id))]);
  await db('asset_funding_lines').whereIn('asset_id', ids).orderBy('id');
  await db('users').join('api_tokens', 'api_tokens.user_id', 'users.id').where('api_tokens.token_hash', 'x').whereNull('api_tokens.revoked_at').first('users.id');
}

async function cpuPerPage(db: Knex, pages: number): Promise<number> {
  const t = process.cpuUsage();
  for (let i = 0; i < pages; i++) await page(db, (i * 50) % 19000);
  const u = process.cpuUsage(t);
  return (u.user + u.system) / pages;
}

async function main() {
  const conn = { filename: file };
  const plain = knex({ client: 'better-sqlite3', connection: conn, useNullAsDefault: true, pool: { min: 1, max: 1 } });
  const cached = knex({ client: CachingSqliteClient as unknown as string, connection: conn, useNullAsDefault: true, pool: { min: 1, max: 1 } });
  await cpuPerPage(plain, 50);
  await cpuPerPage(cached, 50);
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < Number(roundsArg); r++) {
    a.push(await cpuPerPage(plain, Number(pagesArg)));
    b.push(await cpuPerPage(cached, Number(pagesArg)));
  }
  const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  console.log(`CPU µs per page: knex ${med(a).toFixed(0)} (${a.map((x) => x.toFixed(0)).join(', ')}), cached statements ${med(b).toFixed(0)} (${b.map((x) => x.toFixed(0)).join(', ')})`);
  await plain.destroy();
  await cached.destroy();
}
main();
