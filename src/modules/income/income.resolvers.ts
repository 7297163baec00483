import type { RequestContext } from '../../shared/context';
import { readContext } from '../../shared/context';
import { runMutation } from '../../shared/mutation';
import { fromGlobalId, requireGlobalId, toGlobalId } from '../../shared/ids';
import type { Asset } from '../assets/assets.types';
import { canRead } from '../auth/auth.service';
import type { JournalEntry } from '../journal/journal.types';
import { toPartyRef } from '../parties/parties.resolvers';
import * as service from './income.service';
import type { IncomeRecord, IncomeVsContract, TermInYear } from './income.types';
import { referenced } from '../../shared/loaderUtils';
import type { Resolvers } from '../../generated/resolvers';

/** An id of the wrong type matches nothing (filters) rather than failing the whole query. */
const idOrNoMatch = (type: string, gid: string | null | undefined) => (gid ? (fromGlobalId(type, gid) ?? -1) : null);

export const incomeResolvers: Resolvers = {
  Query: {
    incomeRecords: (_: unknown, args, ctx: RequestContext) => {
      const f = args.filter ?? {};
      return service.listIncome(readContext(ctx), { ...f, assetId: idOrNoMatch('Asset', f.assetId) }, args);
    },
    incomeVsContract: (_: unknown, args: { assetId: string; year: number }, ctx: RequestContext) => {
      const id = fromGlobalId('Asset', args.assetId);
      return id === null ? null : service.incomeVsContract(readContext(ctx), id, args.year);
    },
    incomeShortfalls: (_: unknown, args, ctx: RequestContext) =>
      service.incomeShortfalls(readContext(ctx), args.regionCode, args.year, args),
  },
  Mutation: {
    incomeRecord: (_: unknown, args, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) =>
          service.recordIncome(svc, {
            ...args.input,
            assetId: requireGlobalId('Asset', args.input.assetId, ['input', 'assetId']),
            contractId: args.input.contractId != null ? requireGlobalId('Contract', args.input.contractId, ['input', 'contractId']) : null,
            payer: toPartyRef(args.input.payer, ['input', 'payer']),
            amountFen: args.input.amount,
            amount: undefined,
          }),
        (r) => ({ income: r.income, entry: r.posted.entry, replayed: r.posted.replayed }),
      ),
  },
  IncomeRecordPayload: {
    replayed: (p: { replayed?: boolean }) => p.replayed ?? false,
  },
  IncomeRecord: {
    id: (r: IncomeRecord) => toGlobalId('IncomeRecord', r.id),
    asset: (r: IncomeRecord, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.asset.load(r.assetId)),
    contract: (r: IncomeRecord, _: unknown, ctx: RequestContext) => (r.contractId ? ctx.loaders.contract.load(r.contractId) : null),
    payer: (r: IncomeRecord, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.party.load(r.payerPartyId)),
    amount: (r: IncomeRecord) => r.amountFen,
    entry: (r: IncomeRecord, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.journal.entry.load(r.entryId)),
    reversed: async (r: IncomeRecord, _: unknown, ctx: RequestContext) => (await ctx.loaders.journal.reversalOf.load(r.entryId)) !== null,
    actor: (r: IncomeRecord, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.user.load(r.actorUserId)),
  },
  IncomeVsContract: {
    asset: (r: IncomeVsContract, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.asset.load(r.assetId)),
    received: (r: IncomeVsContract) => r.receivedFen,
    rentDue: (r: IncomeVsContract) => r.rentDueFen,
    guaranteedReturn: (r: IncomeVsContract) => r.guaranteedReturnFen,
    expected: (r: IncomeVsContract) => r.expectedFen,
    shortfall: (r: IncomeVsContract) => r.shortfallFen,
  },
  IncomeVsContractTerm: {
    contract: (t: TermInYear, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.contract.load(t.contractId)),
    annualRent: (t: TermInYear) => t.annualRentFen,
    annualGuarantee: (t: TermInYear) => t.annualGuaranteeFen,
  },
  Asset: {
    incomeRecords: (a: Asset, _: unknown, ctx: RequestContext) => ctx.loaders.income.ofAsset.load(a.id),
    lastIncomeOn: (a: Asset, _: unknown, ctx: RequestContext) => ctx.loaders.income.lastIncomeOn.load(a.id),
  },
  JournalEntry: {
    // The voucher behind an income entry, when the reader may see its asset's village.
    incomeRecord: async (e: JournalEntry, _: unknown, ctx: RequestContext) => {
      if (e.kind !== 'INCOME') return null;
      const r = await ctx.loaders.income.ofEntry.load(e.id);
      return r && ctx.actor && canRead(ctx.actor, r.villageCode) ? r : null;
    },
  },
};
