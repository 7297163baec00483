/** Pure date rules of asset holds: when a hold binds, and how to name it. */
import { addDays } from '../../shared/dates';
import type { AssetHold, HoldKind } from './assets.types';

export const KIND_LABEL: Record<HoldKind, string> = {
  CONTRACT: 'operation contract 运营合同',
  BUNDLE: 'pooled venture 联营',
  PLEDGE: 'pledge 抵押',
  DISPOSAL: 'disposal 处置',
};

/** "Held by operation contract 运营合同 HT-2019-001 from 2019-08-01 to 2039-07-31" */
export function describeHold(h: Pick<AssetHold, 'kind' | 'holderLabel' | 'startOn' | 'endOn' | 'releasedOn'>): string {
  const last = lastHeldDay(h);
  return `${KIND_LABEL[h.kind]} ${h.holderLabel} from ${h.startOn}${last ? ` to ${last}` : ''}`;
}

/** The last day a hold binds: its end, or the day before its release; null while open-ended. */
export function lastHeldDay(h: Pick<AssetHold, 'endOn' | 'releasedOn'>): string | null {
  const beforeRelease = h.releasedOn ? addDays(h.releasedOn, -1) : null;
  if (h.endOn === null) return beforeRelease;
  return beforeRelease !== null && beforeRelease < h.endOn ? beforeRelease : h.endOn;
}

export function isHeldOn(h: Pick<AssetHold, 'startOn' | 'endOn' | 'releasedOn'>, date: string): boolean {
  const last = lastHeldDay(h);
  return h.startOn <= date && (last === null || date <= last);
}

