/**
 * 资产占用 Asset holds (DESIGN §2, brief §11 rule 20): an operation contract, a pooled venture, a pledge or a
 * pending disposal holds an asset over a date range, and no other arrangement may hold it on any of those
 * days. Contracts, bundles, pledges and disposal call down into these functions; they never check one
 * another. A hold that changes the asset's status (BUNDLE → BUNDLED, REQUEST_DISPOSAL → DISPOSAL_PENDING)
 * remembers the status it replaced, and releasing it restores that status.
 */
import type { ServiceContext } from '../../shared/context';
import { DomainError } from '../../shared/errors';
import { addDays } from '../../shared/dates';
import * as repo from './assets.repository';
import { applyTransition, requireLive } from './assets.service';
import type { Asset, AssetHold, HoldKind } from './assets.types';
import { describeHold, isHeldOn, KIND_LABEL } from './assets.holdDates';
export { describeHold, isHeldOn, lastHeldDay } from './assets.holdDates';

/**
 * Kinds a new hold may coexist with. A pledge (抵押) secures a loan on an asset that may already be leased:
 * the lease runs on, but nothing new may be leased, bundled or disposed of while the pledge stands.
 */
const MAY_COEXIST_WITH: Partial<Record<HoldKind, readonly HoldKind[]>> = { PLEDGE: ['CONTRACT'] };

export interface HoldRequest {
  kind: HoldKind;
  holderId: number;
  /** Names the holder in messages: a contract number, a venture's name, a pledge or disposal reference. */
  holderLabel: string;
  startOn: string;
  /** Last day held (inclusive); null while open-ended (a venture, a pledge, a pending disposal). */
  endOn: string | null;
  /** The lifecycle step the hold takes, when it changes the status. */
  step?: 'BUNDLE' | 'REQUEST_DISPOSAL';
  reason?: string | null;
  payload?: Record<string, unknown>;
  dateField?: string[];
}

export interface HoldRelease {
  releasedOn: string;
  reason: string;
  /** The step that ends the hold: back to the status before, or on to DISPOSED. */
  step?: 'UNBUNDLE' | 'RESTORE_FROM_DISPOSAL' | 'DISPOSE';
  payload?: Record<string, unknown>;
  dateField?: string[];
}

/**
 * Refuses with ASSET_HELD, naming the holder, when another arrangement holds the asset on any day of
 * from..to (to null: from then on). `self` is the arrangement asking (a contract extending its own term).
 */
export async function requireFree(
  svc: ServiceContext,
  asset: Asset,
  range: { from: string; to: string | null; kind: HoldKind; self?: { kind: HoldKind; holderId: number } },
  field: string[] = ['input', 'assetId'],
): Promise<void> {
  const coexist = MAY_COEXIST_WITH[range.kind] ?? [];
  const clash = (await repo.holdsOverlapping(svc.db, [asset.id], range.from, range.to)).find(
    (h) => !(range.self && h.kind === range.self.kind && h.holderId === range.self.holderId) && !coexist.includes(h.kind),
  );
  if (clash) {
    throw new DomainError('ASSET_HELD', `${asset.name} (${asset.code}) is held by ${describeHold(clash)}: release it first`, field);
  }
}

/** Takes a hold on the asset, refusing any overlap; takes the hold's lifecycle step where it has one. */
export async function acquireHold(svc: ServiceContext, asset: Asset, req: HoldRequest): Promise<{ hold: AssetHold; asset: Asset }> {
  requireLive(asset);
  await requireFree(svc, asset, { from: req.startOn, to: req.endOn, kind: req.kind }, req.dateField && ['input', 'assetId']);
  let after = asset;
  if (req.step) {
    after = await applyTransition(svc, asset, req.step, {
      effectiveOn: req.startOn,
      reason: req.reason ?? null,
      payload: { holdKind: req.kind, holderId: req.holderId, holder: req.holderLabel, ...req.payload },
      dateField: req.dateField,
    });
  }
  const now = svc.clock.now();
  const hold: Omit<AssetHold, 'id'> = {
    assetId: asset.id,
    kind: req.kind,
    holderId: req.holderId,
    holderLabel: req.holderLabel,
    startOn: req.startOn,
    endOn: req.endOn,
    releasedOn: null,
    releaseReason: null,
    statusBefore: req.step ? asset.status : null,
    actorUserId: svc.actor.userId,
    createdAt: now,
    updatedAt: now,
  };
  const id = await repo.insertHold(svc.db, hold);
  return { hold: { id, ...hold }, asset: after };
}

async function requireHold(svc: ServiceContext, asset: Asset, kind: HoldKind, holderId: number): Promise<AssetHold> {
  const hold = await repo.findHold(svc.db, kind, holderId, asset.id);
  if (!hold) throw new DomainError('NOT_FOUND', `${asset.code} has no ${KIND_LABEL[kind]} hold of this holder`, ['input', 'assetId']);
  return hold;
}

/** Releases a hold from a date (the asset is free from that day), restoring the status it replaced. */
export async function releaseHold(
  svc: ServiceContext,
  asset: Asset,
  kind: HoldKind,
  holderId: number,
  rel: HoldRelease,
): Promise<{ hold: AssetHold; asset: Asset }> {
  const hold = await requireHold(svc, asset, kind, holderId);
  const field = rel.dateField ?? ['input', 'releasedOn'];
  if (hold.releasedOn !== null) {
    throw new DomainError('ILLEGAL_TRANSITION', `The ${KIND_LABEL[kind]} hold of ${hold.holderLabel} was already released on ${hold.releasedOn}`, field);
  }
  // Released on or before its start (a contract given up before it began), the hold never bound at all.
  let after = asset;
  if (rel.step) {
    after = await applyTransition(svc, asset, rel.step, {
      effectiveOn: rel.releasedOn,
      reason: rel.reason,
      before: hold.statusBefore,
      payload: { holdKind: kind, holderId, holder: hold.holderLabel, ...rel.payload },
      dateField: field,
    });
  }
  const patch = { releasedOn: rel.releasedOn, releaseReason: rel.reason, updatedAt: svc.clock.now() };
  await repo.updateHold(svc.db, hold.id, patch);
  return { hold: { ...hold, ...patch }, asset: after };
}

/** Moves a hold's last day (a contract amended or renewed), refusing days another arrangement holds. */
export async function extendHold(svc: ServiceContext, asset: Asset, kind: HoldKind, holderId: number, endOn: string, field: string[]): Promise<void> {
  const hold = await requireHold(svc, asset, kind, holderId);
  if (hold.endOn !== null && endOn > hold.endOn) {
    await requireFree(svc, asset, { from: addDays(hold.endOn, 1), to: endOn, kind, self: { kind, holderId } }, field);
  }
  await repo.updateHold(svc.db, hold.id, { endOn, updatedAt: svc.clock.now() });
}

/** The holds live on a date: "who holds this asset on 2025-06-30?" */
export async function holdsOn(svc: ServiceContext, asset: Asset, date: string): Promise<AssetHold[]> {
  return (await repo.holdsOverlapping(svc.db, [asset.id], date, date)).filter((h) => isHeldOn(h, date));
}

/** The live hold of a kind on a date, if any (e.g. the contract an operating asset runs under). */
export async function holdOn(svc: ServiceContext, asset: Asset, kind: HoldKind, date: string): Promise<AssetHold | null> {
  return (await holdsOn(svc, asset, date)).find((h) => h.kind === kind) ?? null;
}
