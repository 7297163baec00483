import { z } from 'zod';
import type { ServiceContext } from '../../shared/context';
import { DomainError } from '../../shared/errors';
import { MAX_FEN } from '../../shared/money';
import { keysetPage, PageArgs } from '../../shared/pagination';
import { dateString, optionalText, parseInput, text } from '../../shared/validation';
import * as assetsRepo from '../assets/assets.repository';
import { recordAssetEvent, requireAsset } from '../assets/assets.service';
import { requireNotFuture } from '../../shared/dates';
import type { Asset } from '../assets/assets.types';
import { authorize, canRead } from '../auth/auth.service';
import { partyRefSchema, resolvePartyRef } from '../parties/parties.service';
import { scopedPrefix } from '../regions/regions.service';
import * as repo from './upkeep.repository';
import { UPKEEP_FUND_SOURCES, UPKEEP_PAID_FROM, UPKEEP_RECORD_KINDS, UpkeepAssignment, UpkeepPaidFrom, UpkeepRecord } from './upkeep.types';
import { postEntry, replayOf } from '../journal/journal.service';
import { requestFingerprint } from '../journal/journal.hash';
import { collectiveOf } from '../parties/parties.service';

const assignSchema = z.object({
  assetId: z.number(),
  body: partyRefSchema,
  personName: text(50),
  personRole: optionalText(100),
  fundSource: z.enum(UPKEEP_FUND_SOURCES),
  effectiveFrom: dateString,
  note: optionalText(1000),
});

const recordSchema = z.object({
  assetId: z.number(),
  kind: z.enum(UPKEEP_RECORD_KINDS),
  doneOn: dateString,
  costFen: z
    .number()
    .int()
    .refine((v) => v >= 0 && v <= MAX_FEN, { message: 'cost must not be negative', params: { code: 'INVALID_AMOUNT' } }),
  note: optionalText(1000),
  paidFrom: z.enum(UPKEEP_PAID_FROM).nullish(),
  idempotencyKey: text(100).nullish(),
});

/** Upkeep starts once the owner is known: an unconfirmed asset has nobody to answer for it yet. */
function requireConfirmed(asset: Asset): void {
  if (asset.status === 'REGISTERED') {
    throw new DomainError('ILLEGAL_TRANSITION', 'Rights are not confirmed yet: confirm the owner before assigning upkeep', [
      'input',
      'assetId',
    ]);
  }
}

/**
 * 管护责任 Assigns upkeep: responsible body, responsible person, fund source, from a date (brief §4, §11.7).
 * A new assignment ends the current one the day before it starts; history is kept.
 */
export async function assignUpkeep(svc: ServiceContext, raw: unknown): Promise<{ asset: Asset; assignment: UpkeepAssignment }> {
  const input = parseInput(assignSchema, raw);
  const asset = await requireAsset(svc, input.assetId);
  authorize(svc.actor, 'upkeep.write', asset.villageCode);
  requireConfirmed(asset);
  const body = await resolvePartyRef(svc, input.body, ['input', 'body']);
  // The keeper of a village asset is named inside the actor's scope (issue 8): another village's collective
  // or household is not this clerk's to put on duty. Township and county bodies, companies stay nameable.
  if ((body.kind === 'VILLAGE_COLLECTIVE' || body.kind === 'HOUSEHOLD') && !canRead(svc.actor, body.regionCode)) {
    throw new DomainError('INVALID_REGION', `${body.name} is outside your region`, ['input', 'body']);
  }
  const current = await repo.openAssignment(svc.db, asset.id);
  if (current && input.effectiveFrom <= current.effectiveFrom) {
    throw new DomainError('DATE_ORDER', `effectiveFrom must be after ${current.effectiveFrom}, when the current keeper started`, [
      'input',
      'effectiveFrom',
    ]);
  }
  const now = svc.clock.now();
  if (current) await repo.closeAssignment(svc.db, asset.id, input.effectiveFrom);
  const assignment: Omit<UpkeepAssignment, 'id'> = {
    assetId: asset.id,
    bodyPartyId: body.id,
    personName: input.personName,
    personRole: input.personRole,
    fundSource: input.fundSource,
    effectiveFrom: input.effectiveFrom,
    effectiveTo: null,
    note: input.note,
    actorUserId: svc.actor.userId,
    recordedAt: now,
  };
  const id = await repo.insertAssignment(svc.db, assignment);
  await recordAssetEvent(svc, asset, 'UPKEEP_ASSIGN', {
    effectiveOn: input.effectiveFrom,
    reason: input.note,
    dateField: ['input', 'effectiveFrom'],
    payload: {
      assignmentId: id,
      bodyPartyId: body.id,
      personName: input.personName,
      fundSource: input.fundSource,
      ...(current ? { previousAssignmentId: current.id } : {}),
    },
  });
  return { asset, assignment: { id, ...assignment } };
}

/**
 * 管护记录 Records an inspection, maintenance or repair with its cost. Records are observations: a late
 * entry of an old inspection is fine, as long as it is not before the handover or in the future.
 *
 * A cost is money spent (brief §11 rule 11: costs before profit): it is posted to the journal as an
 * UPKEEP_EXPENSE entry from the village collective's pot the clerk names — never taking it below zero —
 * under an idempotency key, so a retry records and pays once. The next plan of the period nets it.
 */
export async function recordUpkeep(svc: ServiceContext, raw: unknown): Promise<{ asset: Asset; record: UpkeepRecord; replayed: boolean }> {
  const input = parseInput(recordSchema, raw);
  const payment = input.costFen > 0 ? requirePayment(input, svc.actor.userId) : null;
  if (payment) {
    // Journal lock and key first (lock order), so a retry does nothing else either.
    const replay = await replayOf(svc, payment.idempotencyKey, payment.fingerprint);
    if (replay) {
      const record = (await repo.findRecordByEntryId(svc.db, replay.entry.id))!;
      return { asset: await requireAsset(svc, record.assetId), record, replayed: true };
    }
  }
  const asset = await requireAsset(svc, input.assetId);
  authorize(svc.actor, 'upkeep.write', asset.villageCode);
  if (!asset.handedOverOn) {
    throw new DomainError('ILLEGAL_TRANSITION', 'The asset is not handed over yet: its builder still maintains it', ['input', 'assetId']);
  }
  if (input.doneOn < asset.handedOverOn) {
    throw new DomainError('DATE_ORDER', `doneOn must not be before the handover (${asset.handedOverOn})`, ['input', 'doneOn']);
  }
  requireNotFuture(svc, input.doneOn, ['input', 'doneOn']);
  const entryId = payment ? await payUpkeep(svc, asset, input, payment) : null;
  const now = svc.clock.now();
  const record: Omit<UpkeepRecord, 'id'> = {
    assetId: asset.id,
    kind: input.kind,
    doneOn: input.doneOn,
    costFen: input.costFen,
    note: input.note,
    entryId,
    paidFrom: payment?.paidFrom ?? null,
    actorUserId: svc.actor.userId,
    recordedAt: now,
  };
  const id = await repo.insertRecord(svc.db, record);
  await recordAssetEvent(svc, asset, 'UPKEEP_RECORD', {
    effectiveOn: input.doneOn,
    reason: input.note,
    dateField: ['input', 'doneOn'],
    payload: { recordId: id, kind: input.kind, costFen: input.costFen, ...(entryId ? { entryId, paidFrom: payment!.paidFrom } : {}) },
  });
  return { asset, record: { id, ...record }, replayed: false };
}

interface UpkeepPayment {
  paidFrom: UpkeepPaidFrom;
  idempotencyKey: string;
  fingerprint: string;
}

/** A cost needs to say which pot pays it, and a key that makes a retry harmless. */
function requirePayment(input: z.infer<typeof recordSchema>, userId: number): UpkeepPayment {
  if (!input.paidFrom) throw new DomainError('REQUIRED', 'A cost is paid from somewhere: name the pot (paidFrom)', ['input', 'paidFrom']);
  if (!input.idempotencyKey) throw new DomainError('REQUIRED', 'A cost moves money: give an idempotency key', ['input', 'idempotencyKey']);
  const { idempotencyKey, ...fingerprinted } = input;
  return { paidFrom: input.paidFrom, idempotencyKey, fingerprint: requestFingerprint('upkeepRecord', userId, fingerprinted as any) };
}

/** 管护支出: the collective's pot → its EXPENSES account, dated when the work was done. */
async function payUpkeep(svc: ServiceContext, asset: Asset, input: z.infer<typeof recordSchema>, payment: UpkeepPayment): Promise<number> {
  const collective = await collectiveOf(svc.db, svc.clock, asset.villageCode);
  try {
    const posted = await postEntry(svc, {
      kind: 'UPKEEP_EXPENSE',
      effectiveOn: input.doneOn,
      memo: `管护支出 ${asset.name} ${input.note ?? input.kind}`.slice(0, 200),
      source: { type: 'ASSET', id: asset.id },
      assetId: asset.id,
      idempotencyKey: payment.idempotencyKey,
      requestFingerprint: payment.fingerprint,
      postings: [
        { holderPartyId: collective.id, kind: payment.paidFrom, amountFen: -input.costFen },
        { holderPartyId: collective.id, kind: 'EXPENSES', amountFen: input.costFen },
      ],
    });
    return posted.entry.id;
  } catch (err) {
    if (err instanceof DomainError && err.code === 'INSUFFICIENT_BALANCE') {
      throw new DomainError('INSUFFICIENT_BALANCE', err.message, ['input', 'paidFrom']);
    }
    throw err;
  }
}

/**
 * 管护缺位 Public-welfare assets in use with no upkeep assignment in force today (brief §11.7): the
 * assets audits find nobody maintains.
 */
export async function upkeepWarnings(svc: ServiceContext, regionCode: string | null | undefined, page: PageArgs) {
  const today = svc.clock.today();
  const q = assetsRepo
    .listQuery(svc.db, { regionPrefix: scopedPrefix(svc.actor, regionCode), class: 'PUBLIC_WELFARE', status: 'IN_USE' })
    .whereNotExists(repo.assignedOnSubquery(svc.db, today));
  return keysetPage(q, page, (row: any) => {
    const asset = assetsRepo.toAsset(row);
    return {
      asset,
      kind: 'NO_KEEPER' as const,
      message: `${asset.name} (${asset.code}) is in use without upkeep assigned (管护责任未落实)`,
    };
  });
}

export async function assignmentsOf(svc: Pick<ServiceContext, 'db'>, assetIds: readonly number[]) {
  return repo.assignmentsOf(svc.db, assetIds);
}
