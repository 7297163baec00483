/**
 * The column layout of the register (台账) sheet, shared by import, export and the template, so that an
 * export can be imported again as it is. docs/import-export.md lists the same columns with their rules.
 */
import { FUND_SOURCES, FundSource } from '../projects/projects.types';
import { labelOf } from './registerio.labels';

export type ColumnKey =
  | 'code'
  | 'name'
  | 'class'
  | 'subType'
  | 'projectName'
  | 'year'
  | 'implementingUnit'
  | 'village'
  | 'location'
  | 'quantity'
  | 'unit'
  | 'originalValue'
  | `fund:${FundSource}`
  | 'completedOn'
  | 'acceptedOn'
  | 'bookedOn'
  | 'registeredOn'
  | 'rightsLevel'
  | 'owners'
  | 'certificateNo'
  | 'confirmedOn'
  | 'handedOverOn'
  | 'deedNo'
  | 'transferor'
  | 'witness'
  | 'upkeepBody'
  | 'upkeepPerson'
  | 'upkeepFundSource'
  | 'operationMode'
  | 'operator'
  | 'contractNo'
  | 'signedOn'
  | 'contractStart'
  | 'contractEnd'
  | 'contractTerm'
  | 'annualRent'
  | 'guaranteedRate'
  | 'status';

export interface Column {
  key: ColumnKey;
  /** Header as written in the template and exports. */
  header: string;
  /** Other headers county sheets use for the same column. */
  aliases?: string[];
  required?: boolean;
  /** Enum whose Chinese labels the column takes (a drop-down list in the template). */
  enumName?: string;
  /** Money column: amounts in 元, or in 万元 when the header says 万元. */
  money?: boolean;
  date?: boolean;
  /** Written by exports for reading, ignored by the import (the lifecycle steps decide it). */
  exportOnly?: boolean;
  /** Read by the import when a sheet has it, never written (exports use the split columns). */
  importOnly?: boolean;
  width?: number;
}

const fundColumns: Column[] = FUND_SOURCES.map((s) => ({
  key: `fund:${s}` as const,
  header: `${labelOf('FundSource', s)}（元）`,
  money: true,
  width: 14,
}));

export const COLUMNS: Column[] = [
  { key: 'code', header: '资产编号', aliases: ['编号', '资产代码'], width: 22 },
  { key: 'name', header: '资产名称', required: true, width: 24 },
  { key: 'class', header: '资产类别', aliases: ['资产类型', '类别'], required: true, enumName: 'AssetClass', width: 12 },
  { key: 'subType', header: '资产子类', aliases: ['资产子类别', '子类', '资产细类'], required: true, enumName: 'AssetSubType', width: 14 },
  { key: 'projectName', header: '所属项目', aliases: ['项目名称', '形成项目'], required: true, width: 26 },
  { key: 'year', header: '建设年度', aliases: ['项目年度', '年度'], required: true, width: 10 },
  { key: 'implementingUnit', header: '实施单位', aliases: ['项目实施单位'], width: 20 },
  { key: 'village', header: '所在村', aliases: ['所属村', '村名', '村代码'], required: true, width: 14 },
  { key: 'location', header: '坐落位置', aliases: ['坐落', '位置', '地址'], width: 20 },
  { key: 'quantity', header: '数量', required: true, width: 10 },
  { key: 'unit', header: '单位', aliases: ['计量单位'], required: true, width: 8 },
  { key: 'originalValue', header: '原值（元）', aliases: ['资产原值（元）', '原值', '资产原值'], required: true, money: true, width: 16 },
  ...fundColumns,
  { key: 'completedOn', header: '竣工日期', aliases: ['建成日期'], date: true, width: 12 },
  { key: 'acceptedOn', header: '验收日期', aliases: ['竣工验收日期'], date: true, width: 12 },
  { key: 'bookedOn', header: '入账日期', date: true, width: 12 },
  { key: 'registeredOn', header: '登记日期', date: true, width: 12 },
  { key: 'rightsLevel', header: '确权层级', aliases: ['权属层级'], enumName: 'RightsLevel', width: 12 },
  { key: 'owners', header: '权属主体', aliases: ['产权主体', '所有权人'], width: 30 },
  { key: 'certificateNo', header: '确权证号', aliases: ['确权证书编号', '产权证号'], width: 22 },
  { key: 'confirmedOn', header: '确权日期', date: true, width: 12 },
  { key: 'handedOverOn', header: '移交日期', date: true, width: 12 },
  { key: 'deedNo', header: '移交书编号', aliases: ['移交书号'], width: 22 },
  { key: 'transferor', header: '移交单位', aliases: ['移交方'], width: 20 },
  { key: 'witness', header: '见证单位', aliases: ['见证方', '监交单位'], width: 20 },
  { key: 'upkeepBody', header: '管护主体', aliases: ['管护单位'], width: 24 },
  { key: 'upkeepPerson', header: '管护责任人', aliases: ['管护人'], width: 12 },
  { key: 'upkeepFundSource', header: '管护资金来源', enumName: 'UpkeepFundSource', width: 14 },
  { key: 'operationMode', header: '经营方式', aliases: ['运营方式', '经营模式'], enumName: 'OperationMode', width: 10 },
  { key: 'operator', header: '经营主体', aliases: ['运营主体', '承租方', '经营单位'], width: 24 },
  { key: 'contractNo', header: '合同编号', aliases: ['合同号'], width: 22 },
  { key: 'signedOn', header: '合同签订日期', aliases: ['签订日期'], date: true, width: 12 },
  { key: 'contractStart', header: '合同起始日期', aliases: ['合同开始日期', '起租日期'], date: true, width: 12 },
  { key: 'contractEnd', header: '合同终止日期', aliases: ['合同到期日期', '合同结束日期', '到期日期'], date: true, width: 12 },
  { key: 'contractTerm', header: '合同起止', aliases: ['合同期限', '合同起止日期'], importOnly: true, width: 24 },
  { key: 'annualRent', header: '年租金（元）', aliases: ['年租金', '年承包费（元）', '年收益（元）'], money: true, width: 14 },
  { key: 'guaranteedRate', header: '保底收益率', aliases: ['保底收益', '保底收益率（%）', '保底收益（%）'], width: 10 },
  { key: 'status', header: '资产状态', enumName: 'AssetStatus', exportOnly: true, width: 12 },
];

/** Folds a header for matching: no spaces or line breaks, ASCII brackets, no unit suffix. */
export function foldHeader(h: string): { name: string; wan: boolean } {
  const s = h.replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')');
  const wan = /\(万元\)$/.test(s);
  return { name: s.replace(/\((万元|元)\)$/, ''), wan };
}

const BY_HEADER = new Map<string, Column>();
for (const c of COLUMNS) {
  for (const h of [c.header, ...(c.aliases ?? [])]) BY_HEADER.set(foldHeader(h).name, c);
}

export function columnOfHeader(header: string): { column: Column; wan: boolean } | null {
  const { name, wan } = foldHeader(header);
  const column = BY_HEADER.get(name);
  return column ? { column, wan } : null;
}

export const columnByKey = (key: ColumnKey): Column => COLUMNS.find((c) => c.key === key)!;

/** Sheet names of the register in the workbook. */
export const DETAIL_SHEET = '资产台账明细';
export const MASTER_SHEET = '资产台账总账';
