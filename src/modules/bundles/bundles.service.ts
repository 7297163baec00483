/**
 * 打包联营 Pooled ventures (issue 10, DESIGN §2 "Bundles", domain brief §9, §11 items 20, 22, 23).
 *
 * A venture (联营体) with its registered party (kind VENTURE) and member villages. Each contribution — an
 * asset at its appraised value, or cash — waits for its approval chain (every owner village's own
 * resolution, then the township's filing, or the county's when the venture spans townships); when the chain
 * approves, the asset takes a BUNDLE hold and becomes BUNDLED, or the cash moves by a journal entry from the
 * village's CASH to the venture's VENTURE_CONTRIBUTION, and the share table is recomputed as a dated share
 * event. Profit is recorded once per year and split to the members by their shares on the split date.
 *
 * Lock order (docs/journal.md): any mutation that may post takes the journal lock first, then the venture row.
 */
import { z } from 'zod';
import type { ServiceContext } from '../../shared/context';
import { DomainError } from '../../shared/errors';
import { requireNotFuture, yearOf } from '../../shared/dates';
import { formatFen, MAX_FEN } from '../../shared/money';
import { keysetPage, PageArgs } from '../../shared/pagination';
import { dateString, optionalText, parseInput, text } from '../../shared/validation';
import * as assetsRepo from '../assets/assets.repository';
import { acquireHold, releaseHold, requireFree } from '../assets/assets.holds';
import { requireAsset } from '../assets/assets.service';
import { nextStatus } from '../assets/assets.lifecycle';
import type { Asset } from '../assets/assets.types';
import { linkSubject, onChainSettled, openChain, withdrawChain } from '../approvals/approvals.service';
import * as approvalsRepo from '../approvals/approvals.repository';
import { villageResolutions } from '../approvals/approvals.steps';
import type { ApprovalChain, ApprovalDecision, StepSpec } from '../approvals/approvals.types';
import { authorize, authorizeRole, canRead } from '../auth/auth.service';
import * as documentsRepo from '../documents/documents.repository';
import { allocate } from '../journal/allocation';
import { requestFingerprint } from '../journal/journal.hash';
import * as journalRepo from '../journal/journal.repository';
import { accountBalance, idempotencyKey, postEntry, PostedEntry, replayOf } from '../journal/journal.service';
import { isValidCreditCode } from '../parties/creditCode';
import { collectiveOf } from '../parties/parties.service';
import * as partiesRepo from '../parties/parties.repository';
import { countyCodeOf, isRegionCode, levelOf, townshipCodeOf } from '../regions/regions.codes';
import * as regionsRepo from '../regions/regions.repository';
import { scopedPrefix } from '../regions/regions.service';
import { ownersOn } from '../rights/rights.service';
import * as repo from './bundles.repository';
import { eventOn, sharesFromValues, splitByShares } from './bundles.shares';
import {
  Bundle,
  BundleContribution,
  BundleMember,
  BundleProfit,
  IncomeSplit,
  LEGAL_FORMS,
  OwnerWeight,
  ShareCause,
  ShareEvent,
} from './bundles.types';

const positiveFen = z
  .number()
  .int()
  .refine((v) => v > 0 && v <= MAX_FEN, { message: 'amount must be positive (more than 0.00)', params: { code: 'INVALID_AMOUNT' } });

// =========================================================================================================
// Visibility and authority
// =========================================================================================================

/**
 * A venture is visible to whoever's scope holds its supervising region, or any member village: a village
 * clerk sees the ventures its village belongs to, with every member's share.
 */
function isBundleVisible(svc: ServiceContext, bundle: Bundle, members: readonly BundleMember[]): boolean {
  return canRead(svc.actor, bundle.regionCode) || members.some((m) => canRead(svc.actor, m.villageCode));
}

async function requireVisibleBundle(svc: ServiceContext, bundleId: number, lock = false): Promise<{ bundle: Bundle; members: BundleMember[] }> {
  const bundle = await repo.findBundle(svc.db, bundleId, lock);
  const members = bundle ? await repo.membersOf(svc.db, [bundle.id]) : [];
  if (!bundle || !isBundleVisible(svc, bundle, members)) {
    throw new DomainError('NOT_FOUND', 'No such venture in your scope', ['input', 'bundleId']);
  }
  return { bundle, members };
}

function requireActive(bundle: Bundle): void {
  if (bundle.status !== 'ACTIVE') {
    throw new DomainError('ILLEGAL_TRANSITION', `${bundle.name} was dissolved on ${bundle.dissolvedOn}: nothing more may change`, ['input', 'bundleId']);
  }
}

// =========================================================================================================
// Stake guards: modules above bundles (disposal's pledges of a stake) refuse a change of a member's stake
// =========================================================================================================

/** What happens to a member's stake (入股份额): it leaves the venture, or the venture is dissolved. */
export type StakeChange = 'WITHDRAW' | 'DISSOLVE';
/**
 * Says why the stakes of these members may not change (null: they may). Registered by modules above bundles
 * when their service file loads (as the journal's guardReversal), so bundles imports nothing above it.
 */
export type StakeGuard = (svc: ServiceContext, members: readonly BundleMember[], change: StakeChange) => Promise<string | null>;
const stakeGuards: StakeGuard[] = [];

/** A module above bundles refuses a withdrawal or dissolution that would take away a stake it relies on. */
export function guardStakeChange(guard: StakeGuard): void {
  stakeGuards.push(guard);
}

/** STAKE_PLEDGED (the guard's message names the pledge) when any registered guard refuses the change. */
async function requireStakesFree(svc: ServiceContext, members: readonly BundleMember[], change: StakeChange, field: string[]): Promise<void> {
  if (!members.length) return;
  for (const guard of stakeGuards) {
    const why = await guard(svc, members, change);
    if (why) throw new DomainError('STAKE_PLEDGED', why, field);
  }
}

/** A member with its venture, for modules above bundles (a pledge of the stake); no scope check here. */
export async function findStake(svc: ServiceContext, memberId: number, lock = false): Promise<{ member: BundleMember; bundle: Bundle } | null> {
  const member = await repo.findMember(svc.db, memberId);
  const bundle = member && (await repo.findBundle(svc.db, member.bundleId, lock));
  return member && bundle ? { member, bundle } : null;
}

/** The officer that files a venture's changes: its township, or the county when it spans townships. */
function supervisingStep(bundle: Bundle): StepSpec {
  return levelOf(bundle.regionCode) === 'TOWNSHIP'
    ? { kind: 'TOWNSHIP', regionCode: bundle.regionCode }
    : { kind: 'COUNTY_DEPARTMENT', regionCode: bundle.regionCode };
}

/** Takes the journal lock (before any venture or asset row: the lock order every money mutation keeps). */
async function lockJournal(svc: ServiceContext): Promise<void> {
  await journalRepo.lockHead(svc.db);
}

// =========================================================================================================
// bundleCreate
// =========================================================================================================

const createSchema = z.object({
  name: text(200),
  legalForm: z.enum(LEGAL_FORMS),
  creditCode: z.string().trim().toUpperCase(),
  startOn: dateString,
  villageCodes: z.array(z.string()).min(1, 'at least one member village').max(100, 'at most 100 member villages'),
});

/**
 * 创建联营体 Creates a venture with its party (统一社会信用代码, GB 32100) and the villages invited. A county
 * planner creates one inside the county; a township reviewer one whose villages all lie in the township.
 */
export async function createBundle(svc: ServiceContext, raw: unknown): Promise<{ bundle: Bundle; members: BundleMember[] }> {
  authorizeRole(svc.actor, 'bundle.manage');
  const input = parseInput(createSchema, raw);
  requireNotFuture(svc, input.startOn, ['input', 'startOn']);
  const villageCodes = [...new Set(input.villageCodes)].sort();
  for (const [i, code] of input.villageCodes.entries()) {
    const region = isRegionCode(code) ? await regionsRepo.findByCode(svc.db, code) : undefined;
    if (!region || region.level !== 'VILLAGE') {
      throw new DomainError('INVALID_REGION', `${code} is not a village`, ['input', 'villageCodes', String(i)]);
    }
    if (!canRead(svc.actor, code)) {
      throw new DomainError('INVALID_REGION', `${region.name} (${code}) lies outside your region: invite only villages you supervise`, [
        'input',
        'villageCodes',
        String(i),
      ]);
    }
  }
  const counties = new Set(villageCodes.map(countyCodeOf));
  if (counties.size > 1) {
    throw new DomainError('INVALID_REGION', 'A venture pools villages of one county (跨县联营 is out of scope)', ['input', 'villageCodes']);
  }
  const townships = new Set(villageCodes.map(townshipCodeOf));
  const regionCode = townships.size === 1 ? [...townships][0] : [...counties][0];
  authorize(svc.actor, 'bundle.manage', regionCode);

  if (!isValidCreditCode(input.creditCode)) {
    throw new DomainError('INVALID_CREDIT_CODE', 'The unified social credit code fails the GB 32100-2015 check (统一社会信用代码校验失败)', [
      'input',
      'creditCode',
    ]);
  }
  if (await partiesRepo.findByCreditCode(svc.db, input.creditCode)) {
    throw new DomainError('DUPLICATE', 'A party with this credit code is already registered', ['input', 'creditCode']);
  }
  const countyCode = [...counties][0];
  if (await repo.findBundleByName(svc.db, countyCode, input.name)) {
    throw new DomainError('DUPLICATE', `A venture named ${input.name} already exists in the county`, ['input', 'name']);
  }
  const now = svc.clock.now();
  const partyId = await partiesRepo.insert(svc.db, { kind: 'VENTURE', name: input.name, regionCode, creditCode: input.creditCode, createdAt: now });
  const bundle: Omit<Bundle, 'id'> = {
    partyId,
    name: input.name,
    legalForm: input.legalForm,
    countyCode,
    regionCode,
    status: 'ACTIVE',
    startOn: input.startOn,
    dissolvedOn: null,
    dissolveReason: null,
    createdBy: svc.actor.userId,
    createdAt: now,
    updatedAt: now,
  };
  const id = await repo.insertBundle(svc.db, bundle);
  for (const code of villageCodes) {
    const collective = await collectiveOf(svc.db, svc.clock, code);
    await repo.insertMember(svc.db, {
      bundleId: id,
      villageCode: code,
      partyId: collective.id,
      status: 'INVITED',
      invitedOn: input.startOn,
      joinedOn: null,
      withdrawnOn: null,
      withdrawReason: null,
      withdrawChainId: null,
      createdAt: now,
      updatedAt: now,
    });
  }
  return { bundle: { id, ...bundle }, members: await repo.membersOf(svc.db, [id]) };
}

// =========================================================================================================
// bundleContribute
// =========================================================================================================

const appraisalSchema = z.object({
  appraiser: text(200),
  appraisedOn: dateString,
  valueFen: positiveFen,
  reportNo: optionalText(100),
  documentId: z.number().int().nullish(),
});

const contributeSchema = z.object({
  bundleId: z.number(),
  villageCode: z.string(),
  kind: z.enum(['ASSET', 'CASH']),
  assetId: z.number().nullish(),
  appraisal: appraisalSchema.nullish(),
  amountFen: positiveFen.nullish(),
  contributedOn: dateString,
});

function memberOf(members: readonly BundleMember[], villageCode: string, field: string[]): BundleMember {
  const m = members.find((x) => x.villageCode === villageCode);
  if (!m || m.status === 'WITHDRAWN') {
    throw new DomainError('NOT_A_MEMBER', `Village ${villageCode} is not a member of this venture${m ? ' any more' : ''}`, field);
  }
  return m;
}

async function requireDocument(svc: ServiceContext, documentId: number | null | undefined, field: string[]): Promise<void> {
  if (documentId === null || documentId === undefined) return;
  const doc = await documentsRepo.findById(svc.db, documentId);
  if (!doc) throw new DomainError('NOT_FOUND', 'No such document', field);
}

/**
 * 入股出资 Records a member village's contribution and opens its approval chain: every owner village's
 * resolution (四议两公开), then the filing. Nothing is held or moved until the chain approves.
 */
export async function contribute(svc: ServiceContext, raw: unknown): Promise<{ contribution: BundleContribution; chain: ApprovalChain }> {
  authorizeRole(svc.actor, 'bundle.contribute');
  const input = parseInput(contributeSchema, raw);
  const { bundle, members } = await requireVisibleBundle(svc, input.bundleId, true);
  authorize(svc.actor, 'bundle.contribute', input.villageCode);
  requireActive(bundle);
  const member = memberOf(members, input.villageCode, ['input', 'villageCode']);
  requireNotFuture(svc, input.contributedOn, ['input', 'contributedOn']);
  if (input.contributedOn < bundle.startOn) {
    throw new DomainError('DATE_ORDER', `contributedOn is before the venture starts (${bundle.startOn})`, ['input', 'contributedOn']);
  }

  let ownerWeights: OwnerWeight[];
  let valueFen: number;
  let asset: Asset | null = null;
  let resolutionVillages: string[];
  if (input.kind === 'ASSET') {
    if (input.assetId == null) throw new DomainError('REQUIRED', 'An asset contribution names the asset', ['input', 'assetId']);
    if (input.amountFen != null) throw new DomainError('INVALID_INPUT', 'An asset contribution is valued by its appraisal, not an amount', ['input', 'amountFen']);
    asset = await requireAsset(svc, input.assetId);
    // 折股量化: in-kind assets are appraised before they become shares (brief §9).
    if (!input.appraisal) {
      throw new DomainError('APPRAISAL_REQUIRED', 'An asset enters a venture at an appraised value (资产评估): give the appraisal', ['input', 'appraisal']);
    }
    await requireDocument(svc, input.appraisal.documentId, ['input', 'appraisal', 'documentId']);
    if (input.appraisal.appraisedOn > input.contributedOn) {
      throw new DomainError('DATE_ORDER', 'The appraisal comes before the contribution', ['input', 'appraisal', 'appraisedOn']);
    }
    ({ ownerWeights, resolutionVillages } = await requireContributable(svc, bundle, members, asset, input.villageCode, input.appraisal.valueFen, input.contributedOn));
    valueFen = input.appraisal.valueFen;
  } else {
    if (input.assetId != null || input.appraisal) throw new DomainError('INVALID_INPUT', 'A cash contribution names no asset and no appraisal', ['input', 'assetId']);
    if (input.amountFen == null) throw new DomainError('REQUIRED', 'A cash contribution states its amount', ['input', 'amount']);
    valueFen = input.amountFen;
    const cash = (await accountBalance(svc, member.partyId, 'CASH'))?.balanceFen ?? 0;
    if (cash < valueFen) {
      throw new DomainError('INSUFFICIENT_BALANCE', `The village holds ${formatFen(cash)} yuan in cash; ${formatFen(valueFen)} cannot be contributed`, [
        'input',
        'amount',
      ]);
    }
    ownerWeights = [{ villageCode: input.villageCode, valueFen }];
    resolutionVillages = [input.villageCode];
  }

  const chain = await openChain(svc, {
    purpose: 'BUNDLE_JOIN',
    subjectType: 'BundleContribution',
    subjectId: null,
    regionCode: input.villageCode,
    template: resolutionVillages.length > 1 ? 'BUNDLE_JOIN_JOINT' : 'BUNDLE_JOIN',
    steps: [...villageResolutions(resolutionVillages), supervisingStep(bundle)],
    summary: {
      bundleId: bundle.id,
      venture: bundle.name,
      villageCode: input.villageCode,
      kind: input.kind,
      assetId: asset?.id ?? null,
      assetCode: asset?.code ?? null,
      valueFen,
      ownerWeights: ownerWeights.map((w) => ({ villageCode: w.villageCode, valueFen: w.valueFen })),
      contributedOn: input.contributedOn,
    },
    requestedOn: input.contributedOn,
  });
  const now = svc.clock.now();
  const row: Omit<BundleContribution, 'id'> = {
    bundleId: bundle.id,
    memberId: member.id,
    kind: input.kind,
    assetId: asset?.id ?? null,
    valueFen,
    appraiser: input.appraisal?.appraiser ?? null,
    appraisedOn: input.appraisal?.appraisedOn ?? null,
    appraisalReportNo: input.appraisal?.reportNo ?? null,
    appraisalDocumentId: input.appraisal?.documentId ?? null,
    ownerWeights,
    contributedOn: input.contributedOn,
    effectiveOn: null,
    status: 'PENDING',
    chainId: chain.id,
    entryId: null,
    returnedOn: null,
    returnEntryId: null,
    createdBy: svc.actor.userId,
    createdAt: now,
    updatedAt: now,
  };
  const id = await repo.insertContribution(svc.db, row);
  await linkSubject(svc, chain.id, id);
  return { contribution: { id, ...row }, chain: { ...chain, subjectId: id } };
}

/**
 * An asset may enter the venture when it is confirmed and handed over, owned only by village collectives
 * that are members (the contributing village among them), in a status the lifecycle lets into a bundle,
 * and free of other holds from the contribution date on. Returns its value split over the owner villages
 * by their ownership shares, and the villages whose resolutions are needed (every owner: brief §11.9).
 */
async function requireContributable(
  svc: ServiceContext,
  bundle: Bundle,
  members: readonly BundleMember[],
  asset: Asset,
  villageCode: string,
  valueFen: number,
  on: string,
): Promise<{ ownerWeights: OwnerWeight[]; resolutionVillages: string[] }> {
  const owners = await ownersOn(svc.db, asset.id, on);
  if (!owners.length || asset.status === 'REGISTERED') {
    throw new DomainError('NOT_CONFIRMED', `${asset.name} (${asset.code}) has no confirmed owners on ${on} (未确权): confirm its rights first`, ['input', 'assetId']);
  }
  if (!asset.handedOverOn || asset.handedOverOn > on) {
    throw new DomainError('ILLEGAL_TRANSITION', `${asset.name} (${asset.code}) was not handed over to its owners by ${on}`, ['input', 'assetId']);
  }
  const parties = await partiesRepo.findByIds(svc.db, owners.map((o) => o.partyId));
  const byId = new Map(parties.map((p) => [p.id, p]));
  const ordered = [...owners].sort((a, b) => a.partyId - b.partyId);
  for (const o of ordered) {
    const p = byId.get(o.partyId)!;
    if (p.kind !== 'VILLAGE_COLLECTIVE') {
      throw new DomainError('NOT_AN_OWNER', `${asset.code} is owned in part by ${p.name} (${p.kind}), not a village collective: only village assets are pooled`, [
        'input',
        'assetId',
      ]);
    }
    const m = members.find((x) => x.villageCode === p.regionCode);
    if (!m || m.status === 'WITHDRAWN') {
      throw new DomainError('NOT_AN_OWNER', `${p.name} co-owns ${asset.code} but is not a member of ${bundle.name}: every owner village must join`, [
        'input',
        'assetId',
      ]);
    }
  }
  const ownerVillages = ordered.map((o) => byId.get(o.partyId)!.regionCode);
  if (!ownerVillages.includes(villageCode)) {
    throw new DomainError('NOT_AN_OWNER', `${asset.code} is not owned by village ${villageCode}`, ['input', 'assetId']);
  }
  const open = await repo.openContributionsOfAsset(svc.db, asset.id);
  if (open.length) {
    const holder = await repo.findBundle(svc.db, open[0].bundleId);
    throw new DomainError(
      'ASSET_HELD',
      `${asset.name} (${asset.code}) is already contributed to ${holder?.name ?? 'a venture'} (${open[0].status === 'PENDING' ? 'awaiting its approvals' : 'in force'})`,
      ['input', 'assetId'],
    );
  }
  if (await assetsRepo.findHold(svc.db, 'BUNDLE', bundle.id, asset.id)) {
    throw new DomainError('DUPLICATE', `${asset.code} was contributed to ${bundle.name} before and withdrawn: it is not contributed twice`, ['input', 'assetId']);
  }
  await requireFree(svc, asset, { from: on, to: null, kind: 'BUNDLE' });
  nextStatus(asset, 'BUNDLE');
  const parts = allocate(valueFen, ordered.map((o) => o.shareBp));
  const weights = new Map<string, number>();
  ownerVillages.forEach((v, i) => weights.set(v, (weights.get(v) ?? 0) + parts[i]));
  return {
    ownerWeights: [...weights]
      .map(([v, fen]) => ({ villageCode: v, valueFen: fen }))
      .filter((w) => w.valueFen > 0)
      .sort((a, b) => (a.villageCode < b.villageCode ? -1 : 1)),
    resolutionVillages: ownerVillages,
  };
}

const contributionKey = (c: BundleContribution) => `bundle-contribution:${c.id}`;
const returnKey = (c: BundleContribution) => `bundle-contribution-return:${c.id}`;
const chainFingerprint = (op: string, c: BundleContribution) => requestFingerprint(op, c.createdBy, { contributionId: c.id });

/** The approval chain of a contribution settled (same transaction as the last decision). */
async function onJoinSettled(svc: ServiceContext, chain: ApprovalChain, decision: ApprovalDecision): Promise<void> {
  const c = chain.subjectId === null ? undefined : await repo.findContribution(svc.db, chain.subjectId);
  if (!c) throw new Error(`approval chain ${chain.id} names no bundle contribution`);
  await lockJournal(svc);
  const bundle = (await repo.findBundle(svc.db, c.bundleId, true))!;
  const now = svc.clock.now();
  if (chain.status === 'REJECTED') {
    await repo.updateContribution(svc.db, c.id, { status: 'REJECTED', updatedAt: now });
    return;
  }
  requireActive(bundle);
  const members = await repo.membersOf(svc.db, [bundle.id]);
  for (const w of c.ownerWeights) memberOf(members, w.villageCode, ['input', 'chainId']);
  // A member joins from its resolution: the contribution takes effect on its date, or on the approval when later.
  const effectiveOn = c.contributedOn > decision.decidedOn ? c.contributedOn : decision.decidedOn;
  await requireAfterLastEvent(svc, bundle, effectiveOn, ['input', 'decidedOn']);
  let entryId: number | null = null;
  if (c.kind === 'ASSET') {
    const asset = (await assetsRepo.findByIdForUpdate(svc.db, c.assetId!))!;
    await acquireHold(svc, asset, {
      kind: 'BUNDLE',
      holderId: bundle.id,
      holderLabel: bundle.name,
      startOn: effectiveOn,
      endOn: null,
      step: 'BUNDLE',
      reason: `入股${bundle.name}，评估值 ${formatFen(c.valueFen)} 元`,
      payload: { contributionId: c.id, valueFen: c.valueFen, approvalChainId: chain.id },
      dateField: ['input', 'decidedOn'],
    });
  } else {
    const member = members.find((m) => m.id === c.memberId)!;
    const posted = await postEntry(svc, {
      kind: 'BUNDLE_CONTRIBUTION',
      effectiveOn,
      memo: `${member.villageCode} 现金入股${bundle.name} ${formatFen(c.valueFen)} 元`,
      source: { type: 'BUNDLE', id: bundle.id },
      idempotencyKey: contributionKey(c),
      requestFingerprint: chainFingerprint('bundleContribute', c),
      postings: [
        { holderPartyId: member.partyId, kind: 'CASH', amountFen: -c.valueFen },
        { holderPartyId: bundle.partyId, kind: 'VENTURE_CONTRIBUTION', amountFen: c.valueFen },
      ],
    });
    entryId = posted.entry.id;
  }
  await repo.updateContribution(svc.db, c.id, { status: 'ACTIVE', effectiveOn, entryId, updatedAt: now });
  for (const w of c.ownerWeights) {
    const m = members.find((x) => x.villageCode === w.villageCode)!;
    if (m.status === 'INVITED') await repo.updateMember(svc.db, m.id, { status: 'ACTIVE', joinedOn: effectiveOn, updatedAt: now });
  }
  await recordShareEvent(svc, bundle, effectiveOn, 'CONTRIBUTE', c.id);
}

// =========================================================================================================
// Share events
// =========================================================================================================

async function requireAfterLastEvent(svc: ServiceContext, bundle: Bundle, date: string, field: string[]): Promise<void> {
  const events = await repo.shareEventsOf(svc.db, [bundle.id]);
  const last = events[events.length - 1];
  if (last && date < last.effectiveOn) {
    throw new DomainError(
      'DATE_ORDER',
      `The share table of ${bundle.name} already changed on ${last.effectiveOn}; a later change cannot take effect earlier (${date})`,
      field,
    );
  }
}

/**
 * 股权变动 Recomputes the share table from the contributions in force and the active members, and appends it
 * as a dated event. Earlier events are never touched: sharesOn(date) reads the history.
 */
async function recordShareEvent(svc: ServiceContext, bundle: Bundle, effectiveOn: string, cause: ShareCause, subjectId: number | null): Promise<ShareEvent> {
  const members = await repo.membersOf(svc.db, [bundle.id]);
  const contributions = await repo.contributionsOf(svc.db, [bundle.id]);
  const values = new Map<number, number>();
  for (const c of contributions.filter((x) => x.status === 'ACTIVE')) {
    for (const w of c.ownerWeights) {
      const m = members.find((x) => x.villageCode === w.villageCode);
      if (m && m.status === 'ACTIVE') values.set(m.id, (values.get(m.id) ?? 0) + w.valueFen);
    }
  }
  const lines =
    cause === 'DISSOLVE'
      ? []
      : sharesFromValues(members.filter((m) => values.has(m.id)).map((m) => ({ memberId: m.id, villageCode: m.villageCode, valueFen: values.get(m.id)! })));
  const events = await repo.shareEventsOf(svc.db, [bundle.id]);
  const event: Omit<ShareEvent, 'id'> = {
    bundleId: bundle.id,
    seq: (events[events.length - 1]?.seq ?? 0) + 1,
    effectiveOn,
    cause,
    subjectId,
    actorUserId: svc.actor.userId,
    recordedAt: svc.clock.now(),
    lines,
  };
  const id = await repo.insertShareEvent(svc.db, event);
  return { id, ...event };
}

// =========================================================================================================
// bundleContributionRevalue
// =========================================================================================================

const revalueSchema = z.object({
  contributionId: z.number(),
  appraisal: appraisalSchema,
  effectiveOn: dateString,
  reason: optionalText(1000),
});

/**
 * 重新评估 A new appraisal replaces an asset contribution's value from a date; the shares are recomputed.
 * Filed by the venture's supervising officer (county planner or township reviewer).
 */
export async function revalueContribution(svc: ServiceContext, raw: unknown): Promise<{ contribution: BundleContribution; event: ShareEvent }> {
  authorizeRole(svc.actor, 'bundle.manage');
  const input = parseInput(revalueSchema, raw);
  const found = await repo.findContribution(svc.db, input.contributionId);
  if (!found || !(await getBundle(svc, found.bundleId))) throw new DomainError('NOT_FOUND', 'No such contribution in your scope', ['input', 'contributionId']);
  const { bundle } = await requireVisibleBundle(svc, found.bundleId, true);
  authorize(svc.actor, 'bundle.manage', bundle.regionCode);
  requireActive(bundle);
  const c = (await repo.findContribution(svc.db, input.contributionId))!;
  if (c.kind !== 'ASSET' || c.status !== 'ACTIVE') {
    throw new DomainError('ILLEGAL_TRANSITION', `Only an asset contribution in force is revalued; this one is a ${c.kind} contribution, ${c.status}`, [
      'input',
      'contributionId',
    ]);
  }
  requireNotFuture(svc, input.effectiveOn, ['input', 'effectiveOn']);
  await requireDocument(svc, input.appraisal.documentId, ['input', 'appraisal', 'documentId']);
  if (input.appraisal.appraisedOn > input.effectiveOn) {
    throw new DomainError('DATE_ORDER', 'The appraisal comes before the revaluation takes effect', ['input', 'appraisal', 'appraisedOn']);
  }
  if (input.effectiveOn < c.effectiveOn!) {
    throw new DomainError('DATE_ORDER', `The contribution took effect on ${c.effectiveOn}`, ['input', 'effectiveOn']);
  }
  await requireAfterLastEvent(svc, bundle, input.effectiveOn, ['input', 'effectiveOn']);
  const newValue = input.appraisal.valueFen;
  // The owners keep their proportions: the new value is split as the old one was.
  const parts = allocate(newValue, c.ownerWeights.map((w) => w.valueFen));
  const ownerWeights = c.ownerWeights.map((w, i) => ({ villageCode: w.villageCode, valueFen: parts[i] })).filter((w) => w.valueFen > 0);
  const now = svc.clock.now();
  const revaluationId = await repo.insertRevaluation(svc.db, {
    contributionId: c.id,
    valueBeforeFen: c.valueFen,
    valueAfterFen: newValue,
    appraiser: input.appraisal.appraiser,
    appraisedOn: input.appraisal.appraisedOn,
    appraisalReportNo: input.appraisal.reportNo,
    appraisalDocumentId: input.appraisal.documentId ?? null,
    effectiveOn: input.effectiveOn,
    reason: input.reason,
    actorUserId: svc.actor.userId,
    recordedAt: now,
  });
  await repo.updateContribution(svc.db, c.id, { valueFen: newValue, ownerWeights, updatedAt: now });
  const event = await recordShareEvent(svc, bundle, input.effectiveOn, 'REVALUE', revaluationId);
  return { contribution: { ...c, valueFen: newValue, ownerWeights, updatedAt: now }, event };
}

// =========================================================================================================
// bundleWithdraw and bundleDissolve
// =========================================================================================================

const withdrawSchema = z.object({
  bundleId: z.number(),
  villageCode: z.string(),
  withdrawnOn: dateString,
  reason: text(1000),
});

/**
 * 退出联营 A member asks to withdraw on a date: its resolution and the filing go on the approval chain; when
 * it approves, the member's assets are released (status restored), its cash refunded, the shares recomputed.
 */
export async function requestWithdrawal(svc: ServiceContext, raw: unknown): Promise<{ member: BundleMember; chain: ApprovalChain }> {
  authorizeRole(svc.actor, 'bundle.contribute');
  const input = parseInput(withdrawSchema, raw);
  const { bundle, members } = await requireVisibleBundle(svc, input.bundleId, true);
  authorize(svc.actor, 'bundle.contribute', input.villageCode);
  requireActive(bundle);
  const member = memberOf(members, input.villageCode, ['input', 'villageCode']);
  requireNotFuture(svc, input.withdrawnOn, ['input', 'withdrawnOn']);
  if (member.status !== 'ACTIVE' || !member.joinedOn) {
    throw new DomainError('ILLEGAL_TRANSITION', `Village ${member.villageCode} has not joined yet (no contribution approved): nothing to withdraw`, [
      'input',
      'villageCode',
    ]);
  }
  if (input.withdrawnOn < member.joinedOn) {
    throw new DomainError('DATE_ORDER', `withdrawnOn is before the village joined (${member.joinedOn})`, ['input', 'withdrawnOn']);
  }
  if (member.withdrawChainId !== null) {
    throw new DomainError('DUPLICATE', 'A withdrawal of this village is already awaiting its approvals', ['input', 'villageCode']);
  }
  await requireAfterLastEvent(svc, bundle, input.withdrawnOn, ['input', 'withdrawnOn']);
  await requireStakesFree(svc, [member], 'WITHDRAW', ['input', 'villageCode']);
  const chain = await openChain(svc, {
    purpose: 'BUNDLE_WITHDRAW',
    subjectType: 'BundleMember',
    subjectId: member.id,
    regionCode: member.villageCode,
    template: 'BUNDLE_WITHDRAW',
    steps: [...villageResolutions([member.villageCode]), supervisingStep(bundle)],
    summary: { bundleId: bundle.id, venture: bundle.name, villageCode: member.villageCode, withdrawnOn: input.withdrawnOn, reason: input.reason },
    requestedOn: input.withdrawnOn,
  });
  await repo.updateMember(svc.db, member.id, { withdrawChainId: chain.id, withdrawReason: input.reason, updatedAt: svc.clock.now() });
  return { member: { ...member, withdrawChainId: chain.id, withdrawReason: input.reason }, chain };
}

async function onWithdrawSettled(svc: ServiceContext, chain: ApprovalChain, decision: ApprovalDecision): Promise<void> {
  const member = chain.subjectId === null ? undefined : await repo.findMember(svc.db, chain.subjectId);
  if (!member) throw new Error(`approval chain ${chain.id} names no bundle member`);
  await lockJournal(svc);
  const bundle = (await repo.findBundle(svc.db, member.bundleId, true))!;
  const now = svc.clock.now();
  if (chain.status === 'REJECTED') {
    await repo.updateMember(svc.db, member.id, { withdrawChainId: null, withdrawReason: null, updatedAt: now });
    return;
  }
  requireActive(bundle);
  const asked = String(chain.summary.withdrawnOn);
  const effectiveOn = asked > decision.decidedOn ? asked : decision.decidedOn;
  await requireAfterLastEvent(svc, bundle, effectiveOn, ['input', 'decidedOn']);
  // A pledge of the stake approved meanwhile still binds it: the last approval is refused until it is released.
  await requireStakesFree(svc, [member], 'WITHDRAW', ['input', 'chainId']);
  await releaseMember(svc, bundle, member, effectiveOn, `退出${bundle.name}：${member.withdrawReason ?? ''}`);
  await recordShareEvent(svc, bundle, effectiveOn, 'WITHDRAW', member.id);
}

/**
 * Releases what a member put in, on a date: its assets' holds (status restored), its cash refunded from the
 * venture's capital by a journal entry; pending contributions are withdrawn. The member is WITHDRAWN; its
 * rows stay, so the history (contributions, share events, splits) still reads.
 */
async function releaseMember(svc: ServiceContext, bundle: Bundle, member: BundleMember, on: string, reason: string): Promise<void> {
  const now = svc.clock.now();
  const contributions = (await repo.contributionsOf(svc.db, [bundle.id])).filter((c) => c.memberId === member.id);
  for (const c of contributions) {
    if (c.status === 'PENDING') {
      const chain = await approvalsRepo.findChain(svc.db, c.chainId);
      if (chain?.status === 'PENDING') await withdrawChain(svc, chain);
      await repo.updateContribution(svc.db, c.id, { status: 'REJECTED', updatedAt: now });
      continue;
    }
    if (c.status !== 'ACTIVE') continue;
    let returnEntryId: number | null = null;
    if (c.kind === 'ASSET') {
      const asset = (await assetsRepo.findByIdForUpdate(svc.db, c.assetId!))!;
      await releaseHold(svc, asset, 'BUNDLE', bundle.id, { releasedOn: on, reason, step: 'UNBUNDLE', payload: { contributionId: c.id } });
    } else {
      const posted = await postEntry(svc, {
        kind: 'BUNDLE_CONTRIBUTION',
        effectiveOn: on,
        memo: `${bundle.name} 退还 ${member.villageCode} 现金出资 ${formatFen(c.valueFen)} 元`,
        source: { type: 'BUNDLE', id: bundle.id },
        idempotencyKey: returnKey(c),
        requestFingerprint: chainFingerprint('bundleContributionReturn', c),
        postings: [
          { holderPartyId: bundle.partyId, kind: 'VENTURE_CONTRIBUTION', amountFen: -c.valueFen },
          { holderPartyId: member.partyId, kind: 'CASH', amountFen: c.valueFen },
        ],
      });
      returnEntryId = posted.entry.id;
    }
    await repo.updateContribution(svc.db, c.id, { status: 'RETURNED', returnedOn: on, returnEntryId, updatedAt: now });
  }
  await repo.updateMember(svc.db, member.id, { status: 'WITHDRAWN', withdrawnOn: on, updatedAt: now });
}

const dissolveSchema = z.object({ bundleId: z.number(), dissolvedOn: dateString, reason: text(1000) });

/** 解散 Dissolves the venture: every member released as on withdrawal, pending requests withdrawn. */
export async function dissolveBundle(svc: ServiceContext, raw: unknown): Promise<Bundle> {
  authorizeRole(svc.actor, 'bundle.manage');
  const input = parseInput(dissolveSchema, raw);
  await lockJournal(svc);
  const { bundle, members } = await requireVisibleBundle(svc, input.bundleId, true);
  authorize(svc.actor, 'bundle.manage', bundle.regionCode);
  requireActive(bundle);
  requireNotFuture(svc, input.dissolvedOn, ['input', 'dissolvedOn']);
  if (input.dissolvedOn < bundle.startOn) {
    throw new DomainError('DATE_ORDER', `dissolvedOn is before the venture started (${bundle.startOn})`, ['input', 'dissolvedOn']);
  }
  await requireAfterLastEvent(svc, bundle, input.dissolvedOn, ['input', 'dissolvedOn']);
  await requireStakesFree(svc, members.filter((m) => m.status !== 'WITHDRAWN'), 'DISSOLVE', ['input', 'bundleId']);
  for (const m of members) {
    if (m.withdrawChainId !== null) {
      const chain = await approvalsRepo.findChain(svc.db, m.withdrawChainId);
      if (chain?.status === 'PENDING') await withdrawChain(svc, chain);
    }
    if (m.status !== 'WITHDRAWN') await releaseMember(svc, bundle, m, input.dissolvedOn, `${bundle.name}解散：${input.reason}`);
  }
  await recordShareEvent(svc, bundle, input.dissolvedOn, 'DISSOLVE', null);
  const patch = { status: 'DISSOLVED' as const, dissolvedOn: input.dissolvedOn, dissolveReason: input.reason, updatedAt: svc.clock.now() };
  await repo.updateBundle(svc.db, bundle.id, patch);
  return { ...bundle, ...patch };
}

// =========================================================================================================
// Profit and income split
// =========================================================================================================

const profitSchema = z.object({
  bundleId: z.number(),
  year: z.number().int().min(2000).max(2100),
  profitFen: positiveFen,
  declaredOn: dateString,
  reference: text(100),
  memo: optionalText(500),
});

/**
 * 可分配利润 Records the venture's distributable profit of a year, once (by its audited accounts or board
 * resolution: the reference). Recording the same figure again returns the first record; a different one is
 * refused. No money moves here: the splits do.
 */
export async function recordProfit(svc: ServiceContext, raw: unknown): Promise<BundleProfit> {
  authorizeRole(svc.actor, 'bundle.manage');
  const input = parseInput(profitSchema, raw);
  const { bundle } = await requireVisibleBundle(svc, input.bundleId, true);
  authorize(svc.actor, 'bundle.manage', bundle.regionCode);
  requireNotFuture(svc, input.declaredOn, ['input', 'declaredOn']);
  if (input.year < yearOf(bundle.startOn) || yearOf(input.declaredOn) < input.year) {
    throw new DomainError('DATE_ORDER', `The profit of ${input.year} is declared after that year begins and within the venture's life (from ${bundle.startOn})`, [
      'input',
      'year',
    ]);
  }
  const existing = await repo.findProfit(svc.db, bundle.id, input.year);
  if (existing) {
    const same = existing.profitFen === input.profitFen && existing.declaredOn === input.declaredOn && existing.reference === input.reference;
    if (same) return existing;
    throw new DomainError('DUPLICATE', `The profit of ${input.year} was already recorded (${formatFen(existing.profitFen)} yuan, ${existing.reference})`, [
      'input',
      'year',
    ]);
  }
  const row: Omit<BundleProfit, 'id'> = { ...input, bundleId: bundle.id, actorUserId: svc.actor.userId, recordedAt: svc.clock.now() };
  const id = await repo.insertProfit(svc.db, row);
  return { id, ...row };
}

const splitSchema = z.object({
  bundleId: z.number(),
  year: z.number().int().min(2000).max(2100),
  amountFen: positiveFen,
  splitOn: dateString,
  memo: optionalText(200),
  idempotencyKey,
});
type SplitInput = z.infer<typeof splitSchema>;

export interface SplitResult {
  split: IncomeSplit;
  posted: PostedEntry;
}

/**
 * 收益分成 Splits (part of) a year's recorded profit to the members by their shares on the split date, exact
 * to the fen, in one journal entry: the venture's account pays, each member village's income awaiting
 * distribution receives. Each village then distributes its part through its own plan (四议两公开).
 */
export async function splitIncome(svc: ServiceContext, raw: unknown): Promise<SplitResult> {
  authorizeRole(svc.actor, 'bundle.manage');
  const input = parseInput(splitSchema, raw);
  const fingerprint = requestFingerprint('bundleIncomeSplit', svc.actor.userId, {
    bundleId: input.bundleId,
    year: input.year,
    amountFen: input.amountFen,
    splitOn: input.splitOn,
    memo: input.memo,
  } satisfies Omit<SplitInput, 'idempotencyKey'>);
  const replay = await replayOf(svc, input.idempotencyKey, fingerprint);
  if (replay) return { split: (await repo.splitByEntry(svc.db, replay.entry.id))!, posted: replay };

  const { bundle, members } = await requireVisibleBundle(svc, input.bundleId, true);
  authorize(svc.actor, 'bundle.manage', bundle.regionCode);
  requireNotFuture(svc, input.splitOn, ['input', 'splitOn']);
  const profit = await repo.findProfit(svc.db, bundle.id, input.year);
  if (!profit) {
    throw new DomainError('PROFIT_NOT_RECORDED', `No profit of ${input.year} is recorded for ${bundle.name}: record it first (bundleProfitRecord)`, ['input', 'year']);
  }
  if (input.splitOn < profit.declaredOn) {
    throw new DomainError('DATE_ORDER', `splitOn is before the profit was declared (${profit.declaredOn})`, ['input', 'splitOn']);
  }
  if (bundle.dissolvedOn !== null && input.splitOn >= bundle.dissolvedOn) {
    throw new DomainError('ILLEGAL_TRANSITION', `${bundle.name} was dissolved on ${bundle.dissolvedOn}: it has no members to split to`, ['input', 'splitOn']);
  }
  const already = await repo.splitTotalOfProfit(svc.db, profit.id);
  if (already + input.amountFen > profit.profitFen) {
    throw new DomainError(
      'SPLIT_EXCEEDS_PROFIT',
      `${formatFen(input.amountFen)} yuan would exceed the ${input.year} profit: ${formatFen(profit.profitFen)} recorded, ${formatFen(already)} already split`,
      ['input', 'amount'],
    );
  }
  const event = eventOn(await repo.shareEventsOf(svc.db, [bundle.id]), input.splitOn);
  if (!event || event.lines.length === 0) {
    throw new DomainError('NO_SHARES', `${bundle.name} has no members holding shares on ${input.splitOn}`, ['input', 'splitOn']);
  }
  const lines = splitByShares(input.amountFen, event.lines);
  const partyOf = new Map(members.map((m) => [m.id, m.partyId]));
  const posted = await postEntry(svc, {
    kind: 'BUNDLE_INCOME',
    effectiveOn: input.splitOn,
    memo: `${bundle.name} ${input.year}年度收益按股分成${input.memo ? `：${input.memo}` : ''}`,
    source: { type: 'BUNDLE', id: bundle.id },
    idempotencyKey: input.idempotencyKey,
    requestFingerprint: fingerprint,
    postings: [
      { holderPartyId: bundle.partyId, kind: 'EXTERNAL_COUNTERPARTY', amountFen: -input.amountFen },
      ...lines
        .filter((l) => l.amountFen > 0)
        .map((l) => ({ holderPartyId: partyOf.get(l.memberId)!, kind: 'INCOME_PENDING_DISTRIBUTION' as const, amountFen: l.amountFen })),
    ],
  });
  const split: Omit<IncomeSplit, 'id'> = {
    bundleId: bundle.id,
    profitId: profit.id,
    amountFen: input.amountFen,
    splitOn: input.splitOn,
    shareEventId: event.id,
    entryId: posted.entry.id,
    actorUserId: svc.actor.userId,
    recordedAt: svc.clock.now(),
    lines,
  };
  const id = await repo.insertSplit(svc.db, split);
  return { split: { id, ...split }, posted };
}

// =========================================================================================================
// Reads
// =========================================================================================================

export async function getBundle(svc: ServiceContext, id: number): Promise<Bundle | null> {
  const bundle = await repo.findBundle(svc.db, id);
  if (!bundle) return null;
  return isBundleVisible(svc, bundle, await repo.membersOf(svc.db, [id])) ? bundle : null;
}

export async function getContribution(svc: ServiceContext, id: number): Promise<BundleContribution | null> {
  const c = await repo.findContribution(svc.db, id);
  return c && (await getBundle(svc, c.bundleId)) ? c : null;
}

export interface BundleListFilter {
  regionCode?: string | null;
  status?: string | null;
  villageCode?: string | null;
  text?: string | null;
}

/** Ventures supervised inside the actor's scope (or the requested region), or with a member inside it. */
export async function listBundles(svc: ServiceContext, filter: BundleListFilter, page: PageArgs) {
  const q = repo.listQuery(svc.db, { regionPrefix: scopedPrefix(svc.actor, filter.regionCode), status: filter.status, villageCode: filter.villageCode, text: filter.text });
  return keysetPage(q, page, repo.toBundle, 'bundles.id');
}

/** 村的联营 A village's memberships (any status), for the village's view of its ventures. */
export async function villageMemberships(svc: ServiceContext, villageCode: string): Promise<BundleMember[]> {
  if (!isRegionCode(villageCode) || levelOf(villageCode) !== 'VILLAGE' || !canRead(svc.actor, villageCode)) return [];
  return repo.membershipsUnder(svc.db, villageCode);
}

/** The share table on a date, from the history (null date: today). */
export function sharesOn(events: readonly ShareEvent[], date: string): ShareEvent | null {
  return eventOn(events, date);
}

onChainSettled('BUNDLE_JOIN', onJoinSettled);
onChainSettled('BUNDLE_WITHDRAW', onWithdrawSettled);

export async function getSplit(svc: ServiceContext, id: number): Promise<IncomeSplit | null> {
  const split = await repo.findSplit(svc.db, id);
  return split && (await getBundle(svc, split.bundleId)) ? split : null;
}
