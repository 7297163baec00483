import type { Knex } from 'knex';
import type { Executor } from '../../db/connection';
import type { FundingLine, FundSource, Project } from './projects.types';

const toProject = (r: any): Project => ({
  id: r.id,
  name: r.name,
  year: r.year,
  implementingUnit: r.implementing_unit,
  regionCode: r.region_code,
  countyCode: r.county_code,
  totalFen: r.total_fen,
  createdAt: r.created_at,
});

export { toProject };

export async function findById(db: Executor, id: number): Promise<Project | undefined> {
  const r = await db('projects').where({ id }).first();
  return r && toProject(r);
}

export async function findByIds(db: Executor, ids: readonly number[]): Promise<Project[]> {
  return (await db('projects').whereIn('id', ids as number[])).map(toProject);
}

export async function insert(db: Executor, p: Omit<Project, 'id'>, lines: FundingLine[]): Promise<number> {
  const [r] = await db('projects')
    .insert({
      name: p.name,
      year: p.year,
      implementing_unit: p.implementingUnit,
      region_code: p.regionCode,
      county_code: p.countyCode,
      total_fen: p.totalFen,
      created_at: p.createdAt,
    })
    .returning('id');
  await db('project_funding_lines').insert(
    lines.map((l) => ({ project_id: r.id, source: l.source, level: l.level, amount_fen: l.amountFen })),
  );
  return r.id;
}

export async function fundingLines(db: Executor, projectIds: readonly number[]) {
  const rows = await db('project_funding_lines').whereIn('project_id', projectIds as number[]).orderBy('id');
  return rows.map((r: any) => ({
    projectId: r.project_id as number,
    source: r.source as FundSource,
    level: r.level,
    amountFen: r.amount_fen as number,
  }));
}

export interface ProjectFilter {
  regionPrefix: string;
  year?: number | null;
  fundSource?: FundSource | null;
  text?: string | null;
}

export function listQuery(db: Executor, f: ProjectFilter): Knex.QueryBuilder {
  const q = db('projects').where('region_code', 'like', `${f.regionPrefix}%`);
  if (f.year) q.where('year', f.year);
  if (f.fundSource) {
    q.whereExists(
      db('project_funding_lines').whereRaw('project_funding_lines.project_id = projects.id').where('source', f.fundSource),
    );
  }
  if (f.text) q.whereRaw('lower(name) like ?', [`%${f.text.toLowerCase().replace(/[%_\\]/g, '')}%`]);
  return q;
}

/** A county's projects of a name and year: a register sheet names its project rather than giving an id. */
export async function findByNameYear(db: Executor, countyCode: string, name: string, year: number): Promise<Project[]> {
  return (await db('projects').where({ county_code: countyCode, name, year }).orderBy('id')).map(toProject);
}
