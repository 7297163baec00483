/**
 * The distribution module's window on the money journal: what is available to distribute, and the entries
 * that execute a plan, pay a recipient or reverse an execution. All through the journal service, in the
 * caller's transaction.
 */
import type { ServiceContext } from '../../shared/context';
import { DomainError } from '../../shared/errors';
import { accountBalance, postEntry, PostedEntry, replayOf } from '../journal/journal.service';
import { requestFingerprint } from '../journal/journal.hash';
import type { AccountKind } from '../journal/journal.types';
import type { CanonicalValue } from '../journal/journal.hash';
import type { LineType } from './distribution.types';

/** Where a line's money goes when it has no recipients: the collective's earmarked fund of that purpose. */
export const FUND_OF_LINE: Record<LineType, AccountKind> = {
  PUBLIC_WELFARE_JOB: 'PUBLIC_WELFARE_JOB_FUND',
  PUBLIC_WORKS: 'PUBLIC_WORKS_FUND',
  REWARD_GRANT: 'REWARDS_FUND',
  COLLECTIVE_RETENTION: 'COLLECTIVE_RETENTION',
  UPKEEP_RESERVE: 'UPKEEP_RESERVE',
  HOUSEHOLD_DIVIDEND: 'PAYABLE_TO_HOUSEHOLDS',
};

/** Income awaiting distribution in the collective's account (as of a date, or now). */
export async function availableFen(svc: ServiceContext, ownerPartyId: number, asOf?: string | null): Promise<number> {
  const view = await accountBalance(svc, ownerPartyId, 'INCOME_PENDING_DISTRIBUTION', asOf ?? null);
  return view?.balanceFen ?? 0;
}

/**
 * Takes the journal lock and returns the earlier result of this request, if the key was used by it.
 * Called first by every money-moving distribution step, so a retry does nothing else either.
 */
export async function replayed(svc: ServiceContext, operation: string, key: string, input: CanonicalValue): Promise<PostedEntry | null> {
  return replayOf(svc, key, requestFingerprint(operation, svc.actor.userId, input));
}

export async function post(
  svc: ServiceContext,
  operation: string,
  input: CanonicalValue,
  req: Omit<Parameters<typeof postEntry>[1], 'requestFingerprint'>,
): Promise<PostedEntry> {
  try {
    return await postEntry(svc, { ...req, requestFingerprint: requestFingerprint(operation, svc.actor.userId, input) });
  } catch (err) {
    // Under the journal lock the balance is re-read: a plan racing another for the same income fails here.
    if (err instanceof DomainError && err.code === 'INSUFFICIENT_BALANCE') {
      throw new DomainError('PLAN_EXCEEDS_AVAILABLE', `Not enough income awaiting distribution: ${err.message}`, ['input', 'planId']);
    }
    throw err;
  }
}
