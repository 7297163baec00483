/**
 * The reference model: the rules of the money path as plain in-memory state, written from the policy
 * (docs/domain-brief.md, docs/DESIGN.md), not from the services — nothing here imports module code.
 * Each operation returns what should happen: `ok`, or the rejection it expects ('DENIED' stands for
 * FORBIDDEN or NOT_FOUND: who may not act learns nothing either way).
 */
import { ACTOR_REGION, ACTOR_ROLE, ActorName, BaseIds, BASE_HANDED_OVER_ON, VILLAGES } from './world';

/** Who may do what (DESIGN §6): the model's own copy of the role table for the operations it drives. */
export const MAY: Record<string, string[]> = {
  household: ['VILLAGE_CLERK', 'ADMIN'],
  project: ['VILLAGE_CLERK', 'COUNTY_PLANNER', 'ADMIN'],
  asset: ['VILLAGE_CLERK', 'ADMIN'],
  rights: ['VILLAGE_CLERK', 'ADMIN'],
  income: ['VILLAGE_CLERK', 'ADMIN'],
  planWrite: ['VILLAGE_CLERK', 'ADMIN'],
  planApprove: ['TOWNSHIP_REVIEWER', 'ADMIN'],
  planExecute: ['VILLAGE_CLERK', 'ADMIN'],
  planReverse: ['VILLAGE_CLERK', 'COUNTY_FINANCE', 'ADMIN'],
};

/** Significant prefix of a region code (12 digits, trailing zero groups dropped). */
export function prefixOf(code: string): string {
  if (code.endsWith('0000000000')) return code.slice(0, 2);
  if (code.endsWith('00000000')) return code.slice(0, 4);
  if (code.endsWith('000000')) return code.slice(0, 6);
  if (code.endsWith('000')) return code.slice(0, 9);
  return code;
}
export const sees = (who: ActorName, region: string) => region.startsWith(prefixOf(ACTOR_REGION(who)));
export const may = (who: ActorName, what: keyof typeof MAY, region: string) => MAY[what].includes(ACTOR_ROLE(who)) && sees(who, region);

/** Account kinds that may be negative: the outside world's side of the books. */
export const MAY_GO_NEGATIVE = new Set(['EXTERNAL_COUNTERPARTY', 'OPENING_BALANCE']);

/** Largest remainder: floors of the exact quotas, leftover fen one each by largest remainder, ties to the earlier. */
export function split(total: number, weights: number[]): number[] {
  const W = weights.reduce((a, b) => a + b, 0);
  const T = BigInt(total);
  const quota = weights.map((w) => ({ floor: Number((T * BigInt(w)) / BigInt(W)), rem: (T * BigInt(w)) % BigInt(W) }));
  let left = total - quota.reduce((s, q) => s + q.floor, 0);
  const order = quota.map((q, i) => ({ i, rem: q.rem })).sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  const out = quota.map((q) => q.floor);
  for (const o of order) {
    if (left <= 0) break;
    out[o.i] += 1;
    left -= 1;
  }
  return out;
}

export type Expect = { ok: true } | { ok: false; code: string };
const OK: Expect = { ok: true };
const no = (code: string): Expect => ({ ok: false, code });

export interface MHousehold { id: number; village: string; status: string; idNumber: string }
export interface MAsset { id: number; village: string; status: string; handedOverOn: string | null; ownerVillage: string | null }
export interface MReceipt { entryId: number; village: string; amountFen: number; on: string; claimedBy: number | null }
export interface MIncomeKeyed { key: string; actor: ActorName; body: string; entryId: number }
export interface MLine { type: string; amountFen: number; recipients: { householdId: number; amountFen: number }[] }
export interface MPlan {
  id: number;
  village: string;
  status: string;
  meetings: number;
  totalFen: number;
  lines: MLine[];
  receipts: number[];
  noticeEndOn: string | null;
  openObjections: number[];
  /** Households with a standing (not reversed) payment, and whether any payment was ever made. */
  paid: Map<number, number>;
  executeKey: string | null;
}

/** The model's picture of the world. Balances are keyed by holder label (v:<village>, hh:<id>, party:<id>). */
export class Model {
  households: MHousehold[] = [];
  assets: MAsset[] = [];
  receipts: MReceipt[] = [];
  plans: MPlan[] = [];
  balances = new Map<string, number>();
  /** Idempotency keys used, by actor region: key → fingerprint of the request body. */
  incomeKeys: MIncomeKeyed[] = [];
  /** Base income is keyed too, but by another actor region's clerk: never retried by a sequence. */
  moneyKeys = new Map<string, string>();
  vouchers = new Set<string>();
  counter = 0;

  constructor(readonly base: BaseIds) {
    base.villages.forEach((v) => {
      this.assets.push({ id: v.assetId, village: v.code, status: 'HANDED_OVER', handedOverOn: BASE_HANDED_OVER_ON, ownerVillage: v.code });
      v.householdIds.forEach((id, i) => this.households.push({ id, village: v.code, status: v.householdStatuses[i], idNumber: `base-${id}` }));
    });
    base.receipts.forEach((rc, k) => {
      const a = this.assets.find((x) => x.village === rc.village)!;
      this.applyIncome('admin', a, rc.amountFen, rc.on, rc.voucherNo, `base-${k}`, 'base', rc.entryId);
    });
    this.incomeKeys = []; // the base's keys belong to its own setup, never retried by a sequence
    // The base plan, as the model computes it from its description.
    const v = base.villages.find((x) => x.code === base.plan.village)!;
    const spec = base.plan.spec;
    const recipients = spec.recipients.map((r) => ({ h: this.households.find((h) => h.id === v.householdIds[r.index])!, weight: r.weight }));
    const d = this.draft('admin', v.code, { ...spec, recipients });
    if (!d.expect.ok) throw new Error(`the model refuses the base plan: ${d.expect.code}`);
    this.applyDraft(base.plan.id, v.code, d.total!, d.lines!, d.receipts!);
    const p = this.plans[0];
    p.status = 'APPROVED';
    p.meetings = 4;
    p.noticeEndOn = '2026-02-01';
  }

  move(label: string, kind: string, fen: number) {
    const k = `${label}/${kind}`;
    const next = (this.balances.get(k) ?? 0) + fen;
    if (next === 0) this.balances.delete(k);
    else this.balances.set(k, next);
  }

  // ------------------------------------------------------------------ register
  registerHousehold(who: ActorName, village: string, duplicateOf: MHousehold | null): Expect {
    if (!may(who, 'household', village)) return no('DENIED');
    if (duplicateOf) return no('DUPLICATE');
    return OK;
  }
  registerAsset(who: ActorName, village: string): Expect {
    if (!may(who, 'asset', village) || !may(who, 'project', village)) return no('DENIED');
    return OK;
  }
  confirm(who: ActorName, a: MAsset): Expect {
    if (!may(who, 'rights', a.village)) return no('DENIED');
    if (a.status !== 'REGISTERED') return no('ILLEGAL_TRANSITION');
    return OK;
  }
  handOver(who: ActorName, a: MAsset): Expect {
    if (!may(who, 'rights', a.village)) return no('DENIED');
    if (a.status !== 'CONFIRMED') return no('ILLEGAL_TRANSITION');
    return OK;
  }

  // ------------------------------------------------------------------ income
  income(who: ActorName, a: MAsset, amountFen: number, on: string, voucher: string, key: string, body: string): Expect | 'REPLAY' {
    if (!may(who, 'income', a.village)) return no('DENIED');
    const used = this.incomeKeys.find((k) => k.key === key && ACTOR_REGION(k.actor) === ACTOR_REGION(who));
    if (used) return used.body === body && used.actor === who ? 'REPLAY' : no('IDEMPOTENCY_CONFLICT');
    if (['DISPOSED', 'DISPOSAL_PENDING'].includes(a.status)) return no('ILLEGAL_TRANSITION');
    if (!a.handedOverOn) return no('ILLEGAL_TRANSITION');
    if (on < a.handedOverOn) return no('DATE_ORDER');
    if (this.vouchers.has(`${a.village}/${on.slice(0, 4)}/${voucher}`)) return no('DUPLICATE');
    return OK;
  }
  applyIncome(who: ActorName, a: MAsset, amountFen: number, on: string, voucher: string, key: string, body: string, entryId: number) {
    this.incomeKeys.push({ key, actor: who, body, entryId });
    this.vouchers.add(`${a.village}/${on.slice(0, 4)}/${voucher}`);
    this.receipts.push({ entryId, village: a.ownerVillage!, amountFen, on, claimedBy: null });
    this.move(`party:${this.base.payerPartyId}`, 'EXTERNAL_COUNTERPARTY', -amountFen);
    this.move(`v:${a.ownerVillage}`, 'INCOME_PENDING_DISTRIBUTION', amountFen);
  }

  // ------------------------------------------------------------------ plans
  /** The lines a draft comes to, or the rejection. Period 2025, plan date 2026-01-15. */
  draft(
    who: ActorName,
    village: string,
    spec: { dividendBp: number; upkeepBp: number; fixedFen: number; recipients: { h: MHousehold; weight: number }[] },
  ): { expect: Expect; total?: number; lines?: MLine[]; receipts?: MReceipt[] } {
    if (!may(who, 'planWrite', village)) return { expect: no('DENIED') };
    const receipts = this.receipts.filter((r) => r.village === village && r.claimedBy === null && r.on >= '2025-01-01' && r.on <= '2025-12-31');
    const total = receipts.reduce((s, r) => s + r.amountFen, 0);
    if (!receipts.length || total <= 0) return { expect: no('NO_INCOME_AVAILABLE') };
    if (!spec.recipients.length) return { expect: no('LINE_RECIPIENTS_INVALID') };
    for (const r of spec.recipients) {
      if (r.h.village !== village) return { expect: no('NOT_FOUND') };
      if (!['FORMERLY_POOR', 'MONITORED'].includes(r.h.status)) return { expect: no('INELIGIBLE_BENEFICIARY') };
    }
    const percent = [spec.dividendBp, ...(spec.upkeepBp ? [spec.upkeepBp] : [])];
    const percentTotal = Math.floor((total * percent.reduce((a, b) => a + b, 0)) / 10000);
    const percentAmounts = split(percentTotal, percent);
    const rest = total - spec.fixedFen - percentTotal;
    if (rest < 0) return { expect: no('PLAN_NOT_BALANCED') };
    const lines: MLine[] = [];
    const dividend = percentAmounts[0];
    if (dividend <= 0) return { expect: no('INVALID_AMOUNT') };
    const shares = split(dividend, spec.recipients.map((r) => r.weight));
    // Every named recipient receives at least one fen (a zero share could never be paid).
    if (shares.some((x) => x === 0)) return { expect: no('INVALID_AMOUNT') };
    lines.push({ type: 'HOUSEHOLD_DIVIDEND', amountFen: dividend, recipients: spec.recipients.map((r, i) => ({ householdId: r.h.id, amountFen: shares[i] })) });
    if (spec.upkeepBp) {
      if (percentAmounts[1] <= 0) return { expect: no('INVALID_AMOUNT') };
      lines.push({ type: 'UPKEEP_RESERVE', amountFen: percentAmounts[1], recipients: [] });
    }
    if (spec.fixedFen) lines.push({ type: 'PUBLIC_WORKS', amountFen: spec.fixedFen, recipients: [] });
    lines.push({ type: 'COLLECTIVE_RETENTION', amountFen: rest, recipients: [] });
    return { expect: OK, total, lines, receipts };
  }
  applyDraft(id: number, village: string, total: number, lines: MLine[], receipts: MReceipt[]) {
    for (const r of receipts) r.claimedBy = id;
    this.plans.push({
      id, village, status: 'DRAFT', meetings: 0, totalFen: total, lines, receipts: receipts.map((r) => r.entryId),
      noticeEndOn: null, openObjections: [], paid: new Map(), executeKey: null,
    });
  }
  release(p: MPlan) {
    for (const r of this.receipts) if (r.claimedBy === p.id) r.claimedBy = null;
  }
  /** Money moved by executing a plan: out of income awaiting distribution, into funds and payables. */
  executionMoves(p: MPlan, sign: 1 | -1) {
    const fund: Record<string, string> = { UPKEEP_RESERVE: 'UPKEEP_RESERVE', PUBLIC_WORKS: 'PUBLIC_WORKS_FUND', COLLECTIVE_RETENTION: 'COLLECTIVE_RETENTION' };
    this.move(`v:${p.village}`, 'INCOME_PENDING_DISTRIBUTION', -sign * p.totalFen);
    for (const l of p.lines) {
      if (l.recipients.length) for (const r of l.recipients) this.move(`hh:${r.householdId}`, 'PAYABLE_TO_HOUSEHOLDS', sign * r.amountFen);
      else if (l.amountFen) this.move(`v:${p.village}`, fund[l.type], sign * l.amountFen);
    }
  }
  owed(p: MPlan, householdId: number): number {
    return p.lines.flatMap((l) => l.recipients).filter((r) => r.householdId === householdId).reduce((s, r) => s + r.amountFen, 0);
  }
  recipientIds(p: MPlan): number[] {
    return [...new Set(p.lines.flatMap((l) => l.recipients.map((r) => r.householdId)))];
  }
}

export const VILLAGE_OF = (i: number) => VILLAGES[i % VILLAGES.length];
