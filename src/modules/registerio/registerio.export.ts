/**
 * 台账导出 The register of a region as county offices keep it: the detail ledger (明细账, one row per asset, in
 * exactly the import's columns, so an export imports again as it is) and the master ledger (总账: counts and
 * original value by class, sub-type, fund source and rights level). xlsx and CSV, streamed a page of assets
 * at a time, so a county of 100,000 assets is never held in memory.
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { ServiceContext } from '../../shared/context';
import { formatFen } from '../../shared/money';
import { listAssets } from '../assets/assets.service';
import * as assetsRepo from '../assets/assets.repository';
import type { Asset } from '../assets/assets.types';
import * as partiesRepo from '../parties/parties.repository';
import * as projectsRepo from '../projects/projects.repository';
import { FUND_SOURCES } from '../projects/projects.types';
import * as regionsRepo from '../regions/regions.repository';
import * as rightsRepo from '../rights/rights.repository';
import * as upkeepRepo from '../upkeep/upkeep.repository';
import * as contractsRepo from '../contracts/contracts.repository';
import { Contract, PERIODS_PER_YEAR } from '../contracts/contracts.types';
import { COLUMNS as ALL_COLUMNS, ColumnKey, DETAIL_SHEET, MASTER_SHEET } from './registerio.columns';
import { labelOf } from './registerio.labels';

export type Cell = string | number | null;
/** A detail row by column key; money in fen (formatted per format: yuan text in CSV, yuan number in xlsx). */
export type DetailRow = Partial<Record<ColumnKey, Cell>>;

const PAGE = 100;
/** The detail ledger's columns: the import's, without those only read (合同起止). */
const COLUMNS = ALL_COLUMNS.filter((c) => !c.importOnly);
const MONEY_KEYS_ANNUAL: ColumnKey[] = ['annualRent'];

/** The detail rows of the assets in the region the actor may read, in id order. */
export async function* detailRows(svc: ServiceContext, regionCode: string | null): AsyncGenerator<DetailRow> {
  let after: string | null = null;
  for (;;) {
    const page = await listAssets(svc, { regionCode }, { first: PAGE, after });
    if (page.nodes.length) yield* await rowsOf(svc, page.nodes);
    if (!page.pageInfo.hasNextPage) return;
    after = page.pageInfo.endCursor;
  }
}

async function rowsOf(svc: ServiceContext, assets: Asset[]): Promise<DetailRow[]> {
  const ids = assets.map((a) => a.id);
  const [projects, funding, owners, confirmations, deeds, upkeep, villages, events, contracts] = await Promise.all([
    projectsRepo.findByIds(svc.db, [...new Set(assets.map((a) => a.projectId))]),
    assetsRepo.fundingLines(svc.db, ids),
    rightsRepo.ownerRowsOf(svc.db, ids),
    rightsRepo.confirmationsOf(svc.db, ids),
    rightsRepo.deedsOf(svc.db, ids),
    upkeepRepo.assignmentsOf(svc.db, ids),
    regionsRepo.findByCodes(svc.db, [...new Set(assets.map((a) => a.villageCode))]),
    assetsRepo.eventsOf(svc.db, ids),
    contractsRepo.findByAssetIds(svc.db, ids),
  ]);
  // The asset's current contract: the latest one not terminated.
  const contractOf = new Map<number, Contract>();
  for (const c of contracts.filter((x) => x.terminatedOn === null).sort((a, b) => a.startOn.localeCompare(b.startOn))) contractOf.set(c.assetId, c);
  const registeredOn = new Map(events.filter((e) => e.action === 'REGISTER').map((e) => [e.assetId, e.effectiveOn]));
  const openOwners = owners.filter((o) => o.effectiveTo === null);
  const openUpkeep = upkeep.filter((u) => u.effectiveTo === null);
  const partyIds = [...new Set([...openOwners.map((o) => o.partyId), ...openUpkeep.map((u) => u.bodyPartyId), ...[...contractOf.values()].map((c) => c.operatorPartyId)])];
  const parties = new Map((partyIds.length ? await partiesRepo.findByIds(svc.db, partyIds) : []).map((p) => [p.id, p]));
  const projectOf = new Map(projects.map((p) => [p.id, p]));
  const villageName = new Map(villages.map((v) => [v.code, v.name]));
  return assets.map((a) => {
    const project = projectOf.get(a.projectId)!;
    const row: DetailRow = {
      code: a.code,
      name: a.name,
      class: labelOf('AssetClass', a.class),
      subType: labelOf('AssetSubType', a.subType),
      projectName: project.name,
      year: project.year,
      implementingUnit: project.implementingUnit,
      village: villageName.get(a.villageCode) ?? a.villageCode,
      location: a.location,
      quantity: a.quantity,
      unit: a.unit,
      originalValue: a.originalValueFen,
      completedOn: a.completedOn,
      acceptedOn: a.acceptedOn,
      bookedOn: a.bookedOn,
      registeredOn: registeredOn.get(a.id) ?? null,
      status: labelOf('AssetStatus', a.status),
    };
    for (const l of funding.filter((f) => f.assetId === a.id)) {
      const key = `fund:${l.source}` as ColumnKey;
      row[key] = ((row[key] as number | undefined) ?? 0) + l.amountFen;
    }
    const mine = openOwners.filter((o) => o.assetId === a.id);
    if (mine.length) {
      const latest = confirmations.filter((c) => c.assetId === a.id).at(-1)!;
      const first = confirmations.find((c) => c.assetId === a.id)!;
      row.rightsLevel = labelOf('RightsLevel', latest.rightsLevel);
      row.owners = mine.length === 1 ? parties.get(mine[0].partyId)!.name : mine.map((o) => `${parties.get(o.partyId)!.name} ${formatShare(o.shareBp)}`).join('；');
      row.certificateNo = latest.certificateNo;
      row.confirmedOn = first.effectiveOn;
    }
    const deed = deeds.filter((d) => d.assetId === a.id).at(-1);
    if (deed) Object.assign(row, { handedOverOn: deed.handedOverOn, deedNo: deed.deedNo, transferor: deed.transferor, witness: deed.witness });
    const keeper = openUpkeep.find((u) => u.assetId === a.id);
    if (keeper) {
      Object.assign(row, {
        upkeepBody: parties.get(keeper.bodyPartyId)!.name,
        upkeepPerson: keeper.personName,
        upkeepFundSource: labelOf('UpkeepFundSource', keeper.fundSource),
      });
    }
    const contract = contractOf.get(a.id);
    if (contract) Object.assign(row, contractCells(contract, parties.get(contract.operatorPartyId)!.name));
    return row;
  });
}

/** 运营合同 columns; the rent as a yearly amount (a fixed fee × periods a year; a rate of value is left out). */
function contractCells(c: Contract, operator: string): DetailRow {
  const fee = c.terms.fee;
  return {
    operationMode: labelOf('OperationMode', c.mode),
    operator,
    contractNo: c.contractNo,
    signedOn: c.signedOn,
    contractStart: c.startOn,
    contractEnd: c.endOn,
    annualRent: fee.kind === 'FIXED' && fee.amountFen !== null && fee.period ? fee.amountFen * PERIODS_PER_YEAR[fee.period] : null,
    guaranteedRate: c.terms.guaranteedRateBp ? formatShare(c.terms.guaranteedRateBp) : null,
  };
}

const formatShare = (bp: number) => `${(bp / 100).toFixed(2).replace(/\.?0+$/, '')}%`;

const MONEY_KEYS = new Set<ColumnKey>(['originalValue', ...MONEY_KEYS_ANNUAL, ...FUND_SOURCES.map((s) => `fund:${s}` as ColumnKey)]);

/** 总账 Totals by class, sub-type, fund source and rights level, gathered while the detail streams by. */
export class MasterLedger {
  private groups = new Map<string, { dimension: string; label: string; count: number; fen: number }>();
  private total = { count: 0, fen: 0 };

  add(row: DetailRow): void {
    const fen = row.originalValue as number;
    this.total.count++;
    this.total.fen += fen;
    this.bump('资产类别', row.class as string, 1, fen);
    this.bump('资产子类', `${row.class}/${row.subType}`, 1, fen);
    for (const s of FUND_SOURCES) {
      const amount = row[`fund:${s}` as ColumnKey] as number | undefined;
      if (amount) this.bump('资金来源', labelOf('FundSource', s), 0, amount);
    }
    this.bump('确权层级', (row.rightsLevel as string | undefined) ?? '未确权', 1, fen);
  }

  private bump(dimension: string, label: string, count: number, fen: number) {
    const key = `${dimension}\u0000${label}`;
    const g = this.groups.get(key) ?? { dimension, label, count: 0, fen: 0 };
    g.count += count;
    g.fen += fen;
    this.groups.set(key, g);
  }

  static readonly HEADERS = ['分类维度', '分类', '资产数', '原值（元）'];

  /** Rows in a fixed order: dimension, then label; the fund-source rows count no assets (an asset has several sources). */
  rows(): { dimension: string; label: string; count: number | null; fen: number }[] {
    const order = ['资产类别', '资产子类', '资金来源', '确权层级'];
    const rows = [...this.groups.values()]
      .sort((a, b) => order.indexOf(a.dimension) - order.indexOf(b.dimension) || a.label.localeCompare(b.label, 'zh'))
      .map((g) => ({ ...g, count: g.dimension === '资金来源' ? null : g.count }));
    return [...rows, { dimension: '合计', label: '', count: this.total.count, fen: this.total.fen }];
  }
}

/**
 * A CSV cell. Text that Excel would run as a formula (=, +, -, @, tab, CR at the start) is prefixed with an
 * apostrophe, as OWASP advises; the importer takes the apostrophe off again.
 */
export function csvCell(v: Cell | undefined): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const csvValue = (key: ColumnKey, v: Cell | undefined) => (MONEY_KEYS.has(key) && typeof v === 'number' ? formatFen(v) : v);

/** Writes a line and waits when the receiver is full (a slow download never piles rows up in memory). */
async function writeLine(out: Writable, line: string): Promise<void> {
  if (!out.write(line + '\r\n')) await new Promise((resolve) => out.once('drain', resolve));
}

export async function writeDetailCsv(svc: ServiceContext, regionCode: string | null, out: Writable): Promise<void> {
  out.write('\uFEFF'); // Excel opens UTF-8 CSV correctly only with a byte-order mark.
  await writeLine(out, COLUMNS.map((c) => csvCell(c.header)).join(','));
  for await (const row of detailRows(svc, regionCode)) {
    await writeLine(out, COLUMNS.map((c) => csvCell(csvValue(c.key, row[c.key]))).join(','));
  }
  out.end();
}

export async function writeMasterCsv(svc: ServiceContext, regionCode: string | null, out: Writable): Promise<void> {
  const master = new MasterLedger();
  for await (const row of detailRows(svc, regionCode)) master.add(row);
  out.write('\uFEFF');
  await writeLine(out, MasterLedger.HEADERS.map(csvCell).join(','));
  for (const r of master.rows()) await writeLine(out, [r.dimension, r.label, r.count, formatFen(r.fen)].map(csvCell).join(','));
  out.end();
}

/** Yuan as an Excel number, from the exact decimal text (Excel keeps numbers as doubles; 2 decimals survive). */
const yuanNumber = (fen: number) => Number(formatFen(fen));

/** Both ledgers in one workbook: 资产台账明细 then 资产台账总账. */
export async function writeRegisterXlsx(svc: ServiceContext, regionCode: string | null, out: Writable): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  wb.creator = 'Bangfu Ledger 帮扶资产台账';
  const detail = wb.addWorksheet(DETAIL_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  detail.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 14, style: c.money ? { numFmt: '#,##0.00' } : {} }));
  detail.getRow(1).font = { bold: true };
  detail.getRow(1).commit();
  const master = new MasterLedger();
  for await (const row of detailRows(svc, regionCode)) {
    master.add(row);
    detail.addRow(COLUMNS.map((c) => (MONEY_KEYS.has(c.key) && typeof row[c.key] === 'number' ? yuanNumber(row[c.key] as number) : row[c.key] ?? null))).commit();
  }
  detail.commit();
  const totals = wb.addWorksheet(MASTER_SHEET);
  totals.columns = [{ width: 12 }, { width: 30 }, { width: 10 }, { width: 18, style: { numFmt: '#,##0.00' } }];
  const header = totals.addRow(MasterLedger.HEADERS);
  header.font = { bold: true };
  header.commit();
  for (const r of master.rows()) totals.addRow([r.dimension, r.label, r.count, yuanNumber(r.fen)]).commit();
  totals.commit();
  await wb.commit();
}
