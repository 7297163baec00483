/**
 * The operations a sequence is made of, as fast-check commands (model-based testing): each one asks the
 * reference model what should happen, does it through the service layer as the actor a resolver would
 * build, compares, and then checks every invariant (check.ts). Targets are indices (the i-th asset, plan,
 * household of the model), so a shrunk sequence still means something.
 */
import fc from 'fast-check';
import type { Knex } from 'knex';
import type Database from 'better-sqlite3';
import type { Actor } from '../src/shared/actor';
import type { Clock } from '../src/shared/clock';
import { registerHousehold } from '../src/modules/households/households.service';
import { createProject } from '../src/modules/projects/projects.service';
import { registerAsset } from '../src/modules/assets/assets.service';
import { confirmRights, handOverAsset } from '../src/modules/rights/rights.service';
import { recordIncome } from '../src/modules/income/income.service';
import * as dist from '../src/modules/distribution/distribution.service';
import * as contracts from '../src/modules/contracts/contracts.service';
import * as bundles from '../src/modules/bundles/bundles.service';
import { decide } from '../src/modules/approvals/approvals.service';
import * as disposal from '../src/modules/disposal/disposal.service';
import { importRegister } from '../src/modules/registerio/registerio.import';
import * as revit from '../src/modules/revitalisation/revitalisation.service';
import { DomainError } from '../src/shared/errors';
import { Readable } from 'node:stream';
import { attempt, checkAll, contentHash, expectOutcome, fail, Outcome, sameContent } from './check';
import { BOOK_VALUE_FEN, may, Model, MPlan, plusDays, plusYears, TODAY, VILLAGE_OF } from './model';
import { ACTOR_NAMES, ActorName, APPROVED_ON, assetInput, BaseIds, confirmInput, handOverInput, MEETING_STEPS, meetingInput, NOTICE_END, NOTICE_START, planInput, projectInput, residentId, resolutionMeeting, VILLAGES } from './world';
import { V } from '../seeds/demo-data';

export interface Real {
  db: Knex;
  raw?: () => Database.Database;
  /** Set by an operation that wrote (accepted, not replayed): the world is checked again after it. */
  changed?: boolean;
  /** The journal head last verified: verify and the trial balances run again when it moved. */
  verifiedHead?: number;
  /** The assets and their statuses as last checked against the register's roll-ups. */
  register?: string;
  /** Content hash of the database as it stands, while no step has written since it was taken. */
  hash?: { hash: string; counts: Record<string, number> };
  clock: Clock;
  actors: Record<ActorName, Actor>;
  base: BaseIds;
}

/** Who acts: the proper actor for the target (its village's clerk, its township's reviewer), or anyone. */
export type Who = 'proper' | 'admin' | ActorName;
const clerkOf = (village: string): ActorName => (village === V.chaping ? 'clerkA' : 'clerkB');
function resolve(who: Who, village: string, proper: 'clerk' | 'reviewer'): ActorName {
  if (who !== 'proper') return who;
  return proper === 'clerk' ? clerkOf(village) : 'reviewer';
}
const whoArb: fc.Arbitrary<Who> = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Who>('proper') },
  { weight: 3, arbitrary: fc.constantFrom<Who>(...ACTOR_NAMES) },
);
/** Outcomes by operation, for the run's summary (how much of the money path a run reached). */
export const STATS = new Map<string, number>();
export const TIMES = { hash: 0, service: 0, check: 0, checkLedger: 0 };
/** The i-th newest: index 0 is the last one made (the generators favour it). */
const pick = <T>(xs: T[], i: number): T | undefined => (xs.length ? xs[xs.length - 1 - (i % xs.length)] : undefined);

type Cmd = fc.AsyncCommand<Model, Real, false>;

/**
 * Runs one operation: the model's expectation first, then the service; a rejection (or a replay) must leave
 * every table as it was. After it, the whole world is checked.
 */
async function step<T>(
  m: Model,
  r: Real,
  op: string,
  who: ActorName,
  expected: { ok: true } | { ok: false; code: string } | 'REPLAY',
  work: (svc: any) => Promise<T>,
): Promise<Outcome<T>> {
  const guard = expected === 'REPLAY' || !expected.ok;
  let t0 = performance.now();
  // The hash of the world as the last step left it, when nothing has written since.
  const before = guard ? (r.hash ?? (await contentHash(r.db, r.raw))) : null;
  TIMES.hash += performance.now() - t0;
  t0 = performance.now();
  const got = await attempt(r.db, r.clock, r.actors[who], work);
  TIMES.service += performance.now() - t0;
  const name = op.split('(')[0] + (!op.startsWith('AdvancePlan') ? '' : op.includes(' execute') ? ':execute' : op.includes(' approve') ? ':approve' : op.includes(' results') ? ':results' : op.includes(' notice') ? ':notice' : op.includes(' meeting') ? ':meeting' : '');
  const tag = `${name} ${got.ok ? (expected === 'REPLAY' ? 'replayed' : 'ok') : got.code}`;
  STATS.set(tag, (STATS.get(tag) ?? 0) + 1);
  if (expected === 'REPLAY') {
    if (!got.ok) fail(`${op}: a retry with the same key and body was refused (${got.code}: ${got.message})`);
    const replayed = (got as any).value?.replayed ?? (got as any).value?.posted?.replayed;
    if (replayed !== true) fail(`${op}: a retry with the same key did not say it was replayed`);
  } else {
    expectOutcome(op, expected, got);
  }
  t0 = performance.now();
  if (before) {
    const now = await contentHash(r.db, r.raw);
    sameContent(op, before, now);
    r.hash = now;
  } else {
    r.changed = true;
    r.hash = undefined;
  }
  TIMES.hash += performance.now() - t0;
  return got;
}

/**
 * After each operation: nothing to check when it wrote nothing (the content hash has just proved the
 * database unchanged, and the model did not move); otherwise the model comparison and the cheap invariants,
 * plus verify, reconcile and the trial balances whenever the journal grew.
 */
export async function after(m: Model, r: Real, force = false) {
  if (!r.changed && !force) return;
  r.changed = false;
  const head = Number((await r.db('journal_head').first('last_sequence'))?.last_sequence ?? 0);
  const ledger = force || head !== (r.verifiedHead ?? 0);
  // The register's roll-ups read only the assets: again when an asset was added or changed status.
  const register = m.assets.map((a) => `${a.id}:${a.status}`).join(',');
  const rollUps = force || register !== r.register;
  r.register = register;
  const t0 = performance.now();
  await checkAll(r.db, r.clock, r.actors.admin, m, ledger, rollUps);
  TIMES[ledger ? 'checkLedger' : 'check'] += performance.now() - t0;
  r.verifiedHead = head;
}

// ---------------------------------------------------------------------------------------------- register

class RegisterHousehold implements Cmd {
  constructor(readonly v: number, readonly who: Who, readonly status: string, readonly dup: boolean) {}
  check() { return true; }
  async run(m: Model, r: Real) {
    const village = VILLAGE_OF(this.v);
    const who = resolve(this.who, village, 'clerk');
    const dupOf = this.dup ? m.households.find((h) => !h.idNumber.startsWith('base-')) ?? null : null;
    const n = 100 + m.counter++;
    const idNumber = dupOf ? dupOf.idNumber : residentId(n);
    const got = await step(m, r, this.toString(), who, m.registerHousehold(who, village, dupOf), (svc) =>
      registerHousehold(svc, { villageCode: village, headName: `模拟户${n}`, idNumber, memberCount: 1 + (n % 5), status: this.status, statusEffectiveOn: '2020-12-31' }),
    );
    if (got.ok) m.households.push({ id: (got.value as any).id, village, status: this.status, idNumber });
    await after(m, r);
  }
  toString() { return `RegisterHousehold(village ${this.v}, ${this.who}, ${this.status}${this.dup ? ', duplicate id' : ''})`; }
}

class RegisterAsset implements Cmd {
  constructor(readonly v: number, readonly who: Who) {}
  check() { return true; }
  async run(m: Model, r: Real) {
    const village = VILLAGE_OF(this.v);
    const who = resolve(this.who, village, 'clerk');
    const project = await step(m, r, `${this}: project`, who, may(who, 'project', village) ? { ok: true } : { ok: false, code: 'DENIED' }, (svc) =>
      createProject(svc, projectInput(village)),
    );
    if (project.ok) {
      const got = await step(m, r, `${this}: asset`, who, m.registerAsset(who, village), (svc) => registerAsset(svc, assetInput((project.value as any).id, village)));
      if (got.ok) m.assets.push({ id: (got.value as any).id, village, status: 'REGISTERED', handedOverOn: null, ownerVillage: null, lastStepOn: null });
    }
    await after(m, r);
  }
  toString() { return `RegisterAsset(village ${this.v}, ${this.who})`; }
}

class ConfirmRights implements Cmd {
  constructor(readonly a: number, readonly who: Who) {}
  check() { return true; }
  async run(m: Model, r: Real) {
    const a = pick(m.assets, this.a)!;
    const who = resolve(this.who, a.village, 'clerk');
    const got = await step(m, r, this.toString(), who, m.confirm(who, a, '2021-11-10'), (svc) => confirmRights(svc, confirmInput(a.id, a.village, '2021-11-10')));
    if (got.ok) {
      a.status = 'CONFIRMED';
      a.ownerVillage = a.village;
      a.lastStepOn = '2021-11-10';
    }
    await after(m, r);
  }
  toString() { return `ConfirmRights(asset ${this.a}, ${this.who})`; }
}

class HandOver implements Cmd {
  constructor(readonly a: number, readonly who: Who) {}
  check() { return true; }
  async run(m: Model, r: Real) {
    const a = pick(m.assets, this.a)!;
    const who = resolve(this.who, a.village, 'clerk');
    const got = await step(m, r, this.toString(), who, m.handOver(who, a, '2021-11-20'), (svc) => handOverAsset(svc, handOverInput(a.id, '2021-11-20')));
    if (got.ok) {
      a.status = 'HANDED_OVER';
      a.handedOverOn = '2021-11-20';
      a.lastStepOn = '2021-11-20';
    }
    await after(m, r);
  }
  toString() { return `HandOver(asset ${this.a}, ${this.who})`; }
}

// ---------------------------------------------------------------------------------------------- income

type KeyMode = 'new' | 'replay' | 'conflict' | 'dupVoucher';

class RecordIncome implements Cmd {
  constructor(readonly a: number, readonly who: Who, readonly amountFen: number, readonly year: number, readonly month: number, readonly mode: KeyMode) {}
  check() { return true; }
  async run(m: Model, r: Real) {
    const prev = m.incomeKeys[m.incomeKeys.length - 1];
    let input: any;
    let who: ActorName;
    let a = pick(m.assets, this.a)!;
    if ((this.mode === 'replay' || this.mode === 'conflict' || this.mode === 'dupVoucher') && prev) {
      input = JSON.parse(prev.body);
      who = prev.actor;
      a = m.assets.find((x) => x.id === input.assetId)!;
      if (this.mode === 'conflict') input.amountFen += 1;
      if (this.mode === 'dupVoucher') input = { ...input, idempotencyKey: undefined, memo: 'again' };
      input.idempotencyKey = this.mode === 'dupVoucher' ? `inc-${m.counter++}` : prev.key;
    } else {
      who = resolve(this.who, a.village, 'clerk');
      const n = m.counter++;
      input = {
        assetId: a.id,
        kind: 'RENT',
        receivedOn: `${this.year}-${String(this.month).padStart(2, '0')}-15`,
        payer: { partyId: r.base.payerPartyId },
        voucherNo: `收〔${this.year}〕${n}号`,
        amountFen: this.amountFen,
        memo: '租金',
        idempotencyKey: `inc-${n}`,
      };
    }
    const { idempotencyKey, ...rest } = input;
    const body = JSON.stringify({ ...input, idempotencyKey: undefined });
    void rest;
    const expected = m.income(who, a, input.amountFen, input.receivedOn, input.voucherNo, idempotencyKey, body);
    const got = await step(m, r, this.toString(), who, expected, (svc) => recordIncome(svc, input));
    if (got.ok && expected !== 'REPLAY') m.applyIncome(who, a, input.amountFen, input.receivedOn, input.voucherNo, idempotencyKey, body, (got.value as any).posted.entry.id);
    await after(m, r);
  }
  toString() { return `RecordIncome(asset ${this.a}, ${this.who}, ${this.amountFen} fen, ${this.year}-${this.month}, ${this.mode})`; }
}

// ---------------------------------------------------------------------------------------------- plans

class CreatePlan implements Cmd {
  constructor(
    readonly v: number,
    readonly who: Who,
    readonly dividendBp: number,
    readonly upkeepBp: number,
    readonly fixedFen: number,
    readonly pickMask: number,
    readonly weights: number[],
  ) {}
  check() { return true; }
  async run(m: Model, r: Real) {
    const village = VILLAGE_OF(this.v);
    const who = resolve(this.who, village, 'clerk');
    const candidates = m.households.filter((h) => h.village === village);
    const chosen = candidates.filter((_, i) => this.pickMask & (1 << i)).map((h, i) => ({ h, weight: this.weights[i % this.weights.length] }));
    const draft = m.draft(who, village, { dividendBp: this.dividendBp, upkeepBp: this.upkeepBp, fixedFen: this.fixedFen, recipients: chosen });
    const input = planInput(village, { dividendBp: this.dividendBp, upkeepBp: this.upkeepBp, fixedFen: this.fixedFen, recipients: chosen.map((c) => ({ householdId: c.h.id, weight: c.weight })) });
    const got = await step(m, r, this.toString(), who, draft.expect, (svc) => dist.createPlan(svc, input));
    if (got.ok) m.applyDraft((got.value as any).id, village, draft.total!, draft.lines!, draft.receipts!);
    await after(m, r);
  }
  toString() {
    return `CreatePlan(village ${this.v}, ${this.who}, dividend ${this.dividendBp}bp, upkeep ${this.upkeepBp}bp, fixed ${this.fixedFen} fen, households mask ${this.pickMask}, weights ${this.weights.join('/')})`;
  }
}


/** Drives a plan one step further through 四议两公开 → review → execution → results, by its status. */
class AdvancePlan implements Cmd {
  constructor(readonly p: number, readonly who: Who, readonly variant: 'good' | 'bad') {}
  check(m: Model) { return m.plans.length > 0; }
  async run(m: Model, r: Real) {
    const p = pick(m.plans, this.p)!;
    const v = p.village;
    const deny = { ok: false as const, code: 'DENIED' };
    const illegal = { ok: false as const, code: 'ILLEGAL_TRANSITION' };
    if (p.status === 'DRAFT') {
      const who = resolve(this.who, v, 'clerk');
      const k = p.meetings;
      const bad = this.variant === 'bad';
      const expected = !may(who, 'planWrite', v) ? deny : bad ? { ok: false as const, code: 'MAJORITY_NOT_REACHED' } : { ok: true as const };
      const got = await step(m, r, `${this} meeting ${MEETING_STEPS[k]}`, who, expected, (svc) => dist.recordMeeting(svc, meetingInput(p.id, k, bad)));
      if (got.ok) {
        p.meetings++;
        if (p.meetings === 4) p.status = 'RESOLVED';
      }
    } else if (p.status === 'RESOLVED') {
      const who = resolve(this.who, v, 'clerk');
      const bad = this.variant === 'bad';
      const expected = !may(who, 'planWrite', v) ? deny : bad ? { ok: false as const, code: 'NOTICE_TOO_SHORT' } : { ok: true as const };
      const got = await step(m, r, `${this} notice`, who, expected, (svc) =>
        dist.publishPlanNotice(svc, { planId: p.id, startOn: NOTICE_START, endOn: bad ? '2026-01-25' : null }),
      );
      if (got.ok) {
        p.status = 'IN_NOTICE';
        p.noticeEndOn = NOTICE_END;
      }
    } else if (p.status === 'IN_NOTICE') {
      const who = resolve(this.who, v, 'reviewer');
      const expected = !may(who, 'planApprove', v) ? deny : p.openObjections.length ? { ok: false as const, code: 'OPEN_OBJECTIONS' } : { ok: true as const };
      const got = await step(m, r, `${this} approve`, who, expected, (svc) => dist.approvePlan(svc, { planId: p.id, reviewedOn: APPROVED_ON, opinion: '同意' }));
      if (got.ok) p.status = 'APPROVED';
    } else if (p.status === 'APPROVED') {
      const who = resolve(this.who, v, 'clerk');
      const early = this.variant === 'bad';
      const key = `exec-${m.counter++}`;
      const expected = !may(who, 'planExecute', v)
        ? deny
        : early
          ? { ok: false as const, code: 'NOTICE_NOT_ENDED' }
          : p.openObjections.length
            ? { ok: false as const, code: 'OPEN_OBJECTIONS' }
            : { ok: true as const };
      const got = await step(m, r, `${this} execute`, who, expected, (svc) =>
        dist.executePlan(svc, { planId: p.id, executedOn: early ? '2026-01-31' : '2026-02-03', idempotencyKey: key }),
      );
      if (got.ok) {
        p.status = 'EXECUTED';
        p.executeKey = `${who}|${key}`;
        m.executionMoves(p, 1);
      }
    } else if (p.status === 'EXECUTED') {
      const who = resolve(this.who, v, 'clerk');
      const unpaid = m.recipientIds(p).some((h) => !p.paid.has(h));
      const expected = !may(who, 'planWrite', v) ? deny : unpaid ? { ok: false as const, code: 'UNPAID_RECIPIENTS' } : { ok: true as const };
      const got = await step(m, r, `${this} results`, who, expected, (svc) => dist.publishResults(svc, { planId: p.id, startOn: '2026-03-01' }));
      if (got.ok) p.status = 'CLOSED';
    } else {
      // A closed, reversed, cancelled or rejected plan takes no more meetings.
      const who = resolve(this.who, v, 'clerk');
      const expected = !may(who, 'planWrite', v) ? deny : illegal;
      await step(m, r, `${this} meeting on ${p.status}`, who, expected, (svc) =>
        dist.recordMeeting(svc, { planId: p.id, step: 'PARTY_BRANCH_PROPOSAL', heldOn: '2026-01-16', memberCount: 9, attendance: 9, votesFor: 8, votesAgainst: 1, abstentions: 0 }),
      );
    }
    await after(m, r);
  }
  toString() { return `AdvancePlan(plan ${this.p}, ${this.who}, ${this.variant})`; }
}

/** An objection raised during the notice, or the oldest open one resolved. */
class Objection implements Cmd {
  constructor(readonly p: number, readonly who: Who, readonly resolveIt: boolean) {}
  check(m: Model) { return m.plans.length > 0; }
  async run(m: Model, r: Real) {
    const p = pick(m.plans, this.p)!;
    const who = resolve(this.who, p.village, 'clerk');
    const inNotice = p.status === 'IN_NOTICE' || (p.status === 'APPROVED' && p.noticeEndOn !== null);
    if (this.resolveIt && p.openObjections.length) {
      const id = p.openObjections[0];
      const expected = !may(who, 'planWrite', p.village) ? { ok: false as const, code: 'DENIED' } : inNotice ? { ok: true as const } : { ok: false as const, code: 'ILLEGAL_TRANSITION' };
      const got = await step(m, r, `${this}`, who, expected, (svc) => dist.resolveObjection(svc, { objectionId: id, resolvedOn: '2026-01-26', resolution: '已答复' }));
      if (got.ok) p.openObjections.shift();
    } else {
      const expected = !may(who, 'planWrite', p.village) ? { ok: false as const, code: 'DENIED' } : inNotice ? { ok: true as const } : { ok: false as const, code: 'ILLEGAL_TRANSITION' };
      const got = await step(m, r, `${this}`, who, expected, (svc) => dist.recordObjection(svc, { planId: p.id, raisedOn: '2026-01-25', raisedBy: '村民', content: '分红名单有误' }));
      if (got.ok) {
        const row = await r.db('distribution_objections').where({ plan_id: p.id }).orderBy('id', 'desc').first();
        p.openObjections.push(row.id);
      }
    }
    await after(m, r);
  }
  toString() { return `Objection(plan ${this.p}, ${this.who}, ${this.resolveIt ? 'resolve' : 'raise'})`; }
}

/** The township rejects, or the village cancels, a plan: its receipts are free again. */
class EndPlan implements Cmd {
  constructor(readonly p: number, readonly who: Who, readonly how: 'reject' | 'cancel') {}
  check(m: Model) { return m.plans.length > 0; }
  async run(m: Model, r: Real) {
    const p = pick(m.plans, this.p)!;
    if (this.how === 'reject') {
      const who = resolve(this.who, p.village, 'reviewer');
      const expected = !may(who, 'planApprove', p.village) ? { ok: false as const, code: 'DENIED' } : ['RESOLVED', 'IN_NOTICE'].includes(p.status) ? { ok: true as const } : { ok: false as const, code: 'ILLEGAL_TRANSITION' };
      const got = await step(m, r, `${this}`, who, expected, (svc) => dist.rejectPlan(svc, { planId: p.id, reviewedOn: '2026-01-28', reason: '不符合规定' }));
      if (got.ok) {
        p.status = 'REJECTED';
        m.release(p);
      }
    } else {
      const who = resolve(this.who, p.village, 'clerk');
      const expected = !may(who, 'planWrite', p.village) ? { ok: false as const, code: 'DENIED' } : ['DRAFT', 'RESOLVED'].includes(p.status) ? { ok: true as const } : { ok: false as const, code: 'ILLEGAL_TRANSITION' };
      const got = await step(m, r, `${this}`, who, expected, (svc) => dist.cancelPlan(svc, { planId: p.id, reason: '重新起草' }));
      if (got.ok) {
        p.status = 'CANCELLED';
        m.release(p);
      }
    }
    await after(m, r);
  }
  toString() { return `EndPlan(plan ${this.p}, ${this.who}, ${this.how})`; }
}

/** Retries an execution with its key: the same request replays, another body under the key conflicts. */
class ReplayExecute implements Cmd {
  constructor(readonly p: number, readonly conflict: boolean) {}
  check(m: Model) { return m.plans.some((p) => p.executeKey); }
  async run(m: Model, r: Real) {
    const executed = m.plans.filter((p) => p.executeKey);
    const p = pick(executed, this.p)!;
    const [who, key] = p.executeKey!.split('|') as [ActorName, string];
    const expected = this.conflict ? { ok: false as const, code: 'IDEMPOTENCY_CONFLICT' } : ('REPLAY' as const);
    await step(m, r, `${this}`, who, expected, (svc) => dist.executePlan(svc, { planId: p.id, executedOn: this.conflict ? '2026-02-04' : '2026-02-03', idempotencyKey: key }));
    await after(m, r);
  }
  toString() { return `ReplayExecute(executed plan ${this.p}, ${this.conflict ? 'different body' : 'same body'})`; }
}

const payKey = (p: MPlan, h: number, n: number) => `pay-${p.id}-${h}-${n}`;

/** Pays a recipient household (all its lines), or retries the last payment's key. */
class Pay implements Cmd {
  constructor(readonly p: number, readonly h: number, readonly who: Who, readonly mode: 'new' | 'replay' | 'conflict') {}
  check(m: Model) { return m.plans.length > 0; }
  async run(m: Model, r: Real) {
    const p = pick(m.plans, this.p)!;
    const hs = m.recipientIds(p);
    const h = pick(hs, this.h) ?? m.households[0].id;
    const last = m.moneyKeys.get(`pay:${p.id}:${h}`);
    let who: ActorName;
    let key: string;
    let bank: string;
    let expected: { ok: true } | { ok: false; code: string } | 'REPLAY';
    if (this.mode !== 'new' && last) {
      const [w, k, b] = last.split('|');
      who = w as ActorName;
      key = k;
      bank = this.mode === 'conflict' ? `${b}X` : b;
      expected = this.mode === 'replay' ? 'REPLAY' : { ok: false, code: 'IDEMPOTENCY_CONFLICT' };
    } else {
      who = resolve(this.who, p.village, 'clerk');
      key = payKey(p, h, m.counter++);
      bank = `BANK${m.counter}`;
      expected = !may(who, 'planExecute', p.village)
        ? { ok: false, code: 'DENIED' }
        : p.status !== 'EXECUTED'
          ? { ok: false, code: 'ILLEGAL_TRANSITION' }
          : !hs.includes(h)
            ? { ok: false, code: 'NOT_FOUND' }
            : p.paid.has(h)
              ? { ok: false, code: 'ALREADY_PAID' }
              : { ok: true };
    }
    const got = await step(m, r, `${this}`, who, expected, (svc) =>
      dist.recordPayment(svc, { planId: p.id, householdId: h, paidOn: '2026-02-05', bankReference: bank, idempotencyKey: key }),
    );
    if (got.ok && expected !== 'REPLAY') {
      const amt = m.owed(p, h);
      p.paid.set(h, amt);
      m.move(`hh:${h}`, 'PAYABLE_TO_HOUSEHOLDS', -amt);
      m.move(`hh:${h}`, 'CASH', amt);
      m.moneyKeys.set(`pay:${p.id}:${h}`, `${who}|${key}|${bank}`);
    }
    await after(m, r);
  }
  toString() { return `Pay(plan ${this.p}, recipient ${this.h}, ${this.who}, ${this.mode})`; }
}

/** A payment bounced (退票): the money goes back to the household's payable. */
class ReversePayment implements Cmd {
  constructor(readonly p: number, readonly h: number, readonly who: Who) {}
  check(m: Model) { return m.plans.length > 0; }
  async run(m: Model, r: Real) {
    const p = pick(m.plans, this.p)!;
    const hs = m.recipientIds(p);
    const h = pick(hs, this.h) ?? m.households[0].id;
    const who = resolve(this.who, p.village, 'clerk');
    const expected = !may(who, 'planExecute', p.village)
      ? { ok: false as const, code: 'DENIED' }
      : p.status !== 'EXECUTED'
        ? { ok: false as const, code: 'ILLEGAL_TRANSITION' }
        : !p.paid.has(h)
          ? { ok: false as const, code: 'NOT_FOUND' }
          : { ok: true as const };
    const got = await step(m, r, `${this}`, who, expected, (svc) =>
      dist.reversePayment(svc, { planId: p.id, householdId: h, reversedOn: '2026-02-06', reason: '账户有误', idempotencyKey: `rev-${m.counter++}` }),
    );
    if (got.ok) {
      const amt = p.paid.get(h)!;
      p.paid.delete(h);
      m.move(`hh:${h}`, 'PAYABLE_TO_HOUSEHOLDS', amt);
      m.move(`hh:${h}`, 'CASH', -amt);
    }
    await after(m, r);
  }
  toString() { return `ReversePayment(plan ${this.p}, recipient ${this.h}, ${this.who})`; }
}

/** Reverses an executed plan before any standing payment: the money goes back, the receipts are free. */
class ReversePlan implements Cmd {
  constructor(readonly p: number, readonly who: Who) {}
  check(m: Model) { return m.plans.length > 0; }
  async run(m: Model, r: Real) {
    const p = pick(m.plans, this.p)!;
    const who = resolve(this.who, p.village, 'clerk');
    const expected = !may(who, 'planReverse', p.village)
      ? { ok: false as const, code: 'DENIED' }
      : p.status !== 'EXECUTED' || p.paid.size
        ? { ok: false as const, code: 'ILLEGAL_TRANSITION' }
        : { ok: true as const };
    const got = await step(m, r, `${this}`, who, expected, (svc) => dist.reversePlan(svc, { planId: p.id, reason: '方案有误', idempotencyKey: `rp-${m.counter++}` }));
    if (got.ok) {
      p.status = 'REVERSED';
      m.executionMoves(p, -1);
      m.release(p);
    }
    await after(m, r);
  }
  toString() { return `ReversePlan(plan ${this.p}, ${this.who})`; }
}

// ---------------------------------------------------------------------------------------------- contracts

/** Start dates a contract may be signed for: the last one lies after today (signed ahead of its start). */
export const CONTRACT_STARTS = ['2021-10-01', '2022-01-01', '2023-07-01', '2024-03-01', '2025-01-01', '2026-06-01', '2027-01-01'];
/** Dates an amendment takes effect on or a termination happens on (none after today). */
export const CONTRACT_DATES = ['2022-06-30', '2023-12-31', '2024-12-31', '2025-09-30', '2026-03-01', '2026-11-22'];

/** 签订运营合同: a lease of an operating asset to the county company, from a start for some years. */
class SignContract implements Cmd {
  constructor(readonly a: number, readonly who: Who, readonly start: number, readonly years: number, readonly dupNo: boolean) {}
  check() { return true; }
  async run(m: Model, r: Real) {
    const a = pick(m.assets, this.a)!;
    const who = resolve(this.who, a.village, 'clerk');
    const startOn = CONTRACT_STARTS[this.start % CONTRACT_STARTS.length];
    const signedOn = startOn > TODAY ? '2026-11-01' : startOn;
    const endOn = plusDays(plusYears(startOn, this.years), -1);
    const no = this.dupNo && m.contracts.length ? m.contracts[m.contracts.length - 1].no : `模拟租〔${startOn.slice(0, 4)}〕${m.counter++}号`;
    const c = { no, signedOn, startOn, endOn };
    const got = await step(m, r, this.toString(), who, m.signContract(who, a, c), (svc) =>
      contracts.signContract(svc, {
        assetId: a.id,
        contractNo: no,
        mode: 'LEASE',
        operator: { partyId: r.base.payerPartyId },
        signedOn,
        startOn,
        endOn,
        fee: { kind: 'FIXED', amountFen: 2_500_000, period: 'QUARTER' },
        guaranteedRateBp: 600,
        depositFen: 2_000_000,
      }),
    );
    if (got.ok) m.applySign((got.value as any).contract.id, a, c);
    await after(m, r);
  }
  toString() { return `SignContract(asset ${this.a}, ${this.who}, from ${CONTRACT_STARTS[this.start % CONTRACT_STARTS.length]} for ${this.years} years${this.dupNo ? ', number used' : ''})`; }
}

/** 合同变更: a supplementary agreement from a date moving the contract's end by some years (either way). */
class AmendContract implements Cmd {
  constructor(readonly c: number, readonly who: Who, readonly on: number, readonly years: number) {}
  check(m: Model) { return m.contracts.length > 0; }
  async run(m: Model, r: Real) {
    const c = pick(m.contracts, this.c)!;
    const a = m.assets.find((x) => x.id === c.assetId)!;
    const who = resolve(this.who, a.village, 'clerk');
    const on = CONTRACT_DATES[this.on % CONTRACT_DATES.length];
    const ch = { signedOn: on, effectiveFrom: on, endOn: plusYears(c.endOn, this.years) };
    const got = await step(m, r, this.toString(), who, m.amendContract(who, a, c, ch), (svc) =>
      contracts.amendContract(svc, { contractId: c.id, signedOn: ch.signedOn, effectiveFrom: ch.effectiveFrom, endOn: ch.endOn, reason: '补充协议' }),
    );
    if (got.ok) m.applyAmend(a, c, ch);
    await after(m, r);
  }
  toString() { return `AmendContract(contract ${this.c}, ${this.who}, from ${CONTRACT_DATES[this.on % CONTRACT_DATES.length]}, end ${this.years >= 0 ? '+' : ''}${this.years} years)`; }
}

/** 解除合同 on a date: the asset it ran falls idle. */
class TerminateContract implements Cmd {
  constructor(readonly c: number, readonly who: Who, readonly on: number) {}
  check(m: Model) { return m.contracts.length > 0; }
  async run(m: Model, r: Real) {
    const c = pick(m.contracts, this.c)!;
    const a = m.assets.find((x) => x.id === c.assetId)!;
    const who = resolve(this.who, a.village, 'clerk');
    const on = CONTRACT_DATES[this.on % CONTRACT_DATES.length];
    const got = await step(m, r, this.toString(), who, m.terminateContract(who, a, c, on), (svc) =>
      contracts.terminateContract(svc, { contractId: c.id, terminatedOn: on, reason: '经营不善' }),
    );
    if (got.ok) m.applyTerminate(a, c, on);
    await after(m, r);
  }
  toString() { return `TerminateContract(contract ${this.c}, ${this.who}, on ${CONTRACT_DATES[this.on % CONTRACT_DATES.length]})`; }
}

// ---------------------------------------------------------------------------------------------- ventures

export const CONTRIBUTED_ON = '2026-04-01';
/** Decisions of a chain's steps: the village's resolution, then the township's filing. */
export const DECIDED_ON = ['2026-04-10', '2026-04-20'];
export const SPLIT_ON = '2026-05-01';

/** 入股: a member village contributes one of its assets (appraised) or cash; an approval chain opens. */
class Contribute implements Cmd {
  constructor(readonly v: number, readonly a: number, readonly who: Who, readonly cash: boolean, readonly valueFen: number) {}
  check() { return true; }
  async run(m: Model, r: Real) {
    const village = VILLAGE_OF(this.v);
    const who = resolve(this.who, village, 'clerk');
    const a = this.cash ? null : pick(m.assets, this.a)!;
    const kind = this.cash ? ('CASH' as const) : ('ASSET' as const);
    const input = this.cash
      ? { bundleId: m.venture.id, villageCode: village, kind, amountFen: this.valueFen, contributedOn: CONTRIBUTED_ON }
      : {
          bundleId: m.venture.id,
          villageCode: village,
          kind,
          assetId: a!.id,
          appraisal: { appraiser: '南江资产评估事务所', appraisedOn: '2026-03-15', valueFen: this.valueFen, reportNo: `南评〔2026〕${m.counter++}号` },
          contributedOn: CONTRIBUTED_ON,
        };
    const got = await step(m, r, this.toString(), who, m.contribute(who, village, kind, a, this.valueFen, CONTRIBUTED_ON), (svc) => bundles.contribute(svc, input));
    if (got.ok) m.applyContribute((got.value as any).contribution.id, (got.value as any).chain.id, village, kind, a, this.valueFen, CONTRIBUTED_ON);
    await after(m, r);
  }
  toString() { return `Contribute(village ${this.v}, ${this.cash ? 'cash' : `asset ${this.a}`}, ${this.who}, ${this.valueFen} fen)`; }
}

/** approvalDecide on a contribution's chain: its next step, by the step's decider (proper) or anyone. */
class DecideContribution implements Cmd {
  constructor(readonly c: number, readonly who: Who, readonly how: 'approve' | 'reject' | 'noMajority') {}
  check(m: Model) { return m.venture.contributions.some((c) => c.chainId); }
  async run(m: Model, r: Real) {
    const c = pick(m.venture.contributions.filter((x) => x.chainId), this.c)!;
    const k = Math.min(c.decided, c.steps.length - 1);
    const stepOf = c.steps[k];
    const who: ActorName = this.who !== 'proper' ? this.who : stepOf.role === 'VILLAGE_CLERK' ? clerkOf(stepOf.region) : 'reviewer';
    const on = DECIDED_ON[k];
    const decision = this.how === 'reject' ? ('REJECT' as const) : ('APPROVE' as const);
    const resolution = stepOf.role === 'VILLAGE_CLERK';
    const got = await step(m, r, this.toString(), who, m.decide(who, c, decision, on, this.how !== 'noMajority'), (svc) =>
      decide(svc, {
        chainId: c.chainId,
        decision,
        decidedOn: on,
        reference: resolution ? '村民代表会议纪要' : '乡镇备案',
        reason: decision === 'REJECT' ? '评估值过高' : null,
        meeting: resolution ? resolutionMeeting(on, this.how !== 'noMajority') : null,
      }),
    );
    if (got.ok) m.applyDecide(c, decision, on);
    await after(m, r);
  }
  toString() { return `DecideContribution(contribution ${this.c}, ${this.who}, ${this.how})`; }
}

/** 收益分成: part of a year's recorded profit split to the members by shares; or a retry of the last key. */
class SplitVentureIncome implements Cmd {
  constructor(readonly who: Who, readonly year: number, readonly amountFen: number, readonly mode: 'new' | 'replay' | 'conflict') {}
  check() { return true; }
  async run(m: Model, r: Real) {
    const last = [...m.splitKeys.keys()].pop();
    let who: ActorName;
    let input: any;
    if (this.mode !== 'new' && last) {
      const [w, key] = last.split('|');
      who = w as ActorName;
      input = { ...JSON.parse(m.splitKeys.get(last)!), idempotencyKey: key };
      if (this.mode === 'conflict') input.amountFen += 1;
    } else {
      who = this.who === 'proper' ? 'reviewer' : this.who;
      input = { bundleId: m.venture.id, year: this.year, amountFen: this.amountFen, splitOn: SPLIT_ON, memo: '按股分成', idempotencyKey: `split-${m.counter++}` };
    }
    const { idempotencyKey: key, ...rest } = input;
    const body = JSON.stringify(rest);
    const expected = m.splitIncome(who, input.year, input.amountFen, input.splitOn, key, body);
    const got = await step(m, r, this.toString(), who, expected, (svc) => bundles.splitIncome(svc, input));
    if (got.ok && expected !== 'REPLAY') m.applySplit(who, input.year, input.amountFen, input.splitOn, key, body);
    await after(m, r);
  }
  toString() { return `SplitVentureIncome(${this.who}, ${this.year}, ${this.amountFen} fen, ${this.mode})`; }
}

// ---------------------------------------------------------------------------------------------- pledges

export const PLEDGE_DATES = ['2023-05-01', '2025-06-01', '2026-07-01', '2026-11-22'];
/** The date a command's `on` index names (the pledge, disposal and release dates). */
const pledgeDate = (on: number) => PLEDGE_DATES[on % PLEDGE_DATES.length];

/** 抵押: an asset pledged for a loan from a date (its chain left pending). */
class PledgeAsset implements Cmd {
  constructor(readonly a: number, readonly who: Who, readonly on: number) {}
  check() { return true; }
  async run(m: Model, r: Real) {
    const a = pick(m.assets, this.a)!;
    const who = resolve(this.who, a.village, 'clerk');
    const on = pledgeDate(this.on);
    const got = await step(m, r, this.toString(), who, m.pledge(who, a, on), (svc) =>
      disposal.pledgeAsset(svc, { assetId: a.id, kind: 'MORTGAGE', pledgee: { partyId: r.base.payerPartyId }, loanFen: 10_000_000, loanPurpose: '扩大生产', contractNo: `抵〔${on.slice(0, 4)}〕${m.counter++}号`, pledgedOn: on }),
    );
    if (got.ok) m.applyPledge((got.value as any).id, (got.value as any).chainId, a, on);
    await after(m, r);
  }
  toString() { return `PledgeAsset(asset ${this.a}, ${this.who}, on ${pledgeDate(this.on)})`; }
}

/** 解除抵押 on a date: the hold ends (a pending request's chain is withdrawn); an asset's or a stake's pledge. */
class ReleasePledge implements Cmd {
  constructor(readonly p: number, readonly who: Who, readonly on: number) {}
  check(m: Model) { return m.pledges.length > 0; }
  async run(m: Model, r: Real) {
    const p = pick(m.pledges, this.p)!;
    const a = p.assetId === null ? undefined : m.assets.find((x) => x.id === p.assetId)!;
    const who = resolve(this.who, p.village, 'clerk');
    const on = pledgeDate(this.on);
    const got = await step(m, r, this.toString(), who, m.releasePledge(who, a, p, on), (svc) => disposal.releasePledge(svc, { pledgeId: p.id, releasedOn: on, reason: '贷款还清' }));
    if (got.ok) m.applyRelease(a, p, on);
    await after(m, r);
  }
  toString() { return `ReleasePledge(pledge ${this.p}, ${this.who}, on ${pledgeDate(this.on)})`; }
}

/** Dates of a chain's decisions: days after its last date (−1: DATE_ORDER). */
export const CHAIN_OFFSETS = [-1, 0, 7, 30];
type How = 'approve' | 'reject' | 'noMajority';
const decisionInput = (chainId: number, how: How, on: string, resolution: boolean) => ({
  chainId,
  decision: how === 'reject' ? ('REJECT' as const) : ('APPROVE' as const),
  decidedOn: on,
  reference: resolution ? '村民代表会议纪要' : '审批意见',
  reason: how === 'reject' ? '风险过高' : null,
  meeting: resolution ? resolutionMeeting(on, how !== 'noMajority') : null,
});

/** approvalDecide on a pledge's chain (asset or stake): the village's resolution, the township, county finance. */
class DecidePledge implements Cmd {
  constructor(readonly p: number, readonly who: Who, readonly how: How, readonly on: number) {}
  check(m: Model) { return m.pledges.length > 0; }
  async run(m: Model, r: Real) {
    const pending = m.pledges.filter((x) => x.status === 'PENDING');
    const p = this.p === 0 && pending.length ? pending[pending.length - 1] : pick(m.pledges, this.p)!;
    const a = p.assetId === null ? undefined : m.assets.find((x) => x.id === p.assetId)!;
    const st = p.chain.steps[Math.min(p.chain.decided, p.chain.steps.length - 1)];
    const who: ActorName = this.who !== 'proper' ? this.who : deciderOf(st.role, st.region);
    const on = plusDays(p.chain.lastOn, CHAIN_OFFSETS[this.on % CHAIN_OFFSETS.length]);
    const decision = this.how === 'reject' ? ('REJECT' as const) : ('APPROVE' as const);
    const got = await step(m, r, this.toString(), who, m.decidePledge(who, a, p, decision, on, this.how !== 'noMajority'), (svc) =>
      decide(svc, decisionInput(p.chain.id, this.how, on, st.role === 'VILLAGE_CLERK')),
    );
    if (got.ok) m.applyDecidePledge(a, p, decision, on);
    await after(m, r);
  }
  toString() { return `DecidePledge(pledge ${this.p}, ${this.who}, ${this.how}, +${CHAIN_OFFSETS[this.on % CHAIN_OFFSETS.length]} days)`; }
}

/** The id of a village's membership in the venture (read from the database: an id, nothing the model decides). */
async function memberId(m: Model, r: Real, village: string): Promise<number> {
  return (await r.db('bundle_members').where({ bundle_id: m.venture.id, village_code: village }).first('id')).id;
}

/** 股权质押: a member village pledges its stake in the venture. */
class PledgeStake implements Cmd {
  constructor(readonly v: number, readonly who: Who, readonly on: number) {}
  check() { return true; }
  async run(m: Model, r: Real) {
    const village = VILLAGE_OF(this.v);
    const who = resolve(this.who, village, 'clerk');
    const on = pledgeDate(this.on);
    const bundleMemberId = await memberId(m, r, village);
    const got = await step(m, r, this.toString(), who, m.pledgeStake(who, village, on), (svc) =>
      disposal.pledgeAsset(svc, { bundleMemberId, kind: 'PLEDGE', pledgee: { partyId: r.base.payerPartyId }, loanFen: 5_000_000, loanPurpose: '流动资金', contractNo: `质〔${on.slice(0, 4)}〕${m.counter++}号`, pledgedOn: on }),
    );
    if (got.ok) m.applyPledgeStake((got.value as any).id, (got.value as any).chainId, village, on);
    await after(m, r);
  }
  toString() { return `PledgeStake(village ${this.v}, ${this.who}, on ${pledgeDate(this.on)})`; }
}

/** 退出联营: a member asks to leave the venture on a date (the pledge dates). */
class RequestWithdrawal implements Cmd {
  constructor(readonly v: number, readonly who: Who, readonly on: number) {}
  check() { return true; }
  async run(m: Model, r: Real) {
    const village = VILLAGE_OF(this.v);
    const who = resolve(this.who, village, 'clerk');
    const on = pledgeDate(this.on);
    const got = await step(m, r, this.toString(), who, m.requestWithdrawal(who, village, on), (svc) =>
      bundles.requestWithdrawal(svc, { bundleId: m.venture.id, villageCode: village, withdrawnOn: on, reason: '经营方向调整' }),
    );
    if (got.ok) m.applyRequestWithdrawal((got.value as any).chain.id, village, on);
    await after(m, r);
  }
  toString() { return `RequestWithdrawal(village ${this.v}, ${this.who}, on ${pledgeDate(this.on)})`; }
}

/** approvalDecide on a withdrawal's chain: the village's resolution, the township's filing; the last one re-bases the shares. */
class DecideWithdrawal implements Cmd {
  constructor(readonly w: number, readonly who: Who, readonly how: How, readonly on: number) {}
  check(m: Model) { return m.withdrawals.length > 0; }
  async run(m: Model, r: Real) {
    const w = pick(m.withdrawals, this.w)!;
    const st = w.chain.steps[Math.min(w.chain.decided, w.chain.steps.length - 1)];
    const who: ActorName = this.who !== 'proper' ? this.who : deciderOf(st.role, st.region);
    const on = plusDays(w.chain.lastOn, CHAIN_OFFSETS[this.on % CHAIN_OFFSETS.length]);
    const decision = this.how === 'reject' ? ('REJECT' as const) : ('APPROVE' as const);
    const got = await step(m, r, this.toString(), who, m.decideWithdrawal(who, w, decision, on, this.how !== 'noMajority'), (svc) =>
      decide(svc, decisionInput(w.chain.id, this.how, on, st.role === 'VILLAGE_CLERK')),
    );
    if (got.ok) m.applyDecideWithdrawal(w, decision, on);
    await after(m, r);
  }
  toString() { return `DecideWithdrawal(withdrawal ${this.w}, ${this.who}, ${this.how}, +${CHAIN_OFFSETS[this.on % CHAIN_OFFSETS.length]} days)`; }
}

// ---------------------------------------------------------------------------------------------- disposal requests

/** 申请处置 on a date (the pledge dates): the asset waits for its appraisal and approvals (not driven further). */
class RequestDisposal implements Cmd {
  constructor(readonly a: number, readonly who: Who, readonly on: number) {}
  check() { return true; }
  async run(m: Model, r: Real) {
    const a = pick(m.assets, this.a)!;
    const who = resolve(this.who, a.village, 'clerk');
    const on = pledgeDate(this.on);
    const got = await step(m, r, this.toString(), who, m.requestDisposal(who, a, on), (svc) =>
      disposal.requestDisposal(svc, { assetId: a.id, reason: 'IDLE_NOT_REVIVABLE', method: 'AUCTION', requestedOn: on, description: '长期闲置，拟公开拍卖' }),
    );
    if (got.ok) m.applyRequestDisposal((got.value as any).id, a, on);
    await after(m, r);
  }
  toString() { return `RequestDisposal(asset ${this.a}, ${this.who}, on ${pledgeDate(this.on)})`; }
}

class CancelDisposal implements Cmd {
  constructor(readonly d: number, readonly who: Who, readonly on: number) {}
  check(m: Model) { return m.disposals.length > 0; }
  async run(m: Model, r: Real) {
    const d = pick(m.disposals, this.d)!;
    const a = m.assets.find((x) => x.id === d.assetId)!;
    const who = resolve(this.who, a.village, 'clerk');
    const on = pledgeDate(this.on);
    const got = await step(m, r, this.toString(), who, m.cancelDisposal(who, a, d, on), (svc) => disposal.cancelDisposal(svc, { disposalId: d.id, cancelledOn: on, reason: '找到承租方' }));
    if (got.ok) m.applyCancelDisposal(a, d, on);
    await after(m, r);
  }
  toString() { return `CancelDisposal(disposal ${this.d}, ${this.who}, on ${pledgeDate(this.on)})`; }
}

// ---------------------------------------------------------------------------------------------- disposal to the end

/** Dates of a disposal's later steps, as days after the model's last date of it (−1: before it, DATE_ORDER). */
export const APPRAISE_OFFSETS = [-1, 0, 10];
export const APPRAISED_VALUES = [40_000_000, 60_000_000, 75_000_000];
export const DECIDE_OFFSETS = [-1, 0, 7, 30];
export const NOTICE_OFFSETS = [-1, 0, 3];
/** Execution: days after the notice's last day (0: NOTICE_NOT_ENDED). */
export const EXECUTE_OFFSETS = [0, 1, 20];
/**
 * Index 0 targets the newest disposal waiting for this very step when there is one (the others by index, the
 * newest first): random sequences then walk their own requests through appraisal, chain and notice.
 */
const pickDisposal = (m: Model, i: number, waiting: string) => {
  const ready = m.disposals.filter((x) => x.status === waiting);
  return i === 0 && ready.length ? ready[ready.length - 1] : pick(m.disposals, i)!;
};
const deciderOf = (role: string, region: string): ActorName =>
  role === 'VILLAGE_CLERK' ? clerkOf(region) : role === 'TOWNSHIP_REVIEWER' ? 'reviewer' : role === 'COUNTY_PLANNER' ? 'planner' : 'finance';

/** 资产评估 of a disposal waiting for it: the approval chain opens. */
class AppraiseDisposal implements Cmd {
  constructor(readonly d: number, readonly who: Who, readonly on: number, readonly value: number) {}
  check(m: Model) { return m.disposals.length > 0; }
  async run(m: Model, r: Real) {
    const d = pickDisposal(m, this.d, 'AWAITING_APPRAISAL');
    const a = m.assets.find((x) => x.id === d.assetId)!;
    const who = resolve(this.who, a.village, 'clerk');
    const on = plusDays(d.requestedOn, APPRAISE_OFFSETS[this.on % APPRAISE_OFFSETS.length]);
    const valueFen = APPRAISED_VALUES[this.value % APPRAISED_VALUES.length];
    const got = await step(m, r, this.toString(), who, m.appraiseDisposal(who, a, d, on), (svc) =>
      disposal.appraiseDisposal(svc, { disposalId: d.id, appraiser: '南江资产评估事务所', appraisedOn: on, valueFen, reportNo: `南评处〔${on.slice(0, 4)}〕${m.counter++}号` }),
    );
    if (got.ok) m.applyAppraise(a, d, on, valueFen);
    await after(m, r);
  }
  toString() { return `AppraiseDisposal(disposal ${this.d}, ${this.who}, +${APPRAISE_OFFSETS[this.on % APPRAISE_OFFSETS.length]} days, ${APPRAISED_VALUES[this.value % APPRAISED_VALUES.length]} fen)`; }
}

/** 处置审批: the next step of the disposal's chain, by its decider (proper) or anyone. */
class DecideDisposal implements Cmd {
  constructor(readonly d: number, readonly who: Who, readonly how: 'approve' | 'reject' | 'noMajority', readonly on: number) {}
  check(m: Model) { return m.disposals.length > 0; }
  async run(m: Model, r: Real) {
    const d = pickDisposal(m, this.d, 'IN_APPROVAL');
    const a = m.assets.find((x) => x.id === d.assetId)!;
    const stepOf = d.steps[Math.min(d.decided, d.steps.length - 1)];
    const who: ActorName = this.who !== 'proper' ? this.who : stepOf ? deciderOf(stepOf.role, stepOf.region) : clerkOf(a.village);
    const on = plusDays(d.lastOn, DECIDE_OFFSETS[this.on % DECIDE_OFFSETS.length]);
    const decision = this.how === 'reject' ? ('REJECT' as const) : ('APPROVE' as const);
    const resolution = stepOf?.role === 'VILLAGE_CLERK';
    const got = await step(m, r, this.toString(), who, m.decideDisposal(who, a, d, decision, on, this.how !== 'noMajority'), (svc) =>
      disposal.decideDisposal(svc, {
        disposalId: d.id,
        decision,
        decidedOn: on,
        reference: resolution ? '村民代表会议纪要' : '审批意见',
        reason: decision === 'REJECT' ? '价格过低' : null,
        meeting: resolution ? resolutionMeeting(on, this.how !== 'noMajority') : null,
      }),
    );
    if (got.ok) m.applyDecideDisposal(a, d, decision, on);
    await after(m, r);
  }
  toString() { return `DecideDisposal(disposal ${this.d}, ${this.who}, ${this.how}, +${DECIDE_OFFSETS[this.on % DECIDE_OFFSETS.length]} days)`; }
}

/** 处置公示 once approved (or one too short). */
class PublishDisposalNotice implements Cmd {
  constructor(readonly d: number, readonly who: Who, readonly on: number, readonly short: boolean) {}
  check(m: Model) { return m.disposals.length > 0; }
  async run(m: Model, r: Real) {
    const d = pickDisposal(m, this.d, 'APPROVED');
    const a = m.assets.find((x) => x.id === d.assetId)!;
    const who = resolve(this.who, a.village, 'clerk');
    const startOn = plusDays(d.approvedOn ?? d.lastOn, NOTICE_OFFSETS[this.on % NOTICE_OFFSETS.length]);
    const endOn = this.short ? plusDays(startOn, 5) : null;
    const got = await step(m, r, this.toString(), who, m.publishDisposalNotice(who, a, d, startOn, endOn), (svc) =>
      disposal.publishNotice(svc, { disposalId: d.id, startOn, endOn, content: '拟公开拍卖，欢迎监督' }),
    );
    if (got.ok) m.applyDisposalNotice(d, startOn, endOn);
    await after(m, r);
  }
  toString() { return `PublishDisposalNotice(disposal ${this.d}, ${this.who}, +${NOTICE_OFFSETS[this.on % NOTICE_OFFSETS.length]} days${this.short ? ', too short' : ''})`; }
}

/** 处置执行: the deal after the notice, its proceeds booked; or a retry of the last execution's key. */
class ExecuteDisposal implements Cmd {
  constructor(
    readonly d: number,
    readonly who: Who,
    readonly on: number,
    readonly price: 'below' | 'at' | 'above',
    readonly dealRef: boolean,
    readonly mode: 'new' | 'replay' | 'conflict',
  ) {}
  check(m: Model) { return m.disposals.length > 0; }
  async run(m: Model, r: Real) {
    const last = [...m.disposals].reverse().find((x) => x.executeKey);
    let d = pickDisposal(m, this.d, 'IN_NOTICE');
    let who: ActorName;
    let input: any;
    if (this.mode !== 'new' && last) {
      const [w, key] = last.executeKey!.split('|');
      who = w as ActorName;
      d = last;
      input = { ...JSON.parse(last.executeBody!), idempotencyKey: key };
      if (this.mode === 'conflict') input.priceFen += 1;
    } else {
      const a0 = m.assets.find((x) => x.id === d.assetId)!;
      who = resolve(this.who, a0.village, 'clerk');
      const appraised = d.appraisedValueFen ?? BOOK_VALUE_FEN;
      input = {
        disposalId: d.id,
        executedOn: plusDays(d.noticeEndOn ?? d.lastOn, EXECUTE_OFFSETS[this.on % EXECUTE_OFFSETS.length]),
        recipient: { partyId: r.base.payerPartyId },
        priceFen: this.price === 'below' ? appraised - 1 : this.price === 'at' ? appraised : appraised + 123_456,
        exchangeDealRef: this.dealRef ? `农交所〔2026〕${m.counter}号` : null,
        dealContractNo: `拍卖成交确认书${m.counter}`,
        idempotencyKey: `dispose-${m.counter++}`,
      };
    }
    const a = m.assets.find((x) => x.id === d.assetId)!;
    const { idempotencyKey: key, ...rest } = input;
    const body = JSON.stringify(rest);
    const expected = m.executeDisposal(who, a, d, input.executedOn, input.priceFen, !!input.exchangeDealRef, key, body);
    const got = await step(m, r, this.toString(), who, expected, (svc) => disposal.executeDisposal(svc, input));
    if (got.ok && expected !== 'REPLAY') m.applyExecuteDisposal(who, a, d, input.executedOn, input.priceFen, key, body);
    await after(m, r);
  }
  toString() {
    return `ExecuteDisposal(disposal ${this.d}, ${this.who}, +${EXECUTE_OFFSETS[this.on % EXECUTE_OFFSETS.length]} days after the notice, price ${this.price}${this.dealRef ? ', exchange deal' : ''}, ${this.mode})`;
  }
}

// ---------------------------------------------------------------------------------------------- revitalisation

export const REVIT_DATES = ['2025-12-31', '2026-03-01', '2026-11-22'];
const PATHS = ['ATTRACT_OPERATORS', 'OPTIMISE_USE', 'SLIM_DOWN'];

/** 闲置认定 of one asset on a date, by the county planner (proper) or anyone. */
class FlagIdle implements Cmd {
  constructor(readonly a: number, readonly who: Who, readonly on: number) {}
  check() { return true; }
  async run(m: Model, r: Real) {
    const a = pick(m.assets, this.a)!;
    const who: ActorName = this.who === 'proper' ? 'planner' : this.who;
    const on = REVIT_DATES[this.on % REVIT_DATES.length];
    const got = await step(m, r, this.toString(), who, m.flagIdle(who, a, on), (svc) => revit.raiseIdleFlags(svc, { assetId: a.id, flaggedOn: on }));
    if (got.ok) m.applyFlagIdle((got.value as any)[0].id, a, on);
    await after(m, r);
  }
  toString() { return `FlagIdle(asset ${this.a}, ${this.who}, on ${REVIT_DATES[this.on % REVIT_DATES.length]})`; }
}

/** 立项: a case on a flagged asset (一资产一方案), a year to its deadline. */
class OpenCase implements Cmd {
  constructor(readonly a: number, readonly who: Who, readonly on: number, readonly path: number) {}
  check() { return true; }
  async run(m: Model, r: Real) {
    const flagged = m.flags.map((f) => f.assetId);
    const ready = m.assets.filter((x) => flagged.includes(x.id));
    const a = this.a === 0 && ready.length ? ready[ready.length - 1] : pick(m.assets, this.a)!;
    const who: ActorName = this.who === 'proper' ? 'planner' : this.who;
    // Date 0: the day of the asset's last flag (the others fixed), so a case follows its flag.
    const lastFlag = m.flags.filter((f) => f.assetId === a.id).pop();
    const on = this.on === 0 && lastFlag ? lastFlag.raisedOn : REVIT_DATES[this.on % REVIT_DATES.length];
    const got = await step(m, r, this.toString(), who, m.openCase(who, a, on), (svc) =>
      revit.openCase(svc, { assetId: a.id, path: PATHS[this.path % PATHS.length], measures: '公开招租', responsibleUnit: '云顶镇人民政府', responsiblePerson: '王主任', openedOn: on, deadlineOn: plusYears(on, 1), target: '年内盘活' }),
    );
    if (got.ok) m.applyOpenCase((got.value as any).id, a, on);
    await after(m, r);
  }
  toString() { return `OpenCase(asset ${this.a}, ${this.who}, on ${this.on === 0 ? "the flag's day" : REVIT_DATES[this.on % REVIT_DATES.length]}, ${PATHS[this.path % PATHS.length]})`; }
}

/** 销号 on the evidence of the asset's disposal (DISPOSED), or 终止 (abandon). */
class EndCase implements Cmd {
  constructor(readonly c: number, readonly who: Who, readonly on: number, readonly close: boolean) {}
  check(m: Model) { return m.cases.length > 0; }
  async run(m: Model, r: Real) {
    const c = pick(m.cases, this.c)!;
    const a = m.assets.find((x) => x.id === c.assetId)!;
    const who: ActorName = this.who === 'proper' ? 'planner' : this.who;
    const on = REVIT_DATES[this.on % REVIT_DATES.length];
    const got = await step(m, r, this.toString(), who, m.endCase(who, a, c, on, this.close), (svc) =>
      this.close ? revit.closeCase(svc, { caseId: c.id, closedOn: on, kind: 'DISPOSED', note: '已处置' }) : revit.abandonCase(svc, { caseId: c.id, abandonedOn: on, reason: '无法盘活' }),
    );
    if (got.ok) c.status = this.close ? 'CLOSED' : 'ABANDONED';
    await after(m, r);
  }
  toString() { return `EndCase(case ${this.c}, ${this.who}, on ${REVIT_DATES[this.on % REVIT_DATES.length]}, ${this.close ? 'close: disposed' : 'abandon'})`; }
}

// ---------------------------------------------------------------------------------------------- register imports

/** A row of an imported register: good, or with one fault and the code its report names. */
export type ImportRow = 'good' | 'funding' | 'subType' | 'village';
export const IMPORT_FAULT: Record<Exclude<ImportRow, 'good'>, string> = { funding: 'FUNDING_MISMATCH', subType: 'INVALID_SUB_TYPE', village: 'INVALID_REGION' };
const IMPORT_HEADERS = ['资产编号', '资产名称', '资产类别', '资产子类', '所属项目', '建设年度', '实施单位', '所在村', '数量', '单位', '原值（元）', '中央衔接资金（元）', '村集体自筹（元）', '竣工日期', '验收日期', '入账日期'];
/** A village of another county (剑阁县): outside any import region of the simulated world. */
const FOREIGN_VILLAGE = '510823101001';

/**
 * 台账导入 of a small CSV (a few rows of operating assets at 600 000 yuan, some with a fault) through registerio's
 * importer, as one mutation: all or nothing — a file with a bad row writes nothing and its report names every bad
 * row (row number and code); a good one registers every row (REGISTERED); the same file again is recognised
 * (alreadyImported) and writes nothing.
 */
class ImportRegister implements Cmd {
  constructor(readonly v: number, readonly who: Who, readonly rows: ImportRow[], readonly again: boolean) {}
  check() { return true; }
  async run(m: Model, r: Real) {
    const previous = this.again ? m.imports[m.imports.length - 1] : undefined;
    const village = previous?.village ?? VILLAGE_OF(this.v);
    const who = previous?.who ?? resolve(this.who, village, 'clerk');
    const rows = (previous?.rows ?? this.rows) as ImportRow[];
    const n = previous?.n ?? m.counter++;
    const csv = [IMPORT_HEADERS, ...rows.map((kind, i) => [
      `SIM-IMP-${n}-${i}`, `模拟导入厂房${n}-${i}`, '经营性资产', kind === 'subType' ? '道路' : '生产加工设施', `模拟导入项目${n}`, '2021', '南江县农业农村局',
      kind === 'village' ? FOREIGN_VILLAGE : village, '800', '平方米', '600000', kind === 'funding' ? '499999' : '500000', '100000', '2021-10-01', '2021-11-01', '2021-12-01',
    ])].map((x) => x.join(',')).join('\r\n') + '\r\n';
    const buffer = Buffer.from(csv, 'utf8');
    const source = { name: `模拟台账${n}.csv`, size: buffer.length, open: () => Readable.from([buffer]) };
    const expected = m.importRegister(who, village, csv, rows);
    const bad = rows.map((k, i) => (k === 'good' ? null : `${i + 2}:${IMPORT_FAULT[k]}`)).filter((x) => x !== null).join(',');
    const got = await step(m, r, this.toString(), who, expected, async (svc) => {
      const res = await importRegister({ db: svc.db, clock: svc.clock, actor: svc.actor }, source, { regionCode: village, maxBytes: 10_000_000 });
      if (res.alreadyImported) return { ...res, replayed: true };
      // The report names every bad row, with its code; then nothing is written.
      const report = res.errors.map((e) => `${e.row}:${e.code}`).join(',');
      if (report !== bad) fail(`${this}: the import's report is ${report || 'empty'}, the model expects ${bad || 'nothing'}`);
      if (!res.written) throw new DomainError(res.errors[0].code as never, res.errors[0].message, ['input', 'file']);
      if (res.assetsRegistered !== rows.length) fail(`${this}: ${res.assetsRegistered} assets registered of ${rows.length} rows`);
      return res;
    });
    if (got.ok && expected !== 'REPLAY') {
      const ids: number[] = (await r.db('assets').where('code', 'like', `SIM-IMP-${n}-%`).orderBy('id').select('id')).map((x: any) => x.id);
      m.applyImport(who, village, csv, rows, n, ids);
    }
    await after(m, r);
  }
  toString() { return `ImportRegister(village ${this.v}, ${this.who}, rows ${this.rows.join('/')}${this.again ? ', the last file again' : ''})`; }
}

// ---------------------------------------------------------------------------------------------- arbitraries

const idx = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.nat({ max: 7 }) });
const amount = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1_000, max: 5_000_000 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 60 }) });

export const COMMANDS: fc.Arbitrary<Cmd>[] = [
  fc.tuple(fc.nat({ max: 1 }), whoArb, fc.constantFrom('FORMERLY_POOR', 'MONITORED', 'ORDINARY'), fc.constantFrom(false, false, false, true)).map(([v, w, s, d]) => new RegisterHousehold(v, w, s, d)),
  fc.tuple(fc.nat({ max: 1 }), whoArb).map(([v, w]) => new RegisterAsset(v, w)),
  fc.tuple(idx, whoArb).map(([a, w]) => new ConfirmRights(a, w)),
  fc.tuple(idx, whoArb).map(([a, w]) => new HandOver(a, w)),
  ...[1, 2, 3].map(() =>
    fc
      .tuple(idx, whoArb, amount, fc.constantFrom(2024, 2025, 2025, 2025), fc.integer({ min: 1, max: 12 }), fc.constantFrom<KeyMode>('new', 'new', 'new', 'replay', 'conflict', 'dupVoucher'))
      .map(([a, w, f, y, mo, k]) => new RecordIncome(a, w, f, y, mo, k)),
  ),
  ...[1, 2].map(() =>
    fc
      .tuple(fc.nat({ max: 1 }), whoArb, fc.integer({ min: 1, max: 6000 }), fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3000 })), fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2_000_000 })), fc.integer({ min: 0, max: 63 }), fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 }))
      .map(([v, w, d, u, f, mask, ws]) => new CreatePlan(v, w, d, u, f, mask, ws)),
  ),
  ...[1, 2, 3, 4, 5].map(() => fc.tuple(idx, whoArb, fc.constantFrom<'good' | 'bad'>('good', 'good', 'good', 'good', 'bad')).map(([p, w, v]) => new AdvancePlan(p, w, v))),
  fc.tuple(idx, whoArb, fc.boolean()).map(([p, w, res]) => new Objection(p, w, res)),
  fc.tuple(idx, whoArb, fc.constantFrom<'reject' | 'cancel'>('reject', 'cancel')).map(([p, w, h]) => new EndPlan(p, w, h)),
  fc.tuple(idx, fc.boolean()).map(([p, c]) => new ReplayExecute(p, c)),
  ...[1, 2].map(() => fc.tuple(idx, idx, whoArb, fc.constantFrom<'new' | 'replay' | 'conflict'>('new', 'new', 'new', 'replay', 'conflict')).map(([p, h, w, k]) => new Pay(p, h, w, k))),
  fc.tuple(idx, idx, whoArb).map(([p, h, w]) => new ReversePayment(p, h, w)),
  fc.tuple(idx, whoArb).map(([p, w]) => new ReversePlan(p, w)),
  ...[1, 2].map(() =>
    fc
      .tuple(idx, whoArb, fc.nat({ max: CONTRACT_STARTS.length - 1 }), fc.integer({ min: 1, max: 6 }), fc.constantFrom(false, false, false, false, true))
      .map(([a, w, st, y, d]) => new SignContract(a, w, st, y, d)),
  ),
  fc.tuple(idx, whoArb, fc.nat({ max: CONTRACT_DATES.length - 1 }), fc.constantFrom(-2, -1, 1, 3)).map(([c, w, on, y]) => new AmendContract(c, w, on, y)),
  fc.tuple(idx, whoArb, fc.nat({ max: CONTRACT_DATES.length - 1 })).map(([c, w, on]) => new TerminateContract(c, w, on)),
  fc
    .tuple(fc.nat({ max: 1 }), idx, whoArb, fc.constantFrom(false, false, false, true), fc.integer({ min: 1, max: 5_000_000 }))
    .map(([v, a, w, cash, f]) => new Contribute(v, a, w, cash, f)),
  ...[1, 2].map(() => fc.tuple(idx, whoArb, fc.constantFrom<'approve' | 'reject' | 'noMajority'>('approve', 'approve', 'approve', 'approve', 'reject', 'noMajority')).map(([c, w, h]) => new DecideContribution(c, w, h))),
  fc
    .tuple(whoArb, fc.constantFrom(2025, 2025, 2025, 2024), fc.oneof(fc.integer({ min: 1, max: 300_000 }), fc.integer({ min: 1, max: 9 })), fc.constantFrom<'new' | 'replay' | 'conflict'>('new', 'new', 'new', 'replay', 'conflict'))
    .map(([w, y, f, k]) => new SplitVentureIncome(w, y, f, k)),
  fc.tuple(idx, whoArb, fc.nat({ max: PLEDGE_DATES.length - 1 })).map(([a, w, on]) => new PledgeAsset(a, w, on)),
  fc.tuple(idx, whoArb, fc.nat({ max: PLEDGE_DATES.length - 1 })).map(([p, w, on]) => new ReleasePledge(p, w, on)),
  fc.tuple(idx, whoArb, fc.nat({ max: PLEDGE_DATES.length - 1 })).map(([a, w, on]) => new RequestDisposal(a, w, on)),
  fc.tuple(idx, whoArb, fc.nat({ max: PLEDGE_DATES.length - 1 })).map(([d, w, on]) => new CancelDisposal(d, w, on)),
  fc.tuple(idx, whoArb, fc.nat({ max: 2 }), fc.nat({ max: 2 })).map(([d, w, on, v]) => new AppraiseDisposal(d, w, on, v)),
  fc.tuple(idx, whoArb, fc.nat({ max: REVIT_DATES.length - 1 })).map(([a, w, on]) => new FlagIdle(a, w, on)),
  fc.tuple(idx, whoArb, fc.nat({ max: REVIT_DATES.length - 1 }), fc.nat({ max: 2 })).map(([a, w, on, p]) => new OpenCase(a, w, on, p)),
  fc.tuple(idx, whoArb, fc.nat({ max: REVIT_DATES.length - 1 }), fc.boolean()).map(([c, w, on, cl]) => new EndCase(c, w, on, cl)),
  fc
    .tuple(fc.nat({ max: 1 }), whoArb, fc.array(fc.constantFrom<ImportRow>('good', 'good', 'good', 'good', 'funding', 'subType', 'village'), { minLength: 1, maxLength: 4 }), fc.constantFrom(false, false, true))
    .map(([v, w, rows, again]) => new ImportRegister(v, w, rows, again)),
  ...[1, 2].map(() =>
    fc
      .tuple(idx, whoArb, fc.constantFrom<How>('approve', 'approve', 'approve', 'approve', 'reject', 'noMajority'), fc.constantFrom(0, 1, 2, 2, 3))
      .map(([p, w, h, on]) => new DecidePledge(p, w, h, on)),
  ),
  fc.tuple(fc.nat({ max: 1 }), whoArb, fc.nat({ max: PLEDGE_DATES.length - 1 })).map(([v, w, on]) => new PledgeStake(v, w, on)),
  fc.tuple(fc.nat({ max: 1 }), whoArb, fc.nat({ max: PLEDGE_DATES.length - 1 })).map(([v, w, on]) => new RequestWithdrawal(v, w, on)),
  fc
    .tuple(idx, whoArb, fc.constantFrom<How>('approve', 'approve', 'approve', 'approve', 'reject', 'noMajority'), fc.constantFrom(0, 1, 2, 2, 3))
    .map(([x, w, h, on]) => new DecideWithdrawal(x, w, h, on)),
  ...[1, 2].map(() =>
    fc
      .tuple(idx, whoArb, fc.constantFrom<'approve' | 'reject' | 'noMajority'>('approve', 'approve', 'approve', 'approve', 'approve', 'reject', 'noMajority'), fc.constantFrom(0, 1, 2, 2, 3, 3))
      .map(([d, w, h, on]) => new DecideDisposal(d, w, h, on)),
  ),
  fc.tuple(idx, whoArb, fc.constantFrom(0, 1, 1, 2, 2), fc.constantFrom(false, false, false, true)).map(([d, w, on, s]) => new PublishDisposalNotice(d, w, on, s)),
  fc
    .tuple(idx, whoArb, fc.constantFrom(0, 1, 1, 2), fc.constantFrom<'below' | 'at' | 'above'>('below', 'at', 'above', 'above'), fc.constantFrom(true, true, true, false), fc.constantFrom<'new' | 'replay' | 'conflict'>('new', 'new', 'new', 'replay', 'conflict'))
    .map(([d, w, on, p, x, k]) => new ExecuteDisposal(d, w, on, p, x, k)),
];

export { VILLAGES };
export { SignContract, AmendContract, TerminateContract, Contribute, DecideContribution, SplitVentureIncome, PledgeAsset, ReleasePledge, RequestDisposal, CancelDisposal };
export { AppraiseDisposal, DecideDisposal, PublishDisposalNotice, ExecuteDisposal, DecidePledge, PledgeStake, RequestWithdrawal, DecideWithdrawal, ImportRegister, FlagIdle, OpenCase, EndCase };
export { RegisterHousehold, RegisterAsset, ConfirmRights, HandOver, RecordIncome, CreatePlan, AdvancePlan, Objection, EndPlan, ReplayExecute, Pay, ReversePayment, ReversePlan };
