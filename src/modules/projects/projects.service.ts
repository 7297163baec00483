import { z } from 'zod';
import type { ServiceContext } from '../../shared/context';
import { DomainError } from '../../shared/errors';
import { MAX_FEN, sumFen } from '../../shared/money';
import { keysetPage, PageArgs } from '../../shared/pagination';
import { parseInput, text } from '../../shared/validation';
import { appendAudit } from '../audit/audit.repository';
import { authorize } from '../auth/auth.service';
import { countyCodeOf } from '../regions/regions.codes';
import { isVisible, requireRegion, scopedPrefix } from '../regions/regions.service';
import * as repo from './projects.repository';
import { FUND_LEVELS, FUND_SOURCES, FundingLine, FundSource, IMPLIED_LEVEL, Project } from './projects.types';

/** The earliest year any county counts as the start of poverty-alleviation assets (宁城: 2012, brief §1). */
export const EARLIEST_PROJECT_YEAR = 2012;

export const fundingLineSchema = z.object({
  source: z.enum(FUND_SOURCES),
  level: z.enum(FUND_LEVELS).nullish(),
  amountFen: z
    .number()
    .int()
    .refine((v) => v > 0 && v <= MAX_FEN, { message: 'amount must be positive', params: { code: 'INVALID_AMOUNT' } }),
});

/** Applies the implied level and rejects a level that contradicts its source. */
export function normaliseFundingLines(lines: z.infer<typeof fundingLineSchema>[], field: string[]): FundingLine[] {
  return lines.map((l, i) => {
    const implied = IMPLIED_LEVEL[l.source];
    if (implied && l.level && l.level !== implied) {
      throw new DomainError('INVALID_INPUT', `Source ${l.source} is ${implied}-level funding, not ${l.level}`, [
        ...field,
        String(i),
        'level',
      ]);
    }
    return { source: l.source, level: l.level ?? implied ?? null, amountFen: l.amountFen };
  });
}

const createSchema = z.object({
  name: text(200),
  year: z.number().int(),
  implementingUnit: text(200),
  regionCode: z.string(),
  fundingLines: z.array(fundingLineSchema).min(1, 'at least one funding line').max(50),
});

export async function createProject(svc: ServiceContext, raw: unknown): Promise<Project> {
  const input = parseInput(createSchema, raw);
  await requireRegion(svc.db, input.regionCode, ['input', 'regionCode'], ['COUNTY', 'TOWNSHIP', 'VILLAGE']);
  authorize(svc.actor, 'project.write', input.regionCode);
  const thisYear = Number(svc.clock.today().slice(0, 4));
  if (input.year < EARLIEST_PROJECT_YEAR || input.year > thisYear) {
    throw new DomainError('OUT_OF_RANGE', `Project year must be between ${EARLIEST_PROJECT_YEAR} and ${thisYear}`, ['input', 'year']);
  }
  const lines = normaliseFundingLines(input.fundingLines, ['input', 'fundingLines']);
  let totalFen: number;
  try {
    totalFen = sumFen(lines.map((l) => l.amountFen));
  } catch {
    throw new DomainError('INVALID_AMOUNT', 'Funding lines add up beyond the largest amount', ['input', 'fundingLines']);
  }
  const now = svc.clock.now();
  const project = {
    name: input.name,
    year: input.year,
    implementingUnit: input.implementingUnit,
    regionCode: input.regionCode,
    countyCode: countyCodeOf(input.regionCode),
    totalFen,
    createdAt: now,
  };
  const id = await repo.insert(svc.db, project, lines);
  await appendAudit(svc.db, {
    entityType: 'Project',
    entityId: id,
    action: 'CREATE',
    actorUserId: svc.actor.userId,
    recordedAt: now,
    payload: { ...project, fundingLines: lines },
  });
  return { id, ...project };
}

export async function getProject(svc: ServiceContext, id: number): Promise<Project | null> {
  const p = await repo.findById(svc.db, id);
  // A county or township project is visible to the villages inside it: it forms their assets too.
  return p && isVisible(svc.actor, p.regionCode) ? p : null;
}

/** A project an asset may be registered under: visible to the actor. */
export async function requireProject(svc: ServiceContext, id: number, field: string[]): Promise<Project> {
  const p = await getProject(svc, id);
  if (!p) throw new DomainError('NOT_FOUND', 'No such project in your scope', field);
  return p;
}

export async function listProjects(
  svc: ServiceContext,
  filter: { regionCode?: string | null; year?: number | null; fundSource?: FundSource | null; text?: string | null },
  page: PageArgs,
) {
  const regionPrefix = scopedPrefix(svc.actor, filter.regionCode);
  return keysetPage(repo.listQuery(svc.db, { ...filter, regionPrefix }), page, repo.toProject);
}

export async function projectFundingLines(svc: ServiceContext, projectId: number) {
  return repo.fundingLines(svc.db, [projectId]);
}
