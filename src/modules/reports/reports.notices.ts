/**
 * 公示张贴页 Printable notices (issue 14): GET /notices/:id renders a published distribution notice (plan 公示 or
 * results 结果公开) as one A4 page for a village notice board — title, period, every line and recipient with
 * amounts in yuan, ID numbers masked, the notice's dates, where to object, and its fingerprint: the SHA-256
 * of the published content and the journal head at the moment of publication, so a villager or auditor can
 * check the paper on the wall against the ledger. The page renders the stored, immutable content; nothing is
 * recomputed. Disposal notices (处置公示) are served at /notices/disposal-<id> (their ids are the disposal
 * module's own, so they carry a prefix); upkeep notices join when that module publishes notices.
 */
import type express from 'express';
import type { Db } from '../../db/connection';
import type { Clock } from '../../shared/clock';
import type { ServiceContext } from '../../shared/context';
import { authenticate } from '../auth/auth.service';
import * as distributionRepo from '../distribution/distribution.repository';
import { getPlan } from '../distribution/distribution.service';
import * as householdsRepo from '../households/households.repository';
import { findByCodes } from '../regions/regions.repository';
import { townshipCodeOf } from '../regions/regions.codes';
import { headAt } from '../journal/journal.repository';
import { fmtYuan, maskId } from './reports.format';
import { createHash } from 'node:crypto';
import * as disposalRepo from '../disposal/disposal.repository';
import { getDisposal } from '../disposal/disposal.service';
import { canonicalJson } from '../journal/journal.hash';
import * as assetsRepo from '../assets/assets.repository';

const LINE_LABEL: Record<string, string> = {
  PUBLIC_WELFARE_JOB: '公益性岗位工资',
  PUBLIC_WORKS: '小型公益事业',
  REWARD_GRANT: '奖励补助',
  COLLECTIVE_RETENTION: '集体积累',
  UPKEEP_RESERVE: '管护资金',
  HOUSEHOLD_DIVIDEND: '脱贫户、监测对象分红',
};

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface NoticePage {
  noticeId: number;
  html: string;
}

interface PersonLine { name: string; amountFen: number; paidOn?: string }

/** The notice's printable HTML, or null when it does not exist or lies outside the actor's scope. */
export async function renderNotice(svc: ServiceContext, noticeId: number): Promise<NoticePage | null> {
  const notice = await distributionRepo.findNotice(svc.db, noticeId);
  if (!notice) return null;
  const plan = await getPlan(svc, notice.planId);
  if (!plan) return null;
  const content = JSON.parse(notice.content);
  const [village, township] = await findByCodes(svc.db, [plan.villageCode, townshipCodeOf(plan.villageCode)]).then((rs) => [
    rs.find((r) => r.code === plan.villageCode),
    rs.find((r) => r.code === townshipCodeOf(plan.villageCode)),
  ]);
  const head = await headAt(svc.db, notice.publishedAt);

  // Masked ID numbers: the content names people in the order of the plan's recipients (plan notice) or
  // payments (results); each name is checked against the household before its masked ID is shown.
  const recipients = await distributionRepo.recipientsOf(svc.db, [plan.id]);
  const payments = notice.kind === 'RESULTS' ? await distributionRepo.paymentsOf(svc.db, [plan.id], { includeReversed: true }) : [];
  const households = new Map(
    (await householdsRepo.findByIds(svc.db, [...new Set([...recipients.map((r) => r.householdId), ...payments.map((p) => p.householdId)])])).map((h) => [h.id, h]),
  );
  const idFor = (householdId: number | undefined, name: string) => {
    const h = householdId === undefined ? undefined : households.get(householdId);
    return h && h.headName === name ? maskId(h.idNumber) : '—';
  };
  const lines = await distributionRepo.linesOf(svc.db, [plan.id]);

  const title = notice.kind === 'PLAN' ? '村集体资产收益分配方案公示' : '村集体资产收益分配结果公开';
  const rows: string[] = [];
  if (notice.kind === 'PLAN') {
    for (const l of content.lines as { no: number; type: string; description: string; amountFen: number; recipients: PersonLine[] }[]) {
      rows.push(`<tr class="line"><td>${esc(l.no)}</td><td>${esc(LINE_LABEL[l.type] ?? l.type)}</td><td>${esc(l.description)}</td><td></td><td class="amt">${fmtYuan(l.amountFen)}</td></tr>`);
      const lineId = lines.find((x) => x.lineNo === l.no)?.id;
      const ofLine = recipients.filter((r) => r.lineId === lineId);
      l.recipients.forEach((p, i) => {
        rows.push(`<tr class="person"><td></td><td colspan="2">${esc(p.name)}</td><td class="id">${esc(idFor(ofLine[i]?.householdId, p.name))}</td><td class="amt">${fmtYuan(p.amountFen)}</td></tr>`);
      });
    }
  } else {
    (content.payments as PersonLine[]).forEach((p, i) => {
      rows.push(`<tr class="person"><td>${i + 1}</td><td colspan="2">${esc(p.name)}（${esc(p.paidOn)} 支付）</td><td class="id">${esc(idFor(payments[i]?.householdId, p.name))}</td><td class="amt">${fmtYuan(p.amountFen)}</td></tr>`);
    });
  }
  // The plan notice lists every line (they add up to the plan's total); the results notice lists the payments
  // to households, which add up to what was paid, not to the plan's total (retention and funds are not paid out).
  const listedTotal = notice.kind === 'PLAN' ? content.totalFen : (content.payments as PersonLine[]).reduce((t, p) => t + p.amountFen, 0);
  const period = Array.isArray(content.period) ? `${content.period[0]} 至 ${content.period[1]}` : `${plan.periodFrom} 至 ${plan.periodTo}`;
  const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)} · ${esc(content.title)}</title>
<style>
  @page { size: A4; margin: 15mm; }
  body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimSun", sans-serif; font-size: 11pt; color: #000; margin: 0 auto; max-width: 180mm; }
  h1 { text-align: center; font-size: 20pt; margin: 0 0 4mm; letter-spacing: 2pt; }
  h2 { text-align: center; font-size: 13pt; font-weight: normal; margin: 0 0 6mm; }
  table { width: 100%; border-collapse: collapse; margin: 4mm 0; }
  th, td { border: 0.3mm solid #000; padding: 1.2mm 2mm; vertical-align: top; }
  th { background: #eee; }
  td.amt, th.amt { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
  td.id { font-family: monospace; white-space: nowrap; }
  tr.line td { font-weight: bold; background: #f6f6f6; }
  tr { page-break-inside: avoid; }
  .meta { margin: 2mm 0; }
  .fingerprint { margin-top: 6mm; font-size: 8.5pt; border-top: 0.3mm dashed #000; padding-top: 2mm; word-break: break-all; }
  .fingerprint code { font-size: 8pt; }
  .sign { margin-top: 8mm; text-align: right; }
</style></head>
<body>
<h1>${esc(title)}</h1>
<h2>${esc(content.title)}</h2>
<p class="meta">村（社区）：${esc(village?.name ?? plan.villageCode)}　　分配期间：${esc(period)}</p>
<p class="meta">${notice.kind === 'PLAN' ? '公示期' : '公开期'}：<strong>${esc(notice.startOn)}</strong> 至 <strong>${esc(notice.endOn)}</strong>　　分配总额：<strong>${fmtYuan(content.totalFen)}</strong> 元</p>
<table>
<thead><tr><th>序号</th><th colspan="2">${notice.kind === 'PLAN' ? '分配项目 / 受益户' : '受益户'}</th><th>身份证号</th><th class="amt">金额（元）</th></tr></thead>
<tbody>
${rows.join('\n')}
<tr class="line"><td></td><td colspan="3">${notice.kind === 'PLAN' ? '合计' : '支付合计'}</td><td class="amt">${fmtYuan(listedTotal)}</td></tr>
</tbody></table>
<p class="meta">如有异议，请于公示期内（${esc(notice.endOn)} 前）以书面或口头形式向${esc(village?.name ?? '')}村务监督委员会或${esc(township?.name ?? '乡镇人民政府')}财政所反映。</p>
<p class="sign">${esc(village?.name ?? '')}村民委员会　${esc(notice.startOn)}</p>
<div class="fingerprint">
  核验信息（可在台账系统中核对）：公示编号 ${notice.id}；方案编号 ${plan.id}；发布时间 ${esc(notice.publishedAt)}<br>
  内容指纹 SHA-256：<code>${esc(notice.contentSha256)}</code><br>
  发布时账簿链头：第 ${head.lastSequence} 笔，哈希 <code>${esc(head.lastHash)}</code>
</div>
</body></html>`;
  return { noticeId: notice.id, html };
}

const METHOD_ZH: Record<string, string> = {
  AUCTION: '拍卖', TRANSFER: '转让', CONVERSION: '转产', SCRAPPING: '报废', LOSS: '报损', WRITE_OFF: '核销', ALLOCATION: '划转', DEBT_SETTLEMENT: '以资抵债',
};
const REASON_ZH: Record<string, string> = {
  DISASTER_DAMAGE: '自然灾害损毁', END_OF_LIFE: '达到使用年限或存在安全隐患', IDLE_NOT_REVIVABLE: '长期闲置无法盘活', PLANNING_TAKEOVER: '规划调整、征收拆除',
  INDUSTRY_CHANGE: '产业调整转产', DEBT_SETTLEMENT: '清偿债务', OTHER: '其他',
};

/** SHA-256 of a disposal notice's stored content (kept canonical by the disposal module when published). */
export function disposalNoticeSha256(content: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(content as never), 'utf8').digest('hex');
}

/**
 * A published disposal notice (处置公示) as one A4 page: title, asset, method and reason, book value, appraisal
 * and any approved floor below it, the notice's dates, the objection contact, the published text, and the
 * fingerprint (SHA-256 of the stored content and the journal head at publication). Null when it does not exist
 * or lies outside the actor's scope (the disposal module's read rule).
 */
export async function renderDisposalNotice(svc: ServiceContext, noticeId: number): Promise<NoticePage | null> {
  const notice = await disposalRepo.findNotice(svc.db, noticeId);
  if (!notice) return null;
  const d = await getDisposal(svc, notice.disposalId);
  if (!d) return null;
  const c = notice.content as Record<string, any>;
  const asset = await assetsRepo.findById(svc.db, d.assetId);
  const [village, township] = await findByCodes(svc.db, [d.villageCode, townshipCodeOf(d.villageCode)]).then((rs) => [
    rs.find((r) => r.code === d.villageCode),
    rs.find((r) => r.code === townshipCodeOf(d.villageCode)),
  ]);
  const head = await headAt(svc.db, notice.publishedAt);
  const sha = disposalNoticeSha256(c);
  const money = (fen: unknown) => (typeof fen === 'number' ? `${fmtYuan(fen)} 元` : '—');
  const title = '村集体资产处置公示';
  const rows: [string, string][] = [
    ['资产名称', `${asset?.name ?? ''}（${asset?.code ?? d.assetId}）`],
    ['所在村', village?.name ?? d.villageCode],
    ['处置方式', METHOD_ZH[c.method] ?? String(c.method ?? d.method)],
    ['处置原因', REASON_ZH[c.reason] ?? String(c.reason ?? d.reason)],
    ['账面原值', money(c.bookValueFen)],
    ['评估价值', typeof c.appraisedValueFen === 'number' ? money(c.appraisedValueFen) : d.appraisalRequired ? '—' : '无需评估（按本县处置规定）'],
    ...(typeof c.exceptionFloorFen === 'number' ? ([['经批准的最低成交价（低于评估价）', money(c.exceptionFloorFen)]] as [string, string][]) : []),
    ['审批完成日期', String(c.approvedOn ?? d.approvedOn ?? '—')],
  ];
  const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)} · ${esc(c.title)}</title>
<style>
  @page { size: A4; margin: 15mm; }
  body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimSun", sans-serif; font-size: 11pt; color: #000; margin: 0 auto; max-width: 180mm; }
  h1 { text-align: center; font-size: 20pt; margin: 0 0 4mm; letter-spacing: 2pt; }
  h2 { text-align: center; font-size: 13pt; font-weight: normal; margin: 0 0 6mm; }
  table { width: 100%; border-collapse: collapse; margin: 4mm 0; }
  th, td { border: 0.3mm solid #000; padding: 1.5mm 2mm; vertical-align: top; text-align: left; }
  th { background: #eee; width: 45mm; }
  .meta { margin: 2mm 0; }
  .text { white-space: pre-wrap; border: 0.3mm solid #000; padding: 2mm; }
  .fingerprint { margin-top: 6mm; font-size: 8.5pt; border-top: 0.3mm dashed #000; padding-top: 2mm; word-break: break-all; }
  .fingerprint code { font-size: 8pt; }
  .sign { margin-top: 8mm; text-align: right; }
</style></head>
<body>
<h1>${esc(title)}</h1>
<h2>${esc(c.title)}</h2>
<p class="meta">公示期：<strong>${esc(notice.startOn)}</strong> 至 <strong>${esc(notice.endOn)}</strong></p>
<table><tbody>
${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('\n')}
</tbody></table>
<p class="meta">公示内容：</p>
<div class="text">${esc(c.text)}</div>
<p class="meta">如有异议，请于公示期内（${esc(notice.endOn)} 前）以书面或口头形式向${esc(village?.name ?? '')}村务监督委员会或${esc(township?.name ?? '乡镇人民政府')}财政所反映；公示期满且异议处理完毕后方可实施处置。</p>
<p class="sign">${esc(village?.name ?? '')}村民委员会　${esc(notice.startOn)}</p>
<div class="fingerprint">
  核验信息（可在台账系统中核对）：处置公示编号 ${notice.id}；处置编号 ${d.id}；发布时间 ${esc(notice.publishedAt)}<br>
  内容指纹 SHA-256：<code>${esc(sha)}</code><br>
  发布时账簿链头：第 ${head.lastSequence} 笔，哈希 <code>${esc(head.lastHash)}</code>
</div>
</body></html>`;
  return { noticeId: notice.id, html };
}

/** GET /notices/:id (a distribution notice) or /notices/disposal-:id with the bearer token, scoped like every read (404 outside the scope). */
export function noticePage(db: Db, clock: Clock): express.RequestHandler {
  return async (req, res) => {
    try {
      const actor = await authenticate(db, req.get('authorization'));
      if (!actor) return void res.status(401).json({ errors: [{ message: 'Authentication required (需要登录)', extensions: { code: 'UNAUTHENTICATED' } }] });
      const m = /^(disposal-)?([1-9]\d{0,15})$/.exec(String(req.params.id));
      const page = !m ? null : m[1] ? await renderDisposalNotice({ db, clock, actor }, Number(m[2])) : await renderNotice({ db, clock, actor }, Number(m[2]));
      if (!page) return void res.status(404).json({ errors: [{ message: 'No such notice in your scope', extensions: { code: 'NOT_FOUND' } }] });
      res.set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'private, no-store', 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'" });
      res.send(page.html);
    } catch {
      res.status(500).json({ errors: [{ message: 'Unexpected error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    }
  };
}
