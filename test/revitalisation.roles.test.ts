/**
 * Who may do what in revitalisation, for an asset of 茶坪村 (南江县云顶镇): the county planner (and admin)
 * flags, plans and closes; the village clerk (and the planner) records 联农带农 figures; everyone else is
 * FORBIDDEN inside the scope, and outside it the asset or case does not exist (NOT_FOUND). Refusals write nothing.
 */
import { setup, TestEnv, TokenName, snapshot } from './helpers';
import { company } from './journal.fixtures';
import { signContract } from './fixtures';
import { ownedAsset } from './income.helpers';
import { V } from '../seeds/demo-data';

let env: TestEnv;
let busy: { id: string }; // leased: never idle, never flagged
let flagged: { id: string };
let caseId: string;
const everyone: TokenName[] = ['admin', 'clerk', 'otherClerk', 'reviewer', 'otherReviewer', 'finance', 'planner', 'jiangeFinance', 'liangyaClerk'];
const outside = new Set<TokenName>(['otherClerk', 'otherReviewer', 'jiangeFinance', 'liangyaClerk']);
const TABLES = ['revitalisation_flags', 'revitalisation_cases', 'revitalisation_case_updates', 'benefit_linkage_records', 'asset_events', 'audit_log'];

beforeAll(async () => {
  env = await setup();
  const payer = await company(env, '南江县云顶农业发展有限公司');
  busy = await ownedAsset(env);
  await signContract(env, busy.id, { mode: 'LEASE', operator: { partyId: `Party:${payer}` }, signedOn: '2021-12-15', startOn: '2022-01-01', endOn: '2031-12-31', fee: { kind: 'FIXED', amount: '10000.00', period: 'YEAR' } });
  flagged = await ownedAsset(env);
  const f = await env.gql('planner', `mutation { idleFlagRaise(input: { assetId: "${flagged.id}", flaggedOn: "2026-11-01" }) { errors { code } } }`);
  expect(f.data.idleFlagRaise.errors).toEqual([]);
  const o = await env.gql('planner', `mutation($input: RevitalisationCaseOpenInput!) { revitalisationCaseOpen(input: $input) { case { id } errors { code } } }`, {
    input: { assetId: flagged.id, path: 'OPTIMISE_USE', measures: '改建为村级电商仓储', responsibleUnit: '茶坪村委会', responsiblePerson: '陈主任', openedOn: '2026-11-02', deadlineOn: '2027-06-30', target: '年收益3万元' },
  });
  caseId = o.data.revitalisationCaseOpen.case.id;
});
afterAll(() => env.close());

async function expectRefused(user: TokenName, body: any, key: string, before: Record<string, number>) {
  if (outside.has(user) && body.data?.[key]) expect(body.data[key].errors[0].code).toBe('NOT_FOUND');
  else expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect(await snapshot(env.db, TABLES)).toEqual(before);
}

const planners = new Set<TokenName>(['planner', 'admin']);

describe('revitalisation role matrix', () => {
  it.each(everyone)('%s: idleFlagRaise only as the county planner or admin', async (user) => {
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql(user, `mutation { idleFlagRaise(input: { assetId: "${busy.id}", flaggedOn: "2026-11-01" }) { errors { code } } }`);
    // Allowed roles pass authorisation and meet the rule: a leased asset is not idle.
    if (planners.has(user)) expect(body.data.idleFlagRaise.errors[0].code).toBe('NOT_IDLE');
    else await expectRefused(user, body, 'idleFlagRaise', before);
  });

  it.each(everyone)('%s: idleFlagRaise for a whole region only as the county planner or admin', async (user) => {
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql(user, `mutation { idleFlagRaise(input: { regionCode: "${V.chaping}", flaggedOn: "2020-01-01" }) { flags { kind } errors { code } } }`);
    if (planners.has(user)) expect(body.data.idleFlagRaise).toEqual({ flags: [], errors: [] });
    else {
      expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(await snapshot(env.db, TABLES)).toEqual(before);
    }
  });

  it.each(everyone)('%s: revitalisationCaseOpen only as the county planner or admin', async (user) => {
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql(user, `mutation($input: RevitalisationCaseOpenInput!) { revitalisationCaseOpen(input: $input) { errors { code } } }`, {
      input: { assetId: busy.id, path: 'SLIM_DOWN', measures: 'x', responsibleUnit: 'x', responsiblePerson: 'x', openedOn: '2026-11-02', deadlineOn: '2027-06-30', target: 'x' },
    });
    if (planners.has(user)) expect(body.data.revitalisationCaseOpen.errors[0].code).toBe('NOT_FLAGGED');
    else await expectRefused(user, body, 'revitalisationCaseOpen', before);
  });

  it.each(everyone)('%s: revitalisationCaseUpdate only as the county planner or admin', async (user) => {
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql(user, `mutation { revitalisationCaseUpdate(input: { caseId: "${caseId}", updatedOn: "2026-11-20", note: "进展 ${user}" }) { case { status } errors { code } } }`);
    if (planners.has(user)) expect(body.data.revitalisationCaseUpdate).toEqual({ case: { status: 'OPEN' }, errors: [] });
    else await expectRefused(user, body, 'revitalisationCaseUpdate', before);
  });

  it.each(everyone)('%s: revitalisationCaseClose and Abandon only as the county planner or admin', async (user) => {
    const before = await snapshot(env.db, TABLES);
    const close = await env.gql(user, `mutation { revitalisationCaseClose(input: { caseId: "${caseId}", closedOn: "2026-11-20", kind: NEW_CONTRACT_WITH_INCOME }) { errors { code } } }`);
    if (planners.has(user)) expect(close.data.revitalisationCaseClose.errors[0].code).toBe('NO_EVIDENCE');
    else await expectRefused(user, close, 'revitalisationCaseClose', before);
    const abandon = await env.gql(user, `mutation { revitalisationCaseAbandon(input: { caseId: "${caseId}", abandonedOn: "2026-10-01", reason: "x" }) { errors { code } } }`);
    if (planners.has(user)) expect(abandon.data.revitalisationCaseAbandon.errors[0].code).toBe('DATE_ORDER');
    else await expectRefused(user, abandon, 'revitalisationCaseAbandon', before);
  });

  it.each(everyone)('%s: benefitLinkageRecord as the village clerk, the county planner or admin', async (user) => {
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql(user, `mutation { benefitLinkageRecord(input: { assetId: "${busy.id}", year: 2025, outputValue: "500000.00", wages: "80000.00", poorWorkers: 6, poorWorkerEarnings: "30000.00" }) { record { poorWorkers } errors { code } } }`);
    if (planners.has(user) || user === 'clerk') expect(body.data.benefitLinkageRecord).toEqual({ record: { poorWorkers: 6 }, errors: [] });
    else await expectRefused(user, body, 'benefitLinkageRecord', before);
  });

  it.each(everyone)('%s: reads the case only inside its scope', async (user) => {
    const body = await env.gql(user, `{ revitalisationCase(id: "${caseId}") { status } revitalisationCases { totalCount } }`);
    if (outside.has(user)) expect(body.data).toEqual({ revitalisationCase: null, revitalisationCases: { totalCount: 0 } });
    else expect(body.data).toEqual({ revitalisationCase: { status: 'OPEN' }, revitalisationCases: { totalCount: 1 } });
  });
});
