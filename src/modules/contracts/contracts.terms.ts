/**
 * Pure contract arithmetic: term length, yearly fee, guaranteed return, state on a day. Amounts are integer
 * fen; products go through BigInt and round half up to the fen, so no float ever touches money.
 */
import { addDays } from '../../shared/dates';
import dayjs from 'dayjs';
import type { Contract, ContractState, FeeSchedule } from './contracts.types';
import { PERIODS_PER_YEAR } from './contracts.types';

/** value × bp / 10000, rounded half up to the fen. */
export function applyBp(valueFen: number, bp: number): number {
  const n = BigInt(valueFen) * BigInt(bp);
  const q = n / 10000n;
  const r = n % 10000n;
  return Number(r * 2n >= 10000n ? q + 1n : q);
}

/** Rent or fee due per year under a schedule. */
export function annualFeeFen(fee: FeeSchedule, originalValueFen: number): number {
  if (fee.kind === 'FIXED') return fee.amountFen! * PERIODS_PER_YEAR[fee.period!];
  if (fee.kind === 'PERCENT_OF_VALUE') return applyBp(originalValueFen, fee.rateBp!);
  return 0;
}

/** 保底收益 The guaranteed return per year: rate × original value. */
export function guaranteedAnnualReturnFen(rateBp: number | null, originalValueFen: number): number | null {
  return rateBp === null ? null : applyBp(originalValueFen, rateBp);
}

/**
 * Term in months of an inclusive period start..end, a started month counting whole:
 * 2019-08-01..2039-07-31 is 240 months; one day more makes it 241.
 */
export function termMonths(startOn: string, endOn: string): number {
  const start = dayjs(startOn);
  const after = dayjs(addDays(endOn, 1));
  const whole = after.diff(start, 'month');
  return start.add(whole, 'month').isBefore(after) ? whole + 1 : whole;
}

/**
 * The last day a contract binds: its end date, or the day before its termination (a terminated contract
 * stops binding on its termination date).
 */
export function lastBindingDay(c: Pick<Contract, 'endOn' | 'terminatedOn'>): string {
  if (c.terminatedOn === null) return c.endOn;
  const dayBefore = addDays(c.terminatedOn, -1);
  return dayBefore < c.endOn ? dayBefore : c.endOn;
}

export function stateOn(c: Pick<Contract, 'status' | 'startOn' | 'endOn'>, today: string): ContractState {
  if (c.status === 'TERMINATED') return 'TERMINATED';
  if (today < c.startOn) return 'PENDING';
  if (today > c.endOn) return 'EXPIRED';
  return 'ACTIVE';
}
