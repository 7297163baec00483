/** Formatting for reports: yuan from integer fen (exact, no floats), masked ID numbers. */
import { formatFen } from '../../shared/money';

export const fmtYuan = formatFen;

/** 身份证号脱敏 First 4 and last 4 characters shown: 5119**********1234. */
export function maskId(id: string): string {
  return id.length <= 8 ? '*'.repeat(id.length) : `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}
