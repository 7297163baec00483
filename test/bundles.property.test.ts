/**
 * Property-based checks of a venture's shares and splits.
 *
 * Pure (bundles.shares.ts): for any random sequence of joins, additions, revaluations and withdrawals the
 * share table after every step sums to exactly 10000 basis points (or is empty when nobody holds value),
 * and sharesOn(date) over the history answers the table recorded for that date; every split sums exactly to
 * its amount, gives no member a negative amount, is deterministic and does not depend on the order the
 * members are listed in.
 *
 * Through the service layer (both databases): random sequences of cash contributions and withdrawals, each
 * approved on its chain, leave share events that each sum to 10000 (or are empty), and splits that sum to
 * their amounts.
 */
import fc from 'fast-check';
import { setup, TestEnv } from './helpers';
import { eventOn, FULL_SHARE_BP, sharesFromValues, splitByShares } from '../src/modules/bundles/bundles.shares';
import type { ShareLine } from '../src/modules/bundles/bundles.types';
import * as service from '../src/modules/bundles/bundles.service';
import * as repo from '../src/modules/bundles/bundles.repository';
import { decide } from '../src/modules/approvals/approvals.service';
import * as approvalsRepo from '../src/modules/approvals/approvals.repository';
import { DomainError, DomainErrors } from '../src/shared/errors';
import { addDays } from '../src/shared/dates';
import { creditCode, giveCash } from './bundles.helpers';
import { V } from '../seeds/demo-data';

const VILLAGES = ['511922105001', '511922105002', '511922105003', '511922105004', '511922105005', '511922105006', '511922105007', '511922105008'];

type Op =
  | { op: 'add'; member: number; fen: number }
  | { op: 'revalue'; member: number; fen: number }
  | { op: 'withdraw'; member: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('add' as const), member: fc.integer({ min: 0, max: 7 }), fen: fc.integer({ min: 1, max: 2_000_000_000_00 }) }),
  fc.record({ op: fc.constant('revalue' as const), member: fc.integer({ min: 0, max: 7 }), fen: fc.integer({ min: 1, max: 2_000_000_000_00 }) }),
  fc.record({ op: fc.constant('withdraw' as const), member: fc.integer({ min: 0, max: 7 }) }),
);

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
const tableArb = fc
  .array(fc.integer({ min: 1, max: 1_000_000_000_000 }), { minLength: 1, maxLength: 12 })
  .map((values) => sharesFromValues(values.map((v, i) => ({ memberId: i + 1, villageCode: `5119221050${String(i).padStart(2, '0')}`, valueFen: v }))));

describe('shares (pure)', () => {
  it('sum to exactly 10000 after every join, addition, revaluation and withdrawal; sharesOn reads the history', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 30 }), fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 30, maxLength: 30 }), (ops, gaps) => {
        const values = new Map<number, number>();
        const history: { seq: number; effectiveOn: string; lines: ShareLine[] }[] = [];
        let date = '2025-01-01';
        ops.forEach((o, i) => {
          if (o.op === 'add') values.set(o.member, (values.get(o.member) ?? 0) + o.fen);
          else if (o.op === 'revalue' && values.has(o.member)) values.set(o.member, o.fen);
          else if (o.op === 'withdraw') values.delete(o.member);
          date = addDays(date, gaps[i]);
          const lines = sharesFromValues([...values].map(([m, v]) => ({ memberId: m + 1, villageCode: VILLAGES[m], valueFen: v })));
          if (values.size === 0) expect(lines).toEqual([]);
          else expect(sum(lines.map((l) => l.shareBp))).toBe(FULL_SHARE_BP);
          expect(lines.every((l) => l.shareBp >= 0 && l.shareBp <= FULL_SHARE_BP)).toBe(true);
          history.push({ seq: i + 1, effectiveOn: date, lines });
        });
        // The table on each event's date is the last event recorded for that date.
        for (const e of history) {
          const last = [...history].reverse().find((x) => x.effectiveOn === e.effectiveOn)!;
          expect(eventOn(history, e.effectiveOn)).toBe(last);
        }
        expect(eventOn(history, '2024-12-31')).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it('a share is within one basis point of the exact proportion', () => {
    fc.assert(
      fc.property(tableArb, (lines) => {
        const total = sum(lines.map((l) => l.valueFen));
        for (const l of lines) expect(Math.abs(l.shareBp - (l.valueFen * FULL_SHARE_BP) / total)).toBeLessThan(1);
      }),
    );
  });
});

describe('splits (pure)', () => {
  it('sum exactly to the amount, are never negative, are deterministic and independent of the members\' order', () => {
    fc.assert(
      fc.property(tableArb, fc.integer({ min: 1, max: 9_000_000_000_000_000 }), (lines, amount) => {
        const split = splitByShares(amount, lines);
        expect(sum(split.map((s) => s.amountFen))).toBe(amount);
        expect(split.every((s) => s.amountFen >= 0)).toBe(true);
        expect(splitByShares(amount, lines)).toEqual(split);
        expect(splitByShares(amount, [...lines].reverse())).toEqual(split);
        // Each part is the floor or the ceiling of its exact quota.
        for (const s of split) {
          const quota = (BigInt(amount) * BigInt(s.shareBp)) / BigInt(FULL_SHARE_BP);
          expect([quota, quota + 1n]).toContain(BigInt(s.amountFen));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('shares and splits through the service layer', () => {
  let env: TestEnv;
  let runs = 0;
  beforeAll(async () => {
    env = await setup();
    await giveCash(env, V.chaping, 1_000_000_000_00);
    await giveCash(env, V.jintai, 1_000_000_000_00);
  });
  afterAll(() => env.close());

  /** Approves a chain through its steps as the officers it names. */
  async function approve(chainId: number, on: string) {
    const steps = await approvalsRepo.stepsOf(env.db, [chainId]);
    for (const s of steps) {
      const token = s.regionCode === V.chaping ? 'clerk' : s.regionCode === V.jintai ? 'otherClerk' : 'reviewer';
      await env.db.transaction((trx) =>
        decide(env.svc(token, trx), {
          chainId,
          decision: 'APPROVE',
          decidedOn: on,
          reference: '会议纪要',
          meeting: s.kind === 'VILLAGE_RESOLUTION' ? { heldOn: on, memberCount: 10, attendance: 9, votesFor: 8 } : null,
        }),
      );
    }
  }

  it('every share event sums to 10000 (or is empty) and every split sums to its amount', async () => {
    const stepArb = fc.record({
      village: fc.constantFrom(V.chaping, V.jintai),
      kind: fc.constantFrom('add', 'add', 'withdraw', 'split'),
      fen: fc.integer({ min: 1, max: 5_000_000_00 }),
      gap: fc.integer({ min: 0, max: 20 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 8 }), async (steps) => {
        const created = await env.db.transaction((trx) =>
          service.createBundle(env.svc('planner', trx), {
            name: `随机联营${++runs}`,
            legalForm: 'COMPANY',
            creditCode: creditCode(50_000 + runs),
            startOn: '2025-01-01',
            villageCodes: [V.chaping, V.jintai],
          }),
        );
        const id = created.bundle.id;
        await env.db.transaction((trx) =>
          service.recordProfit(env.svc('planner', trx), { bundleId: id, year: 2025, profitFen: 9_000_000_000_00, declaredOn: '2025-01-01', reference: 'r' }),
        );
        let date = '2025-01-01';
        for (const [i, s] of steps.entries()) {
          date = addDays(date, s.gap);
          const token = s.village === V.chaping ? 'clerk' : 'otherClerk';
          try {
            if (s.kind === 'add') {
              const r = await env.db.transaction((trx) =>
                service.contribute(env.svc(token, trx), { bundleId: id, villageCode: s.village, kind: 'CASH', amountFen: s.fen, contributedOn: date }),
              );
              await approve(r.chain.id, date);
            } else if (s.kind === 'withdraw') {
              const r = await env.db.transaction((trx) =>
                service.requestWithdrawal(env.svc(token, trx), { bundleId: id, villageCode: s.village, withdrawnOn: date, reason: '随机退出' }),
              );
              await approve(r.chain.id, date);
            } else {
              const r = await env.db.transaction((trx) =>
                service.splitIncome(env.svc('planner', trx), { bundleId: id, year: 2025, amountFen: s.fen, splitOn: date, idempotencyKey: `prop-${runs}-${i}` }),
              );
              expect(sum(r.split.lines.map((l) => l.amountFen))).toBe(s.fen);
              expect(r.split.lines.every((l) => l.amountFen >= 0)).toBe(true);
            }
          } catch (e) {
            // Refusals the rules foresee (a withdrawal of a village that has not joined, a split with no shares yet).
            if (!(e instanceof DomainError || e instanceof DomainErrors)) throw e;
          }
        }
        for (const e of await repo.shareEventsOf(env.db, [id])) {
          if (e.lines.length) expect(sum(e.lines.map((l) => l.shareBp))).toBe(FULL_SHARE_BP);
        }
        for (const s of await repo.splitsOf(env.db, [id])) expect(sum(s.lines.map((l) => l.amountFen))).toBe(s.amountFen);
      }),
      { numRuns: 12 },
    );
    // The sequences did reach the ledger: members joined, shares were recorded, profit was split.
    const n = async (t: string) => Number((await env.db(t).count({ n: '*' }).first())?.n);
    expect(await n('bundle_share_events')).toBeGreaterThan(0);
    expect(await n('bundle_income_splits')).toBeGreaterThan(0);
  });
});
