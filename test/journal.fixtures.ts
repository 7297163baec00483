/** Builders for journal tests: holders, and entries posted through the service layer in a transaction. */
import type { TestEnv, TokenName } from './helpers';
import { collectiveOf } from '../src/modules/parties/parties.service';
import * as partiesRepo from '../src/modules/parties/parties.repository';
import { postEntry, EntryRequest, PostingRequest } from '../src/modules/journal/journal.service';
import { requestFingerprint } from '../src/modules/journal/journal.hash';
import type { EntryKind } from '../src/modules/journal/journal.types';

export const COUNTY = '511922000000';

let keySeq = 0;
/** A fresh idempotency key, unique within the test process. */
export const newKey = (label = 'k') => `${label}-${process.pid}-${++keySeq}`;

/** A company that pays (an operator): holds an EXTERNAL_COUNTERPARTY account. */
export async function company(env: TestEnv, name: string, regionCode = COUNTY): Promise<number> {
  return partiesRepo.insert(env.db, { kind: 'COMPANY', name, regionCode, createdAt: env.clock.now() });
}

export async function collective(env: TestEnv, villageCode: string): Promise<number> {
  return (await collectiveOf(env.db, env.clock, villageCode)).id;
}

/** Posts an entry through the service layer in its own transaction, as the named user. */
export function post(env: TestEnv, req: Partial<EntryRequest> & { postings: PostingRequest[] }, token: TokenName = 'admin') {
  const key = req.idempotencyKey ?? newKey('post');
  return env.db.transaction((trx) =>
    postEntry(env.svc(token, trx), {
      kind: 'TRANSFER' as EntryKind,
      effectiveOn: '2025-06-30',
      memo: 'test entry',
      requestFingerprint: requestFingerprint('test', env.userIds[token], { key }),
      ...req,
      idempotencyKey: key,
    }),
  );
}

/** Income of `amountFen` from a payer into a holder's INCOME_PENDING_DISTRIBUTION. */
export function income(
  env: TestEnv,
  payerId: number,
  holderId: number,
  amountFen: number,
  extra: Partial<EntryRequest> = {},
) {
  return post(env, {
    kind: 'INCOME',
    memo: '租金收入',
    ...extra,
    postings: [
      { holderPartyId: payerId, kind: 'EXTERNAL_COUNTERPARTY', amountFen: -amountFen },
      { holderPartyId: holderId, kind: 'INCOME_PENDING_DISTRIBUTION', amountFen },
    ],
  });
}

export const ENTRY_FIELDS = `id sequence kind effectiveOn memo sourceType sourceId idempotencyKey recordedAt prevHash hash
  actor { name } asset { id }
  postings { amount side account { id kind mayGoNegative holder { id name kind region { code } } } }
  reverses { id sequence } reversedBy { id sequence }`;

export const REVERSE = `mutation($input: JournalEntryReverseInput!) {
  journalEntryReverse(input: $input) { entry { ${ENTRY_FIELDS} } replayed errors { code field message } }
}`;

export const VERIFY = `{ journalVerify { intact count headSequence headHash failure { problem sequence entryId expected stored message } } }`;

export const JOURNAL_TABLES = ['journal_entries', 'journal_postings', 'journal_accounts'];
