/**
 * Splitting an amount of fen by integer weights, exactly (largest remainder, 最大余额法): used for joint
 * owners' shares of income, bundle members' shares, household dividends. Pure; BigInt inside, because
 * amount × weight can pass 2^53 even when both fit.
 *
 * Each part is the floor of its exact quota total × w / W; the fen left over go one each to the parts with
 * the largest remainders. Ties are broken by position: the earlier item wins. Callers therefore pass items
 * in a stable, meaningful order (e.g. by party id), which makes the split reproducible.
 */
export class AllocationError extends Error {}

export function allocate(totalFen: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(totalFen)) throw new AllocationError(`total must be a safe integer of fen, got ${totalFen}`);
  if (weights.length === 0) throw new AllocationError('at least one weight is needed');
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) throw new AllocationError(`weights must be non-negative integers, got ${w}`);
  }
  // A negative total (e.g. splitting a refund) is the mirror image of the positive split.
  if (totalFen < 0) return allocate(-totalFen, weights).map((v) => (v === 0 ? 0 : -v));

  const total = BigInt(totalFen);
  const big = weights.map(BigInt);
  const sum = big.reduce((a, b) => a + b, 0n);
  if (sum === 0n) throw new AllocationError('weights sum to zero');

  const parts = big.map((w) => (total * w) / sum);
  const remainders = big.map((w, i) => ({ i, r: (total * w) % sum }));
  let left = total - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  // left < number of parts with a non-zero remainder, so one pass hands out every fen.
  for (const { i } of remainders) {
    if (left === 0n) break;
    parts[i] += 1n;
    left -= 1n;
  }
  return parts.map(Number);
}

/** The same split over keyed items: returns each item with its amount, in the order given. */
export function allocateBy<T>(totalFen: number, items: readonly T[], weightOf: (item: T) => number): { item: T; amountFen: number }[] {
  const amounts = allocate(totalFen, items.map(weightOf));
  return items.map((item, i) => ({ item, amountFen: amounts[i] }));
}
