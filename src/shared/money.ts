/**
 * Money is an integer number of fen inside (amountFen) and a decimal string of yuan outside ("12000000.00").
 * Parsing is textual: floats never touch an amount.
 */
export const MAX_FEN = Number.MAX_SAFE_INTEGER; // 2^53 - 1 fen

const MONEY_RE = /^(-?)(0|[1-9]\d*)(?:\.(\d{1,2}))?$/;

export class MoneyFormatError extends Error {}

/** Parses "123.45" → 12345 fen. Rejects exponents, more than two decimals, leading zeros, NaN, |v| > 2^53 fen. */
export function parseYuan(text: string): number {
  const m = MONEY_RE.exec(text);
  if (!m) {
    throw new MoneyFormatError(
      `Money must be a decimal yuan string with at most two decimals (e.g. "1200.50"), got ${JSON.stringify(text)}`,
    );
  }
  const [, sign, whole, frac = ''] = m;
  const fenText = whole + frac.padEnd(2, '0');
  const big = BigInt(fenText);
  if (big > BigInt(MAX_FEN)) throw new MoneyFormatError(`Money ${text} exceeds the largest amount (2^53 fen)`);
  const fen = Number(big);
  return sign === '-' ? -fen : fen;
}

/** Formats 12345 fen → "123.45". */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new Error(`fen must be a safe integer, got ${fen}`);
  const neg = fen < 0;
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  return `${neg ? '-' : ''}${yuan}.${cents.toString().padStart(2, '0')}`;
}

/** Sums fen exactly, refusing to leave the safe-integer range. */
export function sumFen(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) {
    total += v;
    if (!Number.isSafeInteger(total)) throw new Error('sum of amounts exceeds 2^53 fen');
  }
  return total;
}

/**
 * Aggregates (a county's turnover, an account's debits over years) are not bounded by 2^53 fen: they are
 * summed in the database and carried as bigint, never as a JS number that would round silently.
 */
export function formatFenBig(fen: bigint): string {
  const neg = fen < 0n;
  const abs = neg ? -fen : fen;
  return `${neg ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}
