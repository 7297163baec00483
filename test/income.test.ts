/** incomeRecord through HTTP: the split, the record, the event, idempotency, and every rejection writing nothing. */
import { setup, TestEnv, snapshot, gidNum } from './helpers';
import { company } from './journal.fixtures';
import { createProject, registerAsset, HOUSEHOLD_REGISTER, householdInput } from './fixtures';
import { INCOME_RECORD, INCOME_TABLES, incomeInput, key, lease, ownedAsset, recordIncome, recorded, voucher } from './income.helpers';
import { V } from '../seeds/demo-data';

let env: TestEnv;
let payer: number;
let asset: { id: string }; // 茶坪村 100%, leased to `payer`
let contractId: string;
beforeAll(async () => {
  env = await setup();
  payer = await company(env, '南江县云顶农业发展有限公司');
  asset = await ownedAsset(env);
  contractId = (await lease(env, asset.id, payer)).id;
});
afterAll(() => env.close());

const BALANCE = `query($h: ID!) { accountBalance(holderId: $h, kind: INCOME_PENDING_DISTRIBUTION) { balance } }`;

async function partyOfVillage(villageCode: string): Promise<number> {
  return (await env.db('parties').where({ kind: 'VILLAGE_COLLECTIVE', region_code: villageCode }).first()).id;
}

describe('incomeRecord: success', () => {
  it('books rent to the owner: income record, journal entry, asset event and last income date', async () => {
    const input = incomeInput(asset.id, payer, { receivedOn: '2025-03-31', amount: '12500.00', voucherNo: '南江茶坪收〔2025〕100号' });
    const before = await snapshot(env.db, INCOME_TABLES);
    const p = await recorded(env, input);
    expect(p.replayed).toBe(false);
    expect(p.income).toMatchObject({
      kind: 'RENT',
      receivedOn: '2025-03-31',
      voucherNo: '南江茶坪收〔2025〕100号',
      amount: '12500.00',
      memo: '2025年第一季度租金',
      reversed: false,
      payer: { id: `Party:${payer}`, name: '南江县云顶农业发展有限公司' },
      contract: { id: contractId },
      asset: { id: asset.id, lastIncomeOn: '2025-03-31' },
      actor: { name: '茶坪村会计' },
      entry: { id: p.entry.id },
    });
    const chaping = await partyOfVillage(V.chaping);
    expect(p.entry).toMatchObject({
      kind: 'INCOME',
      effectiveOn: '2025-03-31',
      sourceType: 'CONTRACT',
      sourceId: contractId,
      idempotencyKey: input.idempotencyKey,
      asset: { id: asset.id },
      incomeRecord: { id: p.income.id },
    });
    expect(p.entry.memo).toBe('租金收入 凭证号 南江茶坪收〔2025〕100号：2025年第一季度租金');
    expect(p.entry.postings).toEqual([
      { amount: '-12500.00', side: 'CREDIT', account: { kind: 'EXTERNAL_COUNTERPARTY', holder: { id: `Party:${payer}`, name: '南江县云顶农业发展有限公司' } } },
      { amount: '12500.00', side: 'DEBIT', account: { kind: 'INCOME_PENDING_DISTRIBUTION', holder: { id: `Party:${chaping}`, name: '茶坪村股份经济合作社' } } },
    ]);

    // The row as stored.
    const row = await env.db('income_records').where({ id: gidNum(p.income.id) }).first();
    expect(row).toMatchObject({
      asset_id: gidNum(asset.id),
      village_code: V.chaping,
      contract_id: gidNum(contractId),
      kind: 'RENT',
      received_on: '2025-03-31',
      payer_party_id: payer,
      voucher_no: '南江茶坪收〔2025〕100号',
      entry_id: gidNum(p.entry.id),
      actor_user_id: env.userIds.clerk,
    });
    expect(Number(row.amount_fen)).toBe(1_250_000);
    const after = await snapshot(env.db, INCOME_TABLES);
    expect(after.income_records - before.income_records).toBe(1);
    expect(after.journal_entries - before.journal_entries).toBe(1);
    expect(after.journal_postings - before.journal_postings).toBe(2);
    expect(after.asset_events - before.asset_events).toBe(1);

    // The asset event, as an observation dated the day the money came.
    const card = await env.gql('finance', `query($id: ID!) { asset(id: $id) { lastIncomeOn incomeRecords { id amount }
      events { action fromStatus toStatus effectiveOn reason payload } } }`, { id: asset.id });
    const event = card.data.asset.events.find((e: any) => e.action === 'INCOME_RECORD');
    expect(event).toMatchObject({ fromStatus: 'IN_OPERATION', toStatus: 'IN_OPERATION', effectiveOn: '2025-03-31', reason: '2025年第一季度租金' });
    expect(JSON.parse(event.payload)).toEqual({
      incomeRecordId: gidNum(p.income.id),
      entryId: gidNum(p.entry.id),
      entrySequence: p.entry.sequence,
      kind: 'RENT',
      amountFen: 1_250_000,
      voucherNo: '南江茶坪收〔2025〕100号',
      payerPartyId: payer,
      contractId: gidNum(contractId),
      shares: [{ partyId: chaping, shareBp: 10000, amountFen: 1_250_000 }],
    });
    expect(card.data.asset.lastIncomeOn).toBe('2025-03-31');
    expect(card.data.asset.incomeRecords).toContainEqual({ id: p.income.id, amount: '12500.00' });
    const bal = await env.gql('finance', BALANCE, { h: `Party:${chaping}` });
    expect(bal.data.accountBalance.balance).toBe('12500.00');
  });

  it('splits a joint asset\'s odd amount exactly by 3333/3333/3334 bp, largest remainder, ties to the lower party id', async () => {
    const joint = await ownedAsset(env, [
      { villageCode: V.chaping, shareBp: 3333 },
      { villageCode: V.jintai, shareBp: 3333 },
      { villageCode: V.shiqiao, shareBp: 3334 },
    ]);
    const chaping = await partyOfVillage(V.chaping);
    const jintai = await partyOfVillage(V.jintai);
    const shiqiao = await partyOfVillage(V.shiqiao);
    const split = async (amount: string) => {
      const p = await recorded(env, incomeInput(joint.id, payer, { amount, kind: 'DIVIDEND' }));
      expect(p.income.contract).toBeNull(); // the asset never had a contract
      expect(p.entry.sourceType).toBe('ASSET');
      expect(p.entry.sourceId).toBe(joint.id);
      const byHolder: Record<number, string> = {};
      for (const x of p.entry.postings) if (x.account.kind === 'INCOME_PENDING_DISTRIBUTION') byHolder[gidNum(x.account.holder.id)] = x.amount;
      const total = p.entry.postings.reduce((s: number, x: any) => s + Math.round(Number(x.amount) * 100), 0);
      expect(total).toBe(0);
      return byHolder;
    };
    // 10001 fen: quotas 3333.3333, 3333.3333, 3334.3334 → floors 3333, 3333, 3334; the fen left goes to the largest remainder.
    expect(await split('100.01')).toEqual({ [chaping]: '33.33', [jintai]: '33.33', [shiqiao]: '33.35' });
    // 2 fen: remainders 6666, 6666, 6668 (of 10000) → 石桥村, then the tie goes to the lower party id.
    const lower = Math.min(chaping, jintai);
    expect(await split('0.02')).toEqual({ [shiqiao]: '0.01', [lower]: '0.01' });
    // 1 fen: one owner gets it; the zero shares are not posted.
    expect(await split('0.01')).toEqual({ [shiqiao]: '0.01' });
    // A large amount: still exact (parts floor or ceiling of their quota, summing to the total).
    const big = await split('12345678.91');
    expect(Object.values(big).reduce((s, v) => s + Math.round(Number(v) * 100), 0)).toBe(1_234_567_891);
    // 1 234 567 891 × 3333/10000 = 411 481 478.07; × 3334/10000 = 411 604 934.86 → the one fen left to 石桥村.
    expect(big).toEqual({ [chaping]: '4114814.78', [jintai]: '4114814.78', [shiqiao]: '4116049.35' });
  });

  it('books a household asset\'s operating profit to the household', async () => {
    const hh = await env.gql('clerk', HOUSEHOLD_REGISTER, { input: householdInput(1) });
    const householdId = hh.data.householdRegister.household.id;
    const cows = await ownedAsset(
      env,
      [{ householdId, shareBp: 10000 }],
      { name: '能繁母牛', class: 'HOUSEHOLD', subType: 'LIVESTOCK', quantity: 2, unit: '头' },
      { rightsLevel: 'HOUSEHOLD' },
    );
    const rent = await recordIncome(env, incomeInput(cows.id, payer, { kind: 'RENT' }));
    expect(rent.data.incomeRecord.errors[0]).toMatchObject({ code: 'CLASS_NOT_ALLOWED', field: ['input', 'kind'] });
    const p = await recorded(env, incomeInput(cows.id, payer, { kind: 'OPERATING_PROFIT', amount: '6800.00', memo: '出售牛犊' }));
    const credited = p.entry.postings.find((x: any) => x.amount === '6800.00');
    expect(credited.account).toMatchObject({ kind: 'INCOME_PENDING_DISTRIBUTION', holder: { name: '测试户1户' } });
  });

  it('lets the payer be named by village code (its collective): the clerk\'s own, or any for a county-wide admin', async () => {
    const own = await recorded(env, incomeInput(asset.id, payer, { kind: 'OTHER', payer: { villageCode: V.chaping }, amount: '300.00' }));
    expect(own.income.payer.name).toBe('茶坪村股份经济合作社');
    const other = await recorded(env, incomeInput(asset.id, payer, { kind: 'OTHER', payer: { villageCode: V.jintai }, amount: '300.00' }), 'admin');
    expect(other.income.payer.name).toBe('金台村股份经济合作社');
  });

  it('lets an admin record, and links the contract in force by default', async () => {
    const p = await recorded(env, incomeInput(asset.id, payer, { contractId: null }), 'admin');
    expect(p.income.contract.id).toBe(contractId);
  });
});

describe('incomeRecord: idempotency', () => {
  it('returns the first result for a retry with the same key and posts nothing', async () => {
    const input = incomeInput(asset.id, payer, { amount: '999.99' });
    const first = await recorded(env, input);
    const before = await snapshot(env.db, INCOME_TABLES);
    const again = await recorded(env, input);
    expect(again.replayed).toBe(true);
    expect(again.income).toEqual(first.income);
    expect(again.entry).toEqual(first.entry);
    expect(await snapshot(env.db, INCOME_TABLES)).toEqual(before);
  });

  it('refuses the same key for a different request (IDEMPOTENCY_CONFLICT) and writes nothing', async () => {
    const input = incomeInput(asset.id, payer, { amount: '50.00' });
    await recorded(env, input);
    const before = await snapshot(env.db, INCOME_TABLES);
    const other = await recordIncome(env, { ...input, amount: '51.00' });
    expect(other.data.incomeRecord.errors).toEqual([expect.objectContaining({ code: 'IDEMPOTENCY_CONFLICT', field: ['input', 'idempotencyKey'] })]);
    // Same input from a user of another region: keys are scoped to the actor's region (issue 8), so it is
    // not a replay of the clerk's entry; the voucher check then refuses the same money twice.
    const admin = await recordIncome(env, input, 'admin');
    expect(admin.data.incomeRecord.errors[0].code).toBe('DUPLICATE');
    expect(await snapshot(env.db, INCOME_TABLES)).toEqual(before);
  });

  it('refuses a voucher already recorded that year under another key (DUPLICATE), allows it in another year', async () => {
    const voucherNo = voucher();
    await recorded(env, incomeInput(asset.id, payer, { voucherNo, receivedOn: '2025-04-01' }));
    const before = await snapshot(env.db, INCOME_TABLES);
    const again = await recordIncome(env, incomeInput(asset.id, payer, { voucherNo, receivedOn: '2025-09-01' }));
    expect(again.data.incomeRecord.errors[0]).toMatchObject({ code: 'DUPLICATE', field: ['input', 'voucherNo'] });
    expect(await snapshot(env.db, INCOME_TABLES)).toEqual(before);
    await recorded(env, incomeInput(asset.id, payer, { voucherNo, receivedOn: '2024-04-01' }));
  });
});

describe('incomeRecord: rejections write nothing', () => {
  let publicRoad: { id: string };
  let otherAsset: { id: string };
  let otherContract: string;
  let registered: { id: string };
  let disposed: { id: string };
  let ownerless: { id: string };
  beforeAll(async () => {
    publicRoad = await ownedAsset(env, undefined, { name: '产业路', class: 'PUBLIC_WELFARE', subType: 'ROAD', quantity: 2, unit: '公里' });
    otherAsset = await ownedAsset(env);
    otherContract = (await lease(env, otherAsset.id, payer)).id;
    const project = await createProject(env);
    registered = await registerAsset(env, project.id);
    disposed = await ownedAsset(env);
    await env.db('assets').where({ id: gidNum(disposed.id) }).update({ status: 'DISPOSED' });
    // Handed over on paper but without owner rows (a migration from paper books gone wrong).
    ownerless = await registerAsset(env, (await createProject(env)).id, { name: '无主资产' });
    await env.db('assets').where({ id: gidNum(ownerless.id) }).update({ status: 'HANDED_OVER', handed_over_on: '2021-11-20' });
  });

  const cases: [string, () => Record<string, unknown>, string, string[]][] = [
    ['a zero amount', () => incomeInput(asset.id, payer, { amount: '0.00' }), 'INVALID_AMOUNT', ['input', 'amount']],
    ['a negative amount', () => incomeInput(asset.id, payer, { amount: '-5.00' }), 'INVALID_AMOUNT', ['input', 'amount']],
    ['a future date', () => incomeInput(asset.id, payer, { receivedOn: '2026-11-23' }), 'DATE_IN_FUTURE', ['input', 'receivedOn']],
    ['a date before the handover', () => incomeInput(asset.id, payer, { receivedOn: '2021-11-19' }), 'DATE_ORDER', ['input', 'receivedOn']],
    ['an unknown asset', () => incomeInput('Asset:999999', payer), 'NOT_FOUND', ['input', 'assetId']],
    ['an id of another type', () => incomeInput('Project:1', payer), 'NOT_FOUND', ['input', 'assetId']],
    ['a disposed asset', () => incomeInput(disposed.id, payer), 'ILLEGAL_TRANSITION', ['input', 'assetId']],
    ['an asset not handed over', () => incomeInput(registered.id, payer), 'ILLEGAL_TRANSITION', ['input', 'assetId']],
    ['an asset without owners that day', () => incomeInput(ownerless.id, payer), 'NO_OWNERS', ['input', 'receivedOn']],
    ['rent of a public-welfare asset', () => incomeInput(publicRoad.id, payer), 'CLASS_NOT_ALLOWED', ['input', 'kind']],
    ['other income of a public-welfare asset', () => incomeInput(publicRoad.id, payer, { kind: 'OTHER' }), 'CLASS_NOT_ALLOWED', ['input', 'kind']],
    ['a contract of another asset', () => incomeInput(asset.id, payer, { contractId: otherContract }), 'CONTRACT_MISMATCH', ['input', 'contractId']],
    ['an unknown contract', () => incomeInput(asset.id, payer, { contractId: 'Contract:999999' }), 'NOT_FOUND', ['input', 'contractId']],
    ['an unknown payer', () => incomeInput(asset.id, payer, { payer: { partyId: 'Party:999999' } }), 'NOT_FOUND', ['input', 'payer', 'partyId']],
    ['a payer named twice', () => incomeInput(asset.id, payer, { payer: { partyId: `Party:${payer}`, villageCode: V.chaping } }), 'INVALID_INPUT', ['input', 'payer']],
    ['a payer village outside the county', () => incomeInput(asset.id, payer, { payer: { villageCode: V.liangya } }), 'INVALID_REGION', ['input', 'payer', 'villageCode']],
    // Another village's collective as payer would write into that village's books.
    ['another village\'s collective as payer', () => incomeInput(asset.id, payer, { payer: { villageCode: V.jintai } }), 'INVALID_PAYER', ['input', 'payer']],
    ['an empty voucher number', () => incomeInput(asset.id, payer, { voucherNo: '  ' }), 'REQUIRED', ['input', 'voucherNo']],
  ];

  it.each(cases)('rejects %s', async (_label, input, code, field) => {
    const before = await snapshot(env.db, INCOME_TABLES);
    const head = await env.db('journal_head').first();
    const body = await recordIncome(env, input());
    expect(body.errors).toBeUndefined();
    expect(body.data.incomeRecord).toMatchObject({ income: null, entry: null });
    expect(body.data.incomeRecord.errors[0]).toMatchObject({ code, field });
    expect(await snapshot(env.db, INCOME_TABLES)).toEqual(before);
    expect(await env.db('journal_head').first()).toEqual(head);
  });

  it('rejects a guarantee top-up when the contract agrees no guaranteed return (NO_CONTRACT)', async () => {
    const selfRun = await ownedAsset(env);
    await lease(env, selfRun.id, payer, { guaranteedRateBp: null });
    const before = await snapshot(env.db, INCOME_TABLES);
    const body = await recordIncome(env, incomeInput(selfRun.id, payer, { kind: 'GUARANTEE_TOP_UP' }));
    expect(body.data.incomeRecord.errors[0]).toMatchObject({ code: 'NO_CONTRACT', field: ['input', 'contractId'] });
    expect(await snapshot(env.db, INCOME_TABLES)).toEqual(before);
    // With a guaranteed rate it is accepted.
    const p = await recorded(env, incomeInput(asset.id, payer, { kind: 'GUARANTEE_TOP_UP', amount: '1000.00' }));
    expect(p.income.kind).toBe('GUARANTEE_TOP_UP');
  });

  it('rejects an amount with three decimals at the Money scalar', async () => {
    const before = await snapshot(env.db, INCOME_TABLES);
    const body = await recordIncome(env, incomeInput(asset.id, payer, { amount: '12.345' }));
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].message).toMatch(/at most two decimals/);
    expect(await snapshot(env.db, INCOME_TABLES)).toEqual(before);
  });

  it('refuses other roles (FORBIDDEN) and clerks of other villages or counties (NOT_FOUND)', async () => {
    const before = await snapshot(env.db, INCOME_TABLES);
    for (const token of ['finance', 'planner', 'reviewer', 'jiangeFinance'] as const) {
      const body = await env.gql(token, INCOME_RECORD, { input: incomeInput(asset.id, payer) });
      expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    }
    for (const token of ['otherClerk', 'liangyaClerk'] as const) {
      const body = await env.gql(token, INCOME_RECORD, { input: incomeInput(asset.id, payer) });
      expect(body.data.incomeRecord.errors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'assetId'] });
    }
    expect((await env.gql(null, INCOME_RECORD, { input: incomeInput(asset.id, payer) })).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(await snapshot(env.db, INCOME_TABLES)).toEqual(before);
  });
});

describe('contracts: in force, or the most recent', () => {
  it('accepts the contract in force or, after it ended, the most recent one; refuses an earlier one', async () => {
    const a = await ownedAsset(env);
    const first = await lease(env, a.id, payer, { startOn: '2022-01-01', endOn: '2023-12-31' });
    const second = await lease(env, a.id, payer, { signedOn: '2023-12-01', startOn: '2024-01-01', endOn: '2028-12-31' });
    const inFirst = await recorded(env, incomeInput(a.id, payer, { receivedOn: '2023-06-30', contractId: first.id }));
    expect(inFirst.income.contract.id).toBe(first.id);
    const byDefault = await recorded(env, incomeInput(a.id, payer, { receivedOn: '2024-06-30' }));
    expect(byDefault.income.contract.id).toBe(second.id);
    const stale = await recordIncome(env, incomeInput(a.id, payer, { receivedOn: '2024-06-30', contractId: first.id }));
    expect(stale.data.incomeRecord.errors[0]).toMatchObject({ code: 'CONTRACT_MISMATCH', field: ['input', 'contractId'] });
    // Terminated: a late payment still belongs to the contract it was owed under.
    const t = await env.gql('clerk', `mutation($input: ContractTerminateInput!) { contractTerminate(input: $input) { errors { code } } }`, {
      input: { contractId: second.id, terminatedOn: '2025-06-30', reason: '承租方违约' },
    });
    expect(t.data.contractTerminate.errors).toEqual([]);
    const late = await recorded(env, incomeInput(a.id, payer, { receivedOn: '2025-09-15', contractId: second.id, memo: '补交欠租' }));
    expect(late.income.contract.id).toBe(second.id);
  });

  it('accepts last year\'s income after this year\'s contract steps (income is an observation, not a step)', async () => {
    const a = await ownedAsset(env);
    const c = await lease(env, a.id, payer);
    const amend = await env.gql('clerk', `mutation($input: ContractAmendInput!) { contractAmend(input: $input) { errors { code message } } }`, {
      input: { contractId: c.id, signedOn: '2025-06-01', effectiveFrom: '2025-07-01', guaranteedRateBp: 700, reason: '补充协议' },
    });
    expect(amend.data.contractAmend.errors).toEqual([]);
    const p = await recorded(env, incomeInput(a.id, payer, { receivedOn: '2024-12-30', memo: '2024年第四季度租金' }));
    expect(p.income.receivedOn).toBe('2024-12-30');
  });
});

describe('reversal and last income date', () => {
  it('a reversed receipt no longer counts: the record shows it and the last income date moves back', async () => {
    const a = await ownedAsset(env);
    await lease(env, a.id, payer);
    await recorded(env, incomeInput(a.id, payer, { receivedOn: '2025-01-10' }));
    const wrong = await recorded(env, incomeInput(a.id, payer, { receivedOn: '2025-06-10', amount: '1.00' }));
    expect(wrong.income.asset.lastIncomeOn).toBe('2025-06-10');
    const rev = await env.gql('finance', `mutation($input: JournalEntryReverseInput!) { journalEntryReverse(input: $input) { errors { code } } }`, {
      input: { entryId: wrong.entry.id, reason: '误记', idempotencyKey: key('rev') },
    });
    expect(rev.data.journalEntryReverse.errors).toEqual([]);
    const card = await env.gql('clerk', `query($id: ID!) { asset(id: $id) { lastIncomeOn incomeRecords { receivedOn reversed } } }`, { id: a.id });
    expect(card.data.asset).toEqual({
      lastIncomeOn: '2025-01-10',
      incomeRecords: [
        { receivedOn: '2025-01-10', reversed: false },
        { receivedOn: '2025-06-10', reversed: true },
      ],
    });
    const vs = await env.gql('finance', `query($id: ID!) { incomeVsContract(assetId: $id, year: 2025) { received } }`, { id: a.id });
    expect(vs.data.incomeVsContract.received).toBe('12500.00');
  });
});

describe('reads', () => {
  it('lists income records by scope and filter, and fetches one by node id', async () => {
    const list = await env.gql('finance', `{ incomeRecords(filter: { kind: GUARANTEE_TOP_UP }, first: 5) { totalCount nodes { id kind asset { id } } } }`);
    expect(list.data.incomeRecords.totalCount).toBeGreaterThanOrEqual(1);
    expect(list.data.incomeRecords.nodes.every((n: any) => n.kind === 'GUARANTEE_TOP_UP')).toBe(true);
    const id = list.data.incomeRecords.nodes[0].id;
    const node = await env.gql('clerk', `query($id: ID!) { node(id: $id) { ... on IncomeRecord { id voucherNo } } }`, { id });
    expect(node.data.node.id).toBe(id);
    const hidden = await env.gql('otherClerk', `query($id: ID!) { node(id: $id) { ... on IncomeRecord { id } } }`, { id });
    expect(hidden.data.node).toBeNull();
    const none = await env.gql('otherClerk', `{ incomeRecords { totalCount } }`);
    expect(none.data.incomeRecords.totalCount).toBe(0);
    const byAsset = await env.gql('clerk', `query($a: ID) { incomeRecords(filter: { assetId: $a, fromDate: "2025-03-31", toDate: "2025-03-31" }) { nodes { receivedOn } } }`, { a: asset.id });
    expect(byAsset.data.incomeRecords.nodes.length).toBeGreaterThanOrEqual(1);
    expect(byAsset.data.incomeRecords.nodes.every((n: any) => n.receivedOn === '2025-03-31')).toBe(true);
  });

  it('keeps income records append-only at the database level', async () => {
    await expect(env.db('income_records').update({ memo: 'x' })).rejects.toMatchObject({ message: expect.stringMatching(/APPEND_ONLY/) });
    await expect(env.db('income_records').del()).rejects.toMatchObject({ message: expect.stringMatching(/APPEND_ONLY/) });
  });
});
