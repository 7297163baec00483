/** Builders for income tests: operating assets with owners and contracts, and incomeRecord through HTTP. */
import type { TestEnv, TokenName } from './helpers';
import { confirmInput, createProject, handOverInput, registerAsset, signContract, STEP } from './fixtures';
import { V } from '../seeds/demo-data';

export const INCOME_FIELDS = `id kind receivedOn voucherNo amount memo reversed recordedAt
  payer { id name } contract { id contractNo } asset { id lastIncomeOn } actor { name } entry { id sequence }`;

export const INCOME_RECORD = `mutation($input: IncomeRecordInput!) {
  incomeRecord(input: $input) {
    income { ${INCOME_FIELDS} }
    entry { id sequence kind effectiveOn memo sourceType sourceId idempotencyKey asset { id }
            postings { amount side account { kind holder { id name } } } incomeRecord { id } }
    replayed
    errors { code field message }
  }
}`;

/** Every table incomeRecord could write, for "nothing was written" checks. */
export const INCOME_TABLES = ['income_records', 'journal_entries', 'journal_postings', 'journal_accounts', 'asset_events', 'parties'];

let keys = 0;
export const key = (label = 'inc') => `${label}-${process.pid}-${++keys}`;
let vouchers = 0;
export const voucher = () => `南江茶坪收〔2025〕${String(++vouchers).padStart(3, '0')}号`;

export function incomeInput(assetId: string, payerId: number, overrides: Record<string, unknown> = {}) {
  return {
    assetId,
    kind: 'RENT',
    receivedOn: '2025-03-31',
    payer: { partyId: `Party:${payerId}` },
    voucherNo: voucher(),
    amount: '12500.00',
    memo: '2025年第一季度租金',
    idempotencyKey: key(),
    ...overrides,
  };
}

export async function recordIncome(env: TestEnv, input: Record<string, unknown>, token: TokenName = 'clerk') {
  return env.gql(token, INCOME_RECORD, { input });
}

/** Like recordIncome, but fails the test unless the income was recorded. */
export async function recorded(env: TestEnv, input: Record<string, unknown>, token: TokenName = 'clerk') {
  const body = await recordIncome(env, input, token);
  const payload = body.data?.incomeRecord;
  if (!payload?.income || payload.errors.length) throw new Error(`incomeRecord failed: ${JSON.stringify(body)}`);
  return payload;
}

/**
 * A handed-over operating asset of 茶坪村 (value 600 000.00), owned as given (default: 茶坪村 100%),
 * confirmed 2021-11-10, handed over 2021-11-20.
 */
export async function ownedAsset(
  env: TestEnv,
  owners: { villageCode?: string; householdId?: string; shareBp: number }[] = [{ villageCode: V.chaping, shareBp: 10000 }],
  overrides: Record<string, unknown> = {},
  confirm: Record<string, unknown> = {},
) {
  const project = await createProject(env);
  const asset = await registerAsset(env, project.id, overrides);
  const c = await env.gql('clerk', STEP('rightsConfirm'), { input: confirmInput(asset.id, '2021-11-10', { owners, ...confirm }) });
  if (c.data?.rightsConfirm?.errors?.length !== 0) throw new Error(JSON.stringify(c));
  const h = await env.gql('clerk', STEP('assetHandOver'), { input: handOverInput(asset.id, '2021-11-20') });
  if (h.data?.assetHandOver?.errors?.length !== 0) throw new Error(JSON.stringify(h));
  return asset;
}

/** A lease of the asset to `operatorId` (a company) with a fixed rent and a guaranteed rate. */
export async function lease(env: TestEnv, assetId: string, operatorId: number, overrides: Record<string, unknown> = {}) {
  return signContract(env, assetId, {
    mode: 'LEASE',
    operator: { partyId: `Party:${operatorId}` },
    signedOn: '2021-12-15',
    startOn: '2022-01-01',
    endOn: '2031-12-31',
    fee: { kind: 'FIXED', amount: '12500.00', period: 'QUARTER' },
    guaranteedRateBp: 600,
    ...overrides,
  });
}
