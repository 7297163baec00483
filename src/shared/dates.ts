import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import type { Clock } from './clock';
import { DomainError } from './errors';

dayjs.extend(customParseFormat);

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;

/** Strict calendar date: YYYY-MM-DD that exists (2023-02-30 is rejected). */
export function isValidDate(text: string): boolean {
  if (!DATE_RE.test(text)) return false;
  // A strict dayjs parse costs ~10 µs and a register import checks every date several times (issue 16,
  // G4); the answers are remembered (a sheet has few distinct dates; the memory is bounded).
  let ok = validDates.get(text);
  if (ok === undefined) {
    if (validDates.size >= 10_000) validDates.clear();
    ok = dayjs(text, 'YYYY-MM-DD', true).isValid();
    validDates.set(text, ok);
  }
  return ok;
}

const validDates = new Map<string, boolean>();

/** ISO 8601 timestamp with an explicit offset; normalised to UTC by toUtcIso. */
export function isValidDateTime(text: string): boolean {
  if (!DATETIME_RE.test(text)) return false;
  const datePart = text.slice(0, 10);
  return isValidDate(datePart) && !Number.isNaN(Date.parse(text));
}

export function toUtcIso(text: string): string {
  return new Date(text).toISOString();
}

export function addDays(date: string, days: number): string {
  return dayjs(date, 'YYYY-MM-DD', true).add(days, 'day').format('YYYY-MM-DD');
}

export function addMonths(date: string, months: number): string {
  return dayjs(date, 'YYYY-MM-DD', true).add(months, 'month').format('YYYY-MM-DD');
}

export function daysBetween(from: string, to: string): number {
  return dayjs(to, 'YYYY-MM-DD', true).diff(dayjs(from, 'YYYY-MM-DD', true), 'day');
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** "Not in the future": judged against the injected clock's today (China Standard Time). */
export function requireNotFuture(svc: { clock: Clock }, date: string | null | undefined, field: string[]): void {
  if (date && date > svc.clock.today()) {
    throw new DomainError('DATE_IN_FUTURE', `${field[field.length - 1]} ${date} is in the future`, field);
  }
}

/** Ordered dates: each present date is not before the one listed before it. */
export function requireOrdered(dates: [string, string | null | undefined][], root: string[]): void {
  let prev: [string, string] | null = null;
  for (const [name, value] of dates) {
    if (!value) continue;
    if (prev && value < prev[1]) {
      throw new DomainError('DATE_ORDER', `${name} (${value}) must not be before ${prev[0]} (${prev[1]})`, [...root, name]);
    }
    prev = [name, value];
  }
}
