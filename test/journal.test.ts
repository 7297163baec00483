import { setup, TestEnv, snapshot, gidNum } from './helpers';
import { company, collective, post, income, newKey, REVERSE, VERIFY, ENTRY_FIELDS, JOURNAL_TABLES, COUNTY } from './journal.fixtures';
import { createProject, registerAsset } from './fixtures';
import { V } from '../seeds/demo-data';
import { DomainError, DomainErrors } from '../src/shared/errors';
import { entryHash, GENESIS_HASH } from '../src/modules/journal/journal.hash';
import { MAX_FEN } from '../src/shared/money';
import * as repo from '../src/modules/journal/journal.repository';

let env: TestEnv;
let payer: number;
let chaping: number;
let jintai: number;
beforeAll(async () => {
  env = await setup();
  payer = await company(env, '南江县农业投资有限公司');
  chaping = await collective(env, V.chaping);
  jintai = await collective(env, V.jintai);
});
afterAll(() => env.close());

const WRITE_TABLES = [...JOURNAL_TABLES];
async function headRow() {
  return repo.readHead(env.db);
}

/** The DomainError code(s) a rejected service call threw. */
async function codeOf(p: Promise<unknown>): Promise<{ code: string; field: string[] }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, field: e.field };
    if (e instanceof DomainErrors) return { code: e.errors[0].code, field: e.errors[0].field };
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('postEntry: double-entry rules', () => {
  it('posts a balanced entry, creating accounts on demand, and links it to the chain', async () => {
    const before = await headRow();
    const { entry, postings, replayed } = await income(env, payer, chaping, 1_200_000);
    expect(replayed).toBe(false);
    expect(entry.sequence).toBe(before.lastSequence + 1);
    expect(entry.prevHash).toBe(before.lastHash);
    expect(entry.hash).toBe(entryHash(before.lastHash, entry, postings));
    expect(postings.map((p) => [p.holderPartyId, p.accountKind, p.amountFen]).sort()).toEqual(
      [
        [payer, 'EXTERNAL_COUNTERPARTY', -1_200_000],
        [chaping, 'INCOME_PENDING_DISTRIBUTION', 1_200_000],
      ].sort(),
    );
    const after = await headRow();
    expect(after).toEqual({ lastSequence: entry.sequence, lastHash: entry.hash });
  });

  it('reuses the one account per holder and kind', async () => {
    const a = await income(env, payer, chaping, 100);
    const b = await income(env, payer, chaping, 200);
    const ids = (x: typeof a) => x.postings.map((p) => p.accountId).sort();
    expect(ids(a)).toEqual(ids(b));
    expect(await env.db('journal_accounts').where({ holder_party_id: chaping, kind: 'INCOME_PENDING_DISTRIBUTION' })).toHaveLength(1);
  });

  const bad: [string, () => Parameters<typeof post>[1], string, string[]][] = [
    [
      'postings that do not sum to zero',
      () => ({ postings: [{ holderPartyId: payer, kind: 'EXTERNAL_COUNTERPARTY', amountFen: -100 }, { holderPartyId: chaping, kind: 'CASH', amountFen: 99 }] }),
      'UNBALANCED_ENTRY',
      ['input', 'postings'],
    ],
    ['a single posting', () => ({ postings: [{ holderPartyId: payer, kind: 'EXTERNAL_COUNTERPARTY', amountFen: 1 }] }), 'INVALID_POSTINGS', ['input', 'postings']],
    [
      'a zero amount',
      () => ({ postings: [{ holderPartyId: payer, kind: 'EXTERNAL_COUNTERPARTY', amountFen: 0 }, { holderPartyId: chaping, kind: 'CASH', amountFen: 0 }] }),
      'INVALID_AMOUNT',
      ['input', 'postings', '0', 'amountFen'],
    ],
    [
      'a fractional amount',
      () => ({ postings: [{ holderPartyId: payer, kind: 'EXTERNAL_COUNTERPARTY', amountFen: -1.5 }, { holderPartyId: chaping, kind: 'CASH', amountFen: 1.5 }] }),
      'INVALID_INPUT',
      ['input', 'postings', '0', 'amountFen'],
    ],
    [
      'the same account twice',
      () => ({
        postings: [
          { holderPartyId: payer, kind: 'EXTERNAL_COUNTERPARTY', amountFen: -100 },
          { holderPartyId: chaping, kind: 'CASH', amountFen: 50 },
          { holderPartyId: chaping, kind: 'CASH', amountFen: 50 },
        ],
      }),
      'INVALID_POSTINGS',
      ['input', 'postings', '2'],
    ],
    [
      'an account taken below zero where its kind forbids it',
      () => ({ postings: [{ holderPartyId: jintai, kind: 'COLLECTIVE_RETENTION', amountFen: -1 }, { holderPartyId: chaping, kind: 'CASH', amountFen: 1 }] }),
      'INSUFFICIENT_BALANCE',
      ['input', 'postings', '0', 'amount'],
    ],
    [
      'an unknown holder',
      () => ({ postings: [{ holderPartyId: 999999, kind: 'EXTERNAL_COUNTERPARTY', amountFen: -1 }, { holderPartyId: chaping, kind: 'CASH', amountFen: 1 }] }),
      'NOT_FOUND',
      ['input', 'postings', '0', 'holderId'],
    ],
    [
      'a future effective date',
      () => ({
        effectiveOn: '2027-01-01',
        postings: [{ holderPartyId: payer, kind: 'EXTERNAL_COUNTERPARTY', amountFen: -1 }, { holderPartyId: chaping, kind: 'CASH', amountFen: 1 }],
      }),
      'DATE_IN_FUTURE',
      ['input', 'effectiveOn'],
    ],
  ];

  it.each(bad)('rejects %s with a code and writes nothing', async (_label, req, code, field) => {
    const before = await snapshot(env.db, WRITE_TABLES);
    const head = await headRow();
    expect(await codeOf(post(env, req()))).toEqual({ code, field });
    expect(await snapshot(env.db, WRITE_TABLES)).toEqual(before);
    expect(await headRow()).toEqual(head);
  });

  it('rejects fewer than two postings even when they would balance', async () => {
    const err = await codeOf(post(env, { postings: [] }));
    expect(err.code).toBe('INVALID_POSTINGS');
  });

  it('returns the first result for a retry with the same key and request, and refuses a different request', async () => {
    const key = newKey('retry');
    const first = await income(env, payer, chaping, 5_000, { idempotencyKey: key });
    const count = await snapshot(env.db, WRITE_TABLES);
    const again = await income(env, payer, chaping, 5_000, { idempotencyKey: key });
    expect(again.replayed).toBe(true);
    expect(again.entry).toEqual(first.entry);
    expect(await snapshot(env.db, WRITE_TABLES)).toEqual(count);
    const other = await codeOf(
      income(env, payer, chaping, 6_000, { idempotencyKey: key, requestFingerprint: 'f'.repeat(64) }),
    );
    expect(other).toEqual({ code: 'IDEMPOTENCY_CONFLICT', field: ['input', 'idempotencyKey'] });
  });

  it('lets an external counterparty go negative but never a pot of income', async () => {
    const village = await collective(env, V.shiqiao);
    await income(env, payer, village, 300);
    const spend = (amountFen: number) =>
      post(env, {
        postings: [
          { holderPartyId: village, kind: 'INCOME_PENDING_DISTRIBUTION', amountFen: -amountFen },
          { holderPartyId: village, kind: 'COLLECTIVE_RETENTION', amountFen },
        ],
      });
    expect((await codeOf(spend(301))).code).toBe('INSUFFICIENT_BALANCE');
    await spend(300);
    expect((await codeOf(spend(1))).code).toBe('INSUFFICIENT_BALANCE');
    const bal = await env.db('journal_postings as p').join('journal_accounts as a', 'a.id', 'p.account_id').where('a.holder_party_id', payer).sum({ s: 'p.amount_fen' }).first();
    expect(Number(bal!.s)).toBeLessThan(0);
  });

  it('keeps amounts up to 2^53 fen exact through SQL sums on this database', async () => {
    // In 剑阁县, so the Nanjiang trial balances below stay small.
    const bigPayer = await company(env, '剑阁县大额付款方', '510823000000');
    const liangya = await collective(env, V.liangya);
    await income(env, bigPayer, liangya, MAX_FEN - 1);
    await income(env, bigPayer, liangya, 1);
    const body = await env.gql('jiangeFinance', `query($h: ID!) { accountBalance(holderId: $h, kind: INCOME_PENDING_DISTRIBUTION) { debits credits balance } }`, {
      h: `Party:${liangya}`,
    });
    expect(body.data.accountBalance).toEqual({ debits: '90071992547409.91', credits: '0.00', balance: '90071992547409.91' });
    expect((await codeOf(income(env, bigPayer, liangya, 1))).code).toBe('INVALID_AMOUNT');
  });
});

describe('queries', () => {
  let assetId: string;
  let qEntries: Record<string, number>;
  beforeAll(async () => {
    const village = await collective(env, V.taoyuan);
    const project = await createProject(env, { regionCode: V.taoyuan }, 'admin');
    const asset = await registerAsset(env, project.id, { villageCode: V.taoyuan }, 'admin');
    assetId = asset.id;
    const a = await income(env, payer, village, 100_000, { effectiveOn: '2024-03-31', assetId: gidNum(asset.id), source: { type: 'ASSET', id: gidNum(asset.id) } });
    const b = await income(env, payer, village, 50_000, { effectiveOn: '2024-09-30', assetId: gidNum(asset.id) });
    const c = await post(env, {
      kind: 'DISTRIBUTION',
      effectiveOn: '2024-12-31',
      postings: [
        { holderPartyId: village, kind: 'INCOME_PENDING_DISTRIBUTION', amountFen: -120_000 },
        { holderPartyId: village, kind: 'COLLECTIVE_RETENTION', amountFen: 30_000 },
        { holderPartyId: village, kind: 'PAYABLE_TO_HOUSEHOLDS', amountFen: 90_000 },
      ],
    });
    qEntries = { a: a.entry.id, b: b.entry.id, c: c.entry.id, village };
  });

  const LIST = `query($f: JournalEntryFilter, $first: Int, $after: String) {
    journalEntries(filter: $f, first: $first, after: $after) { totalCount nodes { ${ENTRY_FIELDS} } pageInfo { hasNextPage endCursor } }
  }`;
  const ids = (body: any) => body.data.journalEntries.nodes.map((n: any) => gidNum(n.id));

  it('lists entries by region, holder, account kind, asset, kind and dates', async () => {
    const byRegion = await env.gql('finance', LIST, { f: { regionCode: V.taoyuan } });
    expect(ids(byRegion)).toEqual([qEntries.a, qEntries.b, qEntries.c]);
    const first = byRegion.data.journalEntries.nodes[0];
    expect(first).toMatchObject({
      kind: 'INCOME',
      effectiveOn: '2024-03-31',
      memo: '租金收入',
      sourceType: 'ASSET',
      sourceId: assetId,
      asset: { id: assetId },
      actor: { name: '管理员' },
      reverses: null,
      reversedBy: null,
    });
    expect(first.postings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ amount: '-1000.00', side: 'CREDIT', account: expect.objectContaining({ kind: 'EXTERNAL_COUNTERPARTY', mayGoNegative: true }) }),
        expect.objectContaining({
          amount: '1000.00',
          side: 'DEBIT',
          account: expect.objectContaining({ kind: 'INCOME_PENDING_DISTRIBUTION', mayGoNegative: false, holder: expect.objectContaining({ name: '桃园村股份经济合作社', kind: 'VILLAGE_COLLECTIVE', region: { code: V.taoyuan } }) }),
        }),
      ]),
    );
    const h = `Party:${qEntries.village}`;
    expect(ids(await env.gql('finance', LIST, { f: { holderId: h, accountKind: 'COLLECTIVE_RETENTION' } }))).toEqual([qEntries.c]);
    expect(ids(await env.gql('finance', LIST, { f: { assetId } }))).toEqual([qEntries.a, qEntries.b]);
    expect(ids(await env.gql('finance', LIST, { f: { regionCode: V.taoyuan, kind: 'DISTRIBUTION' } }))).toEqual([qEntries.c]);
    expect(ids(await env.gql('finance', LIST, { f: { regionCode: V.taoyuan, fromDate: '2024-04-01', toDate: '2024-12-30' } }))).toEqual([qEntries.b]);
    expect(ids(await env.gql('finance', LIST, { f: { holderId: 'Asset:1' } }))).toEqual([]);
  });

  it('pages with a cursor', async () => {
    const p1 = await env.gql('finance', LIST, { f: { regionCode: V.taoyuan }, first: 2 });
    expect(ids(p1)).toEqual([qEntries.a, qEntries.b]);
    expect(p1.data.journalEntries.totalCount).toBe(3);
    const p2 = await env.gql('finance', LIST, { f: { regionCode: V.taoyuan }, first: 2, after: p1.data.journalEntries.pageInfo.endCursor });
    expect(ids(p2)).toEqual([qEntries.c]);
    expect(p2.data.journalEntries.pageInfo.hasNextPage).toBe(false);
  });

  it('scopes entries to the holders a user may read', async () => {
    // 桃园村 is in 云顶镇: its reviewer sees it; 长赤镇's reviewer, 剑阁县 finance and another village's clerk do not.
    expect(ids(await env.gql('reviewer', LIST, { f: { regionCode: V.taoyuan } }))).toHaveLength(3);
    expect(ids(await env.gql('planner', LIST, { f: { regionCode: V.taoyuan } }))).toHaveLength(3);
    for (const who of ['otherReviewer', 'jiangeFinance', 'otherClerk'] as const) {
      expect(ids(await env.gql(who, LIST, { f: { regionCode: V.taoyuan } }))).toEqual([]);
      expect(ids(await env.gql(who, LIST, { f: { assetId } }))).toEqual([]);
    }
    const node = await env.gql('otherClerk', `query($id: ID!) { node(id: $id) { id } }`, { id: `JournalEntry:${qEntries.a}` });
    expect(node.data.node).toBeNull();
    const mine = await env.gql('finance', `query($id: ID!) { node(id: $id) { ... on JournalEntry { sequence } } }`, { id: `JournalEntry:${qEntries.a}` });
    expect(mine.data.node.sequence).toBeGreaterThan(0);
  });

  const BALANCE = `query($h: ID!, $k: AccountKind!, $asOf: Date) { accountBalance(holderId: $h, kind: $k, asOf: $asOf) { holder { name } kind account { id } asOf debits credits balance } }`;

  it('reads any account balance as of any date', async () => {
    const h = `Party:${qEntries.village}`;
    const at = async (asOf: string | null, k = 'INCOME_PENDING_DISTRIBUTION') =>
      (await env.gql('finance', BALANCE, { h, k, asOf })).data.accountBalance;
    expect((await at('2024-03-30')).balance).toBe('0.00');
    expect((await at('2024-03-31')).balance).toBe('1000.00');
    expect(await at('2024-10-01')).toMatchObject({ debits: '1500.00', credits: '0.00', balance: '1500.00', asOf: '2024-10-01' });
    expect(await at(null)).toMatchObject({ debits: '1500.00', credits: '1200.00', balance: '300.00', asOf: null });
    expect((await at(null, 'PAYABLE_TO_HOUSEHOLDS')).balance).toBe('900.00');
    // Never posted to: zero, and reading does not create the account.
    const upkeep = await at(null, 'UPKEEP_RESERVE');
    expect(upkeep).toMatchObject({ account: null, balance: '0.00' });
    const clerkOther = await env.gql('otherClerk', BALANCE, { h, k: 'CASH' });
    expect(clerkOther.data.accountBalance).toBeNull();
  });

  const TRIAL = `query($r: String!, $asOf: Date) { trialBalance(regionCode: $r, asOf: $asOf) {
    region { code } asOf totalDebits totalCredits outsideRegionNet entryCount unbalancedEntryCount balanced
    lines { accountKind accountCount debits credits balance } } }`;

  it('runs a trial balance of a village and of the county: entries balance, debits = credits', async () => {
    const village = (await env.gql('finance', TRIAL, { r: V.taoyuan, asOf: '2024-12-31' })).data.trialBalance;
    expect(village).toMatchObject({ region: { code: V.taoyuan }, asOf: '2024-12-31', entryCount: 3, unbalancedEntryCount: 0, balanced: true });
    expect(village.lines).toEqual([
      { accountKind: 'COLLECTIVE_RETENTION', accountCount: 1, debits: '300.00', credits: '0.00', balance: '300.00' },
      { accountKind: 'INCOME_PENDING_DISTRIBUTION', accountCount: 1, debits: '1500.00', credits: '1200.00', balance: '300.00' },
      { accountKind: 'PAYABLE_TO_HOUSEHOLDS', accountCount: 1, debits: '900.00', credits: '0.00', balance: '900.00' },
    ]);
    // The payer is a county company, outside the village: its side is the money that entered the village.
    expect(village.outsideRegionNet).toBe('-1500.00');
    const county = (await env.gql('finance', TRIAL, { r: COUNTY })).data.trialBalance;
    expect(county.balanced).toBe(true);
    expect(county.unbalancedEntryCount).toBe(0);
    expect(county.outsideRegionNet).toBe('0.00');
    expect(county.totalDebits).toBe(county.totalCredits);
    expect(county.asOf).toBe('2026-11-22');
    expect((await env.gql('finance', TRIAL, { r: V.taoyuan, asOf: '2024-03-31' })).data.trialBalance.entryCount).toBe(1);
    expect((await env.gql('otherClerk', TRIAL, { r: V.taoyuan })).data.trialBalance).toBeNull();
    expect((await env.gql('finance', TRIAL, { r: '510823000000' })).data.trialBalance).toBeNull();
  });

  it('verifies the chain for auditors and refuses clerks and planners', async () => {
    const body = await env.gql('finance', VERIFY);
    const head = await headRow();
    expect(body.data.journalVerify).toEqual({ intact: true, count: head.lastSequence, headSequence: head.lastSequence, headHash: head.lastHash, failure: null });
    expect((await env.gql('reviewer', VERIFY)).data.journalVerify.intact).toBe(true);
    for (const who of ['clerk', 'planner'] as const) {
      expect((await env.gql(who, VERIFY)).errors[0].extensions.code).toBe('FORBIDDEN');
    }
    expect((await env.gql(null, VERIFY)).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('journalEntryReverse', () => {
  let village: number;
  beforeAll(async () => {
    village = await collective(env, V.qinggang);
  });
  const reverse = (token: Parameters<TestEnv['gql']>[0], input: Record<string, unknown>) =>
    env.gql(token, REVERSE, { input: { reason: '凭证金额录错', idempotencyKey: newKey('rev'), ...input } });

  it('posts negated postings that point to the original; the original stays', async () => {
    const original = await income(env, payer, village, 88_800, { effectiveOn: '2025-05-01' });
    const before = await snapshot(env.db, ['journal_entries', 'journal_postings']);
    const body = await reverse('finance', { entryId: `JournalEntry:${original.entry.id}` });
    const { entry, replayed, errors } = body.data.journalEntryReverse;
    expect(errors).toEqual([]);
    expect(replayed).toBe(false);
    expect(entry).toMatchObject({
      kind: 'REVERSAL',
      effectiveOn: '2026-11-22',
      memo: `冲销 #${original.entry.sequence}: 凭证金额录错`,
      reverses: { id: `JournalEntry:${original.entry.id}`, sequence: original.entry.sequence },
      actor: { name: '县财政' },
    });
    expect(entry.postings.map((p: any) => [p.account.kind, p.amount]).sort()).toEqual([
      ['EXTERNAL_COUNTERPARTY', '888.00'],
      ['INCOME_PENDING_DISTRIBUTION', '-888.00'],
    ]);
    expect(await snapshot(env.db, ['journal_entries', 'journal_postings'])).toEqual({
      journal_entries: before.journal_entries + 1,
      journal_postings: before.journal_postings + 2,
    });
    const orig = await env.gql('finance', `query($id: ID!) { node(id: $id) { ... on JournalEntry { memo reversedBy { id } postings { amount } } } }`, {
      id: `JournalEntry:${original.entry.id}`,
    });
    expect(orig.data.node.memo).toBe('租金收入');
    expect(orig.data.node.reversedBy.id).toBe(entry.id);
    const bal = await env.gql('finance', `query($h: ID!) { accountBalance(holderId: $h, kind: INCOME_PENDING_DISTRIBUTION) { balance } }`, { h: `Party:${village}` });
    expect(bal.data.accountBalance.balance).toBe('0.00');
  });

  it('reverses an entry once, and never a reversal', async () => {
    const original = await income(env, payer, village, 1_000);
    const first = await reverse('admin', { entryId: `JournalEntry:${original.entry.id}` });
    expect(first.data.journalEntryReverse.errors).toEqual([]);
    const again = await reverse('finance', { entryId: `JournalEntry:${original.entry.id}` });
    expect(again.data.journalEntryReverse).toMatchObject({ entry: null, replayed: false, errors: [{ code: 'ALREADY_REVERSED', field: ['input', 'entryId'] }] });
    const ofReversal = await reverse('finance', { entryId: first.data.journalEntryReverse.entry.id });
    expect(ofReversal.data.journalEntryReverse.errors[0].code).toBe('CANNOT_REVERSE_REVERSAL');
  });

  it('returns the first result on a retry with the same key, and refuses the key for another request', async () => {
    const original = await income(env, payer, village, 2_000);
    const input = { entryId: `JournalEntry:${original.entry.id}`, idempotencyKey: newKey('retry') };
    const first = await reverse('finance', input);
    const count = await snapshot(env.db, WRITE_TABLES);
    const head = await headRow();
    const retry = await reverse('finance', input);
    expect(retry.data.journalEntryReverse.replayed).toBe(true);
    expect(retry.data.journalEntryReverse.entry.id).toBe(first.data.journalEntryReverse.entry.id);
    expect(retry.data.journalEntryReverse.entry.hash).toBe(first.data.journalEntryReverse.entry.hash);
    expect(await snapshot(env.db, WRITE_TABLES)).toEqual(count);
    expect(await headRow()).toEqual(head);
    const otherReason = await reverse('finance', { ...input, reason: '另一个原因' });
    expect(otherReason.data.journalEntryReverse.errors).toEqual([
      expect.objectContaining({ code: 'IDEMPOTENCY_CONFLICT', field: ['input', 'idempotencyKey'] }),
    ]);
    // A user of another region has keys of its own (issue 8): no replay of finance's entry for it.
    const otherUser = await reverse('admin', input);
    expect(otherUser.data.journalEntryReverse.replayed).toBe(false);
    expect(otherUser.data.journalEntryReverse.errors[0].code).toBe('ALREADY_REVERSED');
  });

  it('refuses a reversal that would take income already distributed below zero', async () => {
    const original = await income(env, payer, village, 10_000);
    await post(env, {
      kind: 'DISTRIBUTION',
      postings: [
        { holderPartyId: village, kind: 'INCOME_PENDING_DISTRIBUTION', amountFen: -6_000 },
        { holderPartyId: village, kind: 'COLLECTIVE_RETENTION', amountFen: 6_000 },
      ],
    });
    const before = await snapshot(env.db, WRITE_TABLES);
    const body = await reverse('finance', { entryId: `JournalEntry:${original.entry.id}` });
    expect(body.data.journalEntryReverse.errors[0]).toMatchObject({ code: 'INSUFFICIENT_BALANCE' });
    expect(await snapshot(env.db, WRITE_TABLES)).toEqual(before);
  });

  it('checks dates, ids, roles and scope', async () => {
    const original = await income(env, payer, village, 3_000, { effectiveOn: '2025-06-30' });
    const id = `JournalEntry:${original.entry.id}`;
    expect((await reverse('finance', { entryId: id, effectiveOn: '2025-06-29' })).data.journalEntryReverse.errors[0]).toMatchObject({
      code: 'DATE_ORDER',
      field: ['input', 'effectiveOn'],
    });
    expect((await reverse('finance', { entryId: id, effectiveOn: '2026-12-01' })).data.journalEntryReverse.errors[0].code).toBe('DATE_IN_FUTURE');
    expect((await reverse('finance', { entryId: id, reason: ' ' })).data.journalEntryReverse.errors[0]).toMatchObject({
      code: 'REQUIRED',
      field: ['input', 'reason'],
    });
    expect((await reverse('finance', { entryId: 'Asset:1' })).data.journalEntryReverse.errors[0].code).toBe('NOT_FOUND');
    expect((await reverse('finance', { entryId: 'JournalEntry:999999' })).data.journalEntryReverse.errors[0].code).toBe('NOT_FOUND');
    // Another county's finance office does not see the entry at all.
    expect((await reverse('jiangeFinance', { entryId: id })).data.journalEntryReverse.errors[0].code).toBe('NOT_FOUND');
    for (const who of ['clerk', 'reviewer', 'planner'] as const) {
      expect((await reverse(who, { entryId: id })).errors[0].extensions.code).toBe('FORBIDDEN');
    }
    const ok = await reverse('finance', { entryId: id, effectiveOn: '2025-06-30' });
    expect(ok.data.journalEntryReverse.entry.effectiveOn).toBe('2025-06-30');
  });
});

describe('append-only, enforced by the database', () => {
  it.each([
    ['journal_entries', `UPDATE journal_entries SET memo = 'changed'`],
    ['journal_entries', `DELETE FROM journal_entries`],
    ['journal_postings', `UPDATE journal_postings SET amount_fen = amount_fen + 1`],
    ['journal_postings', `DELETE FROM journal_postings`],
    ['journal_accounts', `UPDATE journal_accounts SET kind = 'CASH'`],
    ['journal_accounts', `DELETE FROM journal_accounts`],
  ])('%s rejects raw SQL: %s', async (_table, sql) => {
    const before = await snapshot(env.db, WRITE_TABLES);
    // Matched by message, not toThrow: better-sqlite3 registers its SqliteError class once per process, so in
    // a jest worker's second test file it comes from another realm and fails jest's instanceof Error check.
    await expect(env.db.raw(sql)).rejects.toMatchObject({ message: expect.stringMatching(/APPEND_ONLY/) });
    expect(await snapshot(env.db, WRITE_TABLES)).toEqual(before);
    expect((await env.gql('finance', VERIFY)).data.journalVerify.intact).toBe(true);
  });

  it('has no update or delete function in the repository', () => {
    const names = Object.keys(repo);
    expect(names.filter((n) => /update|delete|remove|edit|set/i.test(n))).toEqual([]);
  });

  it('starts the chain from the genesis hash', async () => {
    const first = await env.db('journal_entries').where({ sequence: 1 }).first();
    expect(first.prev_hash).toBe(GENESIS_HASH);
  });
});
