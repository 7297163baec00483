import type { RequestContext } from '../../shared/context';
import { readContext } from '../../shared/context';
import { runMutation } from '../../shared/mutation';
import { fromGlobalId, toGlobalId } from '../../shared/ids';
import * as service from './projects.service';
import type { Project } from './projects.types';
import { referenced } from '../../shared/loaderUtils';
import type { Resolvers } from '../../generated/resolvers';

/** GraphQL funding line input (amount in fen after the Money scalar) → service shape. */
export const toFundingLines = (lines: { source: string; level?: string | null; amount: number }[] | undefined) =>
  lines?.map((l) => ({ source: l.source, level: l.level, amountFen: l.amount }));

export const projectsResolvers: Resolvers = {
  Query: {
    project: (_: unknown, args: { id: string }, ctx: RequestContext) => {
      const id = fromGlobalId('Project', args.id);
      return id === null ? null : service.getProject(readContext(ctx), id);
    },
    projects: (_: unknown, args, ctx: RequestContext) =>
      service.listProjects(readContext(ctx), args.filter ?? {}, args),
  },
  Mutation: {
    projectCreate: (_: unknown, args, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) => service.createProject(svc, { ...args.input, fundingLines: toFundingLines(args.input.fundingLines) }),
        (project) => ({ project }),
      ),
  },
  Project: {
    id: (p: Project) => toGlobalId('Project', p.id),
    region: (p: Project, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.region.load(p.regionCode)),
    total: (p: Project) => p.totalFen,
    fundingLines: (p: Project, _: unknown, ctx: RequestContext) => ctx.loaders.projectFundingLines.load(p.id),
  },
  FundingLine: {
    amount: (l: { amountFen: number }) => l.amountFen,
  },
};
