import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';

dayjs.extend(customParseFormat);

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;

/** Strict calendar date: YYYY-MM-DD that exists (2023-02-30 is rejected). */
export function isValidDate(text: string): boolean {
  return DATE_RE.test(text) && dayjs(text, 'YYYY-MM-DD', true).isValid();
}

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
