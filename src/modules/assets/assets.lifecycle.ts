import { DomainError } from '../../shared/errors';
import type { Asset, AssetClass, AssetStatus } from './assets.types';

/**
 * The asset lifecycle (DESIGN §2) as data. Pure: computes the next status or throws ILLEGAL_TRANSITION;
 * the service writes the change and its event in one transaction.
 *
 *   REGISTERED → CONFIRMED → HANDED_OVER → IN_OPERATION (operating) | IN_USE (public-welfare, household)
 *   live states → IDLE → revitalised back into operation / use
 */
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
} satisfies Record<
  string,
  { from: readonly AssetStatus[]; to: (a: Pick<Asset, 'class'>) => AssetStatus; classes?: readonly AssetClass[] }
>;

export type TransitionAction = keyof typeof TRANSITIONS;

/** Statuses from which nothing more may happen. */
export const TERMINAL: readonly AssetStatus[] = ['DISPOSED'];

export function nextStatus(asset: Pick<Asset, 'class' | 'status'>, action: TransitionAction): AssetStatus {
  const rule: { from: readonly AssetStatus[]; to: (a: Pick<Asset, 'class'>) => AssetStatus; classes?: readonly AssetClass[] } =
    TRANSITIONS[action];
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
  return rule.to(asset);
}
