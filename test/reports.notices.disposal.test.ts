/**
 * Printable disposal notices (处置公示, issue 14): GET /notices/disposal-<id> renders a published disposal notice
 * as an A4 page — title, asset, method and reason, book value, appraisal and the approved floor, the notice's
 * dates, the objection contact, and the fingerprint (SHA-256 of the stored content and the journal head at
 * publication) — scoped like every read.
 */
import crypto from 'node:crypto';
import request from 'supertest';
import { setup, TestEnv, TOKENS } from './helpers';
import { assetOfValue, approvedAndNoticed } from './disposal.helpers';
import { headAt } from '../src/modules/journal/journal.repository';
import { canonicalJson } from '../src/modules/journal/journal.hash';

let env: TestEnv;
let disposalId: string;
let assetName: string; // the asset's code, printed beside its name
beforeAll(async () => {
  env = await setup();
  const asset = await assetOfValue(env, '40000.00');
  assetName = asset.code;
  disposalId = await approvedAndNoticed(env, asset.id, { method: 'TRANSFER' }, { value: '45000.00', exception: { floor: '40000.00', reason: '设备老化，两次挂牌无人应价' } });
});
afterAll(() => env.close());

const get = (path: string, token: keyof typeof TOKENS | null = 'finance') => {
  const r = request(env.app).get(path);
  if (token) r.set('authorization', `Bearer ${TOKENS[token]}`);
  return r;
};
const NOTICE = `query($id: ID!) { disposal(id: $id) { id notice { startOn endOn content publishedAt printUrl contentSha256 } } }`;

describe('printable disposal notice /notices/disposal-:id', () => {
  it('renders for A4 with asset, method, values, dates, objection contact and fingerprint', async () => {
    const n = (await env.gql('clerk', NOTICE, { id: disposalId })).data.disposal.notice;
    expect(n.printUrl).toMatch(/^\/notices\/disposal-\d+$/);
    // The fingerprint is the SHA-256 of the stored content (canonical JSON), computed here independently.
    expect(n.contentSha256).toBe(crypto.createHash('sha256').update(canonicalJson(JSON.parse(n.content)), 'utf8').digest('hex'));
    const res = await get(n.printUrl);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const html = res.text;
    expect(html).toContain('@page { size: A4');
    expect(html).toContain('村集体资产处置公示');
    expect(html).toContain(assetName);
    expect(html).toContain('<td>转让</td>');
    expect(html).toContain('<td>40000.00 元</td>'); // book value, and the approved floor
    expect(html).toContain('<th>评估价值</th><td>45000.00 元</td>');
    expect(html).toContain('经批准的最低成交价（低于评估价）');
    expect(html).toContain(`<strong>${n.startOn}</strong> 至 <strong>${n.endOn}</strong>`);
    expect(html).toContain('茶坪村村务监督委员会');
    expect(html).toContain(n.contentSha256);
    const head = await headAt(env.db, n.publishedAt);
    expect(html).toContain(`发布时账簿链头：第 ${head.lastSequence} 笔，哈希 <code>${head.lastHash}</code>`);
  });

  it('is scoped: another village gets 404, the township reviewer 200, no token 401, malformed or unknown ids 404', async () => {
    const n = (await env.gql('clerk', NOTICE, { id: disposalId })).data.disposal.notice;
    expect((await get(n.printUrl, 'otherClerk')).status).toBe(404);
    expect((await get(n.printUrl, 'jiangeFinance')).status).toBe(404);
    expect((await get(n.printUrl, 'reviewer')).status).toBe(200);
    expect((await get(n.printUrl, null)).status).toBe(401);
    expect((await get('/notices/disposal-abc')).status).toBe(404);
    expect((await get('/notices/disposal-99999')).status).toBe(404);
    expect((await get('/notices/disposal-')).status).toBe(404);
  });
});
