import { DomainError } from '../../shared/errors';
import type { Asset, AssetClass, AssetStatus } from './assets.types';

/**
 * The asset lifecycle (DESIGN §2) as data. Pure: computes the next status or throws ILLEGAL_TRANSITION;
 * the service writes the change and its event in one transaction.
 *
 *   REGISTERED → CONFIRMED → HANDED_OVER → IN_OPERATION (operating) | IN_USE (public-welfare, household)
 *   live states → IDLE → revitalised back into operation / use
 *   handed over, in operation, in use, idle → BUNDLED (a venture's hold) → back to the status before
 *   any live state → DISPOSAL_PENDING (a disposal's hold) → DISPOSED (terminal) | back to the status before
 *
 * Steps that end a hold (UNBUNDLE, RESTORE_FROM_DISPOSAL) return to the status the hold replaced, which the
 * hold remembers (asset_holds.status_before).
 */
type Rule = {
  from: readonly AssetStatus[];
  to: (a: Pick<Asset, 'class'>, before?: AssetStatus | null) => AssetStatus;
  classes?: readonly AssetClass[];
};

/** States an asset lives in before disposal; anything but BUNDLED, DISPOSAL_PENDING and DISPOSED. */
export const LIVE_STATES: readonly AssetStatus[] = ['REGISTERED', 'CONFIRMED', 'HANDED_OVER', 'IN_OPERATION', 'IN_USE', 'IDLE'];

function restore(_: Pick<Asset, 'class'>, before?: AssetStatus | null): AssetStatus {
  if (!before) throw new Error('a step that ends a hold needs the status the hold replaced');
  return before;
}

export const TRANSITIONS = {
  /** 确权 Rights confirmed. */
  CONFIRM_RIGHTS: { from: ['REGISTERED'], to: () => 'CONFIRMED' },
  /** 移交 Handed over to the owner. */
  HAND_OVER: { from: ['CONFIRMED'], to: () => 'HANDED_OVER' },
  /** 投入运营 Operation starts (operating assets only). */
  START_OPERATION: { from: ['HANDED_OVER'], to: () => 'IN_OPERATION', classes: ['OPERATING'] },
  /** 投入使用 Put in use (public-welfare and household assets). */
  PUT_IN_USE: { from: ['HANDED_OVER'], to: () => 'IN_USE', classes: ['PUBLIC_WELFARE', 'HOUSEHOLD'] },
  /** 认定闲置 Marked idle. */
  MARK_IDLE: { from: ['HANDED_OVER', 'IN_OPERATION', 'IN_USE'], to: () => 'IDLE' },
  /** 盘活 Revitalised: back into operation (operating) or use (others). */
  REVITALISE: {
    from: ['IDLE'],
    to: (a: Pick<Asset, 'class'>) => (a.class === 'OPERATING' ? 'IN_OPERATION' : 'IN_USE'),
  },
  /** 入股联营 Contributed to a pooled venture. */
  BUNDLE: { from: ['HANDED_OVER', 'IN_OPERATION', 'IN_USE', 'IDLE'], to: () => 'BUNDLED' },
  /** 退出联营 Withdrawn from the venture: back to the status before. */
  UNBUNDLE: { from: ['BUNDLED'], to: restore },
  /** 申请处置 Disposal requested: the asset waits for its approvals. */
  REQUEST_DISPOSAL: { from: LIVE_STATES, to: () => 'DISPOSAL_PENDING' },
  /** 处置驳回/撤回 Disposal rejected or withdrawn: back to the status before. */
  RESTORE_FROM_DISPOSAL: { from: ['DISPOSAL_PENDING'], to: restore },
  /** 处置完成 Disposed of: terminal. */
  DISPOSE: { from: ['DISPOSAL_PENDING'], to: () => 'DISPOSED' },
} satisfies Record<string, Rule>;

export type TransitionAction = keyof typeof TRANSITIONS;

/** Statuses from which nothing more may happen. */
export const TERMINAL: readonly AssetStatus[] = ['DISPOSED'];

export function nextStatus(asset: Pick<Asset, 'class' | 'status'>, action: TransitionAction, before?: AssetStatus | null): AssetStatus {
  const rule: Rule = TRANSITIONS[action];
  if (rule.classes && !rule.classes.includes(asset.class)) {
    throw new DomainError(
      'ILLEGAL_TRANSITION',
      `${action} is not allowed for ${asset.class} assets (only ${rule.classes.join(', ')})`,
      ['input', 'assetId'],
    );
  }
  if (!rule.from.includes(asset.status)) {
    throw new DomainError(
      'ILLEGAL_TRANSITION',
      `${action} is not allowed from status ${asset.status} (allowed from ${rule.from.join(', ')})`,
      ['input', 'assetId'],
    );
  }
  return rule.to(asset, before);
}
