/**
 * The request's loaders are built lazily (src/server/modules.ts, issue 16): a module's DataLoaders are
 * constructed on first use, once per request. What must stay true: every module's loader is reachable, a
 * request keeps one instance of each loader (its batch and cache), and no two requests share one (a cache
 * shared across requests would serve one user's rows to another and stale rows after a write).
 */
import DataLoader from 'dataloader';
import { createDb, Db } from '../src/db/connection';
import { fixedClock } from '../src/shared/clock';
import { MODULES } from '../src/server/modules';
import { buildRequestContext } from '../src/server/context';
import { TEST_NOW } from './helpers';

const clock = fixedClock(TEST_NOW);
let db: Db;
// Loaders never query when built, so an unmigrated in-memory database is enough.
beforeAll(() => {
  db = createDb({ sqliteFile: ':memory:', databaseUrl: '' });
});
afterAll(() => db.destroy());

const loadersOf = () => buildRequestContext(db, clock, null, { uploadMaxBytes: 1024 }).loaders as unknown as Record<string, unknown>;
const keysOf = () => MODULES.flatMap((m) => Object.keys(m.loaders?.(db, clock) ?? {}));

describe('request loaders (lazy)', () => {
  it('reaches every loader every module declares, as it was built by its module', () => {
    const loaders = loadersOf();
    const keys = keysOf();
    expect(keys.length).toBeGreaterThan(20);
    for (const key of keys) {
      const value = loaders[key];
      expect(value).toBeDefined();
      // A module's entry is a DataLoader or a group of them (income, journal).
      const all = value instanceof DataLoader ? [value] : Object.values(value as object);
      for (const l of all) expect(l).toBeInstanceOf(DataLoader);
    }
  });

  it('keeps one instance of each loader within a request and never shares one between requests', () => {
    const a = loadersOf();
    const b = loadersOf();
    for (const key of keysOf()) {
      expect(a[key]).toBe(a[key]);
      expect(b[key]).not.toBe(a[key]);
    }
  });
});
