/**
 * 12-digit statistical division codes (统计用区划代码): 2 province + 2 city + 2 county + 3 township + 3 village.
 * A code's prefix is its ancestry, so "inside this county" is a prefix test.
 */
export type RegionLevel = 'PROVINCE' | 'CITY' | 'COUNTY' | 'TOWNSHIP' | 'VILLAGE';

const PREFIX_LENGTH: Record<RegionLevel, number> = { PROVINCE: 2, CITY: 4, COUNTY: 6, TOWNSHIP: 9, VILLAGE: 12 };

export function isRegionCode(code: string): boolean {
  return /^\d{12}$/.test(code) && code.slice(0, 2) !== '00';
}

export function levelOf(code: string): RegionLevel {
  if (/^\d{2}0{10}$/.test(code)) return 'PROVINCE';
  if (/^\d{4}0{8}$/.test(code)) return 'CITY';
  if (/^\d{6}0{6}$/.test(code)) return 'COUNTY';
  if (/^\d{9}000$/.test(code)) return 'TOWNSHIP';
  return 'VILLAGE';
}

/** The significant prefix of a code: everything inside the region starts with it. */
export function prefixOf(code: string): string {
  return code.slice(0, PREFIX_LENGTH[levelOf(code)]);
}

export function parentCodeOf(code: string): string | null {
  const level = levelOf(code);
  if (level === 'PROVINCE') return null;
  const parentLen = { CITY: 2, COUNTY: 4, TOWNSHIP: 6, VILLAGE: 9 }[level];
  return code.slice(0, parentLen).padEnd(12, '0');
}

/** The county a code lies in (asset codes are unique per county). */
export function countyCodeOf(code: string): string {
  return code.slice(0, 6).padEnd(12, '0');
}

export function townshipCodeOf(code: string): string {
  return code.slice(0, 9).padEnd(12, '0');
}

/** Is `code` inside (or equal to) the region whose prefix is `prefix`? */
export function isWithin(code: string, prefix: string): boolean {
  return code.startsWith(prefix);
}
