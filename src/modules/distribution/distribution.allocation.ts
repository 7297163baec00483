/**
 * Computing a plan (pure): each line's amount from its basis, then each recipient's amount from its
 * weight, all in integer fen by largest remainder, so that the lines add up exactly to the total and each
 * line's recipients add up exactly to the line. Nothing here reads or writes the database.
 */
import { DomainError } from '../../shared/errors';
import { allocate } from '../journal/allocation';
import type { LineBasis, LineType } from './distribution.types';

/** A recipient as drafted; the split only reads the weight, the rest is carried to the saved plan. */
export interface RecipientSpec {
  householdId: number;
  weight: number;
  workDays?: number | null;
  hardshipCategory?: string | null;
  attendance?: AttendanceRow[];
}

/** 考勤 One attendance row behind a job wage: a date range and the days worked in it. */
export interface AttendanceRow {
  fromOn: string;
  toOn: string;
  days: number;
  note?: string | null;
}

export interface LineSpec {
  type: LineType;
  basis: LineBasis;
  fixedFen?: number | null;
  percentBp?: number | null;
  description: string;
  recipients: RecipientSpec[];
}

export interface ComputedLine extends LineSpec {
  lineNo: number;
  amountFen: number;
  recipients: (RecipientSpec & { amountFen: number })[];
}

const field = (i: number, ...rest: string[]) => ['input', 'lines', String(i), ...rest];

export function computeLines(totalFen: number, lines: LineSpec[]): ComputedLine[] {
  if (!Number.isSafeInteger(totalFen) || totalFen <= 0) {
    throw new DomainError('INVALID_AMOUNT', 'The plan total must be a positive amount', ['input', 'total']);
  }
  const remainderLines = lines.flatMap((l, i) => (l.basis === 'REMAINDER' ? [i] : []));
  if (remainderLines.length > 1) {
    throw new DomainError('PLAN_NOT_BALANCED', 'At most one line may take the remainder', field(remainderLines[1], 'basis'));
  }
  let fixedTotal = 0n;
  let percentBpTotal = 0n;
  lines.forEach((l, i) => {
    if (l.basis === 'FIXED') {
      if (!l.fixedFen || l.fixedFen <= 0) throw new DomainError('INVALID_AMOUNT', 'A fixed line needs a positive amount', field(i, 'amount'));
      fixedTotal += BigInt(l.fixedFen);
    } else if (l.basis === 'PERCENT') {
      if (!l.percentBp || l.percentBp <= 0 || l.percentBp > 10000) {
        throw new DomainError('OUT_OF_RANGE', 'A percentage line needs 1–10000 basis points', field(i, 'percentBp'));
      }
      percentBpTotal += BigInt(l.percentBp);
    }
  });
  const total = BigInt(totalFen);
  // The percentage lines share floor(total × Σbp / 10000), split among them by largest remainder.
  const percentTotal = (total * percentBpTotal) / 10000n;
  const rest = total - fixedTotal - percentTotal;
  if (rest < 0n) {
    throw new DomainError('PLAN_NOT_BALANCED', `Lines add up to more than the plan total (by ${-rest} fen)`, ['input', 'lines']);
  }
  if (rest > 0n && remainderLines.length === 0) {
    throw new DomainError(
      'PLAN_NOT_BALANCED',
      `Lines leave ${rest} fen of the total unassigned; add a REMAINDER line (e.g. 集体积累) or adjust the lines`,
      ['input', 'lines'],
    );
  }
  const percentIdx = lines.flatMap((l, i) => (l.basis === 'PERCENT' ? [i] : []));
  const percentAmounts = percentIdx.length ? allocate(Number(percentTotal), percentIdx.map((i) => lines[i].percentBp!)) : [];
  const amounts = lines.map((l, i) => {
    if (l.basis === 'FIXED') return l.fixedFen!;
    if (l.basis === 'PERCENT') return percentAmounts[percentIdx.indexOf(i)];
    return Number(rest);
  });

  return lines.map((l, i) => {
    const amountFen = amounts[i];
    if (amountFen <= 0 && l.basis !== 'REMAINDER') {
      throw new DomainError('INVALID_AMOUNT', 'This line comes to zero fen', field(i));
    }
    let recipients: ComputedLine['recipients'] = [];
    if (l.recipients.length) {
      if (amountFen === 0) throw new DomainError('INVALID_AMOUNT', 'A line with recipients cannot be zero', field(i));
      const split = splitByWeight(amountFen, l.recipients.map((r) => r.weight));
      // A named recipient gets at least one fen: a zero share could never be executed or paid (a journal
      // posting is never zero), leaving the plan stuck after approval (found by the simulator, issue 17).
      const empty = split.findIndex((fen) => fen === 0);
      if (empty >= 0) {
        throw new DomainError(
          'INVALID_AMOUNT',
          `This line's ${amountFen} fen split by weight leaves recipient ${empty + 1} with nothing: raise the line or name fewer households`,
          field(i, 'recipients', String(empty)),
        );
      }
      recipients = l.recipients.map((r, k) => ({
        householdId: r.householdId,
        weight: r.weight,
        workDays: r.workDays,
        hardshipCategory: r.hardshipCategory,
        attendance: r.attendance,
        amountFen: split[k],
      }));
    }
    return { type: l.type, basis: l.basis, fixedFen: l.fixedFen, percentBp: l.percentBp, description: l.description, lineNo: i + 1, amountFen, recipients };
  });
}

/**
 * The journal's allocate (largest remainder, ties to the earlier item) in plain numbers when every
 * product amount × weight stays below 2^53 — as for any plan of real size — so 10,000 recipients cost no
 * BigInt per recipient (issue 16, G5); otherwise, or for anything out of its domain, allocate itself.
 * A fast-check property in test/distribution.flags.test.ts holds the two equal.
 */
export function splitByWeight(totalFen: number, weights: readonly number[]): number[] {
  const n = weights.length;
  let sum = 0;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (!Number.isSafeInteger(w) || w < 0) return allocate(totalFen, weights);
    sum += w;
    if (w > max) max = w;
  }
  if (!Number.isSafeInteger(totalFen) || totalFen <= 0 || sum === 0 || !Number.isSafeInteger(sum) || totalFen * max > Number.MAX_SAFE_INTEGER) {
    return allocate(totalFen, weights);
  }
  const parts = new Array<number>(n);
  const rems = new Float64Array(n);
  let given = 0;
  for (let i = 0; i < n; i++) {
    const x = totalFen * weights[i];
    let q = Math.floor(x / sum);
    let r = x - q * sum;
    // Float division may land one off: correct it so that 0 ≤ r < sum exactly.
    if (r < 0) {
      q -= 1;
      r += sum;
    } else if (r >= sum) {
      q += 1;
      r -= sum;
    }
    parts[i] = q;
    rems[i] = r;
    given += q;
  }
  let left = totalFen - given;
  if (left > 0) {
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => (rems[a] === rems[b] ? a - b : rems[b] - rems[a]));
    for (let k = 0; k < n && left > 0; k++, left--) parts[order[k]] += 1;
  }
  return parts;
}
