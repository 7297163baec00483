import type { RequestContext } from '../../shared/context';
import { readContext } from '../../shared/context';
import { runMutation } from '../../shared/mutation';
import { fromGlobalId, requireGlobalId, toGlobalId } from '../../shared/ids';
import type { Asset } from '../assets/assets.types';
import { toPartyRef } from '../parties/parties.resolvers';
import * as service from './contracts.service';
import { annualFeeFen, guaranteedAnnualReturnFen, stateOn } from './contracts.terms';
import type { Contract, ContractDecision, ContractVersion, FeeSchedule } from './contracts.types';

const contractIdOf = (input: any) => requireGlobalId('Contract', input.contractId, ['input', 'contractId']);

/** FeeScheduleInput → service shape (Money arrives as fen). */
const toFee = (fee: any) => (fee ? { kind: fee.kind, amountFen: fee.amount ?? null, rateBp: fee.rateBp ?? null, period: fee.period ?? null } : fee);

const withTerms = (input: any) => ({ ...input, fee: toFee(input.fee), depositFen: input.deposit, deposit: undefined });

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

export const contractsResolvers = {
  Query: {
    contract: (_: unknown, args: { id: string }, ctx: RequestContext) => {
      const id = fromGlobalId('Contract', args.id);
      return id === null ? null : service.getContract(readContext(ctx), id);
    },
    contracts: (_: unknown, args: { filter?: any; first?: number; after?: string }, ctx: RequestContext) => {
      const f = args.filter ?? {};
      return service.listContracts(
        readContext(ctx),
        { ...f, assetId: optionalGlobalId('Asset', f.assetId), operatorPartyId: optionalGlobalId('Party', f.operatorId) },
        args,
      );
    },
    contractsExpiring: (_: unknown, args: { regionCode?: string; withinDays: number; first?: number; after?: string }, ctx: RequestContext) =>
      service.contractsExpiring(readContext(ctx), args.regionCode, args.withinDays, args),
    contractsOverlong: (_: unknown, args: { regionCode?: string; maxYears?: number; first?: number; after?: string }, ctx: RequestContext) =>
      service.contractsOverlong(readContext(ctx), args.regionCode, args.maxYears, args),
    operatingAssetsWithoutContract: (_: unknown, args: { regionCode?: string; first?: number; after?: string }, ctx: RequestContext) =>
      service.operatingAssetsWithoutContract(readContext(ctx), args.regionCode, args),
    contractTermLimit: (_: unknown, args: { countyCode: string }, ctx: RequestContext) =>
      service.getTermLimit(readContext(ctx), args.countyCode),
  },
  Mutation: {
    contractSign: (_: unknown, args: { input: any }, ctx: RequestContext) =>
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
    contractModeChangeRequest: (_: unknown, args: { input: { assetId: string; mode: string; requestedOn: string; reason: string } }, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) => service.requestModeChange(svc, { ...args.input, assetId: requireGlobalId('Asset', args.input.assetId, ['input', 'assetId']) }),
        (chain) => ({ chain }),
      ),
    contractAmend: (_: unknown, args: { input: any }, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.amendContract(svc, { ...withTerms(args.input), contractId: contractIdOf(args.input) }), shaped),
    contractRenew: (_: unknown, args: { input: any }, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.renewContract(svc, { ...withTerms(args.input), contractId: contractIdOf(args.input) }), shaped),
    contractTerminate: (_: unknown, args: { input: any }, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.terminateContract(svc, { ...args.input, contractId: contractIdOf(args.input) }), shaped),
    contractTermLimitSet: (_: unknown, args: { input: any }, ctx: RequestContext) =>
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
    asset: (c: Contract, _: unknown, ctx: RequestContext) => ctx.loaders.asset.load(c.assetId),
    operator: (c: Contract, _: unknown, ctx: RequestContext) => ctx.loaders.party.load(c.operatorPartyId),
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
    actor: (v: ContractVersion, _: unknown, ctx: RequestContext) => ctx.loaders.user.load(v.actorUserId),
  },
  ContractDecision: {
    party: (d: ContractDecision, _: unknown, ctx: RequestContext) => (d.partyId ? ctx.loaders.party.load(d.partyId) : null),
  },
  ContractTermLimit: {
    county: (l: { countyCode: string }, _: unknown, ctx: RequestContext) => ctx.loaders.region.load(l.countyCode),
  },
};
