/**
 * 盘活 Revitalisation (issue 12): idle and low-efficiency detection by the county's rules, flags, one case per
 * asset (一资产一方案), closing (销号) only with evidence read from the ledger, 盘活率, and 联农带农 figures.
 * Evidence is read through the assets, contracts, income, upkeep and documents modules' functions; this
 * module writes only its own tables and asset events (through the assets module).
 */
import { z } from 'zod';
import type { Executor } from '../../db/connection';
import type { ServiceContext } from '../../shared/context';
import { requireNotFuture, yearOf } from '../../shared/dates';
import { badUserInput, DomainError } from '../../shared/errors';
import { MAX_FEN } from '../../shared/money';
import { keysetPage, PageArgs } from '../../shared/pagination';
import { dateString, optionalText, parseInput, text } from '../../shared/validation';
import { appendAudit } from '../audit/audit.repository';
import { LIVE_STATES, TRANSITIONS } from '../assets/assets.lifecycle';
import * as assetsRepo from '../assets/assets.repository';
import { applyTransition, recordAssetEvent, requireAsset } from '../assets/assets.service';
import { isHeldOn } from '../assets/assets.holdDates';
import type { Asset, AssetStatus } from '../assets/assets.types';
import { OBSERVATION_ACTIONS } from '../assets/assets.types';
import { authorize, canRead } from '../auth/auth.service';
import * as contractsRepo from '../contracts/contracts.repository';
import * as documentsRepo from '../documents/documents.repository';
import { incomeVsContracts, lastIncomeDates, receiptsUnderContracts } from '../income/income.service';
import { policyFor } from '../policy/policy.service';
import type { CountyPolicy } from '../policy/policy.types';
import { isRegionCode, levelOf, prefixOf } from '../regions/regions.codes';
import * as regionsRepo from '../regions/regions.repository';
import { scopedPrefix } from '../regions/regions.service';
import * as upkeepRepo from '../upkeep/upkeep.repository';
import * as repo from './revitalisation.repository';
import { idleFinding, lowEfficiencyFinding, rateOf } from './revitalisation.rules';
import {
  BenefitLinkage,
  CASE_STATUSES,
  CLOSING_KINDS,
  ClosingKind,
  IdleFinding,
  LowEfficiencyFinding,
  REVITALISATION_PATHS,
  RevitalisationCase,
  RevitalisationFlag,
  RevitalisationRate,
} from './revitalisation.types';

// ---- detection ---------------------------------------------------------------------------------------

/** Policies of the counties of some assets, read once each. */
async function policiesOf(db: Executor, assets: readonly Asset[]): Promise<Map<string, CountyPolicy>> {
  const out = new Map<string, CountyPolicy>();
  for (const c of new Set(assets.map((a) => a.countyCode))) out.set(c, await policyFor(db, c));
  return out;
}

/** Whether idle detection looks at the asset: live, and not a household asset (its use is the household's, not recorded here). */
const canBeIdle = (a: Asset) => LIVE_STATES.includes(a.status) && a.class !== 'HOUSEHOLD';

/** Assets idle detection looks at in a region (or the one asset). */
async function idleCandidates(db: Executor, prefix: string, assetId?: number): Promise<Asset[]> {
  const q = assetsRepo.listQuery(db, { regionPrefix: prefix });
  if (assetId) q.where('id', assetId);
  const rows: unknown[] = await q.orderBy('id');
  return rows.map(assetsRepo.toAsset).filter(canBeIdle);
}

/** Idle findings of the assets, as of a date, with a constant number of queries however many assets. */
async function findIdle(db: Executor, assets: Asset[], asOf: string): Promise<IdleFinding[]> {
  if (!assets.length) return [];
  const ids = assets.map((a) => a.id);
  const [holds, events, lastIncome, upkeep, policies] = await Promise.all([
    assetsRepo.holdsOf(db, ids),
    assetsRepo.eventsOf(db, ids),
    lastIncomeDates(db, ids, asOf),
    upkeepRepo.recordsOf(db, ids),
    policiesOf(db, assets),
  ]);
  const out: IdleFinding[] = [];
  for (const a of assets) {
    const f = idleFinding(
      {
        asset: a,
        lastIncomeOn: lastIncome.get(a.id) ?? null,
        holds: holds.filter((h) => h.assetId === a.id),
        events: events.filter((e) => e.assetId === a.id),
        upkeepDoneOn: upkeep.filter((r) => r.assetId === a.id).map((r) => r.doneOn),
      },
      policies.get(a.countyCode)!.idleMonths,
      asOf,
    );
    if (f) out.push(f);
  }
  return out;
}

function requireAsOf(svc: ServiceContext, asOf: string | null | undefined): string {
  const d = asOf ?? svc.clock.today();
  if (d > svc.clock.today()) throw badUserInput(`asOf ${d} is in the future`);
  return d;
}

/** 闲置资产 Idle assets of a region on a date (default today), with the figures behind each. */
export async function idleAssets(svc: ServiceContext, regionCode: string | null | undefined, asOf: string | null | undefined): Promise<IdleFinding[]> {
  const on = requireAsOf(svc, asOf);
  const assets = (await idleCandidates(svc.db, scopedPrefix(svc.actor, regionCode))).filter((a) => canRead(svc.actor, a.villageCode));
  return findIdle(svc.db, assets, on);
}

function requireFullYear(svc: ServiceContext, year: number): void {
  if (!Number.isInteger(year) || year < 1949 || year >= yearOf(svc.clock.today())) {
    throw badUserInput(`year must be a full year already over (before ${yearOf(svc.clock.today())}), got ${year}`);
  }
}

async function findLowEfficiency(db: Executor, assets: Asset[], year: number): Promise<LowEfficiencyFinding[]> {
  const operating = assets.filter((a) => a.class === 'OPERATING' && (LIVE_STATES.includes(a.status) || a.status === 'BUNDLED'));
  if (!operating.length) return [];
  const [vs, benefits, policies] = await Promise.all([
    incomeVsContracts(db, operating, year),
    repo.benefitsOf(db, operating.map((a) => a.id), year),
    policiesOf(db, operating),
  ]);
  const out: LowEfficiencyFinding[] = [];
  for (const a of operating) {
    const v = vs.find((x) => x.assetId === a.id)!;
    const f = lowEfficiencyFinding(a, v, policies.get(a.countyCode)!, benefits.find((b) => b.assetId === a.id) ?? null);
    if (f) out.push(f);
  }
  return out;
}

/** 低效资产 Operating assets of a region whose income in a full year fell below guarantee or benchmark. */
export async function lowEfficiencyAssets(svc: ServiceContext, regionCode: string | null | undefined, year: number): Promise<LowEfficiencyFinding[]> {
  requireFullYear(svc, year);
  const rows: unknown[] = await assetsRepo.listQuery(svc.db, { regionPrefix: scopedPrefix(svc.actor, regionCode), class: 'OPERATING' }).orderBy('id');
  const assets = rows.map(assetsRepo.toAsset).filter((a) => canRead(svc.actor, a.villageCode));
  return findLowEfficiency(svc.db, assets, year);
}

// ---- flags -------------------------------------------------------------------------------------------

const idleFlagSchema = z.object({
  assetId: z.number().nullish(),
  regionCode: z.string().nullish(),
  flaggedOn: dateString,
  reason: optionalText(1000),
});

/** Where flagging all detected assets of a region applies: inside the actor's scope, a region they may manage. */
function requireFlagTarget(svc: ServiceContext, input: { assetId?: number | null; regionCode?: string | null }): string | null {
  if ((input.assetId == null) === (input.regionCode == null)) {
    throw new DomainError('INVALID_INPUT', 'Give either an asset or a region (all detected assets of it)', ['input']);
  }
  if (input.regionCode != null) {
    if (!isRegionCode(input.regionCode)) throw new DomainError('INVALID_REGION', `Unknown region code ${input.regionCode}`, ['input', 'regionCode']);
    authorize(svc.actor, 'revitalisation.manage', input.regionCode);
    return prefixOf(input.regionCode);
  }
  return null;
}

/**
 * 认定闲置 Raises the idle flag on one asset, or on every asset of a region the rule detects on `flaggedOn`.
 * Each flag keeps its figures and writes an asset event: MARK_IDLE (the one way into IDLE) where the
 * status allows it (handed over, in operation, in use), else IDLE_FLAG (already idle, or not yet handed
 * over). An asset already flagged since its last activity is not flagged again.
 */
export async function raiseIdleFlags(svc: ServiceContext, raw: unknown): Promise<RevitalisationFlag[]> {
  const input = parseInput(idleFlagSchema, raw);
  requireNotFuture(svc, input.flaggedOn, ['input', 'flaggedOn']);
  const prefix = requireFlagTarget(svc, input);
  // The one asset named (read once, authorised first), or null for a region.
  const one = prefix === null ? await requireAsset(svc, input.assetId!) : null;
  if (one) authorize(svc.actor, 'revitalisation.manage', one.villageCode);
  // Only a live, non-household asset can be idle (as for a region): a disposed one, one pooled in a venture
  // or waiting for its disposal is NOT_IDLE — flagging it would add an event after DISPOSED (found by the
  // simulator, test/simulate.regressions.test.ts).
  const assets = one ? [one].filter(canBeIdle) : await idleCandidates(svc.db, prefix!);
  const findings = await findIdle(svc.db, assets, input.flaggedOn);
  if (one && !findings.length) {
    const a = one;
    const why = canBeIdle(a) ? 'it had income, an operation contract or recorded use within the county\'s idle months' : `it is ${LIVE_STATES.includes(a.status) ? 'a household asset' : a.status}`;
    throw new DomainError('NOT_IDLE', `${a.name} (${a.code}) is not idle on ${input.flaggedOn} by the county's rule: ${why}`, ['input', 'assetId']);
  }
  const existing = await repo.flagsOf(svc.db, findings.map((f) => f.assetId));
  const out: RevitalisationFlag[] = [];
  for (const f of findings) {
    const standing = existing.find((x) => x.assetId === f.assetId && x.kind === 'IDLE' && x.raisedOn >= f.lastActivityOn);
    if (standing) {
      if (prefix === null) throw new DomainError('DUPLICATE', `Already flagged idle on ${standing.raisedOn}`, ['input', 'assetId']);
      continue;
    }
    const asset = prefix === null ? assets[0] : (await assetsRepo.findByIdForUpdate(svc.db, f.assetId))!;
    if (prefix !== null) {
      // A region flagged as of a past date leaves out assets whose lifecycle moved on after it (a step may
      // not be dated before an earlier one); flag those one by one if they are idle today.
      const last = await assetsRepo.lastEvent(svc.db, asset.id, OBSERVATION_ACTIONS);
      if (last && last.effectiveOn > input.flaggedOn) continue;
    }
    const payload = { rule: 'IDLE', ...f };
    let eventId: number;
    if ((TRANSITIONS.MARK_IDLE.from as readonly AssetStatus[]).includes(asset.status)) {
      await applyTransition(svc, asset, 'MARK_IDLE', { effectiveOn: input.flaggedOn, reason: input.reason ?? `闲置认定：${f.monthsInactive}个月无收益、无运营合同、无使用记录`, payload, dateField: ['input', 'flaggedOn'] });
      eventId = (await assetsRepo.lastEvent(svc.db, asset.id))!.id;
    } else {
      eventId = await recordAssetEvent(svc, asset, 'IDLE_FLAG', { effectiveOn: input.flaggedOn, reason: input.reason, payload, dateField: ['input', 'flaggedOn'] });
    }
    const flag: Omit<RevitalisationFlag, 'id'> = {
      assetId: asset.id,
      villageCode: asset.villageCode,
      kind: 'IDLE',
      raisedOn: input.flaggedOn,
      year: null,
      evidence: f,
      assetEventId: eventId,
      actorUserId: svc.actor.userId,
      recordedAt: svc.clock.now(),
    };
    out.push({ id: await repo.insertFlag(svc.db, flag), ...flag });
  }
  return out;
}

const lowFlagSchema = z.object({
  assetId: z.number().nullish(),
  regionCode: z.string().nullish(),
  year: z.number().int(),
  flaggedOn: dateString,
  reason: optionalText(1000),
});

/** 认定低效 Raises the low-efficiency flag for a year on one asset or every detected, unexcused asset of a region. */
export async function raiseLowEfficiencyFlags(svc: ServiceContext, raw: unknown): Promise<RevitalisationFlag[]> {
  const input = parseInput(lowFlagSchema, raw);
  requireNotFuture(svc, input.flaggedOn, ['input', 'flaggedOn']);
  if (input.year >= yearOf(input.flaggedOn) || input.year < 1949) {
    throw new DomainError('OUT_OF_RANGE', `year must be a full year before the flag date (${input.flaggedOn})`, ['input', 'year']);
  }
  const prefix = requireFlagTarget(svc, input);
  let assets: Asset[];
  if (prefix === null) {
    const asset = await requireAsset(svc, input.assetId!);
    authorize(svc.actor, 'revitalisation.manage', asset.villageCode);
    assets = [asset];
  } else {
    const rows: unknown[] = await assetsRepo.listQuery(svc.db, { regionPrefix: prefix, class: 'OPERATING' }).orderBy('id');
    assets = rows.map(assetsRepo.toAsset);
  }
  const findings = (await findLowEfficiency(svc.db, assets, input.year)).filter((f) => !f.excused);
  if (prefix === null && !findings.length) {
    throw new DomainError('NOT_LOW_EFFICIENCY', `${assets[0].name} (${assets[0].code}) is not low-efficiency in ${input.year} by the county's rule (or its 联农带农 figures excuse it)`, ['input', 'assetId']);
  }
  const existing = await repo.flagsOf(svc.db, findings.map((f) => f.assetId));
  const out: RevitalisationFlag[] = [];
  for (const f of findings) {
    if (existing.some((x) => x.assetId === f.assetId && x.kind === 'LOW_EFFICIENCY' && x.year === input.year)) {
      if (prefix === null) throw new DomainError('DUPLICATE', `Already flagged low-efficiency for ${input.year}`, ['input', 'assetId']);
      continue;
    }
    const asset = assets.find((a) => a.id === f.assetId)!;
    const eventId = await recordAssetEvent(svc, asset, 'LOW_EFFICIENCY_FLAG', {
      effectiveOn: input.flaggedOn,
      reason: input.reason ?? `${input.year}年收益低于${f.reasons.includes('BELOW_GUARANTEE') ? '保底收益' : '基准收益'}`,
      payload: { rule: 'LOW_EFFICIENCY', ...f },
      dateField: ['input', 'flaggedOn'],
    });
    const flag: Omit<RevitalisationFlag, 'id'> = {
      assetId: asset.id,
      villageCode: asset.villageCode,
      kind: 'LOW_EFFICIENCY',
      raisedOn: input.flaggedOn,
      year: input.year,
      evidence: f,
      assetEventId: eventId,
      actorUserId: svc.actor.userId,
      recordedAt: svc.clock.now(),
    };
    out.push({ id: await repo.insertFlag(svc.db, flag), ...flag });
  }
  return out;
}

// ---- cases -------------------------------------------------------------------------------------------

const fen = (field: string) =>
  z
    .number()
    .int()
    .refine((v) => v >= 0 && v <= MAX_FEN, { message: `${field} must not be negative`, params: { code: 'INVALID_AMOUNT' } });

const openSchema = z.object({
  assetId: z.number(),
  path: z.enum(REVITALISATION_PATHS),
  measures: text(4000),
  responsibleUnit: text(200),
  responsiblePerson: text(100),
  openedOn: dateString,
  deadlineOn: dateString,
  target: text(1000),
  targetIncomeFen: fen('target income').nullish(),
});

/**
 * 立项 Opens the case of a flagged asset (一资产一方案): one of the six paths, measures, the responsible unit
 * and person, a deadline after the opening, a target. One open case per asset; the flag must be raised on
 * or before the opening and not already closed by an earlier case.
 */
export async function openCase(svc: ServiceContext, raw: unknown): Promise<RevitalisationCase> {
  const input = parseInput(openSchema, raw);
  const asset = await requireAsset(svc, input.assetId);
  authorize(svc.actor, 'revitalisation.manage', asset.villageCode);
  requireNotFuture(svc, input.openedOn, ['input', 'openedOn']);
  if (input.deadlineOn <= input.openedOn) {
    throw new DomainError('DATE_ORDER', `deadlineOn (${input.deadlineOn}) must be after openedOn (${input.openedOn})`, ['input', 'deadlineOn']);
  }
  if (!LIVE_STATES.includes(asset.status)) {
    throw new DomainError('ILLEGAL_TRANSITION', `${asset.name} is ${asset.status}: nothing left to revitalise`, ['input', 'assetId']);
  }
  const open = await repo.openCaseOf(svc.db, asset.id);
  if (open) throw new DomainError('CASE_ALREADY_OPEN', `${asset.name} already has an open case (opened ${open.openedOn}); update it instead`, ['input', 'assetId']);
  const cases = await repo.casesOfAssets(svc.db, [asset.id]);
  const consumed = new Set(cases.filter((c) => c.status === 'CLOSED').map((c) => c.flagId));
  const flag = (await repo.flagsOf(svc.db, [asset.id])).filter((f) => f.raisedOn <= input.openedOn && !consumed.has(f.id)).pop();
  if (!flag) {
    throw new DomainError('NOT_FLAGGED', `${asset.name} has no idle or low-efficiency flag raised by ${input.openedOn}: raise one first (idleFlagRaise, lowEfficiencyFlagRaise)`, ['input', 'assetId']);
  }
  const now = svc.clock.now();
  const c: Omit<RevitalisationCase, 'id'> = {
    assetId: asset.id,
    villageCode: asset.villageCode,
    flagId: flag.id,
    assetValueFen: asset.originalValueFen,
    path: input.path,
    measures: input.measures,
    responsibleUnit: input.responsibleUnit,
    responsiblePerson: input.responsiblePerson,
    openedOn: input.openedOn,
    deadlineOn: input.deadlineOn,
    target: input.target,
    targetIncomeFen: input.targetIncomeFen ?? null,
    status: 'OPEN',
    endedOn: null,
    closingKind: null,
    closingEvidence: null,
    abandonReason: null,
    actorUserId: svc.actor.userId,
    createdAt: now,
    updatedAt: now,
  };
  const id = await repo.insertCase(svc.db, c);
  await repo.insertUpdate(svc.db, { caseId: id, kind: 'OPEN', onDate: input.openedOn, note: null, changes: null, actorUserId: svc.actor.userId, recordedAt: now });
  await recordAssetEvent(svc, asset, 'REVITALISATION_OPEN', {
    effectiveOn: input.openedOn,
    reason: `${input.path}: ${input.measures}`.slice(0, 1000),
    payload: { caseId: id, path: input.path, deadlineOn: input.deadlineOn, flagId: flag.id },
    dateField: ['input', 'openedOn'],
  });
  return { id, ...c };
}

async function requireCase(svc: ServiceContext, caseId: number): Promise<{ c: RevitalisationCase; asset: Asset }> {
  const c = await repo.findCase(svc.db, caseId, true);
  if (!c || !canRead(svc.actor, c.villageCode)) throw new DomainError('NOT_FOUND', 'No such revitalisation case in your scope', ['input', 'caseId']);
  authorize(svc.actor, 'revitalisation.manage', c.villageCode);
  const asset = (await assetsRepo.findByIdForUpdate(svc.db, c.assetId))!;
  return { c, asset };
}

function requireOpen(c: RevitalisationCase): void {
  if (c.status !== 'OPEN') throw new DomainError('CASE_NOT_OPEN', `The case is ${c.status} (${c.endedOn}); nothing more may change`, ['input', 'caseId']);
}

const updateSchema = z.object({
  caseId: z.number(),
  updatedOn: dateString,
  note: text(4000),
  path: z.enum(REVITALISATION_PATHS).optional(),
  measures: text(4000).optional(),
  responsibleUnit: text(200).optional(),
  responsiblePerson: text(100).optional(),
  deadlineOn: dateString.optional(),
  target: text(1000).optional(),
  targetIncomeFen: fen('target income').nullish(),
});

/** 进展 Records progress on an open case, optionally changing its plan; every change is kept. */
export async function updateCase(svc: ServiceContext, raw: unknown): Promise<RevitalisationCase> {
  const input = parseInput(updateSchema, raw);
  const { c } = await requireCase(svc, input.caseId);
  requireOpen(c);
  requireNotFuture(svc, input.updatedOn, ['input', 'updatedOn']);
  if (input.updatedOn < c.openedOn) throw new DomainError('DATE_ORDER', `updatedOn is before the case opened (${c.openedOn})`, ['input', 'updatedOn']);
  if (input.deadlineOn !== undefined && input.deadlineOn <= c.openedOn) {
    throw new DomainError('DATE_ORDER', `deadlineOn (${input.deadlineOn}) must be after openedOn (${c.openedOn})`, ['input', 'deadlineOn']);
  }
  const fields = ['path', 'measures', 'responsibleUnit', 'responsiblePerson', 'deadlineOn', 'target', 'targetIncomeFen'] as const;
  const patch: Partial<RevitalisationCase> = {};
  const before: Record<string, unknown> = {};
  for (const k of fields) {
    const v = input[k];
    if (v !== undefined && v !== c[k]) {
      (patch as Record<string, unknown>)[k] = v;
      before[k] = c[k];
    }
  }
  const now = svc.clock.now();
  if (Object.keys(patch).length) await repo.updateCase(svc.db, c.id, { ...patch, updatedAt: now });
  await repo.insertUpdate(svc.db, {
    caseId: c.id,
    kind: 'PROGRESS',
    onDate: input.updatedOn,
    note: input.note,
    changes: Object.keys(patch).length ? { before, after: patch } : null,
    actorUserId: svc.actor.userId,
    recordedAt: now,
  });
  return { ...c, ...patch, updatedAt: now };
}

const closeSchema = z.object({
  caseId: z.number(),
  closedOn: dateString,
  kind: z.enum(CLOSING_KINDS),
  contractId: z.number().nullish(),
  documentId: z.number().nullish(),
  note: optionalText(2000),
});

/**
 * The ledger's evidence for closing a case of `kind`, dated within [openedOn, closedOn], or a coded error:
 * NO_EVIDENCE when the ledger shows nothing, EVIDENCE_BEFORE_CASE when what it shows predates the case.
 */
async function evidenceFor(
  svc: ServiceContext,
  c: RevitalisationCase,
  asset: Asset,
  input: z.infer<typeof closeSchema>,
): Promise<Record<string, unknown>> {
  const db = svc.db;
  const { openedOn } = c;
  const closedOn = input.closedOn;
  const none = (msg: string, field = ['input', 'kind']) => new DomainError('NO_EVIDENCE', msg, field);
  const early = (msg: string, field = ['input', 'kind']) => new DomainError('EVIDENCE_BEFORE_CASE', msg, field);
  switch (input.kind) {
    case 'NEW_CONTRACT_WITH_INCOME': {
      let contracts = await contractsRepo.findByAssetIds(db, [asset.id]);
      if (input.contractId != null) {
        contracts = contracts.filter((k) => k.id === input.contractId);
        if (!contracts.length) throw none('That contract is not one of this asset\'s', ['input', 'contractId']);
      }
      const signedBy = contracts.filter((k) => k.signedOn <= closedOn);
      const after = signedBy.filter((k) => k.signedOn >= openedOn);
      if (!after.length) {
        if (signedBy.length) throw early(`The asset's contracts were signed before the case opened (${openedOn}); a new one is needed`, ['input', 'contractId']);
        throw none('No operation contract of the asset signed by the closing date');
      }
      const receipts = await receiptsUnderContracts(db, after.map((k) => k.id), openedOn, closedOn);
      if (!receipts.length) throw none(`No income received under the new contract (${after.map((k) => k.contractNo).join(', ')}) by ${closedOn}`);
      const k = after.find((x) => x.id === receipts[0].contractId)!;
      return {
        contractId: k.id,
        contractNo: k.contractNo,
        signedOn: k.signedOn,
        incomeRecordIds: receipts.filter((r) => r.contractId === k.id).map((r) => r.id),
        incomeFen: receipts.filter((r) => r.contractId === k.id).reduce((s, r) => s + r.amountFen, 0),
        firstIncomeOn: receipts[0].receivedOn,
      };
    }
    case 'BUNDLED': {
      const holds = (await assetsRepo.holdsOf(db, [asset.id])).filter((h) => h.kind === 'BUNDLE' && h.startOn <= closedOn);
      const inCase = holds.filter((h) => h.startOn >= openedOn && isHeldOn(h, closedOn));
      if (!inCase.length) {
        if (holds.length) throw early(`The asset joined its venture before the case opened (${openedOn})`);
        throw none('The asset is not bundled into a venture');
      }
      return { holdId: inCase[0].id, venture: inCase[0].holderLabel, ventureId: inCase[0].holderId, bundledOn: inCase[0].startOn };
    }
    case 'DISPOSED': {
      const ev = (await assetsRepo.eventsOf(db, [asset.id])).filter((e) => e.action === 'DISPOSE' && e.effectiveOn <= closedOn);
      if (asset.status !== 'DISPOSED' || !ev.length) throw none('The asset\'s disposal has not been executed');
      const last = ev[ev.length - 1];
      if (last.effectiveOn < openedOn) throw early(`The asset was disposed of before the case opened (${openedOn})`);
      return { assetEventId: last.id, disposedOn: last.effectiveOn };
    }
    case 'USE_RESTORED': {
      if (asset.class !== 'PUBLIC_WELFARE') throw new DomainError('CLASS_NOT_ALLOWED', 'Use restored closes only public-welfare assets\' cases', ['input', 'kind']);
      if (asset.status !== 'IN_USE') throw none(`The asset is ${asset.status}, not back in use (assetRevitalise)`);
      const uses = (await assetsRepo.eventsOf(db, [asset.id])).filter((e) => (e.action === 'REVITALISE' || e.action === 'PUT_IN_USE') && e.effectiveOn <= closedOn);
      const use = uses[uses.length - 1];
      if (!use) throw none('No recorded return to use');
      if (use.effectiveOn < openedOn) throw early(`The asset was put back in use before the case opened (${openedOn})`);
      const keeper = (await upkeepRepo.assignmentsOf(db, [asset.id])).find((u) => u.effectiveFrom <= closedOn && (u.effectiveTo === null || u.effectiveTo > closedOn));
      if (!keeper) throw none('No upkeep assigned (管护主体、责任人、经费) on the closing date (upkeepAssign)');
      if (input.documentId == null) throw none('A document of the restored use is needed', ['input', 'documentId']);
      const doc = (await documentsRepo.ofAssets(db, [asset.id])).find((d) => d.id === input.documentId);
      if (!doc) throw none('That document is not one of this asset\'s', ['input', 'documentId']);
      if (doc.documentOn < openedOn) throw early(`The document is dated ${doc.documentOn}, before the case opened (${openedOn})`, ['input', 'documentId']);
      if (doc.documentOn > closedOn) throw new DomainError('DATE_ORDER', 'The document is dated after the closing', ['input', 'documentId']);
      return { assetEventId: use.id, restoredOn: use.effectiveOn, upkeepAssignmentId: keeper.id, keeper: keeper.personName, documentId: doc.id, documentTitle: doc.title };
    }
  }
}

/** 销号 Closes a case only with the ledger's evidence of the result, recording which evidence. */
export async function closeCase(svc: ServiceContext, raw: unknown): Promise<RevitalisationCase> {
  const input = parseInput(closeSchema, raw);
  const { c, asset } = await requireCase(svc, input.caseId);
  requireOpen(c);
  requireNotFuture(svc, input.closedOn, ['input', 'closedOn']);
  if (input.closedOn < c.openedOn) throw new DomainError('DATE_ORDER', `closedOn is before the case opened (${c.openedOn})`, ['input', 'closedOn']);
  const evidence = await evidenceFor(svc, c, asset, input);
  const now = svc.clock.now();
  const patch = { status: 'CLOSED' as const, endedOn: input.closedOn, closingKind: input.kind as ClosingKind, closingEvidence: evidence, updatedAt: now };
  await repo.updateCase(svc.db, c.id, patch);
  await repo.insertUpdate(svc.db, { caseId: c.id, kind: 'CLOSE', onDate: input.closedOn, note: input.note, changes: { kind: input.kind, evidence }, actorUserId: svc.actor.userId, recordedAt: now });
  if (asset.status !== 'DISPOSED') {
    await recordAssetEvent(svc, asset, 'REVITALISATION_CLOSE', { effectiveOn: input.closedOn, reason: input.note, payload: { caseId: c.id, kind: input.kind, evidence }, dateField: ['input', 'closedOn'] });
  }
  return { ...c, ...patch };
}

const abandonSchema = z.object({ caseId: z.number(), abandonedOn: dateString, reason: text(1000) });

/** 终止 Abandons a case with its reason: it counts as not revitalised. */
export async function abandonCase(svc: ServiceContext, raw: unknown): Promise<RevitalisationCase> {
  const input = parseInput(abandonSchema, raw);
  const { c, asset } = await requireCase(svc, input.caseId);
  requireOpen(c);
  requireNotFuture(svc, input.abandonedOn, ['input', 'abandonedOn']);
  if (input.abandonedOn < c.openedOn) throw new DomainError('DATE_ORDER', `abandonedOn is before the case opened (${c.openedOn})`, ['input', 'abandonedOn']);
  const now = svc.clock.now();
  const patch = { status: 'ABANDONED' as const, endedOn: input.abandonedOn, abandonReason: input.reason, updatedAt: now };
  await repo.updateCase(svc.db, c.id, patch);
  await repo.insertUpdate(svc.db, { caseId: c.id, kind: 'ABANDON', onDate: input.abandonedOn, note: input.reason, changes: null, actorUserId: svc.actor.userId, recordedAt: now });
  if (asset.status !== 'DISPOSED') {
    await recordAssetEvent(svc, asset, 'REVITALISATION_ABANDON', { effectiveOn: input.abandonedOn, reason: input.reason, payload: { caseId: c.id }, dateField: ['input', 'abandonedOn'] });
  }
  return { ...c, ...patch };
}

export async function getCase(svc: ServiceContext, id: number): Promise<RevitalisationCase | null> {
  const c = await repo.findCase(svc.db, id);
  return c && canRead(svc.actor, c.villageCode) ? c : null;
}

export interface CaseListFilter {
  regionCode?: string | null;
  status?: (typeof CASE_STATUSES)[number] | null;
  path?: (typeof REVITALISATION_PATHS)[number] | null;
  assetId?: number | null;
  overdue?: boolean | null;
}

export async function listCases(svc: ServiceContext, f: CaseListFilter, page: PageArgs) {
  const q = repo.casesQuery(svc.db, { ...f, regionPrefix: scopedPrefix(svc.actor, f.regionCode), overdueOn: f.overdue ? svc.clock.today() : null });
  if (f.overdue === false) q.where((w) => w.whereNot('status', 'OPEN').orWhere('deadline_on', '>=', svc.clock.today()));
  return keysetPage(q, page, repo.toCase);
}

/** 逾期 An open case past its deadline (judged on today). */
export function isOverdue(c: Pick<RevitalisationCase, 'status' | 'deadlineOn'>, today: string): boolean {
  return c.status === 'OPEN' && c.deadlineOn < today;
}

// ---- 盘活率 -------------------------------------------------------------------------------------------

/**
 * The four components for the cases of a region over a period: an asset is to revitalise when it has a case
 * opened by `toOn` that had not ended before `fromOn`; revitalised when one of those cases closed (销号)
 * within the period. Abandoned cases count as not revitalised. Value is the asset's original value.
 */
function components(cases: readonly RevitalisationCase[], fromOn: string, toOn: string) {
  const toDo = new Map<number, number>();
  const done = new Map<number, number>();
  for (const c of cases) {
    if (c.openedOn > toOn || (c.endedOn !== null && c.endedOn < fromOn)) continue;
    toDo.set(c.assetId, c.assetValueFen);
    if (c.status === 'CLOSED' && c.endedOn! >= fromOn && c.endedOn! <= toOn) done.set(c.assetId, c.assetValueFen);
  }
  const sum = (m: Map<number, number>) => [...m.values()].reduce((s, v) => s + v, 0);
  return { toRevitaliseCount: toDo.size, toRevitaliseValueFen: sum(toDo), revitalisedCount: done.size, revitalisedValueFen: sum(done) };
}

export interface RateWithChildren extends RevitalisationRate {
  children: RevitalisationRate[];
}

function ratePeriod(svc: ServiceContext, fromOn?: string | null, toOn?: string | null): { fromOn: string; toOn: string } {
  const to = toOn ?? svc.clock.today();
  const from = fromOn ?? '1949-10-01';
  if (from > to) throw badUserInput(`fromOn ${from} is after toOn ${to}`);
  return { fromOn: from, toOn: to };
}

/** 盘活率 of a region over a period, with the figures of each region one level down (villages add up exactly). */
export async function revitalisationRate(
  svc: ServiceContext,
  regionCode: string,
  fromOn?: string | null,
  toOn?: string | null,
): Promise<RateWithChildren | null> {
  const prefix = scopedPrefix(svc.actor, regionCode);
  if (prefix === 'x' || !isRegionCode(regionCode)) return null;
  const period = ratePeriod(svc, fromOn, toOn);
  const cases = (await repo.casesUnder(svc.db, prefix, period.toOn)).filter((c) => canRead(svc.actor, c.villageCode));
  const make = (code: string, cs: readonly RevitalisationCase[]): RevitalisationRate => {
    const comp = components(cs, period.fromOn, period.toOn);
    return { regionCode: code, ...period, ...comp, ...rateOf(comp) };
  };
  const children = levelOf(regionCode) === 'VILLAGE' ? [] : await regionsRepo.findChildren(svc.db, regionCode);
  return {
    ...make(regionCode, cases),
    children: children.map((r) => make(r.code, cases.filter((c) => c.villageCode.startsWith(prefixOf(r.code))))),
  };
}

// ---- 联农带农 -----------------------------------------------------------------------------------------

const benefitSchema = z.object({
  assetId: z.number(),
  year: z.number().int(),
  outputValueFen: fen('output value'),
  wagesFen: fen('wages'),
  poorWorkers: z.number().int().min(0, 'must not be negative').max(1_000_000),
  poorWorkerEarningsFen: fen('earnings'),
  source: optionalText(200),
});

/**
 * 联农带农 Records an operating asset's figures for a year as the operator reports them (output value, wages,
 * formerly-poor/monitored workers and their earnings). One record per asset and year: recording again
 * replaces the figures, the old ones kept in the audit log.
 */
export async function recordBenefit(svc: ServiceContext, raw: unknown): Promise<BenefitLinkage> {
  const input = parseInput(benefitSchema, raw);
  const asset = await requireAsset(svc, input.assetId);
  authorize(svc.actor, 'benefit.write', asset.villageCode);
  if (asset.class !== 'OPERATING') throw new DomainError('CLASS_NOT_ALLOWED', '联农带农 figures are recorded for operating assets', ['input', 'assetId']);
  if (input.year > yearOf(svc.clock.today()) || input.year < asset.year) {
    throw new DomainError('OUT_OF_RANGE', `year must lie between the asset's year (${asset.year}) and this year`, ['input', 'year']);
  }
  if (input.poorWorkerEarningsFen > input.wagesFen) {
    throw new DomainError('INVALID_AMOUNT', 'The formerly-poor workers\' earnings are part of the wages and cannot exceed them', ['input', 'poorWorkerEarnings']);
  }
  if (input.poorWorkers === 0 && input.poorWorkerEarningsFen > 0) {
    throw new DomainError('INVALID_AMOUNT', 'Earnings of formerly-poor workers need at least one such worker', ['input', 'poorWorkerEarnings']);
  }
  const before = await repo.findBenefit(svc.db, asset.id, input.year);
  const b: Omit<BenefitLinkage, 'id'> = {
    assetId: asset.id,
    villageCode: asset.villageCode,
    year: input.year,
    outputValueFen: input.outputValueFen,
    wagesFen: input.wagesFen,
    poorWorkers: input.poorWorkers,
    poorWorkerEarningsFen: input.poorWorkerEarningsFen,
    source: input.source,
    actorUserId: svc.actor.userId,
    recordedAt: svc.clock.now(),
  };
  const id = await repo.upsertBenefit(svc.db, b);
  await appendAudit(svc.db, {
    entityType: 'BenefitLinkage',
    entityId: id,
    action: before ? 'UPDATE' : 'CREATE',
    actorUserId: svc.actor.userId,
    recordedAt: b.recordedAt,
    payload: { before: before ?? null, after: b },
  });
  return { id, ...b };
}

export async function benefitLinkages(svc: ServiceContext, regionCode: string | null | undefined, year: number): Promise<BenefitLinkage[]> {
  return (await repo.benefitsUnder(svc.db, scopedPrefix(svc.actor, regionCode), year)).filter((b) => canRead(svc.actor, b.villageCode));
}

// ---- overview ----------------------------------------------------------------------------------------

/** 联农带农合计 The benefit-linkage totals of an overview row. */
export type BenefitTotals = OverviewRow['benefit'];

export interface OverviewRow {
  regionCode: string;
  idleCount: number;
  idleValueFen: number;
  lowEfficiencyCount: number;
  lowEfficiencyValueFen: number;
  excusedCount: number;
  toRevitaliseCount: number;
  toRevitaliseValueFen: number;
  cases: { path: string; status: string; count: number }[];
  overdueCount: number;
  rate: RevitalisationRate;
  benefit: { year: number; outputValueFen: number; wagesFen: number; poorWorkers: number; poorWorkerEarningsFen: number };
}

/**
 * 盘活工作总览 The planner's overview of a region and each region one level down: idle assets today, low-efficiency
 * assets in the last full year (excused ones apart), assets with a case (count, value), cases by path and
 * status, overdue cases, 盘活率 to date, and the last full year's 联农带农 totals.
 */
export async function overview(svc: ServiceContext, regionCode: string): Promise<{ total: OverviewRow; rows: OverviewRow[]; asOf: string; year: number } | null> {
  const prefix = scopedPrefix(svc.actor, regionCode);
  if (prefix === 'x' || !isRegionCode(regionCode)) return null;
  const today = svc.clock.today();
  const year = yearOf(today) - 1;
  const rows: unknown[] = await assetsRepo.listQuery(svc.db, { regionPrefix: prefix }).orderBy('id');
  const assets = rows.map(assetsRepo.toAsset).filter((a) => canRead(svc.actor, a.villageCode));
  const idle = await findIdle(svc.db, assets.filter((a) => LIVE_STATES.includes(a.status) && a.class !== 'HOUSEHOLD'), today);
  const low = await findLowEfficiency(svc.db, assets, year);
  const cases = (await repo.casesUnder(svc.db, prefix, today)).filter((c) => canRead(svc.actor, c.villageCode));
  const benefits = (await repo.benefitsUnder(svc.db, prefix, year)).filter((b) => canRead(svc.actor, b.villageCode));
  const row = (code: string): OverviewRow => {
    const p = prefixOf(code);
    const inside = <T extends { villageCode: string }>(xs: readonly T[]) => xs.filter((x) => x.villageCode.startsWith(p));
    const id = inside(idle);
    const lo = inside(low);
    const cs = inside(cases);
    const comp = components(cs, '1949-10-01', today);
    const byKey = new Map<string, number>();
    for (const c of cs) byKey.set(`${c.path}|${c.status}`, (byKey.get(`${c.path}|${c.status}`) ?? 0) + 1);
    const bs = inside(benefits);
    return {
      regionCode: code,
      idleCount: id.length,
      idleValueFen: id.reduce((s, f) => s + f.originalValueFen, 0),
      lowEfficiencyCount: lo.filter((f) => !f.excused).length,
      lowEfficiencyValueFen: lo.filter((f) => !f.excused).reduce((s, f) => s + f.originalValueFen, 0),
      excusedCount: lo.filter((f) => f.excused).length,
      toRevitaliseCount: comp.toRevitaliseCount,
      toRevitaliseValueFen: comp.toRevitaliseValueFen,
      cases: [...byKey].map(([k, count]) => ({ path: k.split('|')[0], status: k.split('|')[1], count })),
      overdueCount: cs.filter((c) => isOverdue(c, today)).length,
      rate: { regionCode: code, fromOn: '1949-10-01', toOn: today, ...comp, ...rateOf(comp) },
      benefit: {
        year,
        outputValueFen: bs.reduce((s, b) => s + b.outputValueFen, 0),
        wagesFen: bs.reduce((s, b) => s + b.wagesFen, 0),
        poorWorkers: bs.reduce((s, b) => s + b.poorWorkers, 0),
        poorWorkerEarningsFen: bs.reduce((s, b) => s + b.poorWorkerEarningsFen, 0),
      },
    };
  };
  const children = levelOf(regionCode) === 'VILLAGE' ? [] : await regionsRepo.findChildren(svc.db, regionCode);
  return { total: row(regionCode), rows: children.map((r) => row(r.code)), asOf: today, year };
}


