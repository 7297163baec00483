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
  // docs/rights-and-contracts.md §7: contract.write is the village clerk's (own village) and the admin's.
  contract: ['VILLAGE_CLERK', 'ADMIN'],
  // docs/bundles.md: the supervising officer runs the venture; a member village's clerk contributes.
  ventureManage: ['COUNTY_PLANNER', 'TOWNSHIP_REVIEWER', 'ADMIN'],
  ventureContribute: ['VILLAGE_CLERK', 'ADMIN'],
  // docs/disposal.md: pledges are requested and released by the village's clerk (or the admin).
  pledge: ['VILLAGE_CLERK', 'ADMIN'],
  // docs/revitalisation.md: flags and cases are the county planner's (县乡村振兴局) and the admin's.
  revitalise: ['COUNTY_PLANNER', 'ADMIN'],
};
/** Live states: an asset that can be idle, and have a case opened (docs/revitalisation.md). */
export const REVIVABLE = ['REGISTERED', 'CONFIRMED', 'HANDED_OVER', 'IN_OPERATION', 'IN_USE', 'IDLE'];
/** n calendar months later, the end of the month clamped (2024-01-31 + 1 month = 2024-02-29). */
export function plusMonths(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + n;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, days)).padStart(2, '0')}`;
}

/** Today in the simulated world (the fixed clock). */
export const TODAY = '2026-11-22';
/** ISO date plus n days (UTC), the model's own date arithmetic. */
export function plusDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
/** n years later; 29 February of a year without one becomes 1 March. */
export function plusYears(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + n);
  return d.toISOString().slice(0, 10);
}

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
export interface MAsset {
  id: number;
  village: string;
  status: string;
  handedOverOn: string | null;
  ownerVillage: string | null;
  /** Date of the last lifecycle step (observations excluded): no step may be dated before it. */
  lastStepOn: string | null;
  /** Income received and recorded use (operation started or revitalised), by date: the idle rule reads them. */
  incomes?: string[];
  uses?: string[];
}
/**
 * An arrangement holding an asset over days (docs/architecture.md, holds): it binds from its start to its end,
 * or to the day before its release when that comes first; open-ended while its end is null.
 */
export interface MHold { assetId: number; kind: string; holderId: number; startOn: string; endOn: string | null; releasedOn: string | null }
export function lastBoundDay(h: MHold): string | null {
  const beforeRelease = h.releasedOn ? plusDays(h.releasedOn, -1) : null;
  if (h.endOn === null) return beforeRelease;
  return beforeRelease !== null && beforeRelease < h.endOn ? beforeRelease : h.endOn;
}
export function binds(h: MHold, from: string, to: string | null): boolean {
  const last = lastBoundDay(h);
  if (last !== null && last < h.startOn) return false; // released before it began: it never bound
  return (to === null || h.startOn <= to) && (last === null || from <= last);
}
export interface MContract {
  id: number;
  assetId: number;
  no: string;
  startOn: string;
  endOn: string;
  /** Signature and start of the current version. */
  signedOn: string;
  effectiveFrom: string;
  terminatedOn: string | null;
}
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

/** A venture's approval step: a village's resolution (its clerk), then the township's filing (its reviewer). */
export interface MStep { role: string; region: string }
export interface MContribution {
  id: number;
  village: string;
  kind: 'ASSET' | 'CASH';
  assetId: number | null;
  valueFen: number;
  /** The value credited to each owner village (one owner here: the contributing village). */
  owners: { village: string; valueFen: number }[];
  contributedOn: string;
  status: 'PENDING' | 'ACTIVE' | 'REJECTED' | 'RETURNED';
  /** The asset's status before it was pooled (restored when it is released). */
  statusBefore?: string;
  chainId: number;
  steps: MStep[];
  decided: number;
  lastDecidedOn: string;
}
export interface MShareLine { village: string; valueFen: number; shareBp: number }
export interface MVenture {
  id: number;
  partyId: number;
  regionCode: string;
  startOn: string;
  members: Map<string, { status: 'INVITED' | 'ACTIVE' | 'WITHDRAWN'; joinedOn: string | null }>;
  contributions: MContribution[];
  /** The share table after every change, in date order. */
  shareEvents: { effectiveOn: string; lines: MShareLine[] }[];
  profits: Map<number, { profitFen: number; declaredOn: string; splitFen: number }>;
  splits: { amountFen: number; splitOn: string; lines: MShareLine[]; parts: number[] }[];
}

/** An approval chain's progress (approvals: only the step's role in its region decides, dates never backwards). */
export interface MChain { id: number; steps: MStep[]; decided: number; lastOn: string; status: 'PENDING' | 'APPROVED' | 'REJECTED' | 'WITHDRAWN' }
/** A pledge (抵押) of an asset, or of a village's stake in the venture (股权质押, assetId null). */
export interface MPledge {
  id: number;
  assetId: number | null;
  village: string;
  startOn: string;
  status: 'PENDING' | 'ACTIVE' | 'REJECTED' | 'RELEASED';
  approvedOn: string | null;
  chain: MChain;
}
export interface MWithdrawal { village: string; on: string; chain: MChain }
/** A disposal (docs/disposal.md): request → appraisal → chain → notice → execution, or rejected / cancelled. */
export type MDisposalStatus = 'AWAITING_APPRAISAL' | 'IN_APPROVAL' | 'APPROVED' | 'IN_NOTICE' | 'EXECUTED' | 'REJECTED' | 'CANCELLED';
export const DISPOSAL_OPEN: MDisposalStatus[] = ['AWAITING_APPRAISAL', 'IN_APPROVAL', 'APPROVED', 'IN_NOTICE'];
export interface MDisposal {
  id: number;
  assetId: number;
  requestedOn: string;
  status: MDisposalStatus;
  statusBefore: string;
  appraisedValueFen: number | null;
  /** The chain's steps (role, region), how many are decided, and the date no decision may precede. */
  steps: MStep[];
  decided: number;
  lastOn: string;
  approvedOn: string | null;
  noticeEndOn: string | null;
  /** The execution's key, actor and body (a retry replays only that). */
  executeKey: string | null;
  executeBody: string | null;
  executedOn: string | null;
}
/** docs/disposal.md: the county's default figures (fen): tier 1 below 50 000 yuan, tier 2 up to 500 000, notice 10 days. */
export const DISPOSAL_POLICY = { tier1MaxFen: 5_000_000, tier2MaxFen: 50_000_000, exchangeThresholdFen: 5_000_000, noticeDays: 10 };
/** Every asset of the simulated world is registered at this book (original) value: 600 000 yuan. */
export const BOOK_VALUE_FEN = 60_000_000;
export const COUNTY_CODE = '511922000000';
const townshipOf = (village: string) => `${village.slice(0, 9)}000`;

/** The model's picture of the world. Balances are keyed by holder label (v:<village>, hh:<id>, party:<id>). */
export class Model {
  households: MHousehold[] = [];
  assets: MAsset[] = [];
  receipts: MReceipt[] = [];
  plans: MPlan[] = [];
  contracts: MContract[] = [];
  holds: MHold[] = [];
  venture: MVenture;
  pledges: MPledge[] = [];
  /** Register files imported (台账导入): by content, with who imported them and the rows. */
  imports: { who: ActorName; village: string; csv: string; rows: string[]; n: number }[] = [];
  /** Revitalisation (盘活): idle flags raised and cases opened. */
  flags: { id: number; assetId: number; raisedOn: string }[] = [];
  cases: { id: number; assetId: number; flagId: number; openedOn: string; status: 'OPEN' | 'CLOSED' | 'ABANDONED' }[] = [];
  /** Venture withdrawals asked for (退出联营), each with its chain. */
  withdrawals: MWithdrawal[] = [];
  disposals: MDisposal[] = [];
  /** Keys of venture splits: actor|key → body. */
  splitKeys = new Map<string, string>();
  balances = new Map<string, number>();
  /** Idempotency keys used, by actor region: key → fingerprint of the request body. */
  incomeKeys: MIncomeKeyed[] = [];
  /** Base income is keyed too, but by another actor region's clerk: never retried by a sequence. */
  moneyKeys = new Map<string, string>();
  vouchers = new Set<string>();
  counter = 0;

  constructor(readonly base: BaseIds) {
    base.villages.forEach((v) => {
      this.assets.push({ id: v.assetId, village: v.code, status: 'HANDED_OVER', handedOverOn: BASE_HANDED_OVER_ON, ownerVillage: v.code, lastStepOn: BASE_HANDED_OVER_ON });
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
    // The venture: 金台村's third asset pooled since the township's filing, 2025's profit recorded.
    const bv = base.venture;
    const jintai = base.villages[1].code;
    this.assets.unshift({ id: bv.assetId, village: jintai, status: 'BUNDLED', handedOverOn: BASE_HANDED_OVER_ON, ownerVillage: jintai, lastStepOn: bv.effectiveOn });
    this.holds.push({ assetId: bv.assetId, kind: 'BUNDLE', holderId: bv.id, startOn: bv.effectiveOn, endOn: null, releasedOn: null });
    this.venture = {
      id: bv.id,
      partyId: bv.partyId,
      regionCode: bv.regionCode,
      startOn: bv.startOn,
      members: new Map(base.villages.map((x) => [x.code, { status: 'INVITED' as const, joinedOn: null }])),
      contributions: [],
      shareEvents: [],
      profits: new Map([[bv.profit.year, { profitFen: bv.profit.profitFen, declaredOn: bv.profit.declaredOn, splitFen: 0 }]]),
      splits: [],
    };
    this.venture.members.set(jintai, { status: 'ACTIVE', joinedOn: bv.effectiveOn });
    this.venture.contributions.push({
      id: bv.contributionId, village: jintai, kind: 'ASSET', assetId: bv.assetId, valueFen: bv.valueFen, owners: [{ village: jintai, valueFen: bv.valueFen }],
      contributedOn: '2022-03-01', status: 'ACTIVE', statusBefore: 'HANDED_OVER', chainId: 0, steps: [], decided: 2, lastDecidedOn: bv.effectiveOn,
    });
    this.venture.shareEvents.push({ effectiveOn: bv.effectiveOn, lines: this.shareTable() });
    // 茶坪村's second asset, its auction approved and in notice (one ExecuteDisposal from DISPOSED), and
    // 金台村's second asset, appraised, its chain at the first step; both listed first (the oldest: indices 0–2
    // keep their meaning).
    for (const bd of [base.disposal, base.pendingDisposal]) {
      const a: MAsset = { id: bd.assetId, village: bd.village, status: 'DISPOSAL_PENDING', handedOverOn: BASE_HANDED_OVER_ON, ownerVillage: bd.village, lastStepOn: bd.requestedOn };
      this.assets.unshift(a);
      this.holds.push({ assetId: bd.assetId, kind: 'DISPOSAL', holderId: bd.id, startOn: bd.requestedOn, endOn: null, releasedOn: null });
      const bdisp: MDisposal = {
        id: bd.id, assetId: bd.assetId, requestedOn: bd.requestedOn, status: 'AWAITING_APPRAISAL', statusBefore: 'HANDED_OVER', appraisedValueFen: null, steps: [], decided: 0,
        lastOn: bd.requestedOn, approvedOn: null, noticeEndOn: null, executeKey: null, executeBody: null, executedOn: null,
      };
      this.disposals.push(bdisp);
      this.applyAppraise(a, bdisp, bd.appraisedOn, bd.valueFen);
      for (const on of bd.decidedOn) this.applyDecideDisposal(a, bdisp, 'APPROVE', on);
      if (bd.noticeStartOn) this.applyDisposalNotice(bdisp, bd.noticeStartOn, null);
    }
  }

  // ------------------------------------------------------------------ ventures (docs/bundles.md)
  /**
   * The share table from the contributions in force: each active member's value, basis points by largest
   * remainder over the members in village-code order, summing to exactly 10000.
   */
  shareTable(): MShareLine[] {
    const v = this.venture;
    const values = new Map<string, number>();
    for (const c of v.contributions.filter((x) => x.status === 'ACTIVE')) {
      for (const o of c.owners) if (v.members.get(o.village)?.status === 'ACTIVE') values.set(o.village, (values.get(o.village) ?? 0) + o.valueFen);
    }
    const villages = [...values.keys()].filter((x) => values.get(x)! > 0).sort();
    const bps = split(10000, villages.map((x) => values.get(x)!));
    return villages.map((x, i) => ({ village: x, valueFen: values.get(x)!, shareBp: bps[i] }));
  }
  sharesOn(date: string): MShareLine[] {
    const events = this.venture.shareEvents.filter((e) => e.effectiveOn <= date);
    return events.length ? events[events.length - 1].lines : [];
  }
  contribute(who: ActorName, village: string, kind: 'ASSET' | 'CASH', a: MAsset | null, valueFen: number, on: string): Expect {
    const v = this.venture;
    if (!MAY.ventureContribute.includes(ACTOR_ROLE(who))) return no('DENIED');
    if (!sees(who, v.regionCode) && ![...v.members.keys()].some((x) => sees(who, x))) return no('DENIED');
    if (!sees(who, village)) return no('DENIED');
    const member = v.members.get(village);
    if (!member || member.status === 'WITHDRAWN') return no('NOT_A_MEMBER');
    if (on < v.startOn) return no('DATE_ORDER');
    if (kind === 'ASSET') {
      if (!sees(who, a!.village)) return no('DENIED'); // another village's asset is not in the clerk's sight
      if (!a!.ownerVillage || a!.status === 'REGISTERED') return no('NOT_CONFIRMED');
      if (!a!.handedOverOn || a!.handedOverOn > on) return no('ILLEGAL_TRANSITION');
      if (v.members.get(a!.ownerVillage)?.status === 'WITHDRAWN' || !v.members.has(a!.ownerVillage)) return no('NOT_AN_OWNER');
      if (a!.ownerVillage !== village) return no('NOT_AN_OWNER');
      if (v.contributions.some((c) => c.assetId === a!.id && (c.status === 'PENDING' || c.status === 'ACTIVE'))) return no('ASSET_HELD');
      if (this.holds.some((h) => h.assetId === a!.id && h.kind === 'BUNDLE' && h.holderId === v.id)) return no('DUPLICATE');
      if (this.heldBy(a!.id, on, null)) return no('ASSET_HELD');
      if (!['HANDED_OVER', 'IN_OPERATION', 'IN_USE', 'IDLE'].includes(a!.status)) return no('ILLEGAL_TRANSITION');
    } else if ((this.balances.get(`v:${village}/CASH`) ?? 0) < valueFen) {
      return no('INSUFFICIENT_BALANCE');
    }
    return OK;
  }
  applyContribute(id: number, chainId: number, village: string, kind: 'ASSET' | 'CASH', a: MAsset | null, valueFen: number, on: string) {
    this.venture.contributions.push({
      id, village, kind, assetId: a?.id ?? null, valueFen, owners: [{ village, valueFen }], contributedOn: on, status: 'PENDING', chainId,
      steps: [{ role: 'VILLAGE_CLERK', region: village }, { role: 'TOWNSHIP_REVIEWER', region: this.venture.regionCode }], decided: 0, lastDecidedOn: on,
    });
  }
  /** The next step of a contribution's chain decided; the last approval makes the contribution take effect. */
  decide(who: ActorName, c: MContribution, decision: 'APPROVE' | 'REJECT', on: string, majority: boolean): Expect {
    const chainRegions = [c.village, ...c.steps.map((x) => x.region)];
    if (!chainRegions.some((x) => sees(who, x))) return no('DENIED');
    const step = c.steps[c.decided];
    if (c.status !== 'PENDING' || !step) return no('ILLEGAL_TRANSITION');
    if (ACTOR_ROLE(who) !== step.role || !sees(who, step.region)) return no('DENIED');
    if (on < c.lastDecidedOn) return no('DATE_ORDER');
    if (decision === 'APPROVE' && step.role === 'VILLAGE_CLERK' && !majority) return no('MAJORITY_NOT_REACHED');
    if (decision === 'REJECT' || c.decided + 1 < c.steps.length) return OK;
    // The last approval: the contribution takes effect on its date or the approval's, when later.
    const effectiveOn = c.contributedOn > on ? c.contributedOn : on;
    const events = this.venture.shareEvents;
    if (events.length && effectiveOn < events[events.length - 1].effectiveOn) return no('DATE_ORDER');
    if (c.kind === 'ASSET') {
      const a = this.assets.find((x) => x.id === c.assetId)!;
      const fails: string[] = [];
      if (this.heldBy(a.id, effectiveOn, null)) fails.push('ASSET_HELD');
      if (!['HANDED_OVER', 'IN_OPERATION', 'IN_USE', 'IDLE'].includes(a.status)) fails.push('ILLEGAL_TRANSITION');
      if (this.stepTooEarly(a, effectiveOn)) fails.push('DATE_ORDER');
      // Which of several failing rules answers first is the service's order; any of them is right.
      if (fails.length) return no(fails.join('|'));
    } else if ((this.balances.get(`v:${c.village}/CASH`) ?? 0) < c.valueFen) {
      return no('INSUFFICIENT_BALANCE');
    }
    return OK;
  }
  applyDecide(c: MContribution, decision: 'APPROVE' | 'REJECT', on: string) {
    c.decided++;
    c.lastDecidedOn = on;
    if (decision === 'REJECT') {
      c.status = 'REJECTED';
      return;
    }
    if (c.decided < c.steps.length) return;
    const v = this.venture;
    const effectiveOn = c.contributedOn > on ? c.contributedOn : on;
    c.status = 'ACTIVE';
    if (c.kind === 'ASSET') {
      const a = this.assets.find((x) => x.id === c.assetId)!;
      this.holds.push({ assetId: a.id, kind: 'BUNDLE', holderId: v.id, startOn: effectiveOn, endOn: null, releasedOn: null });
      c.statusBefore = a.status;
      a.status = 'BUNDLED';
      a.lastStepOn = effectiveOn;
    } else {
      this.move(`v:${c.village}`, 'CASH', -c.valueFen);
      this.move(`party:${v.partyId}`, 'VENTURE_CONTRIBUTION', c.valueFen);
    }
    for (const o of c.owners) {
      const m = v.members.get(o.village)!;
      if (m.status === 'INVITED') v.members.set(o.village, { status: 'ACTIVE', joinedOn: effectiveOn });
    }
    v.shareEvents.push({ effectiveOn, lines: this.shareTable() });
  }
  /** A year's profit split by the share table of the split date, exact to the fen. */
  splitIncome(who: ActorName, year: number, amountFen: number, on: string, key: string, body: string): Expect | 'REPLAY' {
    const v = this.venture;
    if (!MAY.ventureManage.includes(ACTOR_ROLE(who))) return no('DENIED');
    const used = this.splitKeys.get(`${who}|${key}`);
    if (used !== undefined) return used === body ? 'REPLAY' : no('IDEMPOTENCY_CONFLICT');
    if (!sees(who, v.regionCode)) return no('DENIED');
    const profit = v.profits.get(year);
    if (!profit) return no('PROFIT_NOT_RECORDED');
    if (on < profit.declaredOn) return no('DATE_ORDER');
    if (profit.splitFen + amountFen > profit.profitFen) return no('SPLIT_EXCEEDS_PROFIT');
    if (!this.sharesOn(on).length) return no('NO_SHARES');
    return OK;
  }
  applySplit(who: ActorName, year: number, amountFen: number, on: string, key: string, body: string) {
    const v = this.venture;
    this.splitKeys.set(`${who}|${key}`, body);
    const lines = this.sharesOn(on);
    const parts = split(amountFen, lines.map((l) => l.shareBp));
    v.profits.get(year)!.splitFen += amountFen;
    v.splits.push({ amountFen, splitOn: on, lines, parts });
    this.move(`party:${v.partyId}`, 'EXTERNAL_COUNTERPARTY', -amountFen);
    lines.forEach((l, i) => this.move(`v:${l.village}`, 'INCOME_PENDING_DISTRIBUTION', parts[i]));
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
  confirm(who: ActorName, a: MAsset, on = '2021-11-10'): Expect {
    if (!may(who, 'rights', a.village)) return no('DENIED');
    if (a.status !== 'REGISTERED') return no('ILLEGAL_TRANSITION');
    // 确权 is a step of the asset's history: not dated before an earlier step (a pledge of the registered asset).
    if (this.stepTooEarly(a, on)) return no('DATE_ORDER');
    return OK;
  }
  handOver(who: ActorName, a: MAsset, on = '2021-11-20'): Expect {
    if (!may(who, 'rights', a.village)) return no('DENIED');
    if (a.status !== 'CONFIRMED') return no('ILLEGAL_TRANSITION');
    if (this.stepTooEarly(a, on)) return no('DATE_ORDER');
    return OK;
  }

  // ------------------------------------------------------------------ contracts (docs/rights-and-contracts.md §4)
  /** The first hold other than `self` binding the asset on any day of from..to, if any. */
  heldBy(assetId: number, from: string, to: string | null, self?: { kind: string; holderId: number }, coexist: string[] = []): MHold | undefined {
    return this.holds.find(
      (h) => h.assetId === assetId && !(self && h.kind === self.kind && h.holderId === self.holderId) && !coexist.includes(h.kind) && binds(h, from, to),
    );
  }
  /** A step dated before the asset's last step is refused. */
  stepTooEarly(a: MAsset, on: string): boolean {
    return a.lastStepOn !== null && on < a.lastStepOn;
  }
  signContract(who: ActorName, a: MAsset, c: { no: string; signedOn: string; startOn: string; endOn: string }): Expect {
    if (!may(who, 'contract', a.village)) return no('DENIED');
    if (!['HANDED_OVER', 'IN_OPERATION', 'IDLE'].includes(a.status)) return no('ILLEGAL_TRANSITION');
    if (!a.handedOverOn || c.signedOn < a.handedOverOn || c.startOn < c.signedOn || c.endOn <= c.startOn) return no('DATE_ORDER');
    if (this.contracts.some((x) => x.no === c.no)) return no('DUPLICATE');
    if (this.heldBy(a.id, c.startOn, c.endOn)) return no('ASSET_HELD');
    if (this.stepTooEarly(a, c.signedOn)) return no('DATE_ORDER');
    return OK;
  }
  applySign(id: number, a: MAsset, c: { no: string; signedOn: string; startOn: string; endOn: string }) {
    this.contracts.push({ id, assetId: a.id, no: c.no, startOn: c.startOn, endOn: c.endOn, signedOn: c.signedOn, effectiveFrom: c.startOn, terminatedOn: null });
    this.holds.push({ assetId: a.id, kind: 'CONTRACT', holderId: id, startOn: c.startOn, endOn: c.endOn, releasedOn: null });
    a.lastStepOn = c.signedOn;
    // A contract that has started puts a handed-over asset into operation and revitalises an idle one.
    if (c.startOn <= TODAY && a.status !== 'IN_OPERATION') {
      a.status = 'IN_OPERATION';
      a.lastStepOn = c.startOn;
      (a.uses ??= []).push(c.startOn); // START_OPERATION or REVITALISE: a recorded use
    }
  }
  amendContract(who: ActorName, a: MAsset, c: MContract, ch: { signedOn: string; effectiveFrom: string; endOn: string }): Expect {
    if (!may(who, 'contract', a.village)) return no('DENIED');
    if (c.terminatedOn !== null || ch.effectiveFrom > c.endOn) return no('CONTRACT_CLOSED');
    if (ch.signedOn < c.signedOn || ch.effectiveFrom < ch.signedOn) return no('DATE_ORDER');
    if (ch.effectiveFrom < c.startOn || ch.effectiveFrom <= c.effectiveFrom) return no('DATE_ORDER');
    if (ch.endOn < ch.effectiveFrom || ch.endOn <= c.startOn) return no('DATE_ORDER');
    if (ch.endOn === c.endOn) return no('INVALID_INPUT');
    if (ch.endOn > c.endOn && this.heldBy(a.id, plusDays(c.endOn, 1), ch.endOn, { kind: 'CONTRACT', holderId: c.id })) return no('ASSET_HELD');
    if (this.stepTooEarly(a, ch.signedOn)) return no('DATE_ORDER');
    return OK;
  }
  applyAmend(a: MAsset, c: MContract, ch: { signedOn: string; effectiveFrom: string; endOn: string }) {
    c.endOn = ch.endOn;
    c.signedOn = ch.signedOn;
    c.effectiveFrom = ch.effectiveFrom;
    this.holds.find((h) => h.kind === 'CONTRACT' && h.holderId === c.id)!.endOn = ch.endOn;
    a.lastStepOn = ch.signedOn;
  }
  terminateContract(who: ActorName, a: MAsset, c: MContract, on: string): Expect {
    if (!may(who, 'contract', a.village)) return no('DENIED');
    if (c.terminatedOn !== null || on > c.endOn) return no('CONTRACT_CLOSED');
    if (on < c.signedOn) return no('DATE_ORDER');
    if (this.stepTooEarly(a, on)) return no('DATE_ORDER');
    return OK;
  }
  applyTerminate(a: MAsset, c: MContract, on: string) {
    c.terminatedOn = on;
    this.holds.find((h) => h.kind === 'CONTRACT' && h.holderId === c.id)!.releasedOn = on;
    a.lastStepOn = on;
    // The asset it ran falls idle on that day unless another contract binds it then.
    if (a.status === 'IN_OPERATION' && !this.holds.some((h) => h.assetId === a.id && h.kind === 'CONTRACT' && binds(h, on, on))) a.status = 'IDLE';
  }

  // ------------------------------------------------------------------ pledges (docs/disposal.md)
  /**
   * 抵押 of an asset: held from the request (a PLEDGE hold beside a running contract, nothing else), a step of
   * the asset's history; its approval chain opens (the sequences leave it pending).
   */
  pledge(who: ActorName, a: MAsset, on: string): Expect {
    if (!may(who, 'pledge', a.village)) return no('DENIED');
    if (a.status === 'DISPOSED') return no('ILLEGAL_TRANSITION');
    if (this.heldBy(a.id, on, null, undefined, ['CONTRACT'])) return no('ASSET_HELD');
    if (this.stepTooEarly(a, on)) return no('DATE_ORDER');
    return OK;
  }
  applyPledge(id: number, chainId: number, a: MAsset, on: string) {
    // The chain: the asset's village (and its owner villages) resolve, the township, then county finance.
    const villages = [...new Set([a.village, ...(a.ownerVillage ? [a.ownerVillage] : [])])].sort();
    const steps = [...villages.map((v) => ({ role: 'VILLAGE_CLERK', region: v })), { role: 'TOWNSHIP_REVIEWER', region: townshipOf(a.village) }, { role: 'COUNTY_FINANCE', region: COUNTY_CODE }];
    this.pledges.push({ id, assetId: a.id, village: a.village, startOn: on, status: 'PENDING', approvedOn: null, chain: { id: chainId, steps, decided: 0, lastOn: on, status: 'PENDING' } });
    this.holds.push({ assetId: a.id, kind: 'PLEDGE', holderId: id, startOn: on, endOn: null, releasedOn: null });
    a.lastStepOn = on;
  }
  releasePledge(who: ActorName, a: MAsset | undefined, p: MPledge, on: string): Expect {
    if (!may(who, 'pledge', p.village)) return no('DENIED');
    if (p.status !== 'PENDING' && p.status !== 'ACTIVE') return no('ILLEGAL_TRANSITION');
    if (on > TODAY) return no('DATE_IN_FUTURE');
    if (on < (p.approvedOn ?? p.startOn) || (a && this.stepTooEarly(a, on))) return no('DATE_ORDER');
    return OK;
  }
  applyRelease(a: MAsset | undefined, p: MPledge, on: string) {
    if (p.chain.status === 'PENDING') p.chain.status = 'WITHDRAWN';
    this.endPledge(a, p, 'RELEASED', on);
  }
  endPledge(a: MAsset | undefined, p: MPledge, status: 'RELEASED' | 'REJECTED', on: string) {
    p.status = status;
    if (!a) return;
    this.holds.find((h) => h.kind === 'PLEDGE' && h.holderId === p.id)!.releasedOn = on;
    a.lastStepOn = on;
  }
  /** 股权质押 of a member village's stake: it has joined, is not withdrawing, has no live pledge (STAKE_PLEDGED). */
  pledgeStake(who: ActorName, village: string, on: string): Expect {
    if (!MAY.pledge.includes(ACTOR_ROLE(who)) || !sees(who, village)) return no('DENIED');
    if (on > TODAY) return no('DATE_IN_FUTURE');
    const member = this.venture.members.get(village)!;
    if (member.status !== 'ACTIVE' || !member.joinedOn) return no('ILLEGAL_TRANSITION');
    if (this.withdrawals.some((w) => w.village === village && w.chain.status === 'PENDING')) return no('ILLEGAL_TRANSITION');
    if (on < member.joinedOn) return no('DATE_ORDER');
    if (this.livePledgeOfStake(village)) return no('STAKE_PLEDGED');
    return OK;
  }
  livePledgeOfStake(village: string): MPledge | undefined {
    return this.pledges.find((p) => p.assetId === null && p.village === village && (p.status === 'PENDING' || p.status === 'ACTIVE'));
  }
  applyPledgeStake(id: number, chainId: number, village: string, on: string) {
    const steps = [{ role: 'VILLAGE_CLERK', region: village }, { role: 'TOWNSHIP_REVIEWER', region: townshipOf(village) }, { role: 'COUNTY_FINANCE', region: COUNTY_CODE }];
    this.pledges.push({ id, assetId: null, village, startOn: on, status: 'PENDING', approvedOn: null, chain: { id: chainId, steps, decided: 0, lastOn: on, status: 'PENDING' } });
  }
  /** approvalDecide on a chain: visible to whoever sees its region or a step's; only the step's role and region decide. */
  decideChain(who: ActorName, region: string, ch: MChain, decision: 'APPROVE' | 'REJECT', on: string, majority: boolean): Expect {
    if (!sees(who, region) && !ch.steps.some((s) => sees(who, s.region))) return no('DENIED');
    const step = ch.steps[ch.decided];
    if (ch.status !== 'PENDING' || !step) return no('ILLEGAL_TRANSITION');
    if (ACTOR_ROLE(who) !== step.role || !sees(who, step.region)) return no('DENIED');
    if (on > TODAY) return no('DATE_IN_FUTURE');
    if (on < ch.lastOn) return no('DATE_ORDER');
    if (decision === 'APPROVE' && step.role === 'VILLAGE_CLERK' && !majority) return no('MAJORITY_NOT_REACHED');
    return OK;
  }
  /** Settles a chain's step; true when it was the last approval (or a rejection): the subject takes effect. */
  applyDecideChain(ch: MChain, decision: 'APPROVE' | 'REJECT', on: string): boolean {
    ch.decided++;
    ch.lastOn = on;
    if (decision === 'REJECT') ch.status = 'REJECTED';
    else if (ch.decided === ch.steps.length) ch.status = 'APPROVED';
    return ch.status !== 'PENDING';
  }
  decidePledge(who: ActorName, a: MAsset | undefined, p: MPledge, decision: 'APPROVE' | 'REJECT', on: string, majority: boolean): Expect {
    const got = this.decideChain(who, p.village, p.chain, decision, on, majority);
    if (!got.ok) return got;
    // A rejection ends the pledge: the asset's hold released that day (a step of its history).
    if (decision === 'REJECT' && a && this.stepTooEarly(a, on)) return no('DATE_ORDER');
    return OK;
  }
  applyDecidePledge(a: MAsset | undefined, p: MPledge, decision: 'APPROVE' | 'REJECT', on: string) {
    if (!this.applyDecideChain(p.chain, decision, on)) return;
    if (decision === 'REJECT') this.endPledge(a, p, 'REJECTED', on);
    else {
      p.status = 'ACTIVE';
      p.approvedOn = on;
    }
  }

  // ------------------------------------------------------------------ revitalisation (docs/revitalisation.md)
  /**
   * The idle rule (default 12 months): a live asset that no contract holds on `asOf`, whose latest activity —
   * income received, the last day under a contract, a recorded use, each up to `asOf`; else its handover (or
   * acceptance, 2021-11-01) — lies at least 12 calendar months back. The latest activity, or null when not idle.
   */
  idleSince(a: MAsset, asOf: string): string | null {
    if (!REVIVABLE.includes(a.status)) return null;
    const contracts = this.holds.filter((h) => h.assetId === a.id && h.kind === 'CONTRACT');
    if (contracts.some((h) => binds(h, asOf, asOf))) return null;
    const dates = [a.handedOverOn ?? '2021-11-01', ...(a.incomes ?? []).filter((d) => d <= asOf), ...(a.uses ?? []).filter((d) => d <= asOf)];
    for (const h of contracts) {
      const last = lastBoundDay(h);
      if (h.startOn > asOf || (last !== null && last < h.startOn)) continue;
      dates.push(last === null || last > asOf ? asOf : last);
    }
    const latest = dates.sort().pop()!;
    return asOf >= plusMonths(latest, 12) ? latest : null;
  }
  /** 闲置认定 of one asset by the county planner (or admin): MARK_IDLE (a step) or, already idle or not handed over, a flag only. */
  flagIdle(who: ActorName, a: MAsset, on: string): Expect {
    if (!MAY.revitalise.includes(ACTOR_ROLE(who)) || !sees(who, a.village)) return no('DENIED');
    const latest = this.idleSince(a, on);
    if (latest === null) return no('NOT_IDLE');
    if (this.flags.some((f) => f.assetId === a.id && f.raisedOn >= latest)) return no('DUPLICATE');
    if (['HANDED_OVER', 'IN_OPERATION', 'IN_USE'].includes(a.status) && this.stepTooEarly(a, on)) return no('DATE_ORDER');
    return OK;
  }
  applyFlagIdle(id: number, a: MAsset, on: string) {
    this.flags.push({ id, assetId: a.id, raisedOn: on });
    if (['HANDED_OVER', 'IN_OPERATION', 'IN_USE'].includes(a.status)) {
      a.status = 'IDLE';
      a.lastStepOn = on;
    }
  }
  /** 立项: one open case per asset, on a flag raised by then and not consumed by a closed case. */
  openCase(who: ActorName, a: MAsset, on: string): Expect {
    if (!MAY.revitalise.includes(ACTOR_ROLE(who)) || !sees(who, a.village)) return no('DENIED');
    if (on > TODAY) return no('DATE_IN_FUTURE');
    if (!REVIVABLE.includes(a.status)) return no('ILLEGAL_TRANSITION');
    if (this.cases.some((c) => c.assetId === a.id && c.status === 'OPEN')) return no('CASE_ALREADY_OPEN');
    if (!this.caseFlag(a, on)) return no('NOT_FLAGGED');
    return OK;
  }
  caseFlag(a: MAsset, on: string) {
    const consumed = new Set(this.cases.filter((c) => c.status === 'CLOSED').map((c) => c.flagId));
    return this.flags.filter((f) => f.assetId === a.id && f.raisedOn <= on && !consumed.has(f.id)).pop();
  }
  applyOpenCase(id: number, a: MAsset, on: string) {
    this.cases.push({ id, assetId: a.id, flagId: this.caseFlag(a, on)!.id, openedOn: on, status: 'OPEN' });
  }
  /** 销号 on the evidence of a disposal executed within the case; or 终止 (abandoned). */
  endCase(who: ActorName, a: MAsset, c: { openedOn: string; status: string }, on: string, close: boolean): Expect {
    if (!MAY.revitalise.includes(ACTOR_ROLE(who)) || !sees(who, a.village)) return no('DENIED');
    if (c.status !== 'OPEN') return no('CASE_NOT_OPEN');
    if (on > TODAY) return no('DATE_IN_FUTURE');
    if (on < c.openedOn) return no('DATE_ORDER');
    if (!close) return OK;
    const d = this.disposals.find((x) => x.assetId === a.id && x.status === 'EXECUTED');
    if (a.status !== 'DISPOSED' || !d || d.executedOn! > on) return no('NO_EVIDENCE');
    if (d.executedOn! < c.openedOn) return no('EVIDENCE_BEFORE_CASE');
    return OK;
  }

  // ------------------------------------------------------------------ register imports (docs/import-export.md)
  /**
   * 台账导入 into a village: clerks (their village), the county planner, admins. The same file again is
   * recognised and writes nothing; a file with any bad row writes nothing (its first bad row's code here);
   * otherwise every row becomes a REGISTERED asset of the village.
   */
  importRegister(who: ActorName, village: string, csv: string, rows: string[]): Expect | 'REPLAY' {
    if (!['VILLAGE_CLERK', 'COUNTY_PLANNER', 'ADMIN'].includes(ACTOR_ROLE(who)) || !sees(who, village)) return no('DENIED');
    if (this.imports.some((x) => x.csv === csv)) return 'REPLAY';
    const fault: Record<string, string> = { funding: 'FUNDING_MISMATCH', subType: 'INVALID_SUB_TYPE', village: 'INVALID_REGION' };
    const first = rows.find((x) => x !== 'good');
    return first ? no(fault[first]) : OK;
  }
  applyImport(who: ActorName, village: string, csv: string, rows: string[], n: number, ids: number[]) {
    this.imports.push({ who, village, csv, rows, n });
    for (const id of ids) this.assets.push({ id, village, status: 'REGISTERED', handedOverOn: null, ownerVillage: null, lastStepOn: null });
  }

  // ------------------------------------------------------------------ venture withdrawal (docs/bundles.md)
  /** 退出联营: a member that joined asks to leave on a date; its resolution and the township's filing follow. */
  requestWithdrawal(who: ActorName, village: string, on: string): Expect {
    const v = this.venture;
    if (!MAY.ventureContribute.includes(ACTOR_ROLE(who))) return no('DENIED');
    if (!sees(who, v.regionCode) && ![...v.members.keys()].some((x) => sees(who, x))) return no('DENIED');
    if (!sees(who, village)) return no('DENIED');
    const member = v.members.get(village)!;
    if (member.status === 'WITHDRAWN') return no('NOT_A_MEMBER'); // as for a contribution (docs/bundles.md)
    if (on > TODAY) return no('DATE_IN_FUTURE');
    if (member.status !== 'ACTIVE' || !member.joinedOn) return no('ILLEGAL_TRANSITION');
    if (on < member.joinedOn) return no('DATE_ORDER');
    if (this.withdrawals.some((w) => w.village === village && w.chain.status === 'PENDING')) return no('DUPLICATE');
    const events = v.shareEvents;
    if (events.length && on < events[events.length - 1].effectiveOn) return no('DATE_ORDER');
    if (this.livePledgeOfStake(village)) return no('STAKE_PLEDGED');
    return OK;
  }
  applyRequestWithdrawal(chainId: number, village: string, on: string) {
    const steps = [{ role: 'VILLAGE_CLERK', region: village }, { role: 'TOWNSHIP_REVIEWER', region: this.venture.regionCode }];
    this.withdrawals.push({ village, on, chain: { id: chainId, steps, decided: 0, lastOn: on, status: 'PENDING' } });
  }
  decideWithdrawal(who: ActorName, w: MWithdrawal, decision: 'APPROVE' | 'REJECT', on: string, majority: boolean): Expect {
    const got = this.decideChain(who, w.village, w.chain, decision, on, majority);
    if (!got.ok || decision === 'REJECT' || w.chain.decided + 1 < w.chain.steps.length) return got;
    // The last approval: effective on the later of the date asked and the approval's.
    const effectiveOn = w.on > on ? w.on : on;
    const events = this.venture.shareEvents;
    if (events.length && effectiveOn < events[events.length - 1].effectiveOn) return no('DATE_ORDER');
    if (this.livePledgeOfStake(w.village)) return no('STAKE_PLEDGED');
    for (const c of this.venture.contributions) {
      if (c.village !== w.village || c.status !== 'ACTIVE' || c.kind !== 'ASSET') continue;
      if (this.stepTooEarly(this.assets.find((x) => x.id === c.assetId)!, effectiveOn)) return no('DATE_ORDER');
    }
    return OK;
  }
  /** The member leaves: its pending contributions withdrawn, its pooled assets released (status restored), shares re-based. */
  applyDecideWithdrawal(w: MWithdrawal, decision: 'APPROVE' | 'REJECT', on: string) {
    if (!this.applyDecideChain(w.chain, decision, on) || decision === 'REJECT') return;
    const v = this.venture;
    const effectiveOn = w.on > on ? w.on : on;
    for (const c of v.contributions) {
      if (c.village !== w.village) continue;
      if (c.status === 'PENDING') c.status = 'REJECTED';
      else if (c.status === 'ACTIVE') {
        c.status = 'RETURNED';
        const a = this.assets.find((x) => x.id === c.assetId)!;
        const h = this.holds.find((x) => x.assetId === a.id && x.kind === 'BUNDLE' && x.holderId === v.id && x.releasedOn === null)!;
        h.releasedOn = effectiveOn;
        a.status = c.statusBefore ?? 'HANDED_OVER';
        a.lastStepOn = effectiveOn;
      }
    }
    v.members.set(w.village, { status: 'WITHDRAWN', joinedOn: v.members.get(w.village)!.joinedOn });
    v.shareEvents.push({ effectiveOn, lines: this.shareTable() });
  }

  // ------------------------------------------------------------------ disposal requests (docs/disposal.md)
  /** 申请处置: the asset free of every hold from that day on; it takes a DISPOSAL hold and waits (DISPOSAL_PENDING). */
  requestDisposal(who: ActorName, a: MAsset, on: string): Expect {
    if (!may(who, 'pledge', a.village)) return no('DENIED');
    if (a.status === 'DISPOSED') return no('ILLEGAL_TRANSITION');
    if (this.heldBy(a.id, on, null)) return no('ASSET_HELD');
    if (!['REGISTERED', 'CONFIRMED', 'HANDED_OVER', 'IN_OPERATION', 'IN_USE', 'IDLE'].includes(a.status)) return no('ILLEGAL_TRANSITION');
    if (this.stepTooEarly(a, on)) return no('DATE_ORDER');
    return OK;
  }
  applyRequestDisposal(id: number, a: MAsset, on: string) {
    // An auction always waits for its appraisal before any approval (rule 17).
    this.disposals.push({
      id, assetId: a.id, requestedOn: on, status: 'AWAITING_APPRAISAL', statusBefore: a.status, appraisedValueFen: null, steps: [], decided: 0, lastOn: on,
      approvedOn: null, noticeEndOn: null, executeKey: null, executeBody: null, executedOn: null,
    });
    this.holds.push({ assetId: a.id, kind: 'DISPOSAL', holderId: id, startOn: on, endOn: null, releasedOn: null });
    a.status = 'DISPOSAL_PENDING';
    a.lastStepOn = on;
  }
  /** 撤回: the request withdrawn, the hold released, the asset back to the status before. */
  cancelDisposal(who: ActorName, a: MAsset, d: MDisposal, on: string): Expect {
    if (!may(who, 'pledge', a.village)) return no('DENIED');
    if (!DISPOSAL_OPEN.includes(d.status)) return no('ILLEGAL_TRANSITION');
    if (on < d.requestedOn || this.stepTooEarly(a, on)) return no('DATE_ORDER');
    return OK;
  }
  /** 资产评估: the appraisal recorded, the chain opens with the steps the value tier and the method ask for. */
  appraiseDisposal(who: ActorName, a: MAsset, d: MDisposal, on: string): Expect {
    if (!may(who, 'pledge', a.village)) return no('DENIED');
    if (d.status !== 'AWAITING_APPRAISAL') return no('ILLEGAL_TRANSITION');
    if (on > TODAY) return no('DATE_IN_FUTURE');
    if (on < d.requestedOn) return no('DATE_ORDER');
    return OK;
  }
  applyAppraise(a: MAsset, d: MDisposal, on: string, valueFen: number) {
    d.appraisedValueFen = valueFen;
    d.status = 'IN_APPROVAL';
    d.lastOn = on;
    // docs/disposal.md, the chain: the village's resolution, its township, then the county's steps by tier —
    // from tier 2 the sector department, at tier 3 (or for any sale of an operating asset) county finance.
    const value = Math.max(BOOK_VALUE_FEN, valueFen);
    const tier = value < DISPOSAL_POLICY.tier1MaxFen ? 1 : value <= DISPOSAL_POLICY.tier2MaxFen ? 2 : 3;
    const villages = [...new Set([a.village, ...(a.ownerVillage ? [a.ownerVillage] : [])])].sort();
    d.steps = [...villages.map((v) => ({ role: 'VILLAGE_CLERK', region: v })), { role: 'TOWNSHIP_REVIEWER', region: townshipOf(a.village) }];
    if (tier >= 2) d.steps.push({ role: 'COUNTY_PLANNER', region: COUNTY_CODE });
    d.steps.push({ role: 'COUNTY_FINANCE', region: COUNTY_CODE }); // tier 3, and every auction of an operating asset
  }
  /** 处置审批: the chain's next step, by the role and region it names only (not even the admin). */
  decideDisposal(who: ActorName, a: MAsset, d: MDisposal, decision: 'APPROVE' | 'REJECT', on: string, majority: boolean): Expect {
    if (!sees(who, a.village) && !d.steps.some((s) => sees(who, s.region))) return no('DENIED');
    if (d.status === 'AWAITING_APPRAISAL') return no('DISPOSAL_APPRAISAL_REQUIRED');
    if (d.status !== 'IN_APPROVAL') return no('ILLEGAL_TRANSITION');
    const step = d.steps[d.decided];
    if (ACTOR_ROLE(who) !== step.role || !sees(who, step.region)) return no('DENIED');
    if (on > TODAY) return no('DATE_IN_FUTURE');
    if (on < d.lastOn) return no('DATE_ORDER');
    if (decision === 'APPROVE' && step.role === 'VILLAGE_CLERK' && !majority) return no('MAJORITY_NOT_REACHED');
    if (decision === 'REJECT' && this.stepTooEarly(a, on)) return no('DATE_ORDER');
    return OK;
  }
  applyDecideDisposal(a: MAsset, d: MDisposal, decision: 'APPROVE' | 'REJECT', on: string) {
    d.decided++;
    d.lastOn = on;
    if (decision === 'REJECT') {
      // A rejection restores the asset, as a withdrawal does.
      d.status = 'REJECTED';
      this.holds.find((h) => h.kind === 'DISPOSAL' && h.holderId === d.id)!.releasedOn = on;
      a.status = d.statusBefore;
      a.lastStepOn = on;
    } else if (d.decided === d.steps.length) {
      d.status = 'APPROVED';
      d.approvedOn = on;
    }
  }
  /** 处置公示: once approved, from the approval on, at least the county's notice days. */
  publishDisposalNotice(who: ActorName, a: MAsset, d: MDisposal, startOn: string, endOn: string | null): Expect {
    if (!may(who, 'pledge', a.village)) return no('DENIED');
    if (d.status !== 'APPROVED') return no('ILLEGAL_TRANSITION');
    if (startOn > TODAY) return no('DATE_IN_FUTURE');
    if (startOn < d.approvedOn!) return no('DATE_ORDER');
    if (endOn !== null && endOn < plusDays(startOn, DISPOSAL_POLICY.noticeDays - 1)) return no('NOTICE_TOO_SHORT');
    return OK;
  }
  applyDisposalNotice(d: MDisposal, startOn: string, endOn: string | null) {
    d.status = 'IN_NOTICE';
    d.noticeEndOn = endOn ?? plusDays(startOn, DISPOSAL_POLICY.noticeDays - 1);
  }
  /**
   * 处置执行: after the notice, at no less than the appraisal, through the property exchange (every auction here
   * is worth more than its threshold); the proceeds go to the owner collective's DISPOSAL_PROCEEDS in one entry,
   * the asset becomes DISPOSED. A retry of the key by its actor with the same body replays.
   */
  executeDisposal(who: ActorName, a: MAsset, d: MDisposal, on: string, priceFen: number, dealRef: boolean, key: string, body: string): Expect | 'REPLAY' {
    if (!MAY.pledge.includes(ACTOR_ROLE(who))) return no('DENIED');
    const used = this.disposals.find((x) => x.executeKey === `${who}|${key}`);
    if (used) return used.executeBody === body ? 'REPLAY' : no('IDEMPOTENCY_CONFLICT');
    if (!sees(who, a.village)) return no('DENIED');
    if (d.status !== 'IN_NOTICE') return no('ILLEGAL_TRANSITION');
    if (on > TODAY) return no('DATE_IN_FUTURE');
    if (on <= d.noticeEndOn!) return no('NOTICE_NOT_ENDED');
    if (priceFen <= 0) return no('INVALID_AMOUNT');
    if (d.appraisedValueFen !== null && priceFen < d.appraisedValueFen) return no('PRICE_BELOW_APPRAISAL');
    if (!dealRef && Math.max(BOOK_VALUE_FEN, d.appraisedValueFen ?? 0) >= DISPOSAL_POLICY.exchangeThresholdFen) return no('EXCHANGE_DEAL_REQUIRED');
    if (!a.ownerVillage) return no('NO_OWNERS');
    if (this.stepTooEarly(a, on)) return no('DATE_ORDER');
    return OK;
  }
  applyExecuteDisposal(who: ActorName, a: MAsset, d: MDisposal, on: string, priceFen: number, key: string, body: string) {
    d.status = 'EXECUTED';
    d.executedOn = on;
    d.executeKey = `${who}|${key}`;
    d.executeBody = body;
    this.holds.find((h) => h.kind === 'DISPOSAL' && h.holderId === d.id)!.releasedOn = on;
    a.status = 'DISPOSED';
    a.lastStepOn = on;
    this.move(`party:${this.base.payerPartyId}`, 'EXTERNAL_COUNTERPARTY', -priceFen);
    this.move(`v:${a.ownerVillage}`, 'DISPOSAL_PROCEEDS', priceFen);
  }
  applyCancelDisposal(a: MAsset, d: { id: number; status: string; statusBefore: string }, on: string) {
    d.status = 'CANCELLED';
    this.holds.find((h) => h.kind === 'DISPOSAL' && h.holderId === d.id)!.releasedOn = on;
    a.status = d.statusBefore;
    a.lastStepOn = on;
  }

  // ------------------------------------------------------------------ income
  income(who: ActorName, a: MAsset, amountFen: number, on: string, voucher: string, key: string, body: string): Expect | 'REPLAY' {
    if (!may(who, 'income', a.village)) return no('DENIED');
    const used = this.incomeKeys.find((k) => k.key === key && ACTOR_REGION(k.actor) === ACTOR_REGION(who));
    if (used) return used.body === body && used.actor === who ? 'REPLAY' : no('IDEMPOTENCY_CONFLICT');
    // docs/disposal.md: a disposed asset yields no income; one waiting for its disposal still records what it received.
    if (a.status === 'DISPOSED') return no('ILLEGAL_TRANSITION');
    if (!a.handedOverOn) return no('ILLEGAL_TRANSITION');
    if (on < a.handedOverOn) return no('DATE_ORDER');
    // A pooled asset earns for its venture: no income on it (its BUNDLE hold that day, or while BUNDLED).
    const bundleHolds = this.holds.filter((h) => h.assetId === a.id && h.kind === 'BUNDLE');
    if (bundleHolds.some((h) => binds(h, on, on)) || (a.status === 'BUNDLED' && bundleHolds.some((h) => h.releasedOn === null))) return no('ASSET_BUNDLED');
    if (this.vouchers.has(`${a.village}/${on.slice(0, 4)}/${voucher}`)) return no('DUPLICATE');
    return OK;
  }
  applyIncome(who: ActorName, a: MAsset, amountFen: number, on: string, voucher: string, key: string, body: string, entryId: number) {
    this.incomeKeys.push({ key, actor: who, body, entryId });
    this.vouchers.add(`${a.village}/${on.slice(0, 4)}/${voucher}`);
    this.receipts.push({ entryId, village: a.ownerVillage!, amountFen, on, claimedBy: null });
    (a.incomes ??= []).push(on);
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
