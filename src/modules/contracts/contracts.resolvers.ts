import type { RequestContext } from '../../shared/context';
import { readContext } from '../../shared/context';
import { runMutation } from '../../shared/mutation';
import { fromGlobalId, requireGlobalId, toGlobalId } from '../../shared/ids';
import type { Asset } from '../assets/assets.types';
import { toPartyRef } from '../parties/parties.resolvers';
import * as service from './contracts.service';
import { annualFeeFen, guaranteedAnnualReturnFen, stateOn } from './contracts.terms';
import type { Contract, ContractDecision, ContractVersion, FeeSchedule } from './contracts.types';
import { referenced } from '../../shared/loaderUtils';
import type { Resolvers } from '../../generated/resolvers';
import type { FeeScheduleInput } from '../../generated/schema';

const contractIdOf = (input: { contractId: string }) => requireGlobalId('Contract', input.contractId, ['input', 'contractId']);

/** FeeScheduleInput → service shape (Money arrives as fen). */
const toFee = (fee: FeeScheduleInput | null | undefined) => (fee ? { kind: fee.kind, amountFen: fee.amount ?? null, rateBp: fee.rateBp ?? null, period: fee.period ?? null } : fee);

const withTerms = <I extends { fee?: FeeScheduleInput | null; deposit?: number | null }>(input: I) => ({ ...input, fee: toFee(input.fee), depositFen: input.deposit, deposit: undefined });

const shaped = (r: { contract: Contract; asset: Asset }) => ({ contract: r.contract, asset: r.asset });

/** A fee schedule with the asset's value at hand, so its yearly amount can be computed. */
const feeOf = async (fee: FeeSchedule, assetId: number, ctx: RequestContext) => ({
  ...fee,
  amount: fee.amountFen,
  annualAmount: annualFeeFen(fee, (await ctx.loaders.asset.load(assetId))!.originalValueFen),
});

const optionalGlobalId = (type: string, id: string | null | undefined) => {
  if (id === null || id === undefined) return null;
  return fromGlobalId(type, id) ?? -1; // an id of the wrong type matches nothing
};

export const contractsResolvers: Resolvers = {
  Query: {
    contract: (_: unknown, args: { id: string }, ctx: RequestContext) => {
      const id = fromGlobalId('Contract', args.id);
      return id === null ? null : service.getContract(readContext(ctx), id);
    },
    contracts: (_: unknown, args, ctx: RequestContext) => {
      const f = args.filter ?? {};
      return service.listContracts(
        readContext(ctx),
        { ...f, assetId: optionalGlobalId('Asset', f.assetId), operatorPartyId: optionalGlobalId('Party', f.operatorId) },
        args,
      );
    },
    contractsExpiring: (_: unknown, args, ctx: RequestContext) =>
      service.contractsExpiring(readContext(ctx), args.regionCode, args.withinDays, args),
    contractsOverlong: (_: unknown, args, ctx: RequestContext) =>
      service.contractsOverlong(readContext(ctx), args.regionCode, args.maxYears, args),
    operatingAssetsWithoutContract: (_: unknown, args, ctx: RequestContext) =>
      service.operatingAssetsWithoutContract(readContext(ctx), args.regionCode, args),
    contractTermLimit: (_: unknown, args: { countyCode: string }, ctx: RequestContext) =>
      service.getTermLimit(readContext(ctx), args.countyCode),
  },
  Mutation: {
    contractSign: (_: unknown, args, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) =>
          service.signContract(svc, {
            ...withTerms(args.input),
            assetId: requireGlobalId('Asset', args.input.assetId, ['input', 'assetId']),
            operator: toPartyRef(args.input.operator, ['input', 'operator']),
            modeChangeApprovalId: args.input.modeChangeApprovalId
              ? requireGlobalId('ApprovalChain', args.input.modeChangeApprovalId, ['input', 'modeChangeApprovalId'])
              : null,
          }),
        shaped,
      ),
    contractModeChangeRequest: (_: unknown, args, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) => service.requestModeChange(svc, { ...args.input, assetId: requireGlobalId('Asset', args.input.assetId, ['input', 'assetId']) }),
        (chain) => ({ chain }),
      ),
    contractAmend: (_: unknown, args, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.amendContract(svc, { ...withTerms(args.input), contractId: contractIdOf(args.input) }), shaped),
    contractRenew: (_: unknown, args, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.renewContract(svc, { ...withTerms(args.input), contractId: contractIdOf(args.input) }), shaped),
    contractTerminate: (_: unknown, args, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.terminateContract(svc, { ...args.input, contractId: contractIdOf(args.input) }), shaped),
    contractTermLimitSet: (_: unknown, args, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.setTermLimit(svc, args.input), (termLimit) => ({ termLimit })),
  },
  Asset: {
    currentContract: async (a: Asset, _: unknown, ctx: RequestContext) => {
      const today = ctx.clock.today();
      const all = await ctx.loaders.assetContracts.load(a.id);
      return all.find((c) => stateOn(c, today) === 'ACTIVE') ?? null;
    },
    contracts: (a: Asset, _: unknown, ctx: RequestContext) => ctx.loaders.assetContracts.load(a.id),
  },
  Contract: {
    id: (c: Contract) => toGlobalId('Contract', c.id),
    asset: (c: Contract, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.asset.load(c.assetId)),
    operator: (c: Contract, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.party.load(c.operatorPartyId)),
    state: (c: Contract, _: unknown, ctx: RequestContext) => stateOn(c, ctx.clock.today()),
    fee: (c: Contract, _: unknown, ctx: RequestContext) => feeOf(c.terms.fee, c.assetId, ctx),
    guaranteedRateBp: (c: Contract) => c.terms.guaranteedRateBp,
    guaranteedAnnualReturn: async (c: Contract, _: unknown, ctx: RequestContext) =>
      guaranteedAnnualReturnFen(c.terms.guaranteedRateBp, (await ctx.loaders.asset.load(c.assetId))!.originalValueFen),
    deposit: (c: Contract) => c.terms.depositFen,
    version: (c: Contract) => c.currentVersion,
    versions: async (c: Contract, _: unknown, ctx: RequestContext) =>
      (await ctx.loaders.contractVersions.load(c.id)).map((v) => ({ ...v, assetId: c.assetId })),
    decisions: (c: Contract, _: unknown, ctx: RequestContext) => ctx.loaders.contractDecisions.load(c.id),
    documents: (c: Contract, _: unknown, ctx: RequestContext) => ctx.loaders.contractDocuments.load(c.id),
  },
  ContractVersion: {
    fee: (v: ContractVersion & { assetId: number }, _: unknown, ctx: RequestContext) => feeOf(v.fee, v.assetId, ctx),
    deposit: (v: ContractVersion) => v.depositFen,
    actor: (v: ContractVersion, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.user.load(v.actorUserId)),
  },
  ContractDecision: {
    party: (d: ContractDecision, _: unknown, ctx: RequestContext) => (d.partyId ? ctx.loaders.party.load(d.partyId) : null),
  },
  ContractTermLimit: {
    county: (l: { countyCode: string }, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.region.load(l.countyCode)),
  },
};
