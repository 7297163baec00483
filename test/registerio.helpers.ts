/** Builders of register sheets (台账) as county offices keep them, and the upload of one to registerImport. */
import ExcelJS from 'exceljs';
import request from 'supertest';
import type { App } from '../src/server/app';
import { TOKENS, TokenName } from './helpers';

export type SheetRow = Record<string, unknown>;

/**
 * A realistic row of 茶坪村's register: operating, public-welfare and household assets in turn, the
 * operating ones confirmed to the village, handed over and kept; the roads owned jointly with 金台村.
 */
export function chapingRow(i: number, overrides: SheetRow = {}): SheetRow {
  const kind = i % 3;
  const value = 10_000 + i * 100; // yuan
  const central = Math.round(value * 0.8);
  const base: SheetRow = {
    资产编号: `NJ-CP-${String(i).padStart(4, '0')}`,
    资产名称: ['茶叶加工厂房', '产业路', '能繁母牛'][kind] + i + '号',
    资产类别: ['经营性资产', '公益性资产', '到户类资产'][kind],
    资产子类: ['生产加工设施', '道路', '牲畜'][kind],
    所属项目: ['茶坪村茶叶加工项目', '茶坪村产业路硬化项目', '茶坪村到户养殖项目'][kind],
    建设年度: 2021,
    实施单位: '南江县农业农村局',
    所在村: '茶坪村',
    坐落位置: `茶坪村${(i % 7) + 1}组`,
    数量: [1200, 2.5, 2][kind],
    单位: ['平方米', '公里', '头'][kind],
    '原值（元）': value,
    '中央衔接资金（元）': central,
    '村集体自筹（元）': value - central,
    竣工日期: new Date(Date.UTC(2021, 8, 1 + (i % 20))),
    验收日期: '2021-10-08',
    入账日期: '2021年11月25日',
  };
  if (kind === 0) {
    Object.assign(base, {
      确权层级: '村级（集体）',
      权属主体: '茶坪村股份经济合作社',
      确权证号: `南江资确〔2021〕${1000 + i}号`,
      确权日期: '2021-11-10',
      移交日期: '2021-11-20',
      移交书编号: `南江资移〔2021〕${1000 + i}号`,
      移交单位: '南江县农业农村局',
      见证单位: '云顶镇人民政府',
      管护主体: '茶坪村股份经济合作社',
      管护责任人: '陈建国',
      管护资金来源: '资产收益',
    });
    // Every other operating asset runs itself (自营) under a ten-year contract: it is in operation.
    if (i % 6 === 0) Object.assign(base, { 经营方式: '自营', 经营主体: '茶坪村股份经济合作社', 合同编号: `南江运营〔2021〕${1000 + i}号`, 合同起止: '2021-12-01至2031-11-30' });
  } else if (kind === 1) {
    Object.assign(base, {
      权属主体: '茶坪村 70%；金台村 30%',
      确权证号: `南江资确〔2021〕${1000 + i}号`,
      确权日期: '2021-11-10',
    });
  }
  return { ...base, ...overrides };
}

export const HEADERS = [...new Set([...Object.keys(chapingRow(0)), '年租金（元）'])];

export interface SheetOptions {
  headers?: string[];
  sheetName?: string;
  /** Title rows above the header, as printed ledgers have. */
  titleRows?: string[];
  /** Sheets before the register (an instructions sheet…). */
  sheetsBefore?: string[];
}

export async function xlsxOf(rows: SheetRow[], opts: SheetOptions = {}): Promise<Buffer> {
  const headers = opts.headers ?? [...new Set([...HEADERS, ...rows.flatMap((r) => Object.keys(r))])];
  const wb = new ExcelJS.Workbook();
  for (const name of opts.sheetsBefore ?? []) wb.addWorksheet(name).addRow(['填表说明：请勿修改表头']);
  const ws = wb.addWorksheet(opts.sheetName ?? '资产台账明细');
  for (const t of opts.titleRows ?? []) ws.addRow([t]);
  ws.addRow(headers);
  for (const r of rows) ws.addRow(headers.map((h) => (r[h] === undefined ? null : r[h])));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const csvCell = (v: unknown) => {
  if (v === null || v === undefined) return '';
  const s = v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function csvOf(rows: SheetRow[], headers = HEADERS): string {
  return [headers, ...rows.map((r) => headers.map((h) => r[h]))].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export const REGISTER_IMPORT = `mutation($input: RegisterImportInput!) {
  registerImport(input: $input) {
    result { fileName fileHash sheetName dryRun alreadyImported written rows assetsRegistered projectsCreated projectsReused
             errorCount rowErrors { row column code message } ignoredColumns errorReport }
    errors { code message }
  }
}`;

/** Uploads a sheet to registerImport (GraphQL multipart request). Returns the parsed body. */
export async function uploadRegister(
  app: App,
  token: TokenName,
  content: Buffer,
  name = 'taizhang.xlsx',
  input: { dryRun?: boolean; regionCode?: string } = {},
) {
  const res = await request(app)
    .post('/graphql')
    .set('authorization', `Bearer ${TOKENS[token]}`)
    .field('operations', JSON.stringify({ query: REGISTER_IMPORT, variables: { input: { ...input, file: null } } }))
    .field('map', JSON.stringify({ '0': ['variables.input.file'] }))
    .attach('0', content, { filename: name, contentType: 'application/octet-stream' });
  return res.body;
}

/** Tables an import writes, for "nothing was written" assertions. */
export const IMPORT_TABLES = [
  'projects',
  'project_funding_lines',
  'assets',
  'asset_funding_lines',
  'asset_events',
  'rights_confirmations',
  'asset_owners',
  'handover_deeds',
  'upkeep_assignments',
  'parties',
  'register_imports',
  'audit_log',
  'asset_code_sequences',
  'contracts',
  'contract_versions',
];
