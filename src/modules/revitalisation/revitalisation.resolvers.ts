import type { RequestContext } from '../../shared/context';
import { readContext } from '../../shared/context';
import { runMutation } from '../../shared/mutation';
import { fromGlobalId, requireGlobalId, toGlobalId } from '../../shared/ids';
import type { Asset } from '../assets/assets.types';
import * as service from './revitalisation.service';
import type { OverviewRow } from './revitalisation.service';
import type { Resolvers } from '../../generated/resolvers';
import { referenced } from '../../shared/loaderUtils';
import type {
  BenefitLinkage,
  CaseStatus,
  ClosingKind,
  IdleFinding,
  LowEfficiencyFinding,
  RevitalisationCase,
  RevitalisationCaseUpdate,
  RevitalisationFlag,
  RevitalisationPath,
  RevitalisationRate,
} from './revitalisation.types';

interface PageArgsIn {
  first?: number | null;
  after?: string | null;
}
interface CaseFilterIn {
  regionCode?: string | null;
  status?: CaseStatus | null;
  path?: RevitalisationPath | null;
  assetId?: string | null;
  overdue?: boolean | null;
}
interface FlagRaiseIn {
  assetId?: string | null;
  regionCode?: string | null;
  flaggedOn: string;
  reason?: string | null;
  year?: number;
}
interface CaseOpenIn {
  assetId: string;
  path: RevitalisationPath;
  measures: string;
  responsibleUnit: string;
  responsiblePerson: string;
  openedOn: string;
  deadlineOn: string;
  target: string;
  targetIncome?: number | null;
}
interface CaseUpdateIn {
  caseId: string;
  updatedOn: string;
  note: string;
  path?: RevitalisationPath | null;
  measures?: string | null;
  responsibleUnit?: string | null;
  responsiblePerson?: string | null;
  deadlineOn?: string | null;
  target?: string | null;
  targetIncome?: number | null;
}
interface CaseCloseIn {
  caseId: string;
  closedOn: string;
  kind: ClosingKind;
  contractId?: string | null;
  documentId?: string | null;
  note?: string | null;
}
interface CaseAbandonIn {
  caseId: string;
  abandonedOn: string;
  reason: string;
}
interface BenefitIn {
  assetId: string;
  year: number;
  outputValue: number;
  wages: number;
  poorWorkers: number;
  poorWorkerEarnings: number;
  source?: string | null;
}

const undefIfNull = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);
const caseId = (gid: string) => requireGlobalId('RevitalisationCase', gid, ['input', 'caseId']);
const RATE_ROUNDING = 'half up to a whole basis point (四舍五入到万分位)';

const flagInput = (i: FlagRaiseIn) => ({
  ...i,
  assetId: i.assetId != null ? requireGlobalId('Asset', i.assetId, ['input', 'assetId']) : null,
});

export const revitalisationResolvers: Resolvers = {
  Query: {
    idleAssets: (_: unknown, args: { regionCode?: string | null; asOf?: string | null }, ctx: RequestContext) =>
      service.idleAssets(readContext(ctx), args.regionCode, args.asOf),
    lowEfficiencyAssets: (_: unknown, args: { regionCode?: string | null; year: number }, ctx: RequestContext) =>
      service.lowEfficiencyAssets(readContext(ctx), args.regionCode, args.year),
    revitalisationCase: (_: unknown, args: { id: string }, ctx: RequestContext) => {
      const id = fromGlobalId('RevitalisationCase', args.id);
      return id === null ? null : service.getCase(readContext(ctx), id);
    },
    revitalisationCases: (_: unknown, args: { filter?: CaseFilterIn | null } & PageArgsIn, ctx: RequestContext) => {
      const f = args.filter ?? {};
      const assetId = f.assetId ? (fromGlobalId('Asset', f.assetId) ?? -1) : null;
      return service.listCases(readContext(ctx), { ...f, assetId }, { first: undefIfNull(args.first), after: undefIfNull(args.after) });
    },
    revitalisationRate: (_: unknown, args: { regionCode: string; fromOn?: string | null; toOn?: string | null }, ctx: RequestContext) =>
      service.revitalisationRate(readContext(ctx), args.regionCode, args.fromOn, args.toOn),
    benefitLinkages: (_: unknown, args: { regionCode?: string | null; year: number }, ctx: RequestContext) =>
      service.benefitLinkages(readContext(ctx), args.regionCode, args.year),
    revitalisationOverview: (_: unknown, args: { regionCode: string }, ctx: RequestContext) => service.overview(readContext(ctx), args.regionCode),
  },
  Mutation: {
    idleFlagRaise: (_: unknown, args: { input: FlagRaiseIn }, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.raiseIdleFlags(svc, flagInput(args.input)), (flags) => ({ flags })),
    lowEfficiencyFlagRaise: (_: unknown, args: { input: FlagRaiseIn }, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.raiseLowEfficiencyFlags(svc, flagInput(args.input)), (flags) => ({ flags })),
    revitalisationCaseOpen: (_: unknown, args: { input: CaseOpenIn }, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) =>
          service.openCase(svc, {
            ...args.input,
            assetId: requireGlobalId('Asset', args.input.assetId, ['input', 'assetId']),
            targetIncomeFen: args.input.targetIncome ?? null,
            targetIncome: undefined,
          }),
        (c) => ({ case: c }),
      ),
    revitalisationCaseUpdate: (_: unknown, args: { input: CaseUpdateIn }, ctx: RequestContext) => {
      const i = args.input;
      return runMutation(
        ctx,
        (svc) =>
          service.updateCase(svc, {
            caseId: caseId(i.caseId),
            updatedOn: i.updatedOn,
            note: i.note,
            path: undefIfNull(i.path),
            measures: undefIfNull(i.measures),
            responsibleUnit: undefIfNull(i.responsibleUnit),
            responsiblePerson: undefIfNull(i.responsiblePerson),
            deadlineOn: undefIfNull(i.deadlineOn),
            target: undefIfNull(i.target),
            targetIncomeFen: i.targetIncome,
          }),
        (c) => ({ case: c }),
      );
    },
    revitalisationCaseClose: (_: unknown, args: { input: CaseCloseIn }, ctx: RequestContext) => {
      const i = args.input;
      return runMutation(
        ctx,
        (svc) =>
          service.closeCase(svc, {
            ...i,
            caseId: caseId(i.caseId),
            contractId: i.contractId != null ? requireGlobalId('Contract', i.contractId, ['input', 'contractId']) : null,
            documentId: i.documentId != null ? requireGlobalId('Document', i.documentId, ['input', 'documentId']) : null,
          }),
        (c) => ({ case: c }),
      );
    },
    revitalisationCaseAbandon: (_: unknown, args: { input: CaseAbandonIn }, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.abandonCase(svc, { ...args.input, caseId: caseId(args.input.caseId) }), (c) => ({ case: c })),
    benefitLinkageRecord: (_: unknown, args: { input: BenefitIn }, ctx: RequestContext) => {
      const i = args.input;
      return runMutation(
        ctx,
        (svc) =>
          service.recordBenefit(svc, {
            assetId: requireGlobalId('Asset', i.assetId, ['input', 'assetId']),
            year: i.year,
            outputValueFen: i.outputValue,
            wagesFen: i.wages,
            poorWorkers: i.poorWorkers,
            poorWorkerEarningsFen: i.poorWorkerEarnings,
            source: i.source,
          }),
        (record) => ({ record }),
      );
    },
  },
  IdleAsset: {
    asset: (f: IdleFinding, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.asset.load(f.assetId)),
    openCase: (f: IdleFinding, _: unknown, ctx: RequestContext) => ctx.loaders.revitalisation.openCaseOfAsset.load(f.assetId),
  },
  LowEfficiencyAsset: {
    asset: (f: LowEfficiencyFinding, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.asset.load(f.assetId)),
    openCase: (f: LowEfficiencyFinding, _: unknown, ctx: RequestContext) => ctx.loaders.revitalisation.openCaseOfAsset.load(f.assetId),
    received: (f: LowEfficiencyFinding) => f.receivedFen,
    guaranteedReturn: (f: LowEfficiencyFinding) => f.guaranteedReturnFen,
    benchmark: (f: LowEfficiencyFinding) => f.benchmarkFen,
    shortfall: (f: LowEfficiencyFinding) => f.shortfallFen,
    poorWorkerEarnings: (f: LowEfficiencyFinding) => f.poorWorkerEarningsFen,
  },
  RevitalisationFlag: {
    asset: (f: RevitalisationFlag, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.asset.load(f.assetId)),
    idle: (f: RevitalisationFlag) => (f.kind === 'IDLE' ? (f.evidence as IdleFinding) : null),
    lowEfficiency: (f: RevitalisationFlag) => (f.kind === 'LOW_EFFICIENCY' ? (f.evidence as LowEfficiencyFinding) : null),
    event: (f: RevitalisationFlag, _: unknown, ctx: RequestContext) => ctx.loaders.assetEvent.load(f.assetEventId),
    actor: (f: RevitalisationFlag, _: unknown, ctx: RequestContext) => ctx.loaders.user.load(f.actorUserId),
  },
  RevitalisationCase: {
    id: (c: RevitalisationCase) => toGlobalId('RevitalisationCase', c.id),
    asset: (c: RevitalisationCase, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.asset.load(c.assetId)),
    flag: (c: RevitalisationCase, _: unknown, ctx: RequestContext) => ctx.loaders.revitalisation.flag.load(c.flagId),
    assetValue: (c: RevitalisationCase) => c.assetValueFen,
    targetIncome: (c: RevitalisationCase) => c.targetIncomeFen,
    overdue: (c: RevitalisationCase, _: unknown, ctx: RequestContext) => service.isOverdue(c, ctx.clock.today()),
    closingEvidence: (c: RevitalisationCase) => (c.closingEvidence ? JSON.stringify(c.closingEvidence) : null),
    updates: (c: RevitalisationCase, _: unknown, ctx: RequestContext) => ctx.loaders.revitalisation.updatesOfCase.load(c.id),
  },
  RevitalisationCaseUpdate: {
    changes: (u: RevitalisationCaseUpdate) => (u.changes ? JSON.stringify(u.changes) : null),
    actor: (u: RevitalisationCaseUpdate, _: unknown, ctx: RequestContext) => ctx.loaders.user.load(u.actorUserId),
  },
  RevitalisationRate: {
    region: (r: RevitalisationRate, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.region.load(r.regionCode)),
    toRevitaliseValue: (r: RevitalisationRate) => r.toRevitaliseValueFen,
    revitalisedValue: (r: RevitalisationRate) => r.revitalisedValueFen,
    rounding: () => RATE_ROUNDING,
    children: (r: RevitalisationRate & { children?: RevitalisationRate[] }) => (r.children ?? []).map((c) => ({ ...c, children: [] })),
  },
  BenefitLinkage: {
    id: (b: BenefitLinkage) => toGlobalId('BenefitLinkage', b.id),
    asset: (b: BenefitLinkage, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.asset.load(b.assetId)),
    outputValue: (b: BenefitLinkage) => b.outputValueFen,
    wages: (b: BenefitLinkage) => b.wagesFen,
    poorWorkerEarnings: (b: BenefitLinkage) => b.poorWorkerEarningsFen,
  },
  BenefitLinkageTotals: {
    outputValue: (b: OverviewRow['benefit']) => b.outputValueFen,
    wages: (b: OverviewRow['benefit']) => b.wagesFen,
    poorWorkerEarnings: (b: OverviewRow['benefit']) => b.poorWorkerEarningsFen,
  },
  RevitalisationOverviewRow: {
    region: (r: OverviewRow, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.region.load(r.regionCode)),
    idleValue: (r: OverviewRow) => r.idleValueFen,
    lowEfficiencyValue: (r: OverviewRow) => r.lowEfficiencyValueFen,
    toRevitaliseValue: (r: OverviewRow) => r.toRevitaliseValueFen,
  },
  Asset: {
    revitalisationCases: (a: Asset, _: unknown, ctx: RequestContext) => ctx.loaders.revitalisation.casesOfAsset.load(a.id),
    revitalisationFlags: (a: Asset, _: unknown, ctx: RequestContext) => ctx.loaders.revitalisation.flagsOfAsset.load(a.id),
    benefitLinkages: (a: Asset, _: unknown, ctx: RequestContext) => ctx.loaders.revitalisation.benefitsOfAsset.load(a.id),
  },
};
