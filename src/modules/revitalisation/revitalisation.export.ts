/**
 * 盘活工作总览 as an xlsx workbook for the county planner: the overview by region, the cases, and the idle and
 * low-efficiency findings behind them. Scoped like every read (the service functions apply the actor's scope).
 */
import ExcelJS from 'exceljs';
import type { ServiceContext } from '../../shared/context';
import { formatFen } from '../../shared/money';
import * as assetsRepo from '../assets/assets.repository';
import * as regionsRepo from '../regions/regions.repository';
import { scopedPrefix } from '../regions/regions.service';
import * as repo from './revitalisation.repository';
import { idleAssets, isOverdue, lowEfficiencyAssets, overview } from './revitalisation.service';
import { PATH_LABEL } from './revitalisation.types';

const STATUS_ZH: Record<string, string> = { OPEN: '实施中', CLOSED: '已销号', ABANDONED: '已终止' };
const CLOSING_ZH: Record<string, string> = {
  NEW_CONTRACT_WITH_INCOME: '新签合同并收益',
  BUNDLED: '打包入股',
  DISPOSED: '已处置',
  USE_RESTORED: '恢复使用并落实管护',
};
const pct = (bp: number | null) => (bp === null ? '—' : (bp / 100).toFixed(2));

export interface Sheet {
  name: string;
  headers: string[];
  rows: (string | number)[][];
}

/** The workbook's sheets; null when the region is outside the actor's scope. */
export async function overviewSheets(svc: ServiceContext, regionCode: string): Promise<Sheet[] | null> {
  const o = await overview(svc, regionCode);
  if (!o) return null;
  const regionNames = new Map((await regionsRepo.findByCodes(svc.db, [o.total.regionCode, ...o.rows.map((r) => r.regionCode)])).map((r) => [r.code, r.name]));
  const line = (r: typeof o.total) => [
    regionNames.get(r.regionCode) ?? r.regionCode,
    r.idleCount,
    formatFen(r.idleValueFen),
    r.lowEfficiencyCount,
    formatFen(r.lowEfficiencyValueFen),
    r.excusedCount,
    r.toRevitaliseCount,
    formatFen(r.toRevitaliseValueFen),
    r.rate.revitalisedCount,
    formatFen(r.rate.revitalisedValueFen),
    pct(r.rate.rateBp),
    r.overdueCount,
    r.benefit.poorWorkers,
    formatFen(r.benefit.poorWorkerEarningsFen),
  ];
  const cases = (await repo.casesUnder(svc.db, scopedPrefix(svc.actor, regionCode), o.asOf)).filter((c) => c.villageCode.startsWith(scopedPrefix(svc.actor, regionCode)));
  const assets = new Map((await assetsRepo.findByIds(svc.db, [...new Set(cases.map((c) => c.assetId))])).map((a) => [a.id, a]));
  const villages = new Map((await regionsRepo.findByCodes(svc.db, [...new Set(cases.map((c) => c.villageCode))])).map((r) => [r.code, r.name]));
  const idle = await idleAssets(svc, regionCode, o.asOf);
  const low = await lowEfficiencyAssets(svc, regionCode, o.year);
  const named = new Map((await assetsRepo.findByIds(svc.db, [...idle.map((f) => f.assetId), ...low.map((f) => f.assetId)])).map((a) => [a.id, a]));
  return [
    {
      name: '盘活总览',
      headers: ['区划', '闲置个数', '闲置金额(元)', '低效个数', '低效金额(元)', '联农带农豁免', '需盘活个数', '需盘活金额(元)', '已盘活个数', '已盘活金额(元)', '盘活率(%)', '逾期方案', `${o.year}年带动脱贫人口`, `${o.year}年脱贫人口务工收入(元)`],
      rows: [line(o.total), ...o.rows.map(line)],
    },
    {
      name: '盘活方案',
      headers: ['资产编码', '资产名称', '村', '原值(元)', '盘活路径', '状态', '逾期', '立项日期', '完成时限', '责任单位', '责任人', '盘活目标', '销号/终止日期', '销号依据或终止原因'],
      rows: cases.map((c) => [
        assets.get(c.assetId)?.code ?? '',
        assets.get(c.assetId)?.name ?? '',
        villages.get(c.villageCode) ?? c.villageCode,
        formatFen(c.assetValueFen),
        PATH_LABEL[c.path],
        STATUS_ZH[c.status],
        isOverdue(c, o.asOf) ? '是' : '否',
        c.openedOn,
        c.deadlineOn,
        c.responsibleUnit,
        c.responsiblePerson,
        c.target,
        c.endedOn ?? '',
        c.status === 'CLOSED' ? CLOSING_ZH[c.closingKind!] : (c.abandonReason ?? ''),
      ]),
    },
    {
      name: '闲置资产',
      headers: ['资产编码', '资产名称', '原值(元)', '最近活动日期', '无活动月数', '闲置认定标准(月)'],
      rows: idle.map((f) => [named.get(f.assetId)?.code ?? '', named.get(f.assetId)?.name ?? '', formatFen(f.originalValueFen), f.lastActivityOn, f.monthsInactive, f.thresholdMonths]),
    },
    {
      name: `${o.year}年低效资产`,
      headers: ['资产编码', '资产名称', '实收(元)', '保底收益(元)', '基准收益(元)', '差额(元)', '带动脱贫人口', '联农带农豁免'],
      rows: low.map((f) => [
        named.get(f.assetId)?.code ?? '',
        named.get(f.assetId)?.name ?? '',
        formatFen(f.receivedFen),
        formatFen(f.guaranteedReturnFen),
        formatFen(f.benchmarkFen),
        formatFen(f.shortfallFen),
        f.poorWorkers ?? '',
        f.excused ? '是' : '否',
      ]),
    },
  ];
}

export async function toXlsx(sheets: Sheet[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    ws.addRow(s.headers).font = { bold: true };
    for (const r of s.rows) ws.addRow(r);
    ws.columns.forEach((c) => (c.width = 16));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
