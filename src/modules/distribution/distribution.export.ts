/**
 * Exports of a plan for the finance office: the recipient list and the audit report, as CSV (UTF-8 with a
 * BOM, so Excel on a county office PC opens the Chinese headers correctly) or xlsx (exceljs).
 */
import ExcelJS from 'exceljs';
import type { ServiceContext } from '../../shared/context';
import { formatFen } from '../../shared/money';
import { seesPersonalData } from '../auth/auth.service';
import { maskResidentId } from '../households/residentId';
import { auditReport } from './distribution.report';

const LINE_TYPE_ZH: Record<string, string> = {
  PUBLIC_WELFARE_JOB: '公益性岗位',
  PUBLIC_WORKS: '小型公益事业',
  REWARD_GRANT: '奖励补助',
  COLLECTIVE_RETENTION: '集体积累',
  UPKEEP_RESERVE: '管护资金',
  HOUSEHOLD_DIVIDEND: '农户分红',
};
const STATUS_ZH: Record<string, string> = { FORMERLY_POOR: '脱贫户', MONITORED: '监测对象', ORDINARY: '一般户' };

export interface Sheet {
  name: string;
  headers: string[];
  rows: (string | number)[][];
}

/** The sheets of an export; null when the plan is not visible to the actor. */
export async function exportSheets(svc: ServiceContext, planId: number, what: 'recipients' | 'audit'): Promise<Sheet[] | null> {
  const r = await auditReport(svc, planId);
  if (!r) return null;
  const idOf = (id: string) => (seesPersonalData(svc.actor) ? id : maskResidentId(id));
  const recipients: Sheet = {
    name: '受益对象',
    headers: ['项目序号', '分配类型', '户主姓名', '身份证号', '类别', '权重', '工日', '金额(元)', '发放日期', '银行流水号'],
    rows: r.lines.flatMap((l) =>
      l.recipients.map((x) => [
        l.lineNo,
        LINE_TYPE_ZH[l.type],
        x.household.headName,
        idOf(x.household.idNumber),
        STATUS_ZH[x.householdStatus] ?? x.householdStatus,
        x.weight,
        x.workDays ?? '',
        formatFen(x.amountFen),
        x.paidOn ?? '未发放',
        x.bankReference ?? '',
      ]),
    ),
  };
  if (what === 'recipients') return [recipients];
  const t = r.totals;
  return [
    {
      name: '汇总',
      headers: ['项目', '金额(元)'],
      rows: [
        ['方案名称', r.plan.title],
        ['期间收益', formatFen(r.incomeInPeriodFen)],
        ['方案总额', formatFen(t.planTotalFen)],
        ['项目合计', formatFen(t.linesTotalFen)],
        ['分给农户', formatFen(t.toRecipientsFen)],
        ['留作集体资金', formatFen(t.toFundsFen)],
        ['已发放', formatFen(t.paidFen)],
        ['未发放', formatFen(t.unpaidFen)],
        ['记账金额', t.executedInJournalFen === null ? '未执行' : formatFen(t.executedInJournalFen)],
        ['勾稽一致', t.reconciles ? '是' : '否'],
        ['程序日期顺序正确', r.datesInOrder ? '是' : '否'],
      ],
    },
    {
      name: '收益来源',
      headers: ['分录序号', '日期', '摘要', '金额(元)'],
      rows: r.incomeSources.map((s) => [s.sequence, s.effectiveOn, s.memo, formatFen(s.amountFen)]),
    },
    {
      name: '分配项目',
      headers: ['序号', '分配类型', '说明', '金额(元)', '受益合计(元)'],
      rows: r.lines.map((l) => [l.lineNo, LINE_TYPE_ZH[l.type], l.description, formatFen(l.amountFen), formatFen(l.recipientsTotalFen)]),
    },
    recipients,
    { name: '程序', headers: ['步骤', '日期', '说明'], rows: r.procedure.map((s) => [s.step, s.on, s.detail]) },
    { name: '风险提示', headers: ['代码', '说明'], rows: r.flags.map((f) => [f.code, f.message]) },
  ];
}

/**
 * A CSV cell. Text that Excel would read as a formula (=, +, -, @, tab, CR at the start) is prefixed with an
 * apostrophe: names typed by a clerk must never run in the finance office's spreadsheet.
 */
function csvCell(v: string | number): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(sheets: Sheet[]): string {
  const parts = sheets.map((s) => [sheets.length > 1 ? `# ${s.name}` : null, s.headers.map(csvCell).join(','), ...s.rows.map((r) => r.map(csvCell).join(','))].filter((x) => x !== null).join('\r\n'));
  return '\ufeff' + parts.join('\r\n\r\n') + '\r\n';
}

export async function toXlsx(sheets: Sheet[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Bangfu Ledger 帮扶资产台账';
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    ws.addRow(s.headers).font = { bold: true };
    for (const r of s.rows) ws.addRow(r);
    ws.columns.forEach((c) => (c.width = 16));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
