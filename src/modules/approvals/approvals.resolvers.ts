import type { RequestContext } from '../../shared/context';
import { readContext } from '../../shared/context';
import { runMutation } from '../../shared/mutation';
import { fromGlobalId, requireGlobalId, toGlobalId } from '../../shared/ids';
import * as service from './approvals.service';
import type { ApprovalChain, ApprovalDecision, ApprovalStepView } from './approvals.types';
import type { Resolvers } from '../../generated/resolvers';

export const approvalsResolvers: Resolvers = {
  Query: {
    approvalChain: (_: unknown, args, ctx: RequestContext) => {
      const svc = readContext(ctx);
      const id = fromGlobalId('ApprovalChain', args.id);
      return id === null ? null : service.getChain(svc, id);
    },
    approvalsAwaitingMe: (_: unknown, args, ctx: RequestContext) =>
      service.chainsAwaitingMe(readContext(ctx), args),
  },
  Mutation: {
    approvalDecide: (_: unknown, args, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) =>
          service.decide(svc, {
            ...args.input,
            chainId: requireGlobalId('ApprovalChain', args.input.chainId, ['input', 'chainId']),
            documentIds: args.input.documentIds?.map((d, i) => requireGlobalId('Document', d, ['input', 'documentIds', String(i)])),
          }),
        (chain) => ({ chain }),
      ),
  },
  ApprovalChain: {
    id: (c: ApprovalChain) => toGlobalId('ApprovalChain', c.id),
    subjectId: (c: ApprovalChain) => (c.subjectId === null ? null : toGlobalId(c.subjectType, c.subjectId)),
    summary: (c: ApprovalChain) => JSON.stringify(c.summary),
    region: (c: ApprovalChain, _: unknown, ctx: RequestContext) => ctx.loaders.region.load(c.regionCode),
    requestedBy: (c: ApprovalChain, _: unknown, ctx: RequestContext) => ctx.loaders.user.load(c.requestedBy),
    steps: async (c: ApprovalChain, _: unknown, ctx: RequestContext) => {
      const [steps, decisions] = await Promise.all([ctx.loaders.approvalSteps.load(c.id), ctx.loaders.approvalDecisions.load(c.id)]);
      return steps.map((s) => ({ ...s, decisionRow: service.stepStatus(s, decisions) }));
    },
    nextStep: async (c: ApprovalChain, _: unknown, ctx: RequestContext) => {
      if (c.status !== 'PENDING') return null;
      const [steps, decisions] = await Promise.all([ctx.loaders.approvalSteps.load(c.id), ctx.loaders.approvalDecisions.load(c.id)]);
      const next = steps.find((s) => !service.stepStatus(s, decisions));
      return next ? { ...next, decisionRow: null } : null;
    },
  },
  ApprovalStep: {
    region: (s: ApprovalStepView, _: unknown, ctx: RequestContext) => ctx.loaders.region.load(s.regionCode),
    decision: (s: ApprovalStepView) => s.decisionRow,
  },
  ApprovalDecision: {
    actor: (d: ApprovalDecision, _: unknown, ctx: RequestContext) => ctx.loaders.user.load(d.actorUserId),
    documentIds: (d: ApprovalDecision) => d.documentIds.map((id) => toGlobalId('Document', id)),
  },
};
