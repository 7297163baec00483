/**
 * 可见余额: one read rule for a balance on every path (journal.service visibleBalance). The accountBalance
 * query and the Account.balance field — reached through node(Account) or through a posting of a readable
 * entry — answer alike for each role and holder: the balance inside the actor's region, null outside it
 * (the account itself may still be visible, as a neighbour village's collective is county-wide).
 */
import { setup, TestEnv, TokenName } from './helpers';
import { fundVillage } from './distribution.helpers';
import { V } from '../seeds/demo-data';
import { collectiveOf } from '../src/modules/parties/parties.service';

let env: TestEnv;
let chaping: number;
let jintai: number;
let company: number;
let entryId: string;
beforeAll(async () => {
  env = await setup();
  entryId = await fundVillage(env, V.chaping, 1_234_500);
  await fundVillage(env, V.jintai, 700_000);
  chaping = (await collectiveOf(env.db, env.clock, V.chaping)).id;
  jintai = (await collectiveOf(env.db, env.clock, V.jintai)).id;
  company = (await env.db('parties').where({ credit_code: '91510823MA6BTEST01' }).first()).id;
});
afterAll(() => env.close());

const QUERY = `query($h: ID!, $k: AccountKind!) { accountBalance(holderId: $h, kind: $k) { balance } }`;
const FIELD = `query($id: ID!) { node(id: $id) { ... on Account { id balance } } }`;

async function accountId(holder: number, kind: string): Promise<number> {
  return (await env.db('journal_accounts').where({ holder_party_id: holder, kind }).first()).id;
}

/** [token, holder, kind, the balance it may see (null: hidden)]. */
const CASES: () => [TokenName, number, string, string | null][] = () => [
  ['clerk', chaping, 'INCOME_PENDING_DISTRIBUTION', '12345.00'],
  ['otherClerk', jintai, 'INCOME_PENDING_DISTRIBUTION', '7000.00'],
  // A clerk of another village: the collective is visible county-wide, its balance is not.
  ['otherClerk', chaping, 'INCOME_PENDING_DISTRIBUTION', null],
  ['clerk', jintai, 'INCOME_PENDING_DISTRIBUTION', null],
  // The payer, registered at the county: outside a village clerk's region.
  ['clerk', company, 'EXTERNAL_COUNTERPARTY', null],
  ['finance', chaping, 'INCOME_PENDING_DISTRIBUTION', '12345.00'],
  ['finance', company, 'EXTERNAL_COUNTERPARTY', '-19345.00'],
];

it('the accountBalance query and the Account.balance field answer alike, role by role', async () => {
  for (const [token, holder, kind, expected] of CASES()) {
    const q = await env.gql(token, QUERY, { h: `Party:${holder}`, k: kind });
    expect(q.errors).toBeUndefined();
    expect([token, holder, q.data.accountBalance?.balance ?? null]).toEqual([token, holder, expected]);
    const f = await env.gql(token, FIELD, { id: `Account:${await accountId(holder, kind)}` });
    expect(f.errors).toBeUndefined();
    // node(Account) follows the holder's visibility (county-wide for collectives and companies): the account
    // shows to every one of these, its balance only by the rule.
    expect(f.data.node).not.toBeNull();
    expect([token, holder, f.data.node.balance]).toEqual([token, holder, expected]);
  }
});

it("through a readable entry's postings, the payer's account shows but its balance does not", async () => {
  const body = await env.gql('clerk', `query($id: ID!) { node(id: $id) { ... on JournalEntry { postings { account { kind balance } } } } }`, { id: entryId });
  expect(body.errors).toBeUndefined();
  const byKind = Object.fromEntries(body.data.node.postings.map((p: any) => [p.account.kind, p.account.balance]));
  expect(byKind).toEqual({ EXTERNAL_COUNTERPARTY: null, INCOME_PENDING_DISTRIBUTION: '12345.00' });
});
