/**
 * Flags, not silence (DESIGN §2): the audit findings a plan shows on its face. Pure functions over the
 * plan's data and the county policy; nothing here reads the database.
 */
import { addDays, addMonths } from '../../shared/dates';
import type { CountyPolicy } from '../policy/policy.types';
import { paymentFinder } from './distribution.types';
import type { Flag, LineType, Payment, Plan } from './distribution.types';

export interface FlagInput {
  plan: Plan;
  lines: { type: LineType; amountFen: number; recipients: { id?: number; householdId: number; amountFen: number; workDays?: number | null }[] }[];
  payments: Pick<Payment, 'householdId' | 'recipientId' | 'paidOn'>[];
  policy: CountyPolicy;
  today: string;
}

const pct = (bp: number) => `${(bp / 100).toFixed(2)}%`;

export function computePlanFlags({ plan, lines, payments, policy, today }: FlagInput): Flag[] {
  const flags: Flag[] = [];
  const flag = (code: Flag['code'], message: string) => flags.push({ code, message, planId: plan.id || null, villageCode: plan.villageCode });
  const total = BigInt(plan.totalFen);

  // 平均主义: cash to three or more households, every one the same amount (to the fen that rounding
  // moves), with no work behind it.
  for (const l of lines) {
    if (l.type === 'PUBLIC_WELFARE_JOB' || l.recipients.length < 3) continue;
    let max = -Infinity;
    let min = Infinity;
    for (const r of l.recipients) {
      if (r.amountFen > max) max = r.amountFen;
      if (r.amountFen < min) min = r.amountFen;
    }
    if (max - min <= 1) {
      flag('FLAT_EQUAL_SPLIT', `${l.type}: ${l.recipients.length} households receive the same amount with no work or condition (严禁简单平均分配)`);
    }
  }

  const sumOf = (t: LineType) => lines.filter((l) => l.type === t).reduce((s, l) => s + BigInt(l.amountFen), 0n);
  const dividends = sumOf('HOUSEHOLD_DIVIDEND');
  if (dividends * 10000n > total * BigInt(policy.dividendShareCeilingBp)) {
    flag('DIVIDEND_SHARE_HIGH', `Cash dividends are ${pct(Number((dividends * 10000n) / total))} of the total, above the county's ${pct(policy.dividendShareCeilingBp)}`);
  }
  const retention = sumOf('COLLECTIVE_RETENTION');
  if (retention * 10000n < total * BigInt(policy.minCollectiveRetentionBp)) {
    flag('RETENTION_BELOW_MINIMUM', `Collective retention is ${pct(Number((retention * 10000n) / total))} of the total, below the county's ${pct(policy.minCollectiveRetentionBp)}`);
  }

  // A job in name, a payout in fact: one household taking more than the county's share of the plan as wages.
  const wagesOf = new Map<number, bigint>();
  for (const l of lines.filter((x) => x.type === 'PUBLIC_WELFARE_JOB')) {
    for (const r of l.recipients) wagesOf.set(r.householdId, (wagesOf.get(r.householdId) ?? 0n) + BigInt(r.amountFen));
  }
  for (const [householdId, wages] of wagesOf) {
    if (wages * 10000n > total * BigInt(policy.jobWageShareCeilingBp)) {
      flag('JOB_WAGE_CONCENTRATED', `Household ${householdId} receives ${pct(Number((wages * 10000n) / total))} of the total as job wages, above the county's ${pct(policy.jobWageShareCeilingBp)}`);
    }
  }

  // By type, then household (number keys: no string built per recipient); the flags come out in the order
  // the pairs were first seen, as before.
  const seenIn: { type: LineType; householdId: number; n: number }[] = [];
  const byType = new Map<LineType, Map<number, { type: LineType; householdId: number; n: number }>>();
  for (const l of lines) {
    let seen = byType.get(l.type);
    if (!seen) byType.set(l.type, (seen = new Map()));
    for (const r of l.recipients) {
      const s = seen.get(r.householdId);
      if (s) s.n++;
      else {
        const fresh = { type: l.type, householdId: r.householdId, n: 1 };
        seen.set(r.householdId, fresh);
        seenIn.push(fresh);
      }
    }
  }
  for (const s of seenIn) {
    if (s.n > 1) flag('DUPLICATE_RECIPIENT', `Household ${s.householdId} receives ${s.type} in ${s.n} lines`);
  }

  if (plan.noticeEndOn) {
    for (const p of payments) {
      if (p.paidOn <= plan.noticeEndOn) flag('PAID_BEFORE_NOTICE_END', `Household ${p.householdId} was paid on ${p.paidOn}, before the notice ended (${plan.noticeEndOn})`);
    }
  }

  // Only an executed plan can miss its results notice: a draft is not checked recipient by recipient.
  const recipients = plan.status === 'EXECUTED' ? lines.flatMap((l) => l.recipients) : [];
  const paymentOf = paymentFinder(payments.map((p) => ({ ...p, planId: plan.id })));
  const allPaid = recipients.every((r) => paymentOf({ id: r.id, householdId: r.householdId, planId: plan.id }));
  if (plan.status === 'EXECUTED' && recipients.length > 0 && allPaid) {
    const lastPaid = payments.reduce((d, p) => (p.paidOn > d ? p.paidOn : d), '');
    const due = addDays(lastPaid, policy.resultsNoticeDays);
    if (today > due) flag('RESULTS_NOTICE_MISSING', `All paid by ${lastPaid}, but no results notice by ${due} (第二次公开)`);
  }
  return flags;
}

/**
 * 资金滞留: income credited to the collective's account awaiting distribution, consumed first-in first-out
 * by what left it; if the oldest fen still waiting arrived more than N months ago, the village is flagged.
 */
export function oldestWaitingIncome(movements: { effectiveOn: string; amountFen: number }[]): string | null {
  const sorted = [...movements].sort((a, b) => (a.effectiveOn < b.effectiveOn ? -1 : a.effectiveOn > b.effectiveOn ? 1 : 0));
  let out = sorted.filter((m) => m.amountFen < 0).reduce((s, m) => s - m.amountFen, 0);
  for (const m of sorted) {
    if (m.amountFen <= 0) continue;
    if (out >= m.amountFen) {
      out -= m.amountFen;
      continue;
    }
    return m.effectiveOn;
  }
  return null;
}

export function fundsIdleFlag(villageCode: string, oldest: string | null, policy: CountyPolicy, today: string): Flag | null {
  if (!oldest) return null;
  const limit = addMonths(oldest, policy.idleFundsMonths);
  if (today <= limit) return null;
  return {
    code: 'FUNDS_IDLE',
    message: `Income received on ${oldest} is still undistributed after ${policy.idleFundsMonths} months (资金滞留)`,
    planId: null,
    villageCode,
  };
}
