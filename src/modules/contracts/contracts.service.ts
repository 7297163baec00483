import { z } from 'zod';
import type { ServiceContext } from '../../shared/context';
import { addDays } from '../../shared/dates';
import { badUserInput, DomainError } from '../../shared/errors';
import { MAX_FEN } from '../../shared/money';
import { keysetPage, PageArgs } from '../../shared/pagination';
import { dateString, optionalText, parseInput, text } from '../../shared/validation';
import { appendAudit } from '../audit/audit.repository';
import { acquireHold, extendHold, holdOn, releaseHold, requireFree } from '../assets/assets.holds';
import { applyTransition, listAssetsNotHeld, recordAssetEvent, requireAsset } from '../assets/assets.service';
import { requireNotFuture, requireOrdered } from '../../shared/dates';
import type { Asset, AssetStatus } from '../assets/assets.types';
import { authorize, canRead } from '../auth/auth.service';
import { collectiveOf, partyRefSchema, resolvePartyRef } from '../parties/parties.service';
import type { Party } from '../parties/parties.types';
import { isRegionCode, levelOf } from '../regions/regions.codes';
import { isVisible, requireRegion, scopedPrefix } from '../regions/regions.service';
import { currentOwnerParties } from '../rights/rights.service';
import { lastDecisionOn, openChain, requireApproved } from '../approvals/approvals.service';
import { countyStep, townshipStep, villageResolutions } from '../approvals/approvals.steps';
import type { ApprovalChain, StepSpec } from '../approvals/approvals.types';
import * as repo from './contracts.repository';
import { termMonths } from './contracts.terms';
import {
  Contract,
  ContractDecision,
  ContractState,
  ContractTerms,
  DECISION_KINDS,
  DEFAULT_MAX_TERM_YEARS,
  FEE_KINDS,
  FEE_PERIODS,
  FEE_REQUIRED_MODES,
  FeeSchedule,
  OPERATION_MODES,
  OperationMode,
  PERIODS_PER_YEAR,
} from './contracts.types';

const money = (what: string) =>
  z
    .number()
    .int()
    .refine((v) => v >= 0 && v <= MAX_FEN, { message: `${what} must not be negative`, params: { code: 'INVALID_AMOUNT' } });

const bp = z.number().int().min(0, 'at least 0 basis points').max(10_000, 'at most 10000 basis points (100%)');

const feeSchema = z.object({
  kind: z.enum(FEE_KINDS),
  amountFen: money('amount').nullish(),
  rateBp: bp.nullish(),
  period: z.enum(FEE_PERIODS).nullish(),
});

const decisionSchema = z.object({
  kind: z.enum(DECISION_KINDS),
  reference: text(100),
  decidedOn: dateString,
  villageCode: z.string().nullish(),
});

const signSchema = z.object({
  assetId: z.number(),
  contractNo: text(60),
  mode: z.enum(OPERATION_MODES),
  operator: partyRefSchema,
  signedOn: dateString,
  startOn: dateString,
  endOn: dateString,
  fee: feeSchema.nullish(),
  guaranteedRateBp: bp.nullish(),
  depositFen: money('deposit').nullish(),
  decisions: z.array(decisionSchema).max(50).nullish(),
  modeChangeApprovalId: z.number().nullish(),
  note: optionalText(1000),
});

const amendSchema = z.object({
  contractId: z.number(),
  signedOn: dateString,
  effectiveFrom: dateString,
  endOn: dateString.nullish(),
  fee: feeSchema.nullish(),
  guaranteedRateBp: bp.nullish(),
  depositFen: money('deposit').nullish(),
  reason: text(1000),
});

const renewSchema = z.object({
  contractId: z.number(),
  signedOn: dateString,
  endOn: dateString,
  fee: feeSchema.nullish(),
  guaranteedRateBp: bp.nullish(),
  depositFen: money('deposit').nullish(),
  note: optionalText(1000),
});

const terminateSchema = z.object({
  contractId: z.number(),
  terminatedOn: dateString,
  reason: text(1000),
});

const termLimitSchema = z.object({
  countyCode: z.string(),
  maxYears: z.number().int().min(1, 'at least 1 year').max(70, 'at most 70 years'),
  reason: optionalText(1000),
});

/** Statuses in which an operating asset can take a contract: handed over, running (有租无合同 fix), idle. */
const SIGNABLE: readonly AssetStatus[] = ['HANDED_OVER', 'IN_OPERATION', 'IDLE'];

/** Checks a fee schedule's shape: each kind carries exactly its own fields. */
function normaliseFee(fee: z.infer<typeof feeSchema>, field: string[]): FeeSchedule {
  const has = (v: unknown) => v !== null && v !== undefined;
  if (fee.kind === 'NONE') {
    if (has(fee.amountFen) || has(fee.rateBp) || has(fee.period)) {
      throw new DomainError('INVALID_INPUT', 'A NONE fee schedule has no amount, rate or period', field);
    }
    return { kind: 'NONE', amountFen: null, rateBp: null, period: null };
  }
  if (!has(fee.period)) throw new DomainError('REQUIRED', 'A rent or fee needs its payment period', [...field, 'period']);
  if (fee.kind === 'FIXED') {
    if (!has(fee.amountFen)) throw new DomainError('REQUIRED', 'A FIXED fee needs its amount per period', [...field, 'amount']);
    if (fee.amountFen === 0) throw new DomainError('INVALID_AMOUNT', 'A FIXED fee must be positive', [...field, 'amount']);
    if (has(fee.rateBp)) throw new DomainError('INVALID_INPUT', 'A FIXED fee has no rate', [...field, 'rateBp']);
    // The yearly amount (per period × periods a year) must stay an exact integer of fen.
    if (BigInt(fee.amountFen!) * BigInt(PERIODS_PER_YEAR[fee.period!]) > BigInt(MAX_FEN)) {
      throw new DomainError('INVALID_AMOUNT', 'The yearly fee would exceed the largest amount (2^53 fen)', [...field, 'amount']);
    }
    return { kind: 'FIXED', amountFen: fee.amountFen!, rateBp: null, period: fee.period! };
  }
  if (!has(fee.rateBp) || fee.rateBp === 0) {
    throw new DomainError('REQUIRED', 'A PERCENT_OF_VALUE fee needs a positive yearly rate in basis points', [...field, 'rateBp']);
  }
  if (has(fee.amountFen)) throw new DomainError('INVALID_INPUT', 'A PERCENT_OF_VALUE fee has no fixed amount', [...field, 'amount']);
  return { kind: 'PERCENT_OF_VALUE', amountFen: null, rateBp: fee.rateBp!, period: fee.period! };
}

/** What each mode must or must not carry: self-operation has no rent; a lease or 承包 has one. */
function requireModeTerms(mode: OperationMode, terms: Pick<ContractTerms, 'fee' | 'guaranteedRateBp' | 'depositFen'>): void {
  if (mode === 'SELF_OPERATED' && (terms.fee.kind !== 'NONE' || terms.guaranteedRateBp !== null || terms.depositFen !== null)) {
    throw new DomainError('INVALID_INPUT', 'Self-operation (自营) has no rent, guaranteed return or deposit: the owner pays itself nothing', [
      'input',
      'fee',
    ]);
  }
  if (FEE_REQUIRED_MODES.includes(mode) && terms.fee.kind === 'NONE') {
    throw new DomainError('REQUIRED', `A ${mode} contract needs a rent or fee schedule`, ['input', 'fee']);
  }
}

/** 0 means "none" for a guaranteed rate or deposit. */
const noneIfZero = (v: number | null | undefined) => (v ? v : null);

/**
 * Self-operation is the owner running its asset; every other mode puts it in another party's hands
 * (an owner does not lease to itself). Operators are parties; the owner-kind rules live in rights.
 */
function requireOperatorFits(mode: OperationMode, operator: Party, owners: { party: Party }[]): void {
  const isOwner = owners.some((o) => o.party.id === operator.id);
  if (mode === 'SELF_OPERATED' && !isOwner) {
    throw new DomainError('OPERATOR_NOT_ALLOWED', `Self-operation (自营) is run by an owner; ${operator.name} is not one`, ['input', 'operator']);
  }
  if (mode !== 'SELF_OPERATED' && isOwner) {
    throw new DomainError(
      'OPERATOR_NOT_ALLOWED',
      `${operator.name} owns the asset: an owner running its own asset is SELF_OPERATED, not ${mode}`,
      ['input', 'operator'],
    );
  }
}

/**
 * Decision records (brief §5, §11.9), kept on the contract as evidence: each is checked (an owner village's
 * resolution, dates before signing). The authority for a change of mode is the approval chain
 * (requireModeChangeApproval), not these typed references.
 */
async function resolveDecisions(
  svc: ServiceContext,
  input: { decisions?: z.infer<typeof decisionSchema>[] | null; signedOn: string; mode: OperationMode },
  owners: { party: Party }[],
): Promise<Omit<ContractDecision, 'id' | 'contractId' | 'version' | 'recordedAt'>[]> {
  const out: Omit<ContractDecision, 'id' | 'contractId' | 'version' | 'recordedAt'>[] = [];
  for (const [i, d] of (input.decisions ?? []).entries()) {
    const field = ['input', 'decisions', String(i)];
    requireNotFuture(svc, d.decidedOn, [...field, 'decidedOn']);
    if (d.decidedOn > input.signedOn) {
      throw new DomainError('DATE_ORDER', 'A decision precedes the signature: decidedOn must not be after signedOn', [...field, 'decidedOn']);
    }
    let partyId: number | null = null;
    if (d.kind === 'VILLAGE_RESOLUTION') {
      if (!d.villageCode) throw new DomainError('REQUIRED', 'A village resolution names its village', [...field, 'villageCode']);
      if (!isRegionCode(d.villageCode) || levelOf(d.villageCode) !== 'VILLAGE') {
        throw new DomainError('INVALID_REGION', `${d.villageCode} is not a village`, [...field, 'villageCode']);
      }
      const collective = await collectiveOf(svc.db, svc.clock, d.villageCode);
      if (!owners.some((o) => o.party.id === collective.id)) {
        throw new DomainError('NOT_AN_OWNER', `${collective.name} does not own this asset; its resolution does not decide it`, [
          ...field,
          'villageCode',
        ]);
      }
      partyId = collective.id;
    } else if (d.villageCode) {
      throw new DomainError('INVALID_INPUT', 'Only a village resolution names a village', [...field, 'villageCode']);
    }
    out.push({ kind: d.kind, reference: d.reference, decidedOn: d.decidedOn, partyId });
  }
  return out;
}

/**
 * The decisions a change of operation mode needs (brief §5, §11.9), as chain steps: village collectives —
 * every owner village's resolution (四议两公开), then the township; households — the filing with the village
 * committee; a township or county body — its township or the county department.
 */
async function modeChangeSteps(svc: ServiceContext, asset: Asset): Promise<StepSpec[]> {
  const owners = await currentOwnerParties(svc.db, asset.id);
  const kinds = new Set(owners.map((o) => o.party.kind));
  const steps: StepSpec[] = [];
  if (kinds.has('VILLAGE_COLLECTIVE')) {
    steps.push(...villageResolutions(owners.filter((o) => o.party.kind === 'VILLAGE_COLLECTIVE').map((o) => o.party.regionCode)));
  }
  if (kinds.has('HOUSEHOLD')) steps.push({ kind: 'VILLAGE_FILING', regionCode: asset.villageCode });
  if (kinds.has('VILLAGE_COLLECTIVE') || kinds.has('TOWNSHIP')) steps.push(townshipStep(asset.villageCode));
  if (kinds.has('COUNTY_BODY')) steps.push(countyStep(asset.villageCode, 'COUNTY_DEPARTMENT'));
  return steps;
}

const modeChangeSchema = z.object({
  assetId: z.number(),
  mode: z.enum(OPERATION_MODES),
  requestedOn: dateString,
  reason: text(1000),
});

/**
 * 经营方式变更申请 Asks for a change of operation mode on the approval chain. The contract that makes the
 * change is signed after the chain approves it and names it (contractSign's modeChangeApprovalId).
 */
export async function requestModeChange(svc: ServiceContext, raw: unknown): Promise<ApprovalChain> {
  const input = parseInput(modeChangeSchema, raw);
  const asset = await requireAsset(svc, input.assetId);
  authorize(svc.actor, 'contract.write', asset.villageCode);
  const previous = await repo.latestOfAsset(svc.db, asset.id);
  if (!previous || previous.mode === input.mode) {
    throw new DomainError('INVALID_INPUT', `No change of mode: the asset's last contract is ${previous?.mode ?? 'none'}`, ['input', 'mode']);
  }
  return openChain(svc, {
    purpose: 'CONTRACT_MODE_CHANGE',
    subjectType: 'Asset',
    subjectId: asset.id,
    regionCode: asset.villageCode,
    template: 'CONTRACT_MODE_CHANGE',
    steps: await modeChangeSteps(svc, asset),
    summary: { assetId: asset.id, from: previous.mode, to: input.mode, reason: input.reason },
    requestedOn: input.requestedOn,
  });
}

/** A contract that changes the mode names an approved, unused chain for this asset and mode, decided before signing. */
async function requireModeChangeApproval(
  svc: ServiceContext,
  asset: Asset,
  input: { mode: OperationMode; signedOn: string; modeChangeApprovalId?: number | null },
): Promise<ApprovalChain> {
  const field = ['input', 'modeChangeApprovalId'];
  if (!input.modeChangeApprovalId) {
    throw new DomainError(
      'DECISION_REQUIRED',
      `Changing the operation mode to ${input.mode} needs an approved change (contractModeChangeRequest, then each step on the approval chain)`,
      field,
    );
  }
  const chain = await requireApproved(svc, input.modeChangeApprovalId, field);
  const summary = chain.summary as { assetId?: number; to?: string };
  if (chain.purpose !== 'CONTRACT_MODE_CHANGE' || summary.assetId !== asset.id || summary.to !== input.mode) {
    throw new DomainError('DECISION_REQUIRED', `Approval chain ${chain.id} does not approve ${input.mode} for this asset`, field);
  }
  if (await repo.isModeChangeChainUsed(svc.db, chain.id)) {
    throw new DomainError('DECISION_REQUIRED', `Approval chain ${chain.id} was already used by another contract`, field);
  }
  if ((await lastDecisionOn(svc, chain)) > input.signedOn) {
    throw new DomainError('DATE_ORDER', 'The contract is signed after the change of mode was approved', ['input', 'signedOn']);
  }
  return chain;
}

/**
 * 签订运营合同 Signs an operation contract for an operating asset (brief §5, §11.8, §11.20).
 * Status follows: a contract that has started moves a handed-over asset into operation and revitalises an
 * idle one; a contract that starts later leaves the status for assetStartOperation on the day.
 */
export async function signContract(svc: ServiceContext, raw: unknown): Promise<{ contract: Contract; asset: Asset }> {
  const input = parseInput(signSchema, raw);
  const asset = await requireAsset(svc, input.assetId);
  authorize(svc.actor, 'contract.write', asset.villageCode);
  if (asset.class !== 'OPERATING') {
    throw new DomainError('CLASS_NOT_ALLOWED', `Only operating assets (经营性) take operation contracts; this one is ${asset.class}`, [
      'input',
      'assetId',
    ]);
  }
  if (!SIGNABLE.includes(asset.status)) {
    const why = ['REGISTERED', 'CONFIRMED'].includes(asset.status)
      ? 'hand the asset over before signing a contract'
      : 'the asset is locked or ended';
    throw new DomainError('ILLEGAL_TRANSITION', `Cannot sign a contract for an asset in status ${asset.status}: ${why}`, ['input', 'assetId']);
  }
  requireNotFuture(svc, input.signedOn, ['input', 'signedOn']);
  requireOrdered(
    [
      ['handedOverOn', asset.handedOverOn],
      ['signedOn', input.signedOn],
      ['startOn', input.startOn],
    ],
    ['input'],
  );
  if (input.endOn <= input.startOn) {
    throw new DomainError('DATE_ORDER', 'endOn must be after startOn', ['input', 'endOn']);
  }
  const terms: ContractTerms = {
    signedOn: input.signedOn,
    effectiveFrom: input.startOn,
    startOn: input.startOn,
    endOn: input.endOn,
    fee: normaliseFee(input.fee ?? { kind: 'NONE' }, ['input', 'fee']),
    guaranteedRateBp: noneIfZero(input.guaranteedRateBp),
    depositFen: noneIfZero(input.depositFen),
  };
  requireModeTerms(input.mode, terms);
  const operator = await resolvePartyRef(svc, input.operator, ['input', 'operator']);
  const owners = await currentOwnerParties(svc.db, asset.id);
  requireOperatorFits(input.mode, operator, owners);
  if (await repo.findByNumber(svc.db, asset.countyCode, input.contractNo)) {
    throw new DomainError('DUPLICATE', `Contract number ${input.contractNo} is already used in this county`, ['input', 'contractNo']);
  }
  // One arrangement at a time (brief §11.20): another contract, a venture, a pledge or a disposal holding the
  // asset on any day of the term refuses the signature.
  await requireFree(svc, asset, { from: input.startOn, to: input.endOn, kind: 'CONTRACT' }, ['input', 'startOn']);
  const previous = await repo.latestOfAsset(svc.db, asset.id);
  const decisions = await resolveDecisions(svc, input, owners);
  const modeChange = previous && previous.mode !== input.mode ? await requireModeChangeApproval(svc, asset, input) : null;

  const now = svc.clock.now();
  const id = await repo.insert(
    svc.db,
    {
      assetId: asset.id,
      countyCode: asset.countyCode,
      villageCode: asset.villageCode,
      contractNo: input.contractNo,
      mode: input.mode,
      operatorPartyId: operator.id,
      termMonths: termMonths(input.startOn, input.endOn),
      createdAt: now,
    },
    terms,
  );
  await repo.insertVersion(svc.db, {
    contractId: id,
    version: 1,
    kind: 'ORIGINAL',
    ...terms,
    reason: input.note,
    actorUserId: svc.actor.userId,
    recordedAt: now,
  });
  await repo.insertDecisions(svc.db, decisions.map((d) => ({ ...d, contractId: id, version: 1, recordedAt: now })));
  await acquireHold(svc, asset, { kind: 'CONTRACT', holderId: id, holderLabel: input.contractNo, startOn: input.startOn, endOn: input.endOn });
  if (modeChange) await repo.setModeChangeChain(svc.db, id, modeChange.id);
  await recordAssetEvent(svc, asset, 'CONTRACT_SIGN', {
    effectiveOn: input.signedOn,
    reason: input.note,
    dateField: ['input', 'signedOn'],
    payload: {
      contractId: id,
      contractNo: input.contractNo,
      mode: input.mode,
      operatorPartyId: operator.id,
      startOn: input.startOn,
      endOn: input.endOn,
      ...(previous && previous.mode !== input.mode ? { modeChangedFrom: previous.mode, modeChangeApprovalId: modeChange?.id } : {}),
    },
  });
  let updated = asset;
  if (input.startOn <= svc.clock.today() && asset.status !== 'IN_OPERATION') {
    updated = await applyTransition(svc, asset, asset.status === 'IDLE' ? 'REVITALISE' : 'START_OPERATION', {
      effectiveOn: input.startOn,
      reason: `合同 ${input.contractNo} 起始 contract starts`,
      dateField: ['input', 'startOn'],
      payload: { contractId: id, contractNo: input.contractNo },
    });
  }
  return { contract: (await repo.findById(svc.db, id))!, asset: updated };
}

/** Loads a contract the actor can see (its asset's village in scope), locking the asset row. */
async function requireContract(svc: ServiceContext, contractId: number, permission: 'contract.write'): Promise<{ contract: Contract; asset: Asset }> {
  const contract = await repo.findById(svc.db, contractId);
  if (!contract || !canRead(svc.actor, contract.villageCode)) {
    throw new DomainError('NOT_FOUND', 'No such contract in your scope', ['input', 'contractId']);
  }
  const asset = await requireAsset(svc, contract.assetId, ['input', 'contractId']);
  authorize(svc.actor, permission, asset.villageCode);
  return { contract, asset };
}

function requireOpen(contract: Contract, on: string, what: string): void {
  if (contract.status === 'TERMINATED') {
    throw new DomainError('CONTRACT_CLOSED', `Contract ${contract.contractNo} was terminated on ${contract.terminatedOn}`, ['input', 'contractId']);
  }
  if (on > contract.endOn) {
    throw new DomainError(
      'CONTRACT_CLOSED',
      `Contract ${contract.contractNo} ended on ${contract.endOn}: ${what} after its end is not possible (sign a new contract)`,
      ['input', 'contractId'],
    );
  }
}

/** Terms of a new version: the current ones with the given changes. */
function nextTerms(
  current: ContractTerms,
  change: { signedOn: string; effectiveFrom: string; endOn?: string | null; fee?: z.infer<typeof feeSchema> | null; guaranteedRateBp?: number | null; depositFen?: number | null },
): ContractTerms {
  return {
    signedOn: change.signedOn,
    effectiveFrom: change.effectiveFrom,
    startOn: current.startOn,
    endOn: change.endOn ?? current.endOn,
    fee: change.fee ? normaliseFee(change.fee, ['input', 'fee']) : current.fee,
    guaranteedRateBp: change.guaranteedRateBp === null || change.guaranteedRateBp === undefined ? current.guaranteedRateBp : noneIfZero(change.guaranteedRateBp),
    depositFen: change.depositFen === null || change.depositFen === undefined ? current.depositFen : noneIfZero(change.depositFen),
  };
}

const sameTerms = (a: ContractTerms, b: ContractTerms) =>
  a.endOn === b.endOn &&
  a.fee.kind === b.fee.kind &&
  a.fee.amountFen === b.fee.amountFen &&
  a.fee.rateBp === b.fee.rateBp &&
  a.fee.period === b.fee.period &&
  a.guaranteedRateBp === b.guaranteedRateBp &&
  a.depositFen === b.depositFen;

async function addVersion(
  svc: ServiceContext,
  contract: Contract,
  kind: 'AMENDMENT' | 'RENEWAL',
  terms: ContractTerms,
  reason: string | null,
): Promise<number> {
  const now = svc.clock.now();
  const version = contract.currentVersion + 1;
  await repo.insertVersion(svc.db, {
    contractId: contract.id,
    version,
    kind,
    ...terms,
    reason,
    actorUserId: svc.actor.userId,
    recordedAt: now,
  });
  await repo.setCurrentVersion(svc.db, contract.id, {
    version,
    endOn: terms.endOn,
    termMonths: termMonths(terms.startOn, terms.endOn),
    updatedAt: now,
  });
  return version;
}

/**
 * 合同变更 Amends a contract by a new version from a date (补充协议): rent, guarantee, deposit or end date.
 * Earlier versions stay as they were agreed.
 */
export async function amendContract(svc: ServiceContext, raw: unknown): Promise<{ contract: Contract; asset: Asset }> {
  const input = parseInput(amendSchema, raw);
  const { contract, asset } = await requireContract(svc, input.contractId, 'contract.write');
  requireOpen(contract, input.effectiveFrom, 'an amendment taking effect');
  requireNotFuture(svc, input.signedOn, ['input', 'signedOn']);
  requireOrdered(
    [
      ['previousSignedOn', contract.terms.signedOn],
      ['signedOn', input.signedOn],
      ['effectiveFrom', input.effectiveFrom],
    ],
    ['input'],
  );
  if (input.effectiveFrom < contract.startOn || input.effectiveFrom <= contract.terms.effectiveFrom) {
    throw new DomainError(
      'DATE_ORDER',
      `effectiveFrom must lie after the current version's start (${contract.terms.effectiveFrom}) and within the term`,
      ['input', 'effectiveFrom'],
    );
  }
  const terms = nextTerms(contract.terms, input);
  if (terms.endOn < input.effectiveFrom || terms.endOn <= terms.startOn) {
    throw new DomainError('DATE_ORDER', 'endOn must not be before the amendment takes effect', ['input', 'endOn']);
  }
  if (sameTerms(terms, contract.terms)) throw new DomainError('INVALID_INPUT', 'The amendment changes nothing', ['input']);
  requireModeTerms(contract.mode, terms);
  if (terms.endOn !== contract.endOn) await extendHold(svc, asset, 'CONTRACT', contract.id, terms.endOn, ['input', 'endOn']);
  const version = await addVersion(svc, contract, 'AMENDMENT', terms, input.reason);
  await recordAssetEvent(svc, asset, 'CONTRACT_AMEND', {
    effectiveOn: input.signedOn,
    reason: input.reason,
    dateField: ['input', 'signedOn'],
    payload: { contractId: contract.id, contractNo: contract.contractNo, version, effectiveFrom: input.effectiveFrom, endOn: terms.endOn },
  });
  return { contract: (await repo.findById(svc.db, contract.id))!, asset };
}

/**
 * 续签 Renews a contract for a further term starting the day after the current end. A renewal is signed
 * before the term ends; a lapsed contract is not renewed but replaced by a new one.
 */
export async function renewContract(svc: ServiceContext, raw: unknown): Promise<{ contract: Contract; asset: Asset }> {
  const input = parseInput(renewSchema, raw);
  const { contract, asset } = await requireContract(svc, input.contractId, 'contract.write');
  requireOpen(contract, input.signedOn, 'a renewal signed');
  requireNotFuture(svc, input.signedOn, ['input', 'signedOn']);
  if (input.signedOn < contract.terms.signedOn) {
    throw new DomainError('DATE_ORDER', `signedOn must not be before the current version's signature (${contract.terms.signedOn})`, [
      'input',
      'signedOn',
    ]);
  }
  if (input.endOn <= contract.endOn) {
    throw new DomainError('DATE_ORDER', `A renewal ends after the current end (${contract.endOn})`, ['input', 'endOn']);
  }
  const effectiveFrom = addDays(contract.endOn, 1);
  const terms = nextTerms(contract.terms, { ...input, effectiveFrom });
  requireModeTerms(contract.mode, terms);
  await extendHold(svc, asset, 'CONTRACT', contract.id, input.endOn, ['input', 'endOn']);
  const version = await addVersion(svc, contract, 'RENEWAL', terms, input.note);
  await recordAssetEvent(svc, asset, 'CONTRACT_RENEW', {
    effectiveOn: input.signedOn,
    reason: input.note,
    dateField: ['input', 'signedOn'],
    payload: { contractId: contract.id, contractNo: contract.contractNo, version, effectiveFrom, endOn: input.endOn },
  });
  return { contract: (await repo.findById(svc.db, contract.id))!, asset };
}

/**
 * 解除合同 Terminates a contract from a date with its reason. The asset it ran falls IDLE on that day
 * (nobody operates it any more) until a new contract revitalises it; a pending contract's asset keeps
 * its status.
 */
export async function terminateContract(svc: ServiceContext, raw: unknown): Promise<{ contract: Contract; asset: Asset }> {
  const input = parseInput(terminateSchema, raw);
  const { contract, asset } = await requireContract(svc, input.contractId, 'contract.write');
  requireNotFuture(svc, input.terminatedOn, ['input', 'terminatedOn']);
  requireOpen(contract, input.terminatedOn, 'a termination');
  if (input.terminatedOn < contract.terms.signedOn) {
    throw new DomainError('DATE_ORDER', `terminatedOn must not be before the last signature (${contract.terms.signedOn})`, [
      'input',
      'terminatedOn',
    ]);
  }
  const now = svc.clock.now();
  await repo.terminate(svc.db, contract.id, { terminatedOn: input.terminatedOn, reason: input.reason, updatedAt: now });
  await releaseHold(svc, asset, 'CONTRACT', contract.id, { releasedOn: input.terminatedOn, reason: input.reason, dateField: ['input', 'terminatedOn'] });
  await recordAssetEvent(svc, asset, 'CONTRACT_TERMINATE', {
    effectiveOn: input.terminatedOn,
    reason: input.reason,
    dateField: ['input', 'terminatedOn'],
    payload: { contractId: contract.id, contractNo: contract.contractNo },
  });
  let updated = asset;
  if (asset.status === 'IN_OPERATION' && !(await holdOn(svc, asset, 'CONTRACT', input.terminatedOn))) {
    updated = await applyTransition(svc, asset, 'MARK_IDLE', {
      effectiveOn: input.terminatedOn,
      reason: `合同 ${contract.contractNo} 解除 contract terminated: ${input.reason}`,
      dateField: ['input', 'terminatedOn'],
      payload: { contractId: contract.id, contractNo: contract.contractNo },
    });
  }
  return { contract: (await repo.findById(svc.db, contract.id))!, asset: updated };
}

/** 合同期限上限 Sets the county's maximum contract term (years), used by the overlong-contract check. */
export async function setTermLimit(svc: ServiceContext, raw: unknown): Promise<{ countyCode: string; maxYears: number; isDefault: boolean }> {
  const input = parseInput(termLimitSchema, raw);
  await requireRegion(svc.db, input.countyCode, ['input', 'countyCode'], ['COUNTY']);
  authorize(svc.actor, 'contract.configure', input.countyCode);
  const before = await repo.termLimitOf(svc.db, input.countyCode);
  const now = svc.clock.now();
  await repo.setTermLimit(svc.db, input.countyCode, input.maxYears, svc.actor.userId, now);
  await appendAudit(svc.db, {
    entityType: 'ContractTermLimit',
    entityId: Number(input.countyCode.slice(0, 6)),
    action: 'SET',
    actorUserId: svc.actor.userId,
    recordedAt: now,
    payload: { countyCode: input.countyCode, before: before ?? DEFAULT_MAX_TERM_YEARS, after: input.maxYears, reason: input.reason },
  });
  return { countyCode: input.countyCode, maxYears: input.maxYears, isDefault: false };
}

/** The county's maximum contract term; readable by anyone whose scope lies in or contains the county. */
export async function getTermLimit(svc: ServiceContext, countyCode: string) {
  if (!isRegionCode(countyCode) || levelOf(countyCode) !== 'COUNTY' || !isVisible(svc.actor, countyCode)) return null;
  const maxYears = await repo.termLimitOf(svc.db, countyCode);
  return { countyCode, maxYears: maxYears ?? DEFAULT_MAX_TERM_YEARS, isDefault: maxYears === null };
}

// ---- reads -------------------------------------------------------------------------------------------

export async function getContract(svc: ServiceContext, id: number): Promise<Contract | null> {
  const c = await repo.findById(svc.db, id);
  return c && canRead(svc.actor, c.villageCode) ? c : null;
}

export interface ContractListFilter {
  regionCode?: string | null;
  assetId?: number | null;
  operatorPartyId?: number | null;
  mode?: OperationMode | null;
  state?: ContractState | null;
  text?: string | null;
}

export async function listContracts(svc: ServiceContext, filter: ContractListFilter, page: PageArgs) {
  const regionPrefix = scopedPrefix(svc.actor, filter.regionCode);
  return keysetPage(repo.listQuery(svc.db, { ...filter, regionPrefix }, svc.clock.today()), page, repo.toContract, 'contracts.id');
}

/** 即将到期 Open contracts ending within the next `withinDays` days (today included). */
export async function contractsExpiring(svc: ServiceContext, regionCode: string | null | undefined, withinDays: number, page: PageArgs) {
  if (!Number.isInteger(withinDays) || withinDays < 0 || withinDays > 3650) {
    throw badUserInput(`withinDays must be between 0 and 3650, got ${withinDays}`);
  }
  const today = svc.clock.today();
  const q = repo.expiringQuery(svc.db, scopedPrefix(svc.actor, regionCode), today, addDays(today, withinDays));
  return keysetPage(q, page, repo.toContract, 'contracts.id');
}

/** 超长期合同 Open contracts longer than the county's maximum term (or `maxYears`). */
export async function contractsOverlong(svc: ServiceContext, regionCode: string | null | undefined, maxYears: number | null | undefined, page: PageArgs) {
  if (maxYears !== null && maxYears !== undefined && (!Number.isInteger(maxYears) || maxYears < 1 || maxYears > 70)) {
    throw badUserInput(`maxYears must be between 1 and 70, got ${maxYears}`);
  }
  const q = repo.overlongQuery(svc.db, scopedPrefix(svc.actor, regionCode), svc.clock.today(), maxYears ?? null);
  return keysetPage(q, page, repo.toContract, 'contracts.id');
}

/** 有租无合同 Operating assets in operation with no contract in force today (none signed, or it lapsed). */
export async function operatingAssetsWithoutContract(svc: ServiceContext, regionCode: string | null | undefined, page: PageArgs) {
  return listAssetsNotHeld(svc, { regionCode, class: 'OPERATING', status: 'IN_OPERATION' }, 'CONTRACT', svc.clock.today(), page);
}
