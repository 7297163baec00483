/**
 * Shares of a pooled venture (pure): from contribution values to basis points summing to exactly 10000, and
 * a split of an amount of fen by those shares, exact to the fen. Both by largest remainder
 * (journal/allocation.ts), over members in village-code order, so that the result is reproducible.
 */
import { allocate } from '../journal/allocation';
import type { ShareLine, SplitLine } from './bundles.types';

export const FULL_SHARE_BP = 10_000;

export interface MemberValue {
  memberId: number;
  villageCode: string;
  valueFen: number;
}

const byVillage = <T extends { villageCode: string; memberId: number }>(a: T, b: T) =>
  a.villageCode < b.villageCode ? -1 : a.villageCode > b.villageCode ? 1 : a.memberId - b.memberId;

/**
 * 股份 The share table from each member's contributed value: members with no value hold no share; the
 * shares of the rest sum to exactly 10000 basis points. Empty when nobody has contributed.
 */
export function sharesFromValues(values: readonly MemberValue[]): ShareLine[] {
  const holding = values.filter((v) => v.valueFen > 0).sort(byVillage);
  if (holding.length === 0) return [];
  const bp = allocate(FULL_SHARE_BP, holding.map((v) => v.valueFen));
  const lines = holding.map((v, i) => ({ memberId: v.memberId, villageCode: v.villageCode, valueFen: v.valueFen, shareBp: bp[i] }));
  requireWholeTable(lines);
  return lines;
}

/** A share table is empty or sums to exactly 10000 (a defect otherwise: thrown, never stored). */
export function requireWholeTable(lines: readonly { shareBp: number }[]): void {
  if (lines.length === 0) return;
  const total = lines.reduce((s, l) => s + l.shareBp, 0);
  if (total !== FULL_SHARE_BP || lines.some((l) => l.shareBp < 0)) {
    throw new Error(`share table sums to ${total} basis points, not ${FULL_SHARE_BP}`);
  }
}

/** 收益分成 Splits an amount of fen by a share table, exactly: the parts sum to the amount. */
export function splitByShares(amountFen: number, lines: readonly ShareLine[]): SplitLine[] {
  if (lines.length === 0) throw new Error('no shares to split by');
  const ordered = [...lines].sort(byVillage);
  const parts = allocate(amountFen, ordered.map((l) => l.shareBp));
  return ordered.map((l, i) => ({ memberId: l.memberId, villageCode: l.villageCode, shareBp: l.shareBp, amountFen: parts[i] }));
}

/** The event in force on a date: the last one effective on or before it (events in recording order). */
export function eventOn<E extends { effectiveOn: string; seq: number }>(events: readonly E[], date: string): E | null {
  let found: E | null = null;
  for (const e of events) {
    if (e.effectiveOn <= date && (!found || e.seq > found.seq)) found = e;
  }
  return found;
}
