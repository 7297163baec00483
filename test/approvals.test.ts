/**
 * The approval chain (issue 9): steps decided in order, each only by the role and region it names; an
 * officer's in-tray; chains read only inside the scope of their region or of one of their steps.
 */
import { setup, TestEnv, snapshot, TokenName } from './helpers';
import { openChain } from '../src/modules/approvals/approvals.service';
import { supervisingStep, villageResolutions } from '../src/modules/approvals/approvals.steps';
import { V } from '../seeds/demo-data';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env.close());

const DECIDE = `mutation($input: ApprovalDecideInput!) { approvalDecide(input: $input) { chain { status nextStep { kind } } errors { code field message } } }`;
const INBOX = `{ approvalsAwaitingMe { totalCount nodes { id purpose nextStep { kind region { code } } } } }`;
const CHAIN = `query($id: ID!) { approvalChain(id: $id) { id status steps { seq kind decision { decision reference meeting { attendance } actor { name } } } } }`;

async function newChain(villages: string[]) {
  const chain = await env.db.transaction((trx) =>
    openChain(env.svc('clerk', trx), {
      purpose: 'DISPOSAL',
      subjectType: 'Asset',
      subjectId: null,
      regionCode: V.chaping,
      template: 'TEST',
      steps: [...villageResolutions(villages), supervisingStep(villages, 'COUNTY_FINANCE')],
      summary: { what: 'test' },
      requestedOn: '2026-01-05',
    }),
  );
  return `ApprovalChain:${chain.id}`;
}

const approve = (who: TokenName, chainId: string, extra: Record<string, unknown> = {}) =>
  env.gql(who, DECIDE, { input: { chainId, decision: 'APPROVE', decidedOn: '2026-01-10', reference: `R-${who}`, ...extra } });
const meeting = { heldOn: '2026-01-10', memberCount: 30, attendance: 20, votesFor: 16 };

it('goes step by step: each in-tray shows only the step its owner decides next', async () => {
  const id = await newChain([V.chaping, V.jintai]);
  const inbox = async (who: TokenName) => (await env.gql(who, INBOX)).data.approvalsAwaitingMe.nodes.map((n: any) => n.id);
  expect(await inbox('otherClerk')).toContain(id); // 金台村 (code 105002) comes first
  expect(await inbox('clerk')).not.toContain(id);
  expect(await inbox('reviewer')).not.toContain(id);
  // Out of turn: 茶坪村 cannot decide 金台村's step; nothing is written.
  const before = await snapshot(env.db, ['approval_decisions']);
  const early = await approve('clerk', id, { meeting });
  expect(early.errors[0].extensions.code).toBe('FORBIDDEN');
  expect(await snapshot(env.db, ['approval_decisions'])).toEqual(before);
  expect((await approve('otherClerk', id, { meeting })).data.approvalDecide.chain.nextStep).toEqual({ kind: 'VILLAGE_RESOLUTION' });
  expect(await inbox('clerk')).toContain(id);
  expect((await approve('clerk', id, { meeting })).data.approvalDecide.chain.nextStep).toEqual({ kind: 'TOWNSHIP' });
  expect(await inbox('reviewer')).toContain(id);
  expect(await inbox('otherReviewer')).not.toContain(id);
  const done = await approve('reviewer', id);
  expect(done.data.approvalDecide.chain).toEqual({ status: 'APPROVED', nextStep: null });
  expect(await inbox('reviewer')).not.toContain(id);
  const card = (await env.gql('finance', CHAIN, { id })).data.approvalChain;
  expect(card.steps.map((st: any) => [st.kind, st.decision.decision, st.decision.reference])).toEqual([
    ['VILLAGE_RESOLUTION', 'APPROVE', 'R-otherClerk'],
    ['VILLAGE_RESOLUTION', 'APPROVE', 'R-clerk'],
    ['TOWNSHIP', 'APPROVE', 'R-reviewer'],
  ]);
});

it('crosses townships to county finance', async () => {
  const id = await newChain([V.chaping, '511922102001']);
  const steps = (await env.gql('finance', CHAIN, { id })).data.approvalChain.steps.map((s: any) => s.kind);
  expect(steps).toEqual(['VILLAGE_RESOLUTION', 'VILLAGE_RESOLUTION', 'COUNTY_FINANCE']);
});

it('refuses the decision of anyone the step does not name, writing nothing', async () => {
  const id = await newChain([V.chaping]);
  const before = await snapshot(env.db, ['approval_decisions', 'approval_chains']);
  for (const who of ['admin', 'finance', 'planner', 'reviewer', 'otherClerk', 'otherReviewer', 'jiangeFinance'] as TokenName[]) {
    const r = await approve(who, id, { meeting });
    const code = r.errors?.[0]?.extensions?.code ?? r.data?.approvalDecide?.errors?.[0]?.code;
    expect([who, code]).toEqual([who, expect.stringMatching(/^(FORBIDDEN|NOT_FOUND)$/)]);
  }
  expect(await snapshot(env.db, ['approval_decisions', 'approval_chains'])).toEqual(before);
});

it('reads a chain only inside the scope of its region or one of its steps', async () => {
  const id = await newChain([V.chaping]);
  expect((await env.gql('clerk', CHAIN, { id })).data.approvalChain.id).toBe(id);
  expect((await env.gql('reviewer', CHAIN, { id })).data.approvalChain.id).toBe(id);
  expect((await env.gql('otherClerk', CHAIN, { id })).data.approvalChain).toBeNull();
  expect((await env.gql('otherReviewer', CHAIN, { id })).data.approvalChain).toBeNull();
  expect((await env.gql('jiangeFinance', CHAIN, { id })).data.approvalChain).toBeNull();
  expect((await env.gql('jiangeFinance', `query($id: ID!) { node(id: $id) { id } }`, { id })).data.node).toBeNull();
  expect((await env.gql(null, CHAIN, { id })).errors[0].extensions.code).toBe('UNAUTHENTICATED');
});

it('keeps dates in order: not before the request or the previous step, not in the future', async () => {
  const id = await newChain([V.chaping]);
  expect((await approve('clerk', id, { meeting, decidedOn: '2026-01-04' })).data.approvalDecide.errors[0].code).toBe('DATE_ORDER');
  expect((await approve('clerk', id, { meeting: { ...meeting, heldOn: '2026-01-11' } })).data.approvalDecide.errors[0].code).toBe('DATE_ORDER');
  expect((await approve('clerk', id, { meeting })).data.approvalDecide.errors).toEqual([]);
  expect((await approve('reviewer', id, { decidedOn: '2026-01-09' })).data.approvalDecide.errors[0].code).toBe('DATE_ORDER');
});
