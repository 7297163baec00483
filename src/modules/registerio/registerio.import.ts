/**
 * 台账导入 Imports a county's register sheet (xlsx or CSV): every row becomes the same calls the API makes —
 * projectCreate, assetRegister, rightsConfirm, assetHandOver, upkeepAssign — so a row is held to exactly the
 * rules an API user is held to. All or nothing: the whole file is one transaction, each row a savepoint so
 * that one bad row does not hide the next row's problems; any error (or a dry run) rolls everything back
 * and the clerk gets every row's reasons at once.
 *
 * The file is read twice, streaming (once to check cells and gather each project's funding, once to
 * write), so memory stays bounded whatever the number of rows.
 */
import type { GraphQLError } from 'graphql';
import type { Db } from '../../db/connection';
import type { ServiceContext } from '../../shared/context';
import type { Clock } from '../../shared/clock';
import { DomainError, DomainErrors } from '../../shared/errors';
import { AssetBatch, existingAssetCodes, registerAsset, writeAssetBatch, writeAssetBatchEvents, type PlannedAsset } from '../assets/assets.service';
import * as assetsRepo from '../assets/assets.repository';
import { authorize } from '../auth/auth.service';
import type { Actor } from '../auth/auth.types';
import { createProject } from '../projects/projects.service';
import * as projectsRepo from '../projects/projects.repository';
import type { FundSource } from '../projects/projects.types';
import { countyCodeOf, prefixOf, townshipCodeOf } from '../regions/regions.codes';
import { requireRegion } from '../regions/regions.service';
import { confirmRights, handOverAsset, RightsBatch } from '../rights/rights.service';
import type { PartyRef } from '../parties/parties.service';
import type { RightsLevel } from '../rights/rights.types';
import { assignUpkeep } from '../upkeep/upkeep.service';
import { signContract } from '../contracts/contracts.service';
import { COLUMNS, ColumnKey, columnByKey } from './registerio.columns';
import { FileError, FileKind, headOf, ImportSource, Layout, registerRows, sha256Of, sniffKind } from './registerio.read';
import * as repo from './registerio.repository';
import { readRow, RegisterRow, RowError } from './registerio.rows';
import { impliedLevel, partyRefOf, Villages } from './registerio.names';

export interface ImportOptions {
  /** Check every row with the register's rules and roll back: nothing is written. */
  dryRun?: boolean;
  /** Region the sheet belongs to (default: the importer's own region); rows outside it are refused. */
  regionCode?: string | null;
  /** Largest file accepted, checked before parsing. */
  maxBytes: number;
  /**
   * false: every row through the services one at a time, in a savepoint (the path the batch is tested
   * against, test/registerio.batch.test.ts). Default true: rows the batch takes are written in batches.
   */
  batch?: boolean;
  onProgress?(p: ImportProgress): void;
}

export interface ImportProgress {
  phase: 'check' | 'write';
  rows: number;
  /** Rows in the file, once the check pass has counted them. */
  total: number | null;
  errors: number;
}

export interface ImportResult {
  fileName: string;
  fileHash: string | null;
  kind: FileKind | null;
  sheetName: string | null;
  regionCode: string;
  dryRun: boolean;
  /** The same file was imported before: nothing was read or written this time. */
  alreadyImported: boolean;
  /** Everything was written (no errors, not a dry run). */
  written: boolean;
  rows: number;
  assetsRegistered: number;
  projectsCreated: number;
  projectsReused: number;
  errors: RowError[];
  ignoredColumns: string[];
}

/** Who may import: those who register assets in a village, and the county's rural-revitalisation bureau. */
export const IMPORT_ROLES = ['VILLAGE_CLERK', 'COUNTY_PLANNER', 'ADMIN'] as const;

class Rollback extends Error {}

/**
 * The actor the rows are written as. A county planner (县乡村振兴局) moving its county's 台账 in acts as the
 * registrar of every village in the county for this import only; every actor is narrowed to the import's
 * region, so a row outside it is refused by the same scope checks as the API's.
 */
function registrarOf(actor: Actor, regionCode: string): Actor {
  const role = actor.role === 'COUNTY_PLANNER' ? 'ADMIN' : actor.role;
  return { ...actor, role, regionCode, scopePrefix: prefixOf(regionCode) };
}

export interface ImportContext {
  db: Db;
  clock: Clock;
  actor: Actor;
}

export async function importRegister(ctx: ImportContext, source: ImportSource, opts: ImportOptions): Promise<ImportResult> {
  const regionCode = opts.regionCode ?? ctx.actor.regionCode;
  if (!(IMPORT_ROLES as readonly string[]).includes(ctx.actor.role)) {
    authorize(ctx.actor, 'asset.write', regionCode); // throws the usual FORBIDDEN for the role
  }
  const result: ImportResult = {
    fileName: source.name,
    fileHash: null,
    kind: null,
    sheetName: null,
    regionCode,
    dryRun: !!opts.dryRun,
    alreadyImported: false,
    written: false,
    rows: 0,
    assetsRegistered: 0,
    projectsCreated: 0,
    projectsReused: 0,
    errors: [],
    ignoredColumns: [],
  };
  try {
    await requireRegion(ctx.db, regionCode, ['regionCode'], ['PROVINCE', 'CITY', 'COUNTY', 'TOWNSHIP', 'VILLAGE']);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return fail(result, e.code, e.message);
  }
  if (!prefixOf(regionCode).startsWith(ctx.actor.scopePrefix)) {
    authorize(ctx.actor, 'asset.write', regionCode); // FORBIDDEN: outside the importer's scope
  }
  try {
    if (source.size > opts.maxBytes) {
      throw new FileError('FILE_TOO_LARGE', `The file has ${source.size} bytes; at most ${opts.maxBytes} are accepted`);
    }
    result.kind = sniffKind(await headOf(source));
    result.fileHash = await sha256Of(source);
    const before = await repo.findByHash(ctx.db, result.fileHash);
    if (before) {
      result.alreadyImported = true;
      result.rows = before.rows;
      result.assetsRegistered = before.assets;
      return result;
    }
    const plan = await checkPass(ctx, source, result, opts);
    if (!plan) return result;
    await writePass(ctx, source, result, plan, opts);
    return result;
  } catch (e) {
    if (e instanceof FileError) return fail(result, e.code, e.message, e.row, e.column);
    throw e;
  }
}

function fail(result: ImportResult, code: string, message: string, row: number | null = null, column: string | null = null): ImportResult {
  result.errors.push({ row: row ?? 0, column, code, message });
  return result;
}

/** A project as the sheet names it (所属项目 + 建设年度), with the funding its rows draw on. */
interface SheetProject {
  name: string;
  year: number;
  implementingUnit: string | null;
  villages: Set<string>;
  funding: Map<FundSource, number>;
  firstRow: number;
}

interface Plan {
  layout: Layout;
  villages: Villages;
  projects: Map<string, SheetProject>;
  /** Rows whose cells could not be read: reported once, not written. */
  badRows: Set<number>;
}

const projectKey = (name: string, year: number) => `${year}\u0000${name}`;

/** Pass 1: the columns, every cell, codes repeated in the sheet, and each project's total by source. */
async function checkPass(ctx: ImportContext, source: ImportSource, result: ImportResult, opts: ImportOptions): Promise<Plan | null> {
  const villages = await Villages.load(ctx.db, result.regionCode);
  const projects = new Map<string, SheetProject>();
  const codes = new Map<string, number>();
  const badRows = new Set<number>();
  let layout: Layout | null = null;
  for await (const item of registerRows(source, result.kind!)) {
    if (!item.row) {
      layout = item.layout;
      result.sheetName = layout.sheetName;
      result.ignoredColumns = layout.ignored;
      if (!requireColumns(layout, result)) return null;
      continue;
    }
    const rowErrors: RowError[] = [];
    const row = readRow(item.layout, item.row, rowErrors);
    result.rows++;
    requireCells(item.layout, row, rowErrors);
    if (row.code) {
      const first = codes.get(row.code);
      if (first) rowErrors.push(err(item.layout, row, 'code', 'DUPLICATE', `Asset code ${row.code} is also on row ${first}`));
      else codes.set(row.code, row.rowNumber);
    }
    const village = row.village ? villages.resolve(row.village) : null;
    if (row.village && typeof village !== 'string') rowErrors.push(err(item.layout, row, 'village', 'INVALID_REGION', village!.problem));
    if (rowErrors.length) {
      badRows.add(row.rowNumber);
      result.errors.push(...rowErrors);
    } else {
      gatherProject(projects, row, village as string);
    }
    if (result.rows % 500 === 0) opts.onProgress?.({ phase: 'check', rows: result.rows, total: null, errors: result.errors.length });
  }
  if (!layout) return null; // registerRows reports WRONG_SHEET itself
  opts.onProgress?.({ phase: 'check', rows: result.rows, total: result.rows, errors: result.errors.length });
  return { layout, villages, projects, badRows };
}

function requireColumns(layout: Layout, result: ImportResult): boolean {
  const present = new Set(layout.columns.map((c) => c.column.key));
  for (const c of COLUMNS) {
    if (c.required && !present.has(c.key)) {
      fail(result, 'MISSING_COLUMN', `The sheet has no column ${c.header}`, layout.headerRow, c.header);
    }
  }
  if (![...present].some((k) => k.startsWith('fund:'))) {
    fail(result, 'MISSING_COLUMN', 'The sheet has no funding column (资金来源, e.g. 中央衔接资金（元）)', layout.headerRow, '资金来源');
  }
  return result.errors.length === 0;
}

/** Cells a row cannot do without; the register's own rules are the services'. */
function requireCells(layout: Layout, row: RegisterRow, errors: RowError[]): void {
  const missing = (key: ColumnKey) => {
    const v = row[(key === 'originalValue' ? 'originalValueFen' : key) as keyof RegisterRow];
    return (v === null || v === undefined) && !errors.some((e) => e.column === headerOf(layout, key));
  };
  for (const c of COLUMNS) {
    if (c.required && missing(c.key)) errors.push(err(layout, row, c.key, 'REQUIRED', `${c.header} is empty (merged cells are not carried down: fill every row)`));
  }
  const hasRights = row.owners.length > 0 || !!row.certificateNo || !!row.confirmedOn;
  if (hasRights) {
    for (const key of ['owners', 'certificateNo', 'confirmedOn'] as const) {
      if ((key === 'owners' ? row.owners.length === 0 : missing(key))) {
        errors.push(err(layout, row, key, 'REQUIRED', `${columnByKey(key).header} is needed to confirm the rights (确权)`));
      }
    }
  }
  const hasHandover = !!(row.handedOverOn || row.deedNo || row.transferor || row.witness);
  if (hasHandover) {
    for (const key of ['handedOverOn', 'deedNo', 'transferor', 'witness'] as const) {
      if (missing(key)) errors.push(err(layout, row, key, 'REQUIRED', `${columnByKey(key).header} is needed to record the handover (移交)`));
    }
  }
  if (row.upkeepBody || row.upkeepPerson || row.upkeepFundSource) {
    for (const key of ['upkeepBody', 'upkeepPerson', 'upkeepFundSource'] as const) {
      if (missing(key)) errors.push(err(layout, row, key, 'REQUIRED', `${columnByKey(key).header} is needed to assign upkeep (管护)`));
    }
  }
  if (row.operationMode || row.operator || row.contractNo || row.contractStart || row.contractEnd || row.annualRentFen || row.guaranteedRateBp) {
    for (const key of ['operationMode', 'operator', 'contractNo', 'contractStart', 'contractEnd'] as const) {
      if (missing(key)) errors.push(err(layout, row, key, 'REQUIRED', `${columnByKey(key).header} is needed to record the operation contract (运营合同)`));
    }
  }
}

function gatherProject(projects: Map<string, SheetProject>, row: RegisterRow, villageCode: string): void {
  const key = projectKey(row.projectName!, row.year!);
  let p = projects.get(key);
  if (!p) {
    p = { name: row.projectName!, year: row.year!, implementingUnit: row.implementingUnit, villages: new Set(), funding: new Map(), firstRow: row.rowNumber };
    projects.set(key, p);
  }
  p.implementingUnit ??= row.implementingUnit;
  p.villages.add(villageCode);
  for (const f of row.funding) p.funding.set(f.source, (p.funding.get(f.source) ?? 0) + f.amountFen);
}

/** Pass 2: projects, then each row through the services, in one transaction rolled back on any error. */
async function writePass(ctx: ImportContext, source: ImportSource, result: ImportResult, plan: Plan, opts: ImportOptions): Promise<void> {
  const actor = registrarOf(ctx.actor, result.regionCode);
  const total = result.rows;
  try {
    await ctx.db.transaction(async (trx) => {
      const svc: ServiceContext = { db: trx, clock: ctx.clock, actor };
      const projectIds = await settleProjects(svc, plan, result);
      const batch = new RowBatch(svc, plan, projectIds, result);
      let done = 0;
      for await (const item of registerRows(source, result.kind!)) {
        if (!item.row) continue;
        done++;
        if (done % 500 === 0) opts.onProgress?.({ phase: 'write', rows: done, total, errors: result.errors.length });
        if (plan.badRows.has(item.row.rowNumber)) continue;
        const row = readRow(item.layout, item.row, []);
        if (opts.batch !== false && RowBatch.takes(row)) {
          await batch.add(row);
          continue;
        }
        // A row the batch does not take (a generated code, upkeep, a contract) goes through the services
        // one at a time, in its place: the rows before it are written first.
        await batch.flush();
        if (row.code && (await assetsRepo.findByCode(trx, countyCode(plan, row), row.code))) {
          // Recognised before anything else: a row imported before is reported as such, not by its funding.
          result.errors.push(duplicateRow(plan, row));
          continue;
        }
        const project = projectIds.get(projectKey(row.projectName!, row.year!));
        if (typeof project !== 'number') {
          result.errors.push(...(project ?? []).map((e) => ({ ...e, row: row.rowNumber })));
          continue;
        }
        const errors = await inSavepoint(svc, (sp) => writeRow(sp, plan, row, project));
        result.errors.push(...errors.map((e) => toRowError(plan.layout, row, e)));
        if (!errors.length) result.assetsRegistered++;
        batch.forget();
      }
      await batch.flush();
      opts.onProgress?.({ phase: 'write', rows: done, total, errors: result.errors.length });
      if (result.errors.length || result.dryRun) throw new Rollback();
      await repo.insert(trx, {
        fileHash: result.fileHash!,
        fileName: source.name.slice(0, 255),
        regionCode: result.regionCode,
        rows: result.rows,
        assets: result.assetsRegistered,
        projectsCreated: result.projectsCreated,
        actorUserId: ctx.actor.userId,
        recordedAt: ctx.clock.now(),
      });
    });
    result.written = true;
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  result.errors.sort((a, b) => a.row - b.row);
}

type ServiceFailure = { code: string; message: string; field: string[] };

/** Runs one row's writes in a savepoint: a rule it breaks undoes that row only and is returned. */
async function inSavepoint(svc: ServiceContext, work: (sp: ServiceContext) => Promise<void>): Promise<ServiceFailure[]> {
  try {
    await (svc.db as Db).transaction((sp) => work({ ...svc, db: sp }));
    return [];
  } catch (e) {
    return failuresOf(e);
  }
}

/** A service's refusal as the row's problems; anything else is not the row's fault and is thrown on. */
function failuresOf(e: unknown): ServiceFailure[] {
  if (e instanceof DomainError) return [{ code: e.code, message: e.message, field: e.field }];
  if (e instanceof DomainErrors) return e.errors.map((x) => ({ code: x.code, message: x.message, field: x.field }));
  const code = (e as GraphQLError).extensions?.code;
  if (code === 'FORBIDDEN') return [{ code: 'OUT_OF_SCOPE', message: (e as Error).message, field: ['input', 'villageCode'] }];
  throw e;
}

const countyCode = (plan: Plan, row: RegisterRow) => countyCodeOf(plan.villages.resolve(row.village!) as string);

const duplicateRow = (plan: Plan, row: RegisterRow): RowError =>
  err(plan.layout, row, 'code', 'DUPLICATE', `Asset code ${row.code} is already registered in the county (imported before?)`);

/**
 * Rows written in batches (issue 16, G4): up to BATCH_ROWS rows are checked with exactly the services'
 * rules — AssetBatch (assetRegister's), RightsBatch (rightsConfirm's and assetHandOver's) — against lookups
 * made once per batch (the project, the village, the project's funding left, the parties named, the asset
 * codes already registered), then written with multi-row inserts: assets in their final state, funding
 * lines, confirmations, owners, deeds, and the events in the order the services would have written them.
 * A row that fails is reported and left out; no savepoint is needed since nothing of it was written.
 * The batch takes rows with their own asset code and no upkeep or contract; the others go through the
 * services one at a time (writeRow), in their place.
 */
class RowBatch {
  static readonly BATCH_ROWS = 500;
  private rows: RegisterRow[] = [];
  private readonly assets: AssetBatch;
  private readonly rights: RightsBatch;
  private readonly refs = new Map<string, Promise<PartyRef>>();
  private readonly levels = new Map<string, Promise<RightsLevel>>();

  constructor(
    private readonly svc: ServiceContext,
    private readonly plan: Plan,
    private readonly projectIds: Map<string, number | RowError[]>,
    private readonly result: ImportResult,
  ) {
    this.assets = new AssetBatch(svc);
    this.rights = new RightsBatch(svc);
  }

  static takes(row: RegisterRow): boolean {
    return !!row.code && !row.upkeepBody && !row.contractNo;
  }

  async add(row: RegisterRow): Promise<void> {
    this.rows.push(row);
    if (this.rows.length >= RowBatch.BATCH_ROWS) await this.flush();
  }

  /** Something was written outside the batch: cached funding remainders are stale. */
  forget(): void {
    this.assets.forget();
  }

  async flush(): Promise<void> {
    const rows = this.rows;
    if (!rows.length) return;
    this.rows = [];
    const { plan, result } = this;
    const codesByCounty = new Map<string, string[]>();
    for (const row of rows) {
      const county = countyCode(plan, row);
      codesByCounty.set(county, [...(codesByCounty.get(county) ?? []), row.code!]);
    }
    const existing = new Map<string, Set<string>>();
    for (const [county, codes] of codesByCounty) existing.set(county, await existingAssetCodes(this.svc, county, codes));
    const kept: PlannedAsset[] = [];
    for (const row of rows) {
      if (existing.get(countyCode(plan, row))!.has(row.code!)) {
        result.errors.push(duplicateRow(plan, row));
        continue;
      }
      const project = this.projectIds.get(projectKey(row.projectName!, row.year!));
      if (typeof project !== 'number') {
        result.errors.push(...(project ?? []).map((e) => ({ ...e, row: row.rowNumber })));
        continue;
      }
      const villageCode = plan.villages.resolve(row.village!) as string;
      let planned: PlannedAsset | null = null;
      try {
        planned = await this.assets.check(registerInputOf(row, project, villageCode));
        if (row.owners.length) await this.rights.confirm(planned, await confirmInputOf(this.svc, plan, row, villageCode, 0, this.refOf, this.levelOf));
        if (row.handedOverOn) await this.rights.handOver(planned, handOverInputOf(row, 0));
        await this.assets.commit(planned);
        kept.push(planned);
        result.assetsRegistered++;
      } catch (e) {
        if (planned) this.rights.drop(planned);
        result.errors.push(...failuresOf(e).map((f) => toRowError(plan.layout, row, f)));
      }
    }
    if (!kept.length) return;
    await writeAssetBatch(this.svc, kept);
    await this.rights.write(kept);
    await writeAssetBatchEvents(this.svc, kept);
  }

  /** partyRefOf, once per name and village for the batch (a refusal is not kept: each row gets its own). */
  private refOf: typeof partyRefOf = (svc, villages, name, villageCode, field) => {
    const key = `${villageCode}\u0000${name}`;
    let p = this.refs.get(key);
    if (!p) {
      p = partyRefOf(svc, villages, name, villageCode, field);
      this.refs.set(key, p);
      p.catch(() => this.refs.get(key) === p && this.refs.delete(key));
    }
    return p;
  };

  private levelOf: typeof impliedLevel = (svc, ref) => {
    const key = `${ref.partyId ?? ''}|${ref.villageCode ?? ''}|${ref.householdId ?? ''}`;
    let p = this.levels.get(key);
    if (!p) {
      p = impliedLevel(svc, ref);
      this.levels.set(key, p);
      p.catch(() => this.levels.get(key) === p && this.levels.delete(key));
    }
    return p;
  };
}

/**
 * Finds each sheet project among the county's projects (same name and year), or creates it through
 * projectCreate with the funding its rows add up to, in the smallest region holding all its villages.
 * A project that cannot be created puts its reasons on every row of it.
 */
async function settleProjects(svc: ServiceContext, plan: Plan, result: ImportResult): Promise<Map<string, number | RowError[]>> {
  const out = new Map<string, number | RowError[]>();
  for (const [key, p] of plan.projects) {
    const villages = [...p.villages];
    const existing = (await projectsRepo.findByNameYear(svc.db, countyCodeOf(villages[0]), p.name, p.year))[0];
    if (existing) {
      out.set(key, existing.id);
      result.projectsReused++;
      continue;
    }
    const input = {
      name: p.name,
      year: p.year,
      implementingUnit: p.implementingUnit ?? '未载明',
      regionCode: smallestRegion(villages),
      fundingLines: [...p.funding].map(([source, amountFen]) => ({ source, amountFen })),
    };
    let id = 0;
    const errors = await inSavepoint(svc, async (sp) => {
      id = (await createProject(sp, input)).id;
    });
    if (errors.length) {
      out.set(
        key,
        errors.map((e) => ({ row: p.firstRow, column: projectColumn(plan.layout, e.field), code: e.code, message: `项目 ${p.name}: ${e.message}` })),
      );
    } else {
      out.set(key, id);
      result.projectsCreated++;
    }
  }
  return out;
}

function projectColumn(layout: Layout, field: string[]): string {
  const f = field[1];
  if (f === 'year') return headerOf(layout, 'year');
  if (f === 'implementingUnit') return headerOf(layout, 'implementingUnit');
  if (f === 'fundingLines') return '资金来源';
  return headerOf(layout, 'projectName');
}

/** The village itself, or its township, or its county: the smallest region holding every village. */
function smallestRegion(villages: string[]): string {
  if (villages.every((v) => v === villages[0])) return villages[0];
  if (villages.every((v) => townshipCodeOf(v) === townshipCodeOf(villages[0]))) return townshipCodeOf(villages[0]);
  return countyCodeOf(villages[0]);
}

/**
 * One row: register the asset, then confirm its rights, hand it over, assign its keeper and sign its
 * operation contract, each when the sheet says so.
 */
async function writeRow(svc: ServiceContext, plan: Plan, row: RegisterRow, projectId: number): Promise<void> {
  const villageCode = plan.villages.resolve(row.village!) as string;
  const asset = await registerAsset(svc, registerInputOf(row, projectId, villageCode));
  if (row.owners.length) {
    await confirmRights(svc, await confirmInputOf(svc, plan, row, villageCode, asset.id));
  }
  if (row.handedOverOn) {
    await handOverAsset(svc, handOverInputOf(row, asset.id));
  }
  if (row.upkeepBody) {
    await assignUpkeep(svc, {
      assetId: asset.id,
      body: await partyRefOf(svc, plan.villages, row.upkeepBody, villageCode, ['input', 'body']),
      personName: row.upkeepPerson,
      fundSource: row.upkeepFundSource,
      effectiveFrom: row.handedOverOn ?? row.confirmedOn,
    });
  }
  if (row.contractNo) {
    // contractSign's own rules: operating assets only, handed over first, mode and fee consistent, the
    // operator not an owner (except 自营), no overlapping contract; a started contract puts it in operation.
    await signContract(svc, {
      assetId: asset.id,
      contractNo: row.contractNo,
      mode: row.operationMode,
      operator: await partyRefOf(svc, plan.villages, row.operator!, villageCode, ['input', 'operator']),
      signedOn: row.signedOn ?? row.contractStart,
      startOn: row.contractStart,
      endOn: row.contractEnd,
      fee: row.annualRentFen ? { kind: 'FIXED', amountFen: row.annualRentFen, period: 'YEAR' } : null,
      guaranteedRateBp: row.guaranteedRateBp,
    });
  }
}

/** assetRegister's input for a row (both paths). */
function registerInputOf(row: RegisterRow, projectId: number, villageCode: string) {
  return {
    projectId,
    code: row.code,
    name: row.name,
    class: row.class,
    subType: row.subType,
    quantity: row.quantity,
    unit: row.unit,
    villageCode,
    location: row.location,
    originalValueFen: row.originalValueFen,
    fundingLines: row.funding,
    completedOn: row.completedOn,
    acceptedOn: row.acceptedOn,
    bookedOn: row.bookedOn,
    // History keeps its dates: the REGISTER event is dated as the sheet says, else the day it was booked.
    registeredOn: row.registeredOn ?? row.bookedOn ?? row.acceptedOn ?? row.completedOn,
  };
}

/** rightsConfirm's input for a row: owners named in the sheet resolved to party references. */
async function confirmInputOf(
  svc: ServiceContext,
  plan: Plan,
  row: RegisterRow,
  villageCode: string,
  assetId: number,
  refOf: typeof partyRefOf = partyRefOf,
  levelOf: typeof impliedLevel = impliedLevel,
) {
  const owners = [];
  for (const [i, o] of row.owners.entries()) {
    const ref = await refOf(svc, plan.villages, o.name, villageCode, ['input', 'owners', String(i)]);
    const shareBp = o.shareBp ?? (row.owners.length === 1 ? 10_000 : null);
    if (shareBp === null) throw new DomainError('REQUIRED', `${o.name}: joint owners each need a share (e.g. 60%)`, ['input', 'owners']);
    owners.push({ ...ref, shareBp });
  }
  return {
    assetId,
    owners,
    rightsLevel: row.rightsLevel ?? (await levelOf(svc, owners[0])),
    certificateNo: row.certificateNo,
    confirmedOn: row.confirmedOn,
  };
}

/** assetHandOver's input for a row. */
function handOverInputOf(row: RegisterRow, assetId: number) {
  return {
    assetId,
    deedNo: row.deedNo,
    handedOverOn: row.handedOverOn,
    transferor: row.transferor,
    witness: row.witness,
  };
}

/** Where a service's field path points in the sheet. */
const FIELD_COLUMN: Record<string, ColumnKey> = {
  projectId: 'projectName',
  code: 'code',
  name: 'name',
  class: 'class',
  subType: 'subType',
  quantity: 'quantity',
  unit: 'unit',
  villageCode: 'village',
  location: 'location',
  originalValueFen: 'originalValue',
  completedOn: 'completedOn',
  acceptedOn: 'acceptedOn',
  bookedOn: 'bookedOn',
  registeredOn: 'registeredOn',
  owners: 'owners',
  rightsLevel: 'rightsLevel',
  certificateNo: 'certificateNo',
  confirmedOn: 'confirmedOn',
  handedOverOn: 'handedOverOn',
  deedNo: 'deedNo',
  transferor: 'transferor',
  witness: 'witness',
  body: 'upkeepBody',
  personName: 'upkeepPerson',
  fundSource: 'upkeepFundSource',
  effectiveFrom: 'handedOverOn',
  contractNo: 'contractNo',
  mode: 'operationMode',
  operator: 'operator',
  signedOn: 'signedOn',
  startOn: 'contractStart',
  endOn: 'contractEnd',
  fee: 'annualRent',
  guaranteedRateBp: 'guaranteedRate',
};

function headerOf(layout: Layout, key: ColumnKey): string {
  return layout.columns.find((c) => c.column.key === key)?.column.header ?? columnByKey(key).header;
}

function toRowError(layout: Layout, row: RegisterRow, e: ServiceFailure): RowError {
  const f = e.field[0] === 'input' ? e.field[1] : e.field[0];
  const column = f === 'fundingLines' ? '资金来源' : f && FIELD_COLUMN[f] ? headerOf(layout, FIELD_COLUMN[f]) : null;
  return { row: row.rowNumber, column, code: e.code, message: e.message };
}

function err(layout: Layout, row: RegisterRow, key: ColumnKey, code: string, message: string): RowError {
  return { row: row.rowNumber, column: headerOf(layout, key), code, message };
}
