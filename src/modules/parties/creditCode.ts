/**
 * 统一社会信用代码 Unified social credit code (GB 32100-2015): 18 characters —
 * 1 registration authority, 1 organisation type, 6 administrative division code, 9 organisation code
 * (GB 11714), 1 check character. Characters come from a 31-symbol alphabet without I, O, S, V and Z.
 */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weights 3^(i) mod 31 for positions 1..17. */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

const FORMAT = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The check character of the first 17 characters; throws on a character outside the alphabet. */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) throw new Error('17 characters expected');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CODE_ALPHABET.indexOf(first17[i]);
    if (v < 0) throw new Error(`character ${first17[i]} is not allowed in a credit code`);
    sum += v * WEIGHTS[i];
  }
  const check = 31 - (sum % 31);
  return CREDIT_CODE_ALPHABET[check === 31 ? 0 : check];
}

/** Format and check character per GB 32100-2015 (expects upper case; callers normalise input first). */
export function isValidCreditCode(code: string): boolean {
  if (!FORMAT.test(code)) return false;
  return creditCodeCheckChar(code.slice(0, 17)) === code[17];
}
