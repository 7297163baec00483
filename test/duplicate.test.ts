import { setup, TestEnv, count } from './helpers';
import { HOUSEHOLD_REGISTER, householdInput, createProject, registerAsset } from './fixtures';
import { duplicateError, runMutation } from '../src/shared/mutation';
import { uniqueViolationOf } from '../src/db/uniqueViolation';
import type { Loaders, RequestContext } from '../src/shared/context';

/**
 * A unique-constraint violation (two writers racing past a service's duplicate check) comes back as a coded
 * DUPLICATE user error naming the input field, on SQLite and PostgreSQL alike, never as a masked fault.
 */
let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env.close());

const requestContext = (): RequestContext => ({
  db: env.db,
  clock: env.clock,
  actor: env.svc('clerk').actor,
  loaders: {} as Loaders,
  config: { uploadMaxBytes: 1024 },
});

/** Inserts a copy of a row (without its id) inside the mutation wrapper: the database's own unique check fires. */
async function insertCopy(table: string, id: number) {
  const { id: _id, ...row } = await env.db(table).where({ id }).first();
  return runMutation(requestContext(), async (svc) => svc.db(table).insert(row), () => ({ done: true }));
}

describe('unique-constraint violations become DUPLICATE', () => {
  it('a single-column key names its input field (households.id_number → input.idNumber)', async () => {
    const h = (await env.gql('clerk', HOUSEHOLD_REGISTER, { input: householdInput(1) })).data.householdRegister.household;
    const id = Number(h.id.split(':')[1]);
    const before = await count(env.db, 'households');
    const result = await insertCopy('households', id);
    expect(result).toEqual({ errors: [{ code: 'DUPLICATE', field: ['input', 'idNumber'], message: expect.stringContaining('idNumber') }] });
    expect(await count(env.db, 'households')).toBe(before);
  });

  it('a composite key names its last column (assets (county_code, code) → input.code)', async () => {
    const project = await createProject(env);
    const asset = await registerAsset(env, project.id);
    const before = await count(env.db, 'assets');
    const result = await insertCopy('assets', Number(asset.id.split(':')[1]));
    expect(result).toEqual({ errors: [{ code: 'DUPLICATE', field: ['input', 'code'], message: expect.any(String) }] });
    expect(await count(env.db, 'assets')).toBe(before);
  });

  it('a real race of two registrations of one resident ID: one succeeds, the other gets DUPLICATE, none a fault', async () => {
    for (let round = 0; round < 5; round++) {
      const input = householdInput(100 + round);
      const bodies = await Promise.all([
        env.gql('clerk', HOUSEHOLD_REGISTER, { input: { ...input, headName: '甲户' } }),
        env.gql('clerk', HOUSEHOLD_REGISTER, { input: { ...input, headName: '乙户' } }),
      ]);
      expect(bodies.map((b) => b.errors)).toEqual([undefined, undefined]);
      const payloads = bodies.map((b) => b.data.householdRegister);
      expect(payloads.filter((p) => p.household !== null)).toHaveLength(1);
      const rejected = payloads.filter((p) => p.household === null);
      expect(rejected).toHaveLength(1);
      expect(rejected[0].errors).toEqual([expect.objectContaining({ code: 'DUPLICATE', field: ['input', 'idNumber'] })]);
      expect(await count(env.db, 'households', { id_number: input.idNumber })).toBe(1);
    }
  });

  it('reads both drivers’ error shapes, including an expression index named only by its index', () => {
    expect(uniqueViolationOf({ code: 'SQLITE_CONSTRAINT_UNIQUE', message: 'UNIQUE constraint failed: assets.county_code, assets.code' })).toEqual({
      table: 'assets',
      columns: ['county_code', 'code'],
      constraint: null,
    });
    expect(uniqueViolationOf({ code: 'SQLITE_CONSTRAINT_UNIQUE', message: "UNIQUE constraint failed: index 'income_records_voucher_unique'" })).toEqual({
      table: null,
      columns: [],
      constraint: 'income_records_voucher_unique',
    });
    expect(
      uniqueViolationOf({
        code: '23505',
        table: 'income_records',
        constraint: 'income_records_voucher_unique',
        detail: 'Key (village_code, voucher_no, substr(received_on::text, 1, 4))=(511922105005, V-1, 2025) already exists.',
      }),
    ).toEqual({ table: 'income_records', columns: [], constraint: 'income_records_voucher_unique' });
    expect(duplicateError({ table: null, columns: [], constraint: 'income_records_voucher_unique' }).field).toEqual(['input', 'voucherNo']);
    expect(uniqueViolationOf(new Error('UNIQUE constraint failed: x.y'))).toBeNull();
    expect(uniqueViolationOf({ code: '23503' })).toBeNull();
  });
});
