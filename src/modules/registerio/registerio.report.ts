/**
 * 出错报告 The error report of a failed import: the clerk's own sheet, row for row, with a 错误 column saying
 * what is wrong with each row (empty when the row is fine), and a 导入结果 summary sheet. The clerk fixes the
 * rows in it and imports it again; the importer ignores the 错误 column. Written with ExcelJS's streaming
 * writer, so a large sheet is never held in memory whole.
 */
import { PassThrough, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { plainValue, CellError } from './registerio.cells';
import type { ImportResult } from './registerio.import';
import { ImportSource, registerRows } from './registerio.read';
import type { RowError } from './registerio.rows';

export const ERROR_COLUMN = '错误';

function describe(errors: RowError[]): string {
  return errors.map((e) => `${e.column ? `${e.column}: ` : ''}[${e.code}] ${e.message}`).join('；');
}

function safe(v: unknown): unknown {
  try {
    return plainValue(v);
  } catch (e) {
    if (e instanceof CellError) return null;
    throw e;
  }
}

export async function writeErrorReport(source: ImportSource, result: ImportResult, out: Writable): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  const byRow = new Map<number, RowError[]>();
  for (const e of result.errors) byRow.set(e.row, [...(byRow.get(e.row) ?? []), e]);

  if (result.kind && result.sheetName !== null) {
    const ws = wb.addWorksheet(result.sheetName || '资产台账明细');
    let width = 0;
    for await (const item of registerRows(source, result.kind)) {
      if (!item.row) {
        // The header row as the sheet had it, known and ignored columns alike, then 错误.
        const headers = item.layout.headers.filter((h) => h !== ERROR_COLUMN);
        width = headers.length;
        const header = ws.addRow([...headers, ERROR_COLUMN]);
        header.font = { bold: true };
        header.commit();
        continue;
      }
      // A previous report's 错误 column (the last one) is dropped; the new one replaces it.
      const values = Array.from({ length: width }, (_, i) => safe(item.row!.values[i]));
      const errors = byRow.get(item.row.rowNumber);
      const row = ws.addRow([...values, errors ? describe(errors) : null]);
      if (errors) row.getCell(values.length + 1).font = { color: { argb: 'FFC00000' } };
      row.commit();
    }
    ws.commit();
  }
  const summary = wb.addWorksheet('导入结果');
  for (const r of [
    ['文件', result.fileName],
    ['工作表', result.sheetName ?? ''],
    ['读取行数', result.rows],
    ['出错行数', new Set(result.errors.map((e) => e.row)).size],
    ['错误数', result.errors.length],
    ['结果', result.written ? '已导入' : result.dryRun && !result.errors.length ? '试导入通过（未写入）' : '未导入：请改正后重新导入'],
  ]) summary.addRow(r).commit();
  summary.addRow([]).commit();
  summary.addRow(['行号', '列', '代码', '说明']).commit();
  for (const e of result.errors) summary.addRow([e.row || '', e.column ?? '', e.code, e.message]).commit();
  summary.commit();
  await wb.commit();
}

/** The report as a buffer (the API returns it base64 in the payload; uploads are small). */
export async function errorReportBuffer(source: ImportSource, result: ImportResult): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => out.on('end', resolve));
  await writeErrorReport(source, result, out);
  await done;
  return Buffer.concat(chunks);
}
