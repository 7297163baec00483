import type { RequestContext } from '../../shared/context';
import { readContext, requireActor } from '../../shared/context';
import { runMutation } from '../../shared/mutation';
import { fromGlobalId, requireGlobalId, toGlobalId } from '../../shared/ids';
import { canSeeParty } from '../parties/parties.service';
import type { Party } from '../parties/parties.types';
import * as service from './journal.service';
import {
  Account,
  JournalEntry,
  mayGoNegative,
  PostingWithAccount,
  SOURCE_TYPES,
  VerifyResult,
} from './journal.types';
import { referenced } from '../../shared/loaderUtils';
import type { Resolvers } from '../../generated/resolvers';

/** An id of the wrong type matches nothing (filters) rather than failing the whole query. */
const NO_MATCH = -1;
const idOrNoMatch = (type: string, gid: string | null | undefined) => (gid ? (fromGlobalId(type, gid) ?? NO_MATCH) : null);

export const journalResolvers: Resolvers = {
  Query: {
    journalEntries: (_: unknown, args, ctx: RequestContext) => {
      const f = args.filter ?? {};
      return service.listEntries(
        readContext(ctx),
        { ...f, holderId: idOrNoMatch('Party', f.holderId), assetId: idOrNoMatch('Asset', f.assetId) },
        args,
      );
    },
    accountBalance: (_: unknown, args, ctx: RequestContext) => {
      const holderId = fromGlobalId('Party', args.holderId);
      return holderId === null ? null : service.accountBalance(readContext(ctx), holderId, args.kind, args.asOf);
    },
    trialBalance: (_: unknown, args, ctx: RequestContext) =>
      service.trialBalance(readContext(ctx), args.regionCode, args.asOf),
    journalVerify: (_: unknown, __: unknown, ctx: RequestContext) => service.verifyJournal(readContext(ctx)),
  },
  Mutation: {
    journalCheckpoint: (_: unknown, __: unknown, ctx: RequestContext) =>
      runMutation(ctx, (svc) => service.recordCheckpoint(svc), (checkpoint) => ({ checkpoint })),
    journalEntryReverse: (_: unknown, args, ctx: RequestContext) =>
      runMutation(
        ctx,
        (svc) =>
          service.reverseEntry(svc, {
            ...args.input,
            entryId: requireGlobalId('JournalEntry', args.input.entryId, ['input', 'entryId']),
          }),
        (posted) => ({ entry: posted.entry, replayed: posted.replayed }),
      ),
  },
  JournalCheckpoint: {
    id: (c) => toGlobalId('JournalCheckpoint', c.id),
    actor: (c, _: unknown, ctx: RequestContext) => ctx.loaders.user.load(c.actorUserId),
  },
  JournalEntryPayload: {
    replayed: (p: { replayed?: boolean }) => p.replayed ?? false,
  },
  JournalEntry: {
    id: (e: JournalEntry) => toGlobalId('JournalEntry', e.id),
    // Shown as the user typed it: the stored region prefix (service.scopedIdempotencyKey) is internal.
    idempotencyKey: (e: JournalEntry) => e.idempotencyKey.replace(/^\d{12}:/, ''),
    sourceId: (e: JournalEntry) => (e.sourceType ? toGlobalId(SOURCE_TYPES[e.sourceType], e.sourceId!) : null),
    // JournalEntry.asset is served by the assets module (it sits above the journal), under its read rule.
    actor: (e: JournalEntry, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.user.load(e.actorUserId)),
    postings: (e: JournalEntry, _: unknown, ctx: RequestContext) => ctx.loaders.journal.postings.load(e.id),
    reverses: (e: JournalEntry, _: unknown, ctx: RequestContext) =>
      e.reversesEntryId ? ctx.loaders.journal.entry.load(e.reversesEntryId) : null,
    reversedBy: (e: JournalEntry, _: unknown, ctx: RequestContext) => ctx.loaders.journal.reversalOf.load(e.id),
  },
  Posting: {
    account: (p: PostingWithAccount, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.journal.account.load(p.accountId)),
    amount: (p: PostingWithAccount) => p.amountFen,
    side: (p: PostingWithAccount) => (p.amountFen > 0 ? 'DEBIT' : 'CREDIT'),
  },
  Account: {
    id: (a: Account) => toGlobalId('Account', a.id),
    // Every path to an account applies the read rules of node and accountBalance (issue 8): a posting of a
    // readable entry shows which account it moved, but the account's balance only inside the actor's region.
    holder: async (a: Account, _: unknown, ctx: RequestContext) => {
      const holder = await ctx.loaders.journal.holder.load(a.holderPartyId);
      return holder && canSeeParty(requireActor(ctx), holder) ? holder : null;
    },
    mayGoNegative: (a: Account) => mayGoNegative(a.kind),
    // The read rule is visibleBalance's, as for the accountBalance query; the holder comes batched.
    balance: async (a: Account, args, ctx: RequestContext) => {
      const holder = await ctx.loaders.journal.holder.load(a.holderPartyId);
      const view = await service.visibleBalance(readContext(ctx), a.holderPartyId, a.kind, args.asOf, { holder: holder ?? null, account: a });
      return view?.balanceFen ?? null;
    },
  },
  AccountHolder: {
    id: (p: Party) => toGlobalId('Party', p.id),
    region: (p: Party, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.region.load(p.regionCode)),
  },
  AccountBalance: {
    debits: (b: service.AccountBalanceView) => b.debitsFen,
    credits: (b: service.AccountBalanceView) => b.creditsFen,
    balance: (b: service.AccountBalanceView) => b.balanceFen,
  },
  TrialBalanceLine: {
    debits: (l: { debitsFen: bigint }) => l.debitsFen,
    credits: (l: { creditsFen: bigint }) => l.creditsFen,
    balance: (l: { balanceFen: bigint }) => l.balanceFen,
  },
  TrialBalance: {
    region: (t: service.TrialBalance, _: unknown, ctx: RequestContext) => referenced(ctx.loaders.region.load(t.regionCode)),
    totalDebits: (t: service.TrialBalance) => t.totalDebitsFen,
    totalCredits: (t: service.TrialBalance) => t.totalCreditsFen,
    outsideRegionNet: (t: service.TrialBalance) => t.outsideRegionNetFen,
  },
  JournalVerification: {
    headSequence: (v: VerifyResult) => (v.intact ? v.headSequence : null),
    headHash: (v: VerifyResult) => (v.intact ? v.headHash : null),
    failure: (v: VerifyResult) => (v.intact ? null : v.failure),
  },
  JournalVerifyFailure: {
    entryId: (f: { entryId: number | null }) => (f.entryId === null ? null : toGlobalId('JournalEntry', f.entryId)),
  },
};
