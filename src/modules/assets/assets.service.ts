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
import type { FundSource } from '../projects/projects.types';
import { nextStatus, TERMINAL, TransitionAction } from './assets.lifecycle';
import * as repo from './assets.repository';
import { isHeldOn } from './assets.holdDates';
import {
  ALL_SUB_TYPES,
  ASSET_CLASSES,
  ASSET_STATUSES,
  Asset,
  AssetClass,
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
  await requireWithinProjectFunding(svc, project.id, lines);

  const now = svc.clock.now();
  const countyCode = countyCodeOf(input.villageCode);
  const code = input.code ?? (await nextAssetCode(svc, countyCode, project.year, input.class));
  if (input.code && (await repo.findByCode(svc.db, countyCode, input.code))) {
    throw new DomainError('DUPLICATE', `Asset code ${input.code} is already used in this county (资产编号重复)`, ['input', 'code']);
  }
  const asset: Omit<Asset, 'id'> = {
    countyCode,
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
  const id = await repo.insert(svc.db, asset);
  await repo.insertFundingLines(svc.db, id, lines);
  await repo.insertEvent(svc.db, {
    assetId: id,
    action: 'REGISTER',
    fromStatus: null,
    toStatus: 'REGISTERED',
    // A register typed in today for an asset built years ago keeps its historical date (issue 13).
    effectiveOn: input.registeredOn ?? svc.clock.today(),
    reason: null,
    payload: { code, originalValueFen: input.originalValueFen, fundingLines: lines },
    actorUserId: svc.actor.userId,
    recordedAt: now,
  });
  return { id, ...asset };
}

/** The next generated code (county-year-class-sequence), skipping any that an imported register already took. */
async function nextAssetCode(svc: ServiceContext, countyCode: string, year: number, cls: AssetClass): Promise<string> {
  for (;;) {
    const seq = await repo.nextCodeSequence(svc.db, countyCode, year, cls);
    const code = `${countyCode.slice(0, 6)}-${year}-${CLASS_CODE[cls]}-${String(seq).padStart(4, '0')}`;
    if (!(await repo.findByCode(svc.db, countyCode, code))) return code;
  }
}

/** An asset's funding from a source may not exceed what its project received from that source. */
async function requireWithinProjectFunding(
  svc: ServiceContext,
  projectId: number,
  lines: { source: FundSource; amountFen: number }[],
): Promise<void> {
  const projectBySource = new Map<FundSource, number>();
  for (const l of await projectFundingLines(svc, projectId)) {
    projectBySource.set(l.source, (projectBySource.get(l.source) ?? 0) + l.amountFen);
  }
  const used = await repo.projectAssetFundingBySource(svc.db, projectId);
  const wanted = new Map<FundSource, number>();
  for (const l of lines) wanted.set(l.source, (wanted.get(l.source) ?? 0) + l.amountFen);
  for (const [source, amount] of wanted) {
    const available = (projectBySource.get(source) ?? 0) - (used.get(source) ?? 0);
    if (amount > available) {
      throw new DomainError(
        'FUNDING_EXCEEDS_PROJECT',
        `Funding from ${source} exceeds what the project has left from that source (${available} fen)`,
        ['input', 'fundingLines'],
      );
    }
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
export { OBSERVATION_ACTIONS };

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
