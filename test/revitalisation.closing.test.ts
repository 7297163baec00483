/**
 * Closing (销号) by the other kinds of evidence: a bundle, an executed disposal, and a public-welfare asset's
 * restored use with upkeep and a document. Bundles and disposals are arranged through the assets module's
 * holds (the bundles and disposal modules call the same functions). Today is 2026-11-22.
 */
import { setup, TestEnv, snapshot, gidNum } from './helpers';
import { handedOverAsset, step } from './fixtures';
import { acquireHold, releaseHold } from '../src/modules/assets/assets.holds';
import * as assetsRepo from '../src/modules/assets/assets.repository';
import { assignUpkeep } from '../src/modules/upkeep/upkeep.service';
import { attachDocument } from '../src/modules/documents/documents.service';
import { V } from '../seeds/demo-data';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env.close());

const TABLES = ['revitalisation_cases', 'revitalisation_case_updates', 'asset_events'];
const CLOSE = `mutation($input: RevitalisationCaseCloseInput!) { revitalisationCaseClose(input: $input) {
  case { status closingKind closingEvidence asset { status } } errors { code field message } } }`;

/** A flagged asset (idle since its 2021 handover) with an open case from 2026-11-02. */
async function caseOn(overrides: Record<string, unknown> = {}, putInUse = false) {
  const asset = await handedOverAsset(env, overrides);
  if (putInUse) expect((await step(env, 'assetPutInUse', asset.id, '2021-12-01')).errors).toEqual([]);
  const f = await env.gql('planner', `mutation { idleFlagRaise(input: { assetId: "${asset.id}", flaggedOn: "2026-11-01" }) { errors { code } } }`);
  expect(f.data.idleFlagRaise.errors).toEqual([]);
  const o = await env.gql('planner', `mutation { revitalisationCaseOpen(input: { assetId: "${asset.id}", path: FLEXIBLE_RESTRUCTURING, measures: "入股联营",
    responsibleUnit: "云顶镇人民政府", responsiblePerson: "王镇长", openedOn: "2026-11-02", deadlineOn: "2027-06-30", target: "入股" }) { case { id } errors { code } } }`);
  return { asset, caseId: o.data.revitalisationCaseOpen.case.id as string };
}

async function refused(input: Record<string, unknown>, code: string) {
  const before = await snapshot(env.db, TABLES);
  const body = await env.gql('planner', CLOSE, { input });
  expect(body.data.revitalisationCaseClose.errors[0].code).toBe(code);
  expect(await snapshot(env.db, TABLES)).toEqual(before);
}

const inTrx = <T>(fn: (svc: ReturnType<TestEnv['svc']>) => Promise<T>) => env.db.transaction((trx) => fn(env.svc('admin', trx)));

describe('closing by a bundle', () => {
  it('needs the asset bundled after the case opened', async () => {
    const { asset, caseId } = await caseOn();
    const input = { caseId, closedOn: '2026-11-20', kind: 'BUNDLED' };
    await refused(input, 'NO_EVIDENCE');
    await inTrx(async (svc) => {
      const a = (await assetsRepo.findById(svc.db, gidNum(asset.id)))!;
      await acquireHold(svc, a, { kind: 'BUNDLE', holderId: 7, holderLabel: '云顶镇茶旅联营有限公司', startOn: '2026-11-10', endOn: null, step: 'BUNDLE', reason: '入股联营' });
    });
    await refused({ ...input, closedOn: '2026-11-09' }, 'NO_EVIDENCE');
    const body = await env.gql('planner', CLOSE, { input });
    expect(body.data.revitalisationCaseClose.case).toMatchObject({ status: 'CLOSED', closingKind: 'BUNDLED', asset: { status: 'BUNDLED' } });
    expect(JSON.parse(body.data.revitalisationCaseClose.case.closingEvidence)).toMatchObject({ venture: '云顶镇茶旅联营有限公司', ventureId: 7, bundledOn: '2026-11-10' });
  });
});

describe('closing by disposal', () => {
  it('needs the disposal executed, not merely requested', async () => {
    const { asset, caseId } = await caseOn();
    const input = { caseId, closedOn: '2026-11-20', kind: 'DISPOSED' };
    await inTrx(async (svc) => {
      const a = (await assetsRepo.findById(svc.db, gidNum(asset.id)))!;
      await acquireHold(svc, a, { kind: 'DISPOSAL', holderId: 3, holderLabel: '南江处〔2026〕3号', startOn: '2026-11-05', endOn: null, step: 'REQUEST_DISPOSAL', reason: '瘦身增效' });
    });
    await refused(input, 'NO_EVIDENCE');
    await inTrx(async (svc) => {
      const a = (await assetsRepo.findById(svc.db, gidNum(asset.id)))!;
      await releaseHold(svc, a, 'DISPOSAL', 3, { releasedOn: '2026-11-15', reason: '公开拍卖成交', step: 'DISPOSE' });
    });
    const body = await env.gql('planner', CLOSE, { input });
    expect(body.data.revitalisationCaseClose.case).toMatchObject({ status: 'CLOSED', closingKind: 'DISPOSED', asset: { status: 'DISPOSED' } });
    expect(JSON.parse(body.data.revitalisationCaseClose.case.closingEvidence)).toMatchObject({ disposedOn: '2026-11-15' });
  });
});

describe('closing a public-welfare case by restored use', () => {
  it('needs use restored after opening, upkeep assigned and a document dated within the case', async () => {
    const road = { class: 'PUBLIC_WELFARE', subType: 'ROAD', name: '茶坪村组道路', quantity: 2, unit: '公里' };
    const { asset, caseId } = await caseOn(road, true);
    const input = { caseId, closedOn: '2026-11-20', kind: 'USE_RESTORED' };
    await refused(input, 'NO_EVIDENCE'); // still IDLE
    expect((await step(env, 'assetRevitalise', asset.id, '2026-11-05')).asset.status).toBe('IN_USE');
    await refused(input, 'NO_EVIDENCE'); // nobody keeps it
    await inTrx((svc) =>
      assignUpkeep({ ...svc, actor: env.svc('clerk').actor }, { assetId: gidNum(asset.id), body: { villageCode: V.chaping }, personName: '陈有才', personRole: '护路员', fundSource: 'VILLAGE_OPERATING_FUNDS', effectiveFrom: '2026-11-06' }),
    );
    await refused(input, 'NO_EVIDENCE'); // no document given
    const file = (text: string) => {
      const bytes = Buffer.from(text, 'utf8');
      return { name: 'x.txt', type: 'text/plain', size: bytes.length, arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer };
    };
    const attach = (documentOn: string) =>
      inTrx((svc) => attachDocument({ ...svc, actor: env.svc('clerk').actor }, { assetId: gidNum(asset.id), kind: 'PHOTO', title: '道路修复验收照片', documentOn }, file(documentOn), { uploadMaxBytes: 1 << 20 }));
    const old = await attach('2026-10-01');
    await refused({ ...input, documentId: `Document:${old.id}` }, 'EVIDENCE_BEFORE_CASE');
    const doc = await attach('2026-11-12');
    const body = await env.gql('planner', CLOSE, { input: { ...input, documentId: `Document:${doc.id}` } });
    expect(body.data.revitalisationCaseClose.case).toMatchObject({ status: 'CLOSED', closingKind: 'USE_RESTORED', asset: { status: 'IN_USE' } });
    expect(JSON.parse(body.data.revitalisationCaseClose.case.closingEvidence)).toMatchObject({ restoredOn: '2026-11-05', keeper: '陈有才', documentId: doc.id });
  });
});
