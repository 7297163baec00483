/**
 * "Today" for the server and the command line. Every "not in the future" rule, every notice period and the
 * demo's own dates depend on it. It is the date in China Standard Time of the system clock — except in a
 * demo, where CLOCK_TODAY=YYYY-MM-DD pins it, so the README's examples (written for 2026-11-22) run as
 * written on any day. CLOCK_TODAY is honoured only while the demo is on (DEMO not "off") and the database is
 * the demo's (empty, about to be loaded, or holding the demo users): a real register never runs on a pinned day.
 */
import type { Db } from '../db/connection';
import { Clock, systemClock } from '../shared/clock';
import { isValidDate } from '../shared/dates';
import { authenticate } from '../modules/auth/auth.service';
import { DEMO_TOKENS, isEmpty } from '../../seeds/demo';

/** A clock whose date is `today` (CST) and whose time of day runs with the system clock. */
export function pinnedClock(today: string, system: Clock = systemClock): Clock {
  const cstTime = () => new Date(Date.parse(system.now()) + 8 * 3600_000).toISOString().slice(11, 23);
  return {
    now: () => new Date(`${today}T${cstTime()}+08:00`).toISOString(),
    today: () => today,
  };
}

export interface ClockChoice {
  clock: Clock;
  /** The pinned date, when CLOCK_TODAY is in effect. */
  pinned: string | null;
  /** Why CLOCK_TODAY was set but not honoured. */
  ignored: string | null;
}

export async function chooseClock(db: Db, env: NodeJS.ProcessEnv = process.env): Promise<ClockChoice> {
  const raw = env.CLOCK_TODAY?.trim();
  if (!raw) return { clock: systemClock, pinned: null, ignored: null };
  if (!isValidDate(raw)) throw new Error(`CLOCK_TODAY must be a date YYYY-MM-DD, got ${JSON.stringify(raw)}`);
  if (env.DEMO === 'off') return { clock: systemClock, pinned: null, ignored: 'DEMO is off' };
  const demo = (await isEmpty(db)) || (await authenticate(db, `Bearer ${DEMO_TOKENS.COUNTY_FINANCE}`)) !== null;
  if (!demo) return { clock: systemClock, pinned: null, ignored: 'the database is not the demo' };
  return { clock: pinnedClock(raw), pinned: raw, ignored: null };
}
