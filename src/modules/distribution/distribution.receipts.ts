/**
 * What a plan distributes (收益来源) and the costs it bears first (成本费用; brief §11 rule 11:
 * distributable = received − recorded upkeep and operating costs of the period).
 *
 * A receipt is a journal entry that credited the collective's income awaiting distribution; a cost is one
 * that charged the collective's EXPENSES account. Which entry kinds count is the table below: asset income
 * (`incomeRecord`) today; a pooled venture's split to its member villages (联营分成) becomes a receipt as
 * soon as the bundles module posts its BUNDLE_INCOME entries — one row here names its kind, nothing else
 * changes. A plan claims its receipts and costs (distribution_plan_receipts); a live claim is unique per
 * entry and collective in the database, so a receipt is distributed at most once even under a race.
 */
import type { ServiceContext } from '../../shared/context';
import { DomainError } from '../../shared/errors';
import { sumFen } from '../../shared/money';
import { accountPostings, entriesWithReversal, guardReversal } from '../journal/journal.service';
import type { AccountKind, EntryKind } from '../journal/journal.types';
import * as incomeRepo from '../income/income.repository';
import * as repo from './distribution.repository';

/** 收益来源类型 Receipt kinds, each with the journal entry kind that books it. */
export const RECEIPT_SOURCES = {
  ASSET_INCOME: 'INCOME', // 资产收益 (incomeRecord)
  VENTURE_SPLIT: 'BUNDLE_INCOME', // 联营分成 (a pooled venture's income split by share)
  OPENING_BALANCE: 'OPENING_BALANCE', // 期初待分配收益 brought over from paper books
} as const satisfies Record<string, EntryKind>;
export type ReceiptKind = keyof typeof RECEIPT_SOURCES;

/** 成本费用类型 Cost kinds netted before profit, each with its entry kind. */
export const COST_SOURCES = {
  UPKEEP_EXPENSE: 'UPKEEP_EXPENSE', // 管护支出 (upkeepRecord with a cost)
} as const satisfies Record<string, EntryKind>;
export type CostKind = keyof typeof COST_SOURCES;

/**
 * How a plan's input may name a receipt: by the journal entry that booked it, or by the record that did
 * (an income record today; a venture split's record adds its own row). Each maps its ids to entry ids.
 */
const RECEIPT_REFERENCES: Record<string, (svc: ServiceContext, ids: number[]) => Promise<Map<number, number>>> = {
  JournalEntry: async (_svc, ids) => new Map(ids.map((id) => [id, id])),
  IncomeRecord: async (svc, ids) => new Map((await incomeRepo.findByIds(svc.db, ids)).map((r) => [r.id, r.entryId])),
};

/** The journal entries of receipts named by global id ("JournalEntry:12", "IncomeRecord:3"). */
export async function receiptEntryIds(svc: ServiceContext, globalIds: string[]): Promise<number[]> {
  const refs = globalIds.map((g) => /^([A-Za-z]+):([1-9]\d{0,15})$/.exec(g));
  const wanted = new Map<string, number[]>();
  refs.forEach((m) => m && RECEIPT_REFERENCES[m[1]] && wanted.set(m[1], [...(wanted.get(m[1]) ?? []), Number(m[2])]));
  const resolved = new Map<string, Map<number, number>>();
  for (const [type, ids] of wanted) resolved.set(type, await RECEIPT_REFERENCES[type](svc, ids));
  return refs.map((m, k) => {
    const entryId = m ? resolved.get(m[1])?.get(Number(m[2])) : undefined;
    if (entryId === undefined) throw new DomainError('NOT_FOUND', `No receipt ${JSON.stringify(globalIds[k])} (name a JournalEntry or an IncomeRecord)`, ['input', 'receipts', String(k)]);
    return entryId;
  });
}

export interface FundingItem {
  entryId: number;
  sequence: number;
  role: 'RECEIPT' | 'COST';
  kind: ReceiptKind | CostKind;
  effectiveOn: string;
  memo: string;
  /** This collective's fen of the entry (its share of a joint asset's income). */
  amountFen: number;
  /** For a cost: the collective's pot that paid it, repaid from the plan's receipts at execution. */
  paidFrom: AccountKind | null;
}

export interface Funding {
  receipts: FundingItem[];
  costs: FundingItem[];
  receiptsFen: number;
  costsFen: number;
  /** Receipts less costs: what the plan may distribute. */
  distributableFen: number;
}

const kindOf = <K extends string>(sources: Record<K, EntryKind>, entryKind: EntryKind): K | undefined =>
  (Object.keys(sources) as K[]).find((k) => sources[k] === entryKind);

/** Every live (not reversed) receipt and cost of a collective, oldest first, claimed or not. */
async function itemsOf(svc: ServiceContext, ownerPartyId: number): Promise<FundingItem[]> {
  const credits = (await accountPostings(svc, ownerPartyId, 'INCOME_PENDING_DISTRIBUTION')).filter((m) => m.amountFen > 0);
  const charges = (await accountPostings(svc, ownerPartyId, 'EXPENSES')).filter((m) => m.amountFen > 0);
  const entries = new Map((await entriesWithReversal(svc, [...credits, ...charges].map((m) => m.entryId))).map((e) => [e.id, e]));
  const items: FundingItem[] = [];
  for (const [role, moves] of [['RECEIPT', credits], ['COST', charges]] as const) {
    for (const m of moves) {
      const e = entries.get(m.entryId)!;
      const kind = role === 'RECEIPT' ? kindOf(RECEIPT_SOURCES, e.kind) : kindOf(COST_SOURCES, e.kind);
      if (!kind || e.reversed) continue;
      const paidFrom = role === 'COST' ? e.postings.find((p) => p.holderPartyId === ownerPartyId && p.amountFen < 0)?.accountKind ?? null : null;
      items.push({ entryId: e.id, sequence: e.sequence, role, kind, effectiveOn: e.effectiveOn, memo: e.memo, amountFen: m.amountFen, paidFrom });
    }
  }
  return items.sort((a, b) => a.sequence - b.sequence);
}

/**
 * The receipts and costs a new plan of the period takes: the receipts named (each the collective's, in the
 * period and not yet distributed) or, by default, every undistributed receipt of the period; and always
 * every undistributed cost of the period — costs come before profit.
 */
export async function fundingFor(
  svc: ServiceContext,
  ownerPartyId: number,
  period: { from: string; to: string },
  named: number[] | null,
): Promise<Funding> {
  const items = await itemsOf(svc, ownerPartyId);
  const claimed = await repo.liveClaimedEntryIds(svc.db, ownerPartyId, items.map((i) => i.entryId));
  const inPeriod = (i: FundingItem) => i.effectiveOn >= period.from && i.effectiveOn <= period.to;
  const free = (i: FundingItem) => !claimed.has(i.entryId) && inPeriod(i);
  const receipts = named ? namedReceipts(items, claimed, named, period) : items.filter((i) => i.role === 'RECEIPT' && free(i));
  const costs = items.filter((i) => i.role === 'COST' && free(i));
  const receiptsFen = sumFen(receipts.map((r) => r.amountFen));
  const costsFen = sumFen(costs.map((c) => c.amountFen));
  return { receipts, costs, receiptsFen, costsFen, distributableFen: receiptsFen - costsFen };
}

function namedReceipts(items: FundingItem[], claimed: Set<number>, named: number[], period: { from: string; to: string }): FundingItem[] {
  const seen = new Set<number>();
  return named.map((entryId, k) => {
    const field = ['input', 'receipts', String(k)];
    const r = items.find((i) => i.role === 'RECEIPT' && i.entryId === entryId);
    if (!r) throw new DomainError('NOT_FOUND', "No such receipt of this village's income awaiting distribution", field);
    if (seen.has(entryId)) throw new DomainError('DUPLICATE', 'This receipt is named twice', field);
    seen.add(entryId);
    if (r.effectiveOn < period.from || r.effectiveOn > period.to) {
      throw new DomainError('RECEIPT_OUTSIDE_PERIOD', `Received on ${r.effectiveOn}, outside the plan's period ${period.from} – ${period.to}`, field);
    }
    if (claimed.has(entryId)) throw new DomainError('RECEIPT_ALREADY_DISTRIBUTED', `Receipt #${r.sequence} is already distributed by another plan`, field);
    return r;
  });
}

/** Claims a new plan's receipts and costs; a receipt claimed meanwhile by a racing plan is refused here. */
export async function claimFunding(svc: ServiceContext, planId: number, ownerPartyId: number, funding: Funding): Promise<void> {
  try {
    await repo.insertPlanReceipts(svc.db, planId, ownerPartyId, [...funding.receipts, ...funding.costs]);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    throw new DomainError('RECEIPT_ALREADY_DISTRIBUTED', 'Another plan has just claimed one of these receipts; draft the plan again', ['input', 'receipts']);
  }
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
}

/**
 * Before money moves: every claimed entry must still stand (an income entry reversed since drafting
 * would leave the plan distributing money that is no longer there).
 */
export async function requireFundingStands(svc: ServiceContext, planId: number): Promise<repo.PlanReceipt[]> {
  const claims = await repo.planReceiptsOf(svc.db, [planId]);
  const reversed = (await entriesWithReversal(svc, claims.map((c) => c.entryId))).filter((e) => e.reversed);
  if (reversed.length) {
    throw new DomainError('RECEIPT_REVERSED', `Entry #${reversed[0].sequence} of this plan has been reversed since drafting; the plan must be redrafted`, [
      'input',
      'planId',
    ]);
  }
  return claims;
}

// A receipt or cost a live plan has claimed is part of that plan's money: reversing it alone would leave the
// plan distributing income that is no longer there. The plan is cancelled, rejected or reversed first.
guardReversal(async (svc, entryId) => {
  const planId = await repo.planClaiming(svc.db, entryId);
  return planId ? `is claimed by distribution plan #${planId}; cancel or reverse that plan first (distributionPlanReverse)` : null;
});
