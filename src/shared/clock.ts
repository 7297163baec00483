/** Injected time source, so that tests are deterministic (DESIGN §4). */
export interface Clock {
  /** Current instant as ISO 8601 UTC (DateTime). */
  now(): string;
  /** Today's date in China Standard Time as YYYY-MM-DD: the date a county office lives in. */
  today(): string;
}

function cstDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export const systemClock: Clock = {
  now: () => new Date().toISOString(),
  today: () => cstDate(new Date()),
};

/** A clock fixed at an instant, movable by tests. */
export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let t = new Date(iso);
  return {
    now: () => t.toISOString(),
    today: () => cstDate(t),
    set(next: string) {
      t = new Date(next);
    },
  };
}
