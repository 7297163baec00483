/**
 * Income recording (收益入账) and income against contract (收益对比), issue 4.
 *
 * A receipt of asset income becomes one journal entry — the payer's external account credited, each owner's
 * income awaiting distribution debited by its share, split exactly by largest remainder — plus an income
 * record (voucher, payer, contract) and an asset event, all in the mutation's one transaction.
 */
import { z } from 'zod';
import type { Executor } from '../../db/connection';
import type { ServiceContext } from '../../shared/context';
import { badUserInput, DomainError } from '../../shared/errors';
import { MAX_FEN } from '../../shared/money';
import { keysetPage, listPage, PageArgs } from '../../shared/pagination';
import { dateString, optionalText, parseInput, text } from '../../shared/validation';
import * as assetsRepo from '../assets/assets.repository';
import { recordAssetEvent, requireAsset } from '../assets/assets.service';
import { requireNotFuture } from '../../shared/dates';
import { toGlobalId } from '../../shared/ids';
import { holdOn } from '../assets/assets.holds';
import { TERMINAL } from '../assets/assets.lifecycle';
import type { Asset } from '../assets/assets.types';
import { authorize, authorizeRole, canRead } from '../auth/auth.service';
import * as contractsRepo from '../contracts/contracts.repository';
import { lastBindingDay } from '../contracts/contracts.terms';
import type { Contract } from '../contracts/contracts.types';
import { allocateBy } from '../journal/allocation';
import { requestFingerprint } from '../journal/journal.hash';
import { idempotencyKey, postEntry, PostedEntry, replayOf } from '../journal/journal.service';
import { partyRefSchema, resolvePartyRef } from '../parties/parties.service';
import { scopedPrefix } from '../regions/regions.service';
import { ownersOn } from '../rights/rights.service';
import { requireWithinCeiling } from '../policy/policy.service';
import * as repo from './income.repository';
import { compareWithContract, termsInYear } from './income.shortfall';
import { CLASSES_OF_KIND, INCOME_KIND_LABEL, INCOME_KINDS, IncomeKind, IncomeRecord, IncomeVsContract } from './income.types';

const recordSchema = z.object({
  assetId: z.number(),
  kind: z.enum(INCOME_KINDS),
  receivedOn: dateString,
  payer: partyRefSchema,
  voucherNo: text(60),
  amountFen: z
    .number()
    .int()
    .refine((v) => v > 0 && v <= MAX_FEN, { message: 'amount must be positive (more than 0.00)', params: { code: 'INVALID_AMOUNT' } }),
  contractId: z.number().nullish(),
  memo: optionalText(200),
  idempotencyKey,
  confirmAmountAboveLimit: z.boolean().nullish(),
});
type RecordInput = z.infer<typeof recordSchema>;

export interface RecordedIncome {
  income: IncomeRecord;
  posted: PostedEntry;
}

/** The request as the fingerprint sees it: the normalised input without the key. */
function fingerprintOf(svc: ServiceContext, input: RecordInput): string {
  return requestFingerprint('incomeRecord', svc.actor.userId, {
    assetId: input.assetId,
    kind: input.kind,
    receivedOn: input.receivedOn,
    payer: { partyId: input.payer.partyId ?? null, villageCode: input.payer.villageCode ?? null, householdId: input.payer.householdId ?? null },
    voucherNo: input.voucherNo,
    amountFen: input.amountFen,
    contractId: input.contractId ?? null,
    memo: input.memo,
  });
}

/**
 * 收益入账 Records a receipt of asset income (VILLAGE_CLERK of the asset's village, ADMIN).
 *
 * Lock order (docs/journal.md): the journal lock is taken first, by replayOf, before the asset row; a retry
 * with the same key returns the first result and does nothing else.
 */
export async function recordIncome(svc: ServiceContext, raw: unknown): Promise<RecordedIncome> {
  // Role first: a user who may not record income learns nothing about anyone's keys.
  authorizeRole(svc.actor, 'income.write');
  const input = parseInput(recordSchema, raw);
  requireNotFuture(svc, input.receivedOn, ['input', 'receivedOn']);
  // The asset's scope too, before the key is looked up (read without locking: the journal lock comes first).
  const target = await assetsRepo.findById(svc.db, input.assetId);
  if (!target || !canRead(svc.actor, target.villageCode)) throw new DomainError('NOT_FOUND', 'No such asset in your scope', ['input', 'assetId']);
  authorize(svc.actor, 'income.write', target.villageCode);
  const fingerprint = fingerprintOf(svc, input);
  const replay = await replayOf(svc, input.idempotencyKey, fingerprint);
  if (replay) {
    const [income] = await repo.findByEntryIds(svc.db, [replay.entry.id]);
    return { income, posted: replay };
  }

  const asset = await requireAsset(svc, input.assetId);
  authorize(svc.actor, 'income.write', asset.villageCode);
  requireIncomeFitsAsset(asset, input.kind, input.receivedOn);
  await requireNotBundled(svc, asset, input.receivedOn);
  await requireWithinCeiling(svc.db, asset.villageCode, input.amountFen, input.confirmAmountAboveLimit, ['input', 'amount']);
  const owners = await ownersOn(svc.db, asset.id, input.receivedOn);
  if (!owners.length) {
    throw new DomainError('NO_OWNERS', `Asset ${asset.code} has no confirmed owners on ${input.receivedOn}: income belongs to its owners`, [
      'input',
      'receivedOn',
    ]);
  }
  const contract = await contractFor(svc, asset, input.contractId ?? null, input.receivedOn);
  if (input.kind === 'GUARANTEE_TOP_UP') await requireGuarantee(svc.db, contract);
  const payer = await resolvePartyRef(svc, input.payer, ['input', 'payer']);
  // A payer's account records what it paid in: a clerk may name an outside company, but not post against
  // another village's collective or household, whose books are not the clerk's to write.
  if ((payer.kind === 'VILLAGE_COLLECTIVE' || payer.kind === 'HOUSEHOLD') && !canRead(svc.actor, payer.regionCode)) {
    throw new DomainError('INVALID_PAYER', `${payer.name} is outside your region: its books are not yours to write`, ['input', 'payer']);
  }
  const clash = await repo.findByVoucher(svc.db, asset.villageCode, input.voucherNo, input.receivedOn);
  if (clash) {
    throw new DomainError(
      'DUPLICATE',
      `Voucher ${input.voucherNo} was already recorded in ${input.receivedOn.slice(0, 4)} (${formatKind(clash.kind)} of ${clash.receivedOn}): the same money is not booked twice`,
      ['input', 'voucherNo'],
    );
  }

  // Joint owners share by their basis points, exactly to the fen; ties go to the lower party id.
  const byParty = [...owners].sort((a, b) => a.partyId - b.partyId);
  const shares = allocateBy(input.amountFen, byParty, (o) => o.shareBp).filter((s) => s.amountFen > 0);
  const posted = await postEntry(svc, {
    kind: 'INCOME',
    effectiveOn: input.receivedOn,
    memo: `${formatKind(input.kind)}收入 凭证号 ${input.voucherNo}${input.memo ? `：${input.memo}` : ''}`,
    source: contract ? { type: 'CONTRACT', id: contract.id } : { type: 'ASSET', id: asset.id },
    assetId: asset.id,
    idempotencyKey: input.idempotencyKey,
    requestFingerprint: fingerprint,
    postings: [
      { holderPartyId: payer.id, kind: 'EXTERNAL_COUNTERPARTY', amountFen: -input.amountFen },
      ...shares.map((s) => ({ holderPartyId: s.item.partyId, kind: 'INCOME_PENDING_DISTRIBUTION' as const, amountFen: s.amountFen })),
    ],
  });

  const record: Omit<IncomeRecord, 'id'> = {
    assetId: asset.id,
    villageCode: asset.villageCode,
    contractId: contract?.id ?? null,
    kind: input.kind,
    receivedOn: input.receivedOn,
    payerPartyId: payer.id,
    voucherNo: input.voucherNo,
    amountFen: input.amountFen,
    memo: input.memo,
    entryId: posted.entry.id,
    actorUserId: svc.actor.userId,
    recordedAt: svc.clock.now(),
  };
  const id = await repo.insert(svc.db, record);
  await recordAssetEvent(svc, asset, 'INCOME_RECORD', {
    effectiveOn: input.receivedOn,
    reason: input.memo,
    dateField: ['input', 'receivedOn'],
    payload: {
      incomeRecordId: id,
      entryId: posted.entry.id,
      entrySequence: posted.entry.sequence,
      kind: input.kind,
      amountFen: input.amountFen,
      voucherNo: input.voucherNo,
      payerPartyId: payer.id,
      contractId: contract?.id ?? null,
      shares: shares.map((s) => ({ partyId: s.item.partyId, shareBp: s.item.shareBp, amountFen: s.amountFen })),
    },
  });
  return { income: { id, ...record }, posted };
}

const formatKind = (kind: IncomeKind) => INCOME_KIND_LABEL[kind];

/**
 * A bundled asset (入股联营) earns for its venture: its income is the venture's profit, split to the member
 * villages by share (bundleIncomeSplit), never recorded on the asset. Keyed on the BUNDLE hold of the day and
 * the asset's status, so income never imports the bundles module.
 */
async function requireNotBundled(svc: ServiceContext, asset: Asset, receivedOn: string): Promise<void> {
  const hold =
    (await holdOn(svc, asset, 'BUNDLE', receivedOn)) ??
    (asset.status === 'BUNDLED' ? (await assetsRepo.holdsOf(svc.db, [asset.id])).find((h) => h.kind === 'BUNDLE' && h.releasedOn === null) : null);
  if (hold) {
    throw new DomainError(
      'ASSET_BUNDLED',
      `${asset.name} (${asset.code}) is pooled in ${hold.holderLabel} (${toGlobalId('Bundle', hold.holderId)}): record the venture's profit and split it to the members (bundleIncomeSplit), not income on the asset`,
      ['input', 'assetId'],
    );
  }
}

/** Live, of a class that yields this kind, handed over, and the receipt not before the handover. */
function requireIncomeFitsAsset(asset: Asset, kind: IncomeKind, receivedOn: string): void {
  if (TERMINAL.includes(asset.status)) {
    throw new DomainError('ILLEGAL_TRANSITION', `Asset ${asset.code} is ${asset.status}: it yields no more income`, ['input', 'assetId']);
  }
  if (!CLASSES_OF_KIND[kind].includes(asset.class)) {
    throw new DomainError(
      'CLASS_NOT_ALLOWED',
      `${kind} income is recorded for ${CLASSES_OF_KIND[kind].join(' or ')} assets only; this one is ${asset.class} (只有经营性资产产生可分配收益)`,
      ['input', 'kind'],
    );
  }
  if (!asset.handedOverOn) {
    throw new DomainError('ILLEGAL_TRANSITION', `Asset ${asset.code} has not been handed over to its owners yet (status ${asset.status})`, [
      'input',
      'assetId',
    ]);
  }
  if (receivedOn < asset.handedOverOn) {
    throw new DomainError('DATE_ORDER', `receivedOn ${receivedOn} is before the asset was handed over (${asset.handedOverOn})`, [
      'input',
      'receivedOn',
    ]);
  }
}

/** Contracts that bound for at least a day (one terminated on or before its start never did). */
const everBound = (c: Contract) => lastBindingDay(c) >= c.startOn;

/**
 * The contract a receipt belongs to: the one in force on the day, or — when none is (rent paid late, after
 * the end or termination) — the asset's most recent contract started by then. An explicit contractId must
 * be that one; without it, that one is linked (or none, when the asset never had a contract by then).
 */
async function contractFor(svc: ServiceContext, asset: Asset, contractId: number | null, receivedOn: string): Promise<Contract | null> {
  const ofAsset = (await contractsRepo.findByAssetIds(svc.db, [asset.id])).filter(everBound);
  const inForce = ofAsset.find((c) => c.startOn <= receivedOn && receivedOn <= lastBindingDay(c));
  const started = ofAsset.filter((c) => c.startOn <= receivedOn);
  const expected = inForce ?? started[started.length - 1] ?? null;
  if (contractId === null) return expected;
  const given = await contractsRepo.findById(svc.db, contractId);
  if (!given || !canRead(svc.actor, given.villageCode)) {
    throw new DomainError('NOT_FOUND', 'No such contract in your scope', ['input', 'contractId']);
  }
  if (given.assetId !== asset.id) {
    throw new DomainError('CONTRACT_MISMATCH', `Contract ${given.contractNo} is not a contract of asset ${asset.code}`, ['input', 'contractId']);
  }
  if (!expected || expected.id !== given.id) {
    const which = expected ? `${expected.contractNo} is` : 'no contract had started';
    throw new DomainError(
      'CONTRACT_MISMATCH',
      `Contract ${given.contractNo} is neither in force on ${receivedOn} nor the asset's most recent one by then (${which})`,
      ['input', 'contractId'],
    );
  }
  return given;
}

/** A guarantee top-up (保底收益补足) needs a contract that agreed a guaranteed return in some version. */
async function requireGuarantee(db: Executor, contract: Contract | null): Promise<void> {
  const versions = contract ? await contractsRepo.versionsOf(db, [contract.id]) : [];
  if (!versions.some((v) => v.guaranteedRateBp)) {
    throw new DomainError(
      'NO_CONTRACT',
      contract
        ? `Contract ${contract.contractNo} agrees no guaranteed return (保底收益): a top-up has nothing to top up`
        : 'A guarantee top-up (保底收益补足) needs the contract that guarantees the return',
      ['input', 'contractId'],
    );
  }
}

// =========================================================================================================
// Reads
// =========================================================================================================

export async function getIncome(svc: ServiceContext, id: number): Promise<IncomeRecord | null> {
  const r = await repo.findById(svc.db, id);
  return r && canRead(svc.actor, r.villageCode) ? r : null;
}

export interface IncomeListFilter {
  regionCode?: string | null;
  assetId?: number | null;
  kind?: IncomeKind | null;
  fromDate?: string | null;
  toDate?: string | null;
}

/** Income records of assets inside the actor's scope (the asset's village decides, as for the asset). */
export async function listIncome(svc: ServiceContext, filter: IncomeListFilter, page: PageArgs) {
  const q = repo.listQuery(svc.db, { ...filter, regionPrefix: scopedPrefix(svc.actor, filter.regionCode) });
  return keysetPage(q, page, repo.toIncome);
}

/**
 * Latest receipt date per asset (reversed receipts left out), for the asset card and idle detection
 * (revitalisation reads it as of a date: receipts after `asOf` left out).
 */
export async function lastIncomeDates(db: Executor, assetIds: readonly number[], asOf?: string): Promise<Map<number, string>> {
  return repo.lastIncomeOn(db, assetIds, asOf);
}

/** Income received against contracts for many operating assets in a year (low-efficiency detection). */
export async function incomeVsContracts(db: Executor, assets: Asset[], year: number): Promise<IncomeVsContract[]> {
  if (!assets.length) return [];
  const contracts = await contractsRepo.findByAssetIds(db, assets.map((a) => a.id));
  return compareAssets(db, assets, contracts, year);
}

/** Receipts of the assets under any of `contractIds`, between two dates, reversed receipts left out (销号 evidence). */
export async function receiptsUnderContracts(db: Executor, contractIds: readonly number[], fromOn: string, toOn: string): Promise<IncomeRecord[]> {
  if (!contractIds.length) return [];
  return repo.receiptsUnderContracts(db, contractIds, fromOn, toOn);
}

function requireYear(year: number): void {
  if (!Number.isInteger(year) || year < 1949 || year > 2100) throw badUserInput(`year must be between 1949 and 2100, got ${year}`);
}

/** Computes the comparison for operating assets, with a constant number of queries however many. */
async function compareAssets(db: Executor, assets: Asset[], contracts: Contract[], year: number): Promise<IncomeVsContract[]> {
  const ids = assets.map((a) => a.id);
  const versions = contracts.length ? await contractsRepo.versionsOf(db, contracts.map((c) => c.id)) : [];
  const received = await repo.receivedByAsset(db, ids, `${year}-01-01`, `${year}-12-31`);
  return assets.map((a) => {
    const mine = contracts.filter((c) => c.assetId === a.id).map((c) => ({ contract: c, versions: versions.filter((v) => v.contractId === c.id) }));
    return compareWithContract(a.id, year, termsInYear(mine, a.originalValueFen, year), received.get(a.id) ?? 0);
  });
}

/**
 * 收益对比 An operating asset's income received in a year against its contract's rent and guaranteed
 * return. Null when the asset is not visible or not an operating asset.
 */
export async function incomeVsContract(svc: ServiceContext, assetId: number, year: number): Promise<IncomeVsContract | null> {
  requireYear(year);
  const asset = await assetsRepo.findById(svc.db, assetId);
  if (!asset || !canRead(svc.actor, asset.villageCode) || asset.class !== 'OPERATING') return null;
  const contracts = await contractsRepo.findByAssetIds(svc.db, [asset.id]);
  return (await compareAssets(svc.db, [asset], contracts, year))[0];
}

/**
 * 收益短收 Operating assets of a region whose income received in a year falls short of what their contracts
 * expected (rent or guaranteed return, whichever is larger), by asset id.
 */
export async function incomeShortfalls(svc: ServiceContext, regionCode: string | null | undefined, year: number, page: PageArgs) {
  requireYear(year);
  const prefix = scopedPrefix(svc.actor, regionCode);
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const rows: unknown[] = await contractsRepo.listQuery(svc.db, { regionPrefix: prefix }, svc.clock.today());
  const contracts = rows.map(contractsRepo.toContract).filter((c) => everBound(c) && c.startOn <= to && lastBindingDay(c) >= from);
  const assetIds = [...new Set(contracts.map((c) => c.assetId))];
  const assets = (assetIds.length ? await assetsRepo.findByIds(svc.db, assetIds) : []).filter(
    (a) => a.class === 'OPERATING' && canRead(svc.actor, a.villageCode),
  );
  const short = (await compareAssets(svc.db, assets, contracts, year)).filter((r) => r.shortfallFen > 0);
  return listPage(short, page, (r) => r.assetId);
}
