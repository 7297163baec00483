import { requireNotFuture, requireOrdered } from '../../shared/dates';
import { OBSERVATION_ACTIONS } from './assets.types';
import { z } from 'zod';
import type { ServiceContext } from '../../shared/context';
import { badUserInput, DomainError } from '../../shared/errors';
import { MAX_FEN, sumFen } from '../../shared/money';
import { keysetPage, PageArgs } from '../../shared/pagination';
import { dateString, optionalText, parseInput, text } from '../../shared/validation';
import { authorize, canRead, Permission } from '../auth/auth.service';
import { countyCodeOf, isWithin, prefixOf } from '../regions/regions.codes';
import { requireRegion, scopedPrefix } from '../regions/regions.service';
import { fundingLineSchema, normaliseFundingLines, requireProject } from '../projects/projects.service';
import { projectFundingLines } from '../projects/projects.service';
import type { FundingLine, FundSource, Project } from '../projects/projects.types';
import { nextStatus, TERMINAL, TransitionAction } from './assets.lifecycle';
import * as repo from './assets.repository';
import { isHeldOn } from './assets.holdDates';
import {
  ALL_SUB_TYPES,
  ASSET_CLASSES,
  ASSET_STATUSES,
  Asset,
  AssetClass,
  AssetEvent,
  AssetStatus,
  AssetSubType,
  CLASS_CODE,
  SUB_TYPES_BY_CLASS,
  type AssetEventAction,
  type HoldKind,
} from './assets.types';

const quantity = z.number().refine((v) => Number.isFinite(v) && v > 0 && v <= 1e9, {
  message: 'quantity must be positive and at most 1e9',
  params: { code: 'OUT_OF_RANGE' },
});

const registerSchema = z.object({
  projectId: z.number(),
  name: text(200),
  class: z.enum(ASSET_CLASSES),
  subType: z.enum(ALL_SUB_TYPES as [AssetSubType, ...AssetSubType[]]),
  quantity,
  unit: text(20),
  villageCode: z.string(),
  location: optionalText(200),
  originalValueFen: z
    .number()
    .int()
    .refine((v) => v > 0 && v <= MAX_FEN, { message: 'original value must be positive', params: { code: 'INVALID_AMOUNT' } }),
  fundingLines: z.array(fundingLineSchema).min(1, 'at least one funding line').max(50),
  completedOn: dateString.nullish(),
  acceptedOn: dateString.nullish(),
  bookedOn: dateString.nullish(),
  // 台账迁入 (issue 13): a county moving in keeps its own asset codes and the day each asset was registered.
  code: z.string().trim().min(1).max(40).regex(/^[^\s]+$/, 'an asset code has no spaces').nullish(),
  registeredOn: dateString.nullish(),
});

const updateSchema = z.object({
  assetId: z.number(),
  name: text(200).optional(),
  subType: z.enum(ALL_SUB_TYPES as [AssetSubType, ...AssetSubType[]]).optional(),
  quantity: quantity.optional(),
  unit: text(20).optional(),
  location: optionalText(200).optional(),
  reason: optionalText(1000),
});

const transitionSchema = z.object({
  assetId: z.number(),
  effectiveOn: dateString,
  reason: optionalText(1000),
});

function requireSubTypeOfClass(cls: AssetClass, subType: AssetSubType, field: string[]): void {
  if (!(SUB_TYPES_BY_CLASS[cls] as readonly string[]).includes(subType)) {
    throw new DomainError('INVALID_SUB_TYPE', `Sub-type ${subType} does not belong to class ${cls}`, field);
  }
}

export async function registerAsset(svc: ServiceContext, raw: unknown): Promise<Asset> {
  const input = parseInput(registerSchema, raw);
  const project = await requireProject(svc, input.projectId, ['input', 'projectId']);
  await requireRegion(svc.db, input.villageCode, ['input', 'villageCode'], ['VILLAGE']);
  const lines = checkRegister(svc, input, project);
  requireFundingLeft(await projectFundingLeft(svc, project.id), lines);

  const countyCode = countyCodeOf(input.villageCode);
  const code = input.code ?? (await nextAssetCode(svc, countyCode, project.year, input.class));
  if (input.code && (await repo.findByCode(svc.db, countyCode, input.code))) {
    throw duplicateCode(input.code);
  }
  const planned = plannedAsset(svc, input, project, code, lines);
  const id = await repo.insert(svc.db, planned.asset);
  await repo.insertFundingLines(svc.db, id, lines);
  await repo.insertEvent(svc.db, { ...planned.events[0], assetId: id });
  return { id, ...planned.asset };
}

type RegisterInput = z.infer<typeof registerSchema>;

const duplicateCode = (code: string) =>
  new DomainError('DUPLICATE', `Asset code ${code} is already used in this county (资产编号重复)`, ['input', 'code']);

/** The checks of a registration that need no lookup beyond the project (the region is checked by the caller). */
function checkRegister(svc: ServiceContext, input: RegisterInput, project: { regionCode: string }): FundingLine[] {
  authorize(svc.actor, 'asset.write', input.villageCode);
  if (!isWithin(input.villageCode, prefixOf(project.regionCode))) {
    throw new DomainError('INVALID_REGION', `Village ${input.villageCode} lies outside the project's region ${project.regionCode}`, [
      'input',
      'villageCode',
    ]);
  }
  requireSubTypeOfClass(input.class, input.subType, ['input', 'subType']);
  for (const f of ['completedOn', 'acceptedOn', 'bookedOn', 'registeredOn'] as const) requireNotFuture(svc, input[f], ['input', f]);
  requireOrdered(
    [
      ['completedOn', input.completedOn],
      ['acceptedOn', input.acceptedOn],
      ['bookedOn', input.bookedOn],
    ],
    ['input'],
  );

  const lines = normaliseFundingLines(input.fundingLines, ['input', 'fundingLines']);
  let linesTotal: number;
  try {
    linesTotal = sumFen(lines.map((l) => l.amountFen));
  } catch {
    linesTotal = -1;
  }
  if (linesTotal !== input.originalValueFen) {
    throw new DomainError(
      'FUNDING_MISMATCH',
      'Funding lines must add up exactly to the original value (资金明细合计须等于原值)',
      ['input', 'fundingLines'],
    );
  }
  return lines;
}

/** The asset row and its REGISTER event, as registerAsset writes them (the event's assetId is filled in on insert). */
function plannedAsset(svc: ServiceContext, input: RegisterInput, project: { id: number; year: number }, code: string, lines: FundingLine[]): PlannedAsset {
  const now = svc.clock.now();
  const asset: Omit<Asset, 'id'> = {
    countyCode: countyCodeOf(input.villageCode),
    code,
    name: input.name,
    class: input.class,
    subType: input.subType,
    quantity: input.quantity,
    unit: input.unit,
    villageCode: input.villageCode,
    location: input.location,
    projectId: project.id,
    year: project.year,
    originalValueFen: input.originalValueFen,
    completedOn: input.completedOn ?? null,
    acceptedOn: input.acceptedOn ?? null,
    handedOverOn: null,
    bookedOn: input.bookedOn ?? null,
    status: 'REGISTERED',
    createdAt: now,
    updatedAt: now,
  };
  const register: Omit<AssetEvent, 'id'> = {
    assetId: 0,
    action: 'REGISTER',
    fromStatus: null,
    toStatus: 'REGISTERED',
    // A register typed in today for an asset built years ago keeps its historical date (issue 13).
    effectiveOn: input.registeredOn ?? svc.clock.today(),
    reason: null,
    payload: { code, originalValueFen: input.originalValueFen, fundingLines: lines },
    actorUserId: svc.actor.userId,
    recordedAt: now,
  };
  return { asset, lines, events: [register], lastStepOn: null };
}

/**
 * An asset checked and not yet written (batch registration, the register import): the row as it will be
 * after the steps planned on it, its funding lines, and its events in order (assetId filled in on write).
 * A step's payload may be completed by the module that writes its record (a confirmation's id).
 */
export interface PlannedAsset {
  asset: Omit<Asset, 'id'>;
  lines: FundingLine[];
  events: Omit<AssetEvent, 'id'>[];
  /** Effective date of the latest lifecycle step planned (observations do not count), as lastEvent reads it. */
  lastStepOn: string | null;
  /** Set by writeAssetBatch. */
  id?: number;
}

/** What the project has left per source: its funding lines less what its assets already draw. */
async function projectFundingLeft(svc: ServiceContext, projectId: number): Promise<Map<FundSource, number>> {
  const left = new Map<FundSource, number>();
  for (const l of await projectFundingLines(svc, projectId)) left.set(l.source, (left.get(l.source) ?? 0) + l.amountFen);
  for (const [source, used] of await repo.projectAssetFundingBySource(svc.db, projectId)) left.set(source, (left.get(source) ?? 0) - used);
  return left;
}

/** An asset's funding from a source may not exceed what its project has left from that source. */
function requireFundingLeft(left: Map<FundSource, number>, lines: { source: FundSource; amountFen: number }[]): void {
  const wanted = new Map<FundSource, number>();
  for (const l of lines) wanted.set(l.source, (wanted.get(l.source) ?? 0) + l.amountFen);
  for (const [source, amount] of wanted) {
    const available = left.get(source) ?? 0;
    if (amount > available) {
      throw new DomainError(
        'FUNDING_EXCEEDS_PROJECT',
        `Funding from ${source} exceeds what the project has left from that source (${available} fen)`,
        ['input', 'fundingLines'],
      );
    }
  }
}

/**
 * 批量登记 Registration of many assets in one transaction (the register import): each item is held to exactly
 * registerAsset's checks, in the same order, with the lookups (project, village, the project's funding
 * left) made once per batch instead of once per asset, and nothing written until `write`. Items must carry
 * their own asset code (a generated code takes a sequence number: use registerAsset). An item checked and
 * then dropped (a later step of its row failed) must not be `commit`ted: its funding stays available.
 * Anything written around the batch through the single-asset services (registerAsset…) makes the cached
 * funding stale: call `forget()` after it.
 */
export class AssetBatch {
  private projects = new Map<number, Promise<Project>>();
  private villages = new Map<string, Promise<void>>();
  private fundingLeft = new Map<number, Promise<Map<FundSource, number>>>();

  constructor(private readonly svc: ServiceContext) {}

  /**
   * Checks one registration. Whether its code is already used in the county is the caller's to check first,
   * for the whole batch in one query (the import does, reporting the row as a duplicate).
   */
  async check(raw: unknown): Promise<PlannedAsset> {
    const input = parseInput(registerSchema, raw);
    if (!input.code) throw new Error('AssetBatch.check needs an asset code; generated codes go through registerAsset');
    const project = await cached(this.projects, input.projectId, () => requireProject(this.svc, input.projectId, ['input', 'projectId']));
    await cached(this.villages, input.villageCode, () => requireRegion(this.svc.db, input.villageCode, ['input', 'villageCode'], ['VILLAGE']).then(() => undefined));
    const lines = checkRegister(this.svc, input, project);
    requireFundingLeft(await this.left(project.id), lines);
    return plannedAsset(this.svc, input, project, input.code, lines);
  }

  /** The item will be written: its funding is drawn from its project's remainder. */
  async commit(p: PlannedAsset): Promise<void> {
    const left = await this.left(p.asset.projectId);
    for (const l of p.lines) left.set(l.source, (left.get(l.source) ?? 0) - l.amountFen);
  }

  /** Drops the cached funding remainders (something was registered outside the batch). */
  forget(): void {
    this.fundingLeft.clear();
  }

  private left(projectId: number): Promise<Map<FundSource, number>> {
    return cached(this.fundingLeft, projectId, () => projectFundingLeft(this.svc, projectId));
  }
}

function cached<K, V>(map: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
  let p = map.get(key);
  if (!p) {
    p = load();
    map.set(key, p);
    // A refusal is not cached: the next item gets its own error, with its own field path.
    p.catch(() => map.get(key) === p && map.delete(key));
  }
  return p;
}

/** Codes among `codes` already registered in the county (one query per batch instead of one per asset). */
export async function existingAssetCodes(svc: ServiceContext, countyCode: string, codes: readonly string[]): Promise<Set<string>> {
  return new Set(await repo.codesIn(svc.db, countyCode, codes));
}

/**
 * A lifecycle step planned on a checked asset, held to applyTransition's rules (the state machine, no step
 * dated in the future or before the previous step); the event joins the plan. Returns the event, whose
 * payload the caller may complete before the batch is written.
 */
export function planTransition(
  svc: ServiceContext,
  p: PlannedAsset,
  action: TransitionAction,
  opts: TransitionOptions,
): Omit<AssetEvent, 'id'> {
  const to = nextStatus(p.asset, action, opts.before);
  const field = opts.dateField ?? ['input', 'effectiveOn'];
  requireNotFuture(svc, opts.effectiveOn, field);
  if (p.lastStepOn && opts.effectiveOn < p.lastStepOn) {
    const last = [...p.events].reverse().find((e) => !(OBSERVATION_ACTIONS as readonly string[]).includes(e.action))!;
    throw new DomainError('DATE_ORDER', `${field[field.length - 1]} ${opts.effectiveOn} is before the previous step (${last.action} on ${last.effectiveOn})`, field);
  }
  const now = svc.clock.now();
  const event: Omit<AssetEvent, 'id'> = {
    assetId: 0,
    action,
    fromStatus: p.asset.status,
    toStatus: to,
    effectiveOn: opts.effectiveOn,
    reason: opts.reason,
    payload: opts.payload ?? {},
    actorUserId: svc.actor.userId,
    recordedAt: now,
  };
  Object.assign(p.asset, { ...opts.patch, status: to, updatedAt: now });
  p.events.push(event);
  p.lastStepOn = opts.effectiveOn;
  return event;
}

/** Writes checked assets (rows in their final state) and their funding lines; sets each plan's id. */
export async function writeAssetBatch(svc: ServiceContext, plans: PlannedAsset[]): Promise<void> {
  const ids = await repo.insertMany(svc.db, plans.map((p) => p.asset));
  plans.forEach((p, i) => {
    p.id = ids[i];
    for (const e of p.events) e.assetId = ids[i];
  });
  await repo.insertFundingLinesMany(svc.db, plans.flatMap((p) => p.lines.map((l) => ({ ...l, assetId: p.id! }))));
}

/** Writes the events of written plans, asset after asset, each asset's in order (as the single path would). */
export async function writeAssetBatchEvents(svc: ServiceContext, plans: PlannedAsset[]): Promise<void> {
  await repo.insertEventsMany(svc.db, plans.flatMap((p) => p.events));
}

/** The next generated code (county-year-class-sequence), skipping any that an imported register already took. */
async function nextAssetCode(svc: ServiceContext, countyCode: string, year: number, cls: AssetClass): Promise<string> {
  for (;;) {
    const seq = await repo.nextCodeSequence(svc.db, countyCode, year, cls);
    const code = `${countyCode.slice(0, 6)}-${year}-${CLASS_CODE[cls]}-${String(seq).padStart(4, '0')}`;
    if (!(await repo.findByCode(svc.db, countyCode, code))) return code;
  }
}

/** Loads an asset the actor may see, or NOT_FOUND (out-of-scope assets do not exist for the actor). */
export async function requireAsset(svc: ServiceContext, assetId: number, field = ['input', 'assetId']): Promise<Asset> {
  const asset = await repo.findByIdForUpdate(svc.db, assetId);
  if (!asset || !canRead(svc.actor, asset.villageCode)) {
    throw new DomainError('NOT_FOUND', 'No such asset in your scope', field);
  }
  return asset;
}

export async function updateAsset(svc: ServiceContext, raw: unknown): Promise<Asset> {
  const input = parseInput(updateSchema, raw);
  const asset = await requireAsset(svc, input.assetId);
  authorize(svc.actor, 'asset.write', asset.villageCode);
  requireLive(asset);
  if (input.subType) requireSubTypeOfClass(asset.class, input.subType, ['input', 'subType']);
  const patch = {
    name: input.name,
    subType: input.subType,
    quantity: input.quantity,
    unit: input.unit,
    location: input.location,
  };
  const changed = Object.fromEntries(
    Object.entries(patch).filter(([k, v]) => v !== undefined && v !== asset[k as keyof Asset]),
  ) as Partial<Asset>;
  if (!Object.keys(changed).length) throw new DomainError('INVALID_INPUT', 'Nothing to change', ['input']);
  const before = Object.fromEntries(Object.keys(changed).map((k) => [k, asset[k as keyof Asset]]));
  const now = svc.clock.now();
  await repo.update(svc.db, asset.id, { ...changed, updatedAt: now });
  await repo.insertEvent(svc.db, {
    assetId: asset.id,
    action: 'UPDATE',
    fromStatus: asset.status,
    toStatus: asset.status,
    effectiveOn: svc.clock.today(),
    reason: input.reason,
    payload: { before, after: changed },
    actorUserId: svc.actor.userId,
    recordedAt: now,
  });
  return { ...asset, ...changed, updatedAt: now };
}

export function requireLive(asset: Asset): void {
  if (TERMINAL.includes(asset.status)) {
    throw new DomainError('ILLEGAL_TRANSITION', `Asset ${asset.code} is ${asset.status}; nothing more may change`, ['input', 'assetId']);
  }
}

export interface TransitionOptions {
  effectiveOn: string;
  reason: string | null;
  payload?: Record<string, unknown>;
  /** Extra columns changed with the status (e.g. handed_over_on). */
  patch?: Partial<Omit<Asset, 'id'>>;
  /** Input field that carried effectiveOn, for error paths (default ['input', 'effectiveOn']). */
  dateField?: string[];
  /** For a step that ends a hold: the status the hold replaced. */
  before?: AssetStatus | null;
}

/** 观察类事件 (defined with the event actions in assets.types.ts; the step order below ignores them). */

/**
 * Moves an asset one lifecycle step and writes its event, in the caller's transaction. Other modules
 * (rights, contracts, bundles, disposal) call this after their own checks; it enforces the state machine
 * and the order of effective dates.
 */
export async function applyTransition(
  svc: ServiceContext,
  asset: Asset,
  action: TransitionAction,
  opts: TransitionOptions,
): Promise<Asset> {
  const to = nextStatus(asset, action, opts.before);
  await requireEffectiveDate(svc, asset, opts.effectiveOn, opts.dateField);
  const now = svc.clock.now();
  const patch = { ...opts.patch, status: to, updatedAt: now };
  await repo.update(svc.db, asset.id, patch);
  await repo.insertEvent(svc.db, {
    assetId: asset.id,
    action,
    fromStatus: asset.status,
    toStatus: to,
    effectiveOn: opts.effectiveOn,
    reason: opts.reason,
    payload: opts.payload ?? {},
    actorUserId: svc.actor.userId,
    recordedAt: now,
  });
  return { ...asset, ...patch };
}

/** Writes an event that does not change status (a contract signed, upkeep recorded…). */
export async function recordAssetEvent(
  svc: ServiceContext,
  asset: Asset,
  action: Exclude<AssetEventAction, TransitionAction>,
  opts: Omit<TransitionOptions, 'patch' | 'before'>,
): Promise<number> {
  requireLive(asset);
  if ((OBSERVATION_ACTIONS as readonly string[]).includes(action)) {
    requireNotFuture(svc, opts.effectiveOn, opts.dateField ?? ['input', 'effectiveOn']);
  } else {
    await requireEffectiveDate(svc, asset, opts.effectiveOn, opts.dateField);
  }
  const id = await repo.insertEvent(svc.db, {
    assetId: asset.id,
    action,
    fromStatus: asset.status,
    toStatus: asset.status,
    effectiveOn: opts.effectiveOn,
    reason: opts.reason,
    payload: opts.payload ?? {},
    actorUserId: svc.actor.userId,
    recordedAt: svc.clock.now(),
  });
  return id;
}

async function requireEffectiveDate(
  svc: ServiceContext,
  asset: Asset,
  effectiveOn: string,
  field: string[] = ['input', 'effectiveOn'],
): Promise<void> {
  requireNotFuture(svc, effectiveOn, field);
  // Registration (and other observations) are stamped with the day they were entered; steps may be
  // back-dated to the real date, but never before an earlier step.
  const last = await repo.lastEvent(svc.db, asset.id, OBSERVATION_ACTIONS);
  if (last && effectiveOn < last.effectiveOn) {
    throw new DomainError(
      'DATE_ORDER',
      `${field[field.length - 1]} ${effectiveOn} is before the previous step (${last.action} on ${last.effectiveOn})`,
      field,
    );
  }
}

const PERMISSION_OF: Partial<Record<TransitionAction, Permission>> = { MARK_IDLE: 'asset.markIdle' };

/**
 * Steps that carry no data of their own. Rights confirmation and handover need owners and a deed, so they
 * go through the rights module (rightsConfirm, assetHandOver), never through a bare step.
 */
export type BareStep = 'START_OPERATION' | 'PUT_IN_USE' | 'MARK_IDLE' | 'REVITALISE';
const BARE_STEPS: readonly TransitionAction[] = ['START_OPERATION', 'PUT_IN_USE', 'MARK_IDLE', 'REVITALISE'];

/** A bare lifecycle step requested over the API. */
export async function transitionAsset(svc: ServiceContext, action: BareStep, raw: unknown): Promise<Asset> {
  if (!BARE_STEPS.includes(action)) throw new Error(`${action} needs its own data; use the rights module`);
  const input = parseInput(transitionSchema, raw);
  const asset = await requireAsset(svc, input.assetId);
  authorize(svc.actor, PERMISSION_OF[action] ?? 'asset.lifecycle', asset.villageCode);
  // An operating asset runs only under a contract (自营 included): no contract in force that day, no start
  // (brief §11.8, the 有租无合同 audit finding).
  nextStatus(asset, action); // an illegal step is reported as such before anything about contracts
  if ((action === 'START_OPERATION' || action === 'REVITALISE') && asset.class === 'OPERATING') {
    const contract = (await repo.holdsOverlapping(svc.db, [asset.id], input.effectiveOn, input.effectiveOn)).find(
      (h) => h.kind === 'CONTRACT' && isHeldOn(h, input.effectiveOn),
    );
    if (!contract) {
      throw new DomainError(
        'NO_CONTRACT',
        `An operating asset needs an operation contract in force on ${input.effectiveOn} (sign one with contractSign; self-operation is a SELF_OPERATED contract)`,
        ['input', 'assetId'],
      );
    }
    return applyTransition(svc, asset, action, {
      effectiveOn: input.effectiveOn,
      reason: input.reason,
      payload: { contractId: contract.holderId, contractNo: contract.holderLabel },
    });
  }
  return applyTransition(svc, asset, action, { effectiveOn: input.effectiveOn, reason: input.reason });
}

export async function getAsset(svc: ServiceContext, id: number): Promise<Asset | null> {
  const a = await repo.findById(svc.db, id);
  return a && canRead(svc.actor, a.villageCode) ? a : null;
}

export interface AssetListFilter {
  regionCode?: string | null;
  class?: AssetClass | null;
  subType?: AssetSubType | null;
  status?: AssetStatus | null;
  year?: number | null;
  fundSource?: FundSource | null;
  projectId?: number | null;
  text?: string | null;
}

export async function listAssets(svc: ServiceContext, filter: AssetListFilter, page: PageArgs) {
  const regionPrefix = scopedPrefix(svc.actor, filter.regionCode);
  return keysetPage(repo.listQuery(svc.db, { ...filter, regionPrefix }), page, repo.toAsset);
}

/**
 * 某日台账 The register on a date: assets formed on or before it (repo.FORMED_ON_SQL), the status filter
 * applied to the status on that date (repo.statusOnSql). Today's answer lists what the live register lists.
 */
export async function listAssetsOn(svc: ServiceContext, filter: AssetListFilter, asOf: string, page: PageArgs) {
  if (asOf > svc.clock.today()) throw badUserInput(`asOf ${asOf} is in the future`);
  const regionPrefix = scopedPrefix(svc.actor, filter.regionCode);
  return keysetPage(repo.registerOnQuery(svc.db, { ...filter, regionPrefix }, asOf), page, repo.toAsset);
}

/** Assets matching the filter that no hold of `kind` binds on `date` (有租无合同 for CONTRACT). */
export async function listAssetsNotHeld(svc: ServiceContext, filter: AssetListFilter, kind: HoldKind, date: string, page: PageArgs) {
  const regionPrefix = scopedPrefix(svc.actor, filter.regionCode);
  const q = repo.whereNotHeldOn(repo.listQuery(svc.db, { ...filter, regionPrefix }), svc.db, kind, date);
  return keysetPage(q, page, repo.toAsset);
}

export { ASSET_STATUSES };
