/**
 * Issue 8, item 5: an absurd amount is refused unless confirmed (AMOUNT_ABOVE_LIMIT, county-configurable),
 * and aggregates stay exact at any size: after amounts past 2^53 fen in total are recorded and reversed,
 * the trial balance of the county and of the province still answers, to the fen.
 */
import { setup, TestEnv, snapshot } from './helpers';
import { INCOME_RECORD, INCOME_TABLES, incomeInput, lease, ownedAsset } from './income.helpers';
import { company, REVERSE } from './journal.fixtures';
import { V } from '../seeds/demo-data';

let env: TestEnv;
let asset: { id: string };
let payer: number;
beforeAll(async () => {
  env = await setup();
  payer = await company(env, '南江县云顶农业发展有限公司');
  asset = await ownedAsset(env);
  await lease(env, asset.id, payer);
});
afterAll(() => env.close());

const HUGE = '46000000000000.00'; // 4.6e15 fen: below 2^53 alone, past it once summed twice
const TRIAL = `query($r: String!) { trialBalance(regionCode: $r) { balanced totalDebits totalCredits outsideRegionNet lines { accountKind debits credits balance } } }`;

async function record(amount: string, extra: Record<string, unknown> = {}) {
  return (await env.gql('clerk', INCOME_RECORD, { input: incomeInput(asset.id, payer, { amount, ...extra }) })).data.incomeRecord;
}

describe('single-amount ceiling', () => {
  it.each([HUGE, '100000000.01', '90071992547409.91'])('refuses %s yuan without confirmation (AMOUNT_ABOVE_LIMIT), writing nothing', async (amount) => {
    const before = await snapshot(env.db, INCOME_TABLES);
    const p = await record(amount);
    expect(p.errors).toEqual([expect.objectContaining({ code: 'AMOUNT_ABOVE_LIMIT', field: ['input', 'amount'] })]);
    expect(await snapshot(env.db, INCOME_TABLES)).toEqual(before);
  });

  it('accepts the default ceiling itself, and a county may lower it', async () => {
    expect((await record('100000000.00')).errors).toEqual([]);
    const set = await env.gql('finance', `mutation($i: CountyPolicyUpdateInput!) { countyPolicyUpdate(input: $i) { policy { singleAmountCeiling } errors { code } } }`, {
      i: { countyCode: '511922000000', singleAmountCeiling: '10000.00' },
    });
    expect(set.data.countyPolicyUpdate.policy.singleAmountCeiling).toBe('10000.00');
    expect((await record('10000.01')).errors[0].code).toBe('AMOUNT_ABOVE_LIMIT');
    expect((await record('10000.00')).errors).toEqual([]);
    await env.gql('finance', `mutation($i: CountyPolicyUpdateInput!) { countyPolicyUpdate(input: $i) { errors { code } } }`, {
      i: { countyCode: '511922000000', singleAmountCeiling: '100000000.00' },
    });
  });
});

describe('aggregates beyond 2^53 fen', () => {
  it('records and reverses an absurd amount twice (confirmed), and the trial balances stay exact', async () => {
    for (let i = 0; i < 2; i++) {
      const p = await record(HUGE, { confirmAmountAboveLimit: true });
      expect(p.errors).toEqual([]);
      const r = await env.gql('finance', REVERSE, { input: { entryId: p.entry.id, reason: '金额录入错误', idempotencyKey: `huge-${i}` } });
      expect(r.data.journalEntryReverse.errors).toEqual([]);
    }
    for (const region of ['511922000000', '510000000000']) {
      const body = await env.gql('admin', TRIAL, { r: region });
      expect(body.errors).toBeUndefined();
      const tb = body.data.trialBalance;
      expect(tb.balanced).toBe(true);
      const pending = tb.lines.find((l: any) => l.accountKind === 'INCOME_PENDING_DISTRIBUTION');
      // Two receipts and two reversals of 4.6e15 fen each, plus the 100 010 000.00 yuan recorded above.
      expect(pending.debits).toBe('92000100010000.00');
      expect(pending.credits).toBe('92000000000000.00');
      expect(pending.balance).toBe('100010000.00');
      expect(BigInt(tb.totalDebits.replace('.', ''))).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    }
  });

  it('an account balance shows exact debits and credits past 2^53 fen', async () => {
    const owner = (await env.db('parties').where({ kind: 'VILLAGE_COLLECTIVE', region_code: V.chaping }).first()).id;
    const body = await env.gql('clerk', `query($h: ID!) { accountBalance(holderId: $h, kind: INCOME_PENDING_DISTRIBUTION) { debits credits balance } }`, { h: `Party:${owner}` });
    expect(body.data.accountBalance).toEqual({ debits: '92000100010000.00', credits: '92000000000000.00', balance: '100010000.00' });
  });
});
