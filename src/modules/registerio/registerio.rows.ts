/**
 * One register row as the sheet says it: cells read into typed values (dates, fen, enum values) by the
 * layout's columns, each unreadable cell reported with its column and a code. No rule of the register is
 * checked here: the services check those when the row is written.
 */
import { FUND_SOURCES, FundSource } from '../projects/projects.types';
import type { AssetClass } from '../assets/assets.types';
import { basisPointsOf, CellError, dateOf, fenOf, numberOf, textOf, yearOf } from './registerio.cells';
import { ColumnKey } from './registerio.columns';
import { valueOfLabel } from './registerio.labels';
import type { Layout, RawRow } from './registerio.read';

export interface RowError {
  /** Row number in the sheet (1-based, as Excel shows it); the header row for a file-level problem. */
  row: number;
  /** Header of the column at fault, as the sheet spells it, when one is. */
  column: string | null;
  code: string;
  message: string;
}

export interface OwnerCell {
  name: string;
  shareBp: number | null;
}

export interface RegisterRow {
  rowNumber: number;
  code: string | null;
  name: string | null;
  class: AssetClass | null;
  subType: string | null;
  projectName: string | null;
  year: number | null;
  implementingUnit: string | null;
  village: string | null;
  location: string | null;
  quantity: number | null;
  unit: string | null;
  originalValueFen: number | null;
  funding: { source: FundSource; amountFen: number }[];
  completedOn: string | null;
  acceptedOn: string | null;
  bookedOn: string | null;
  registeredOn: string | null;
  rightsLevel: string | null;
  owners: OwnerCell[];
  certificateNo: string | null;
  confirmedOn: string | null;
  handedOverOn: string | null;
  deedNo: string | null;
  transferor: string | null;
  witness: string | null;
  upkeepBody: string | null;
  upkeepPerson: string | null;
  upkeepFundSource: string | null;
  operationMode: string | null;
  operator: string | null;
  contractNo: string | null;
  signedOn: string | null;
  contractStart: string | null;
  contractEnd: string | null;
  annualRentFen: number | null;
  guaranteedRateBp: number | null;
}

const SHARE = /^(.+?)[\s:：(（]*(\d+(?:\.\d{1,2})?)\s*%[)）]?$/;

/** 权属主体: "茶坪村股份经济合作社" (sole owner) or "茶坪村 60%；金台村 40%" (joint owners with shares). */
export function ownersOf(text: string): OwnerCell[] {
  return text
    .split(/[;；、\n]+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part) => {
      const m = SHARE.exec(part);
      if (!m) return { name: part, shareBp: null };
      const [whole, frac = ''] = m[2].split('.');
      return { name: m[1].trim(), shareBp: Number(whole) * 100 + Number(frac.padEnd(2, '0')) };
    });
}

export function readRow(layout: Layout, raw: RawRow, errors: RowError[]): RegisterRow {
  const row: RegisterRow = {
    rowNumber: raw.rowNumber,
    code: null,
    name: null,
    class: null,
    subType: null,
    projectName: null,
    year: null,
    implementingUnit: null,
    village: null,
    location: null,
    quantity: null,
    unit: null,
    originalValueFen: null,
    funding: [],
    completedOn: null,
    acceptedOn: null,
    bookedOn: null,
    registeredOn: null,
    rightsLevel: null,
    owners: [],
    certificateNo: null,
    confirmedOn: null,
    handedOverOn: null,
    deedNo: null,
    transferor: null,
    witness: null,
    upkeepBody: null,
    upkeepPerson: null,
    upkeepFundSource: null,
    operationMode: null,
    operator: null,
    contractNo: null,
    signedOn: null,
    contractStart: null,
    contractEnd: null,
    annualRentFen: null,
    guaranteedRateBp: null,
  };
  const cells = new Map<ColumnKey, { value: unknown; header: string; wan: boolean }>();
  for (const { index, column, wan } of layout.columns) {
    cells.set(column.key, { value: raw.values[index], header: column.header, wan });
  }
  const read = <T>(key: ColumnKey, parse: (v: unknown, wan: boolean) => T | null): T | null => {
    const c = cells.get(key);
    if (!c) return null;
    try {
      return parse(c.value, c.wan);
    } catch (e) {
      if (!(e instanceof CellError)) throw e;
      errors.push({ row: raw.rowNumber, column: c.header, code: e.code, message: e.message });
      return null;
    }
  };
  const label = (key: ColumnKey, enumName: string) =>
    read(key, (v) => {
      const t = textOf(v);
      if (t === null) return null;
      const value = valueOfLabel(enumName, t);
      if (!value) throw new CellError('UNKNOWN_LABEL', `"${t}" is not one of the ${enumName} labels (see the template's list)`);
      return value;
    });

  const texts: ColumnKey[] = ['code', 'name', 'projectName', 'implementingUnit', 'village', 'location', 'unit', 'certificateNo', 'deedNo', 'transferor', 'witness', 'upkeepBody', 'upkeepPerson', 'operator', 'contractNo'];
  for (const k of texts) (row as unknown as Record<string, string | null>)[k] = read(k, textOf);
  row.class = label('class', 'AssetClass') as AssetClass | null;
  // Any sub-type label is read; whether it belongs to the class is the register's rule (INVALID_SUB_TYPE).
  row.subType = label('subType', 'AssetSubType');
  row.year = read('year', yearOf);
  row.quantity = read('quantity', numberOf);
  row.originalValueFen = read('originalValue', fenOf);
  for (const source of FUND_SOURCES) {
    const fen = read(`fund:${source}`, fenOf);
    if (fen) row.funding.push({ source, amountFen: fen });
  }
  for (const k of ['completedOn', 'acceptedOn', 'bookedOn', 'registeredOn', 'confirmedOn', 'handedOverOn', 'signedOn', 'contractStart', 'contractEnd'] as const) {
    row[k] = read(k, dateOf);
  }
  // 合同起止 "2021-12-01至2031-11-30" in one cell, as many ledgers write the term.
  const term = read('contractTerm', (v) => {
    const t = textOf(v);
    if (t === null) return null;
    const m = /^(.+?)\s*(?:至|到|~|～|—+|－)\s*(.+)$/.exec(t);
    if (!m) throw new CellError('INVALID_DATE', `"${t}" is not a term (write 2021-12-01至2031-11-30)`);
    return [dateOf(m[1]), dateOf(m[2])] as const;
  });
  if (term) [row.contractStart, row.contractEnd] = [row.contractStart ?? term[0], row.contractEnd ?? term[1]];
  row.operationMode = label('operationMode', 'OperationMode');
  row.annualRentFen = read('annualRent', fenOf);
  row.guaranteedRateBp = read('guaranteedRate', basisPointsOf);
  row.rightsLevel = label('rightsLevel', 'RightsLevel');
  row.upkeepFundSource = label('upkeepFundSource', 'UpkeepFundSource');
  const owners = read('owners', textOf);
  if (owners) row.owners = ownersOf(owners);
  return row;
}

/** Header of a column in this sheet's layout (the template's header when the sheet lacks the column). */
export function headerIn(layout: Layout, key: ColumnKey, fallback: string): string {
  return layout.columns.find((c) => c.column.key === key)?.column.header ?? fallback;
}
