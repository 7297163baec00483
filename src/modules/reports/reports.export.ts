/**
 * xlsx exports (issue 14), Chinese headers, amounts in yuan as exact decimal text:
 *   GET /exports/reports/summary.xlsx?regionCode=…&asOf=…&groupBy=CLASS,CHILD_REGION
 *   GET /exports/reports/findings.xlsx?regionCode=…&asOf=…
 *   GET /exports/reports/county-report.xlsx?regionCode=…&asOf=…   (the one-click county workbook)
 * With the bearer token, scoped like every read (404 outside the scope).
 */
import type express from 'express';
import type { Db } from '../../db/connection';
import type { Clock } from '../../shared/clock';
import type { ServiceContext } from '../../shared/context';
import { authenticate } from '../auth/auth.service';
import { toXlsx, type Sheet } from '../distribution/distribution.export';
import { listPlans } from '../distribution/distribution.service';
import { findByCodes } from '../regions/regions.repository';
import * as assetsRepo from '../assets/assets.repository';
import { prefixOf } from '../regions/regions.codes';
import type { Asset } from '../assets/assets.types';
import { fmtYuan } from './reports.format';
import { auditFindings, registerSummary, asOfDate } from './reports.service';
import { CHECKS, NOT_YET_CHECKED } from './reports.checks';
import type { RegisterSummary, SummaryDimension } from './reports.types';
import { flagsOf as disposalFlagsOf, listDisposals } from '../disposal/disposal.service';
import type { Disposal } from '../disposal/disposal.types';
import * as partiesRepo from '../parties/parties.repository';
import { isOverdue, listCases } from '../revitalisation/revitalisation.service';
import { PATH_LABEL } from '../revitalisation/revitalisation.types';
import type { RevitalisationCase } from '../revitalisation/revitalisation.types';
import { listBundles } from '../bundles/bundles.service';
import * as bundlesRepo from '../bundles/bundles.repository';
import type { Bundle } from '../bundles/bundles.types';
import type { Connection } from '../../shared/pagination';
import { SUMMARY_DIMENSIONS } from './reports.types';

const CLASS_ZH: Record<string, string> = { OPERATING: '经营性', PUBLIC_WELFARE: '公益性', HOUSEHOLD: '到户类' };
const STATUS_ZH: Record<string, string> = {
  REGISTERED: '已登记', CONFIRMED: '已确权', HANDED_OVER: '已移交', IN_OPERATION: '运营中', IN_USE: '在用', IDLE: '闲置',
  BUNDLED: '已打包入股', DISPOSAL_PENDING: '处置审批中', DISPOSED: '已处置',
};
const SOURCE_ZH: Record<string, string> = {
  CENTRAL_TRANSITION: '中央衔接资金', PROVINCIAL_TRANSITION: '省级衔接资金', CITY_TRANSITION: '市级衔接资金', COUNTY_TRANSITION: '县级衔接资金',
  INTEGRATED_AGRICULTURE: '统筹整合涉农资金', SECTOR: '行业扶贫资金', WORK_RELIEF: '以工代赈', LOTTERY: '彩票公益金', LOCAL_BOND: '地方政府债券',
  EAST_WEST_COOPERATION: '东西部协作资金', PAIRED_ASSISTANCE: '定点帮扶资金', SOCIAL_DONATION: '社会捐赠', VILLAGE_SELF_FUNDED: '村集体自筹',
  CREDIT: '信贷资金', OTHER: '其他',
};
const LEVEL_ZH: Record<string, string> = { COUNTY: '县级', TOWNSHIP: '乡级', VILLAGE: '村级', HOUSEHOLD: '户级', UNCONFIRMED: '未确权' };
const DIM_ZH: Record<SummaryDimension, string> = { CLASS: '资产类别', SUB_TYPE: '资产子类', FUND_SOURCE: '资金来源', RIGHTS_LEVEL: '确权层级', YEAR: '建设年度', STATUS: '状态', CHILD_REGION: '区划' };
const SEVERITY_ZH: Record<string, string> = { HIGH: '高', MEDIUM: '中', LOW: '低' };
const PLAN_STATUS_ZH: Record<string, string> = {
  DRAFT: '草拟', RESOLVED: '已决议', IN_NOTICE: '公示中', APPROVED: '已审核', EXECUTED: '已执行', CLOSED: '已公开结果', REJECTED: '已退回', CANCELLED: '已撤销', REVERSED: '已冲销',
};

async function summarySheet(svc: ServiceContext, s: RegisterSummary, name: string): Promise<Sheet> {
  const regionNames = new Map((await findByCodes(svc.db, s.rows.map((r) => r.key.regionCode).filter((c): c is string => !!c))).map((r) => [r.code, r.name]));
  const keyCells = (k: RegisterSummary['rows'][number]['key']) =>
    s.groupBy.map((d) => {
      switch (d) {
        case 'CLASS': return CLASS_ZH[k.class!] ?? '';
        case 'SUB_TYPE': return k.subType ?? '';
        case 'FUND_SOURCE': return SOURCE_ZH[k.fundSource!] ?? k.fundSource ?? '';
        case 'RIGHTS_LEVEL': return LEVEL_ZH[k.rightsLevel!] ?? k.rightsLevel ?? '';
        case 'YEAR': return k.year ?? '';
        case 'STATUS': return STATUS_ZH[k.status!] ?? '';
        case 'CHILD_REGION': return `${regionNames.get(k.regionCode!) ?? ''}（${k.regionCode}）`;
      }
    });
  const values = (r: RegisterSummary['total']) => [r.assetCount, fmtYuan(r.originalValueFen), fmtYuan(r.accumulatedDepreciationFen), fmtYuan(r.bookValueFen), r.disposedCount, fmtYuan(r.disposedOriginalValueFen)];
  return {
    name,
    headers: [...s.groupBy.map((d) => DIM_ZH[d]), '资产数量', '原值（元）', '累计折旧（元）', '账面价值（元）', '已处置数量', '已处置原值（元）'],
    rows: [...s.rows.map((r) => [...keyCells(r.key), ...values(r)]), [...s.groupBy.map((_, i) => (i === 0 ? '合计' : '')), ...values(s.total)]],
  };
}

function fundingSheet(s: RegisterSummary): Sheet {
  return { name: '资金来源', headers: ['资金来源', '金额（元）'], rows: s.total.fundingBySource.map((f) => [SOURCE_ZH[f.source] ?? f.source, fmtYuan(f.amountFen)]) };
}

async function findingsSheet(svc: ServiceContext, regionCode: string, asOf: string): Promise<Sheet | null> {
  const findings = await auditFindings(svc, { regionCode, asOf });
  if (!findings) return null;
  const title = new Map(CHECKS.map((c) => [c.code, c.title]));
  return {
    name: '审计发现',
    headers: ['类别代码', '类别', '严重程度', '区划代码', '说明', '涉及对象', '证据', '起始日期'],
    rows: findings.map((f) => [f.code, title.get(f.code) ?? '', SEVERITY_ZH[f.severity], f.regionCode, f.message, f.objects.map((o) => `${o.type}:${o.id} ${o.label}`).join('；'), `${f.evidence.type}:${f.evidence.id}`, f.since ?? '']),
  };
}

const METHOD_ZH: Record<string, string> = {
  AUCTION: '拍卖', TRANSFER: '转让', CONVERSION: '转产', SCRAPPING: '报废', LOSS: '报损', WRITE_OFF: '核销', ALLOCATION: '划转', DEBT_SETTLEMENT: '以资抵债',
};
const DISPOSAL_STATUS_ZH: Record<string, string> = {
  AWAITING_APPRAISAL: '待评估', IN_APPROVAL: '审批中', APPROVED: '已批准', IN_NOTICE: '公示中', EXECUTED: '已处置', REJECTED: '已驳回', CANCELLED: '已撤回',
};
const DISPOSAL_FLAG_ZH: Record<string, string> = { BELOW_APPRAISAL_WITH_EXCEPTION: '低于评估价（例外审批）', NO_NOTICE: '已批准未公示', RELATED_BUYER: '关联方受让', PROCEEDS_LATE: '价款入账超期' };
const CASE_STATUS_ZH: Record<string, string> = { OPEN: '进行中', CLOSED: '已销号', ABANDONED: '已放弃' };
const BUNDLE_STATUS_ZH: Record<string, string> = { ACTIVE: '运营中', DISSOLVED: '已解散' };

/** Every page of a keyset-paged list (the owning module's own list, with its scope rule). */
async function allPages<T>(list: (after: string | null) => Promise<Connection<T>>): Promise<T[]> {
  const out: T[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await list(after);
    out.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
}

/** 资产处置 Disposals requested by the date, with the disposal module's own flags; null when there are none. */
async function disposalsSheet(svc: ServiceContext, regionCode: string, asOf: string): Promise<Sheet | null> {
  const ds = (await allPages<Disposal>((after) => listDisposals(svc, { regionCode }, { first: 100, after }))).filter((d) => d.requestedOn <= asOf);
  if (!ds.length) return null;
  const assets = new Map((await assetsRepo.findByIds(svc.db, ds.map((d) => d.assetId))).map((a) => [a.id, a]));
  const parties = new Map((await partiesRepo.findByIds(svc.db, ds.map((d) => d.recipientPartyId).filter((x): x is number => x !== null))).map((p) => [p.id, p]));
  const rows = [];
  for (const d of ds) {
    const a = assets.get(d.assetId);
    const recipient = d.recipientPartyId !== null ? parties.get(d.recipientPartyId) ?? null : null;
    const flags = await disposalFlagsOf(svc, d, recipient);
    const executed = d.executedOn !== null && d.executedOn <= asOf;
    rows.push([d.id, a?.code ?? '', a?.name ?? '', d.villageCode, METHOD_ZH[d.method] ?? d.method, DISPOSAL_STATUS_ZH[d.status] ?? d.status, d.requestedOn,
      fmtYuan(d.bookValueFen), d.appraisedValueFen === null ? '' : fmtYuan(d.appraisedValueFen), executed && d.priceFen !== null ? fmtYuan(d.priceFen) : '',
      executed ? d.executedOn ?? '' : '', executed ? d.proceedsReceivedOn ?? '' : '', executed ? recipient?.name ?? '' : '', flags.map((f) => DISPOSAL_FLAG_ZH[f] ?? f).join('；')]);
  }
  return {
    name: '资产处置',
    headers: ['处置编号', '资产编号', '资产名称', '村代码', '处置方式', '当前状态', '申请日期', '账面原值（元）', '评估价值（元）', '成交价（元）', '处置日期', '价款收讫日期', '受让方', '风险提示'],
    rows,
  };
}

/** 盘活 Revitalisation cases opened by the date; overdue judged on the date by the module's rule; null when none. */
async function revitalisationSheet(svc: ServiceContext, regionCode: string, asOf: string): Promise<Sheet | null> {
  const cases = (await allPages<RevitalisationCase>((after) => listCases(svc, { regionCode }, { first: 100, after }))).filter((c) => c.openedOn <= asOf);
  if (!cases.length) return null;
  const assets = new Map((await assetsRepo.findByIds(svc.db, cases.map((c) => c.assetId))).map((a) => [a.id, a]));
  return {
    name: '盘活',
    headers: ['方案编号', '资产编号', '资产名称', '村代码', '资产原值（元）', '盘活路径', '责任单位', '责任人', '立案日期', '完成期限', `状态（${asOf}）`, '结束日期', '逾期'],
    rows: cases.map((c) => {
      const ended = c.endedOn !== null && c.endedOn <= asOf;
      const a = assets.get(c.assetId);
      return [c.id, a?.code ?? '', a?.name ?? '', c.villageCode, fmtYuan(c.assetValueFen), PATH_LABEL[c.path] ?? c.path, c.responsibleUnit, c.responsiblePerson, c.openedOn, c.deadlineOn,
        ended ? CASE_STATUS_ZH[c.status] ?? c.status : '进行中', ended ? c.endedOn ?? '' : '', isOverdue({ status: ended ? c.status : 'OPEN', deadlineOn: c.deadlineOn }, asOf) ? '是' : ''];
    }),
  };
}

/** 联营 Pooled ventures started by the date, with each year's declared profit and what was split by the date; null when none. */
async function venturesSheet(svc: ServiceContext, regionCode: string, asOf: string): Promise<Sheet | null> {
  const bundles = (await allPages<Bundle>((after) => listBundles(svc, { regionCode }, { first: 100, after }))).filter((b) => b.startOn <= asOf);
  if (!bundles.length) return null;
  const ids = bundles.map((b) => b.id);
  const [profits, splits] = await Promise.all([bundlesRepo.profitsOf(svc.db, ids), bundlesRepo.splitsOf(svc.db, ids)]);
  const rows = [];
  for (const b of bundles) {
    const head = [b.id, b.name, b.regionCode, b.startOn, b.dissolvedOn !== null && b.dissolvedOn <= asOf ? BUNDLE_STATUS_ZH.DISSOLVED : BUNDLE_STATUS_ZH.ACTIVE];
    const ps = profits.filter((p) => p.bundleId === b.id && p.declaredOn <= asOf);
    if (!ps.length) rows.push([...head, '', '', '', '']);
    for (const p of ps) {
      const split = splits.filter((x) => x.profitId === p.id && x.splitOn <= asOf).reduce((t, x) => t + x.amountFen, 0);
      rows.push([...head, p.year, fmtYuan(p.profitFen), fmtYuan(split), fmtYuan(p.profitFen - split)]);
    }
  }
  return { name: '联营', headers: ['联营体编号', '名称', '监管区划', '成立日期', `状态（${asOf}）`, '收益年度', '申报收益（元）', '已分配（元）', '未分配（元）'], rows };
}

/**
 * The one-click county workbook: summary by township and class, funding, findings, distributions, idle and disposed
 * assets, and — when there are any — the disposals, revitalisation cases and pooled ventures, each read through its
 * module's own list (and scope rule).
 */
export async function countyWorkbook(svc: ServiceContext, regionCode: string, asOfArg: string | null): Promise<Sheet[] | null> {
  const asOf = asOfDate(svc, asOfArg);
  const byChild = await registerSummary(svc, { regionCode, asOf, groupBy: ['CHILD_REGION', 'CLASS'] });
  if (!byChild) return null;
  const byLevel = (await registerSummary(svc, { regionCode, asOf, groupBy: ['CLASS', 'RIGHTS_LEVEL'] }))!;
  const bySource = (await registerSummary(svc, { regionCode, asOf, groupBy: ['FUND_SOURCE', 'CLASS'] }))!;
  const plans = [];
  let after: string | null = null;
  for (;;) {
    const page = await listPlans(svc, { regionCode }, { first: 100, after });
    plans.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  const notHeld = async (status: 'IDLE' | 'DISPOSAL_PENDING' | 'DISPOSED') =>
    (await assetsRepo.registerOnQuery(svc.db, { regionPrefix: prefixOf(regionCode), status }, asOf).select('assets.*').orderBy('assets.id')).map(assetsRepo.toAsset) as Asset[];
  const [idle, pending, disposed] = await Promise.all([notHeld('IDLE'), notHeld('DISPOSAL_PENDING'), notHeld('DISPOSED')]);
  const assetRows = (xs: typeof idle, status: string) => xs.map((a) => [a.code, a.name, CLASS_ZH[a.class], a.villageCode, fmtYuan(a.originalValueFen), status]);
  return [
    await summarySheet(svc, byChild, '汇总（按下级区划和类别）'),
    await summarySheet(svc, byLevel, '汇总（按类别和确权层级）'),
    await summarySheet(svc, bySource, '汇总（按资金来源）'),
    fundingSheet(byChild),
    (await findingsSheet(svc, regionCode, asOf))!,
    {
      name: '收益分配',
      headers: ['方案编号', '村代码', '方案名称', '分配期间', '分配总额（元）', '状态', '执行日期', '结果公开'],
      rows: plans.map((p) => [p.id, p.villageCode, p.title, `${p.periodFrom}至${p.periodTo}`, fmtYuan(p.totalFen), PLAN_STATUS_ZH[p.status] ?? p.status, p.executedOn ?? '', p.resultsStartOn ?? '']),
    },
    { name: '闲置与处置', headers: ['资产编号', '资产名称', '类别', '村代码', '原值（元）', `状态（${asOf}）`], rows: [...assetRows(idle, '闲置'), ...assetRows(pending, '处置审批中'), ...assetRows(disposed, '已处置')] },
    ...[await disposalsSheet(svc, regionCode, asOf), await revitalisationSheet(svc, regionCode, asOf), await venturesSheet(svc, regionCode, asOf)].filter((x): x is Sheet => x !== null),
    {
      name: '说明',
      headers: ['项目', '内容'],
      rows: [
        ['区划', regionCode], ['截至日期', asOf], ['生成时间', svc.clock.now()],
        ['折旧', '直线法，入账次月起计提，按完整月份计，累计折旧 = 原值 × (1 − 残值率) × 月数 ÷ 折旧月数，向下取整到分'],
        ...NOT_YET_CHECKED.map((n) => [`未检查：${n.title}`, n.reason]),
      ],
    },
  ];
}

function parseGroupBy(text: unknown): SummaryDimension[] | null {
  if (text === undefined || text === '') return [];
  if (typeof text !== 'string') return null;
  const dims = text.split(',');
  return dims.every((d) => (SUMMARY_DIMENSIONS as readonly string[]).includes(d)) ? (dims as SummaryDimension[]) : null;
}

export function reportExportRoutes(app: express.Express, db: Db, clock: Clock): void {
  app.get('/exports/reports/:file', async (req, res) => {
    try {
      const actor = await authenticate(db, req.get('authorization'));
      if (!actor) return void res.status(401).json({ error: 'UNAUTHENTICATED' });
      const svc: ServiceContext = { db, clock, actor };
      const regionCode = String(req.query.regionCode ?? '');
      const asOfRaw = req.query.asOf === undefined ? null : String(req.query.asOf);
      let asOf: string;
      try {
        asOf = asOfDate(svc, asOfRaw);
      } catch (e) {
        return void res.status(400).json({ error: 'BAD_USER_INPUT', message: (e as Error).message });
      }
      let sheets: Sheet[] | null = null;
      if (req.params.file === 'summary.xlsx') {
        const groupBy = parseGroupBy(req.query.groupBy);
        if (!groupBy) return void res.status(400).json({ error: 'BAD_USER_INPUT', message: `groupBy: comma-separated ${SUMMARY_DIMENSIONS.join(', ')}` });
        const s = await registerSummary(svc, { regionCode, asOf, groupBy });
        sheets = s && [await summarySheet(svc, s, '台账汇总'), fundingSheet(s)];
      } else if (req.params.file === 'findings.xlsx') {
        const f = await findingsSheet(svc, regionCode, asOf);
        sheets = f && [f];
      } else if (req.params.file === 'county-report.xlsx') {
        sheets = await countyWorkbook(svc, regionCode, asOf);
      } else {
        return void res.status(404).json({ error: 'NOT_FOUND' });
      }
      if (!sheets) return void res.status(404).json({ error: 'NOT_FOUND' });
      const name = `${req.params.file.replace('.xlsx', '')}-${regionCode}-${asOf}.xlsx`;
      res.setHeader('content-disposition', `attachment; filename="${name}"`);
      res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await toXlsx(sheets));
    } catch {
      res.status(500).json({ error: 'INTERNAL_SERVER_ERROR' });
    }
  });
}
