/**
 * The money journal (资金流水账): double-entry, append-only, hash-chained.
 *
 * Accounts are pots of money held by a party (村集体, 联营体, 乡镇, 县, 农户, 经营方). A posting's amount is
 * signed fen: positive = debit (借, money into the pot), negative = credit (贷, money out of it). The postings
 * of an entry sum to zero, so money only ever moves between pots; an account's balance is the sum of its
 * postings. Payers outside the ledger (an operator paying rent) hold an EXTERNAL_COUNTERPARTY account that
 * goes negative by what they have paid in.
 */

/** 账户类型 Account kinds, with whether the balance may fall below zero. */
export const ACCOUNT_KIND_RULES = {
  /** 现金/银行存款 Unearmarked money held (a household's receipts, a venture's cash). */
  CASH: { mayGoNegative: false },
  /** 待分配收益 Income received and awaiting a distribution plan. */
  INCOME_PENDING_DISTRIBUTION: { mayGoNegative: false },
  /** 集体积累 Collective retention. */
  COLLECTIVE_RETENTION: { mayGoNegative: false },
  /** 管护资金 Upkeep reserve. */
  UPKEEP_RESERVE: { mayGoNegative: false },
  /** 应付农户收益 Dividends owed to households, not yet paid out. */
  PAYABLE_TO_HOUSEHOLDS: { mayGoNegative: false },
  /** 公益性岗位资金 Wages of public-welfare jobs. */
  PUBLIC_WELFARE_JOB_FUND: { mayGoNegative: false },
  /** 小型公益事业 Small public works. */
  PUBLIC_WORKS_FUND: { mayGoNegative: false },
  /** 奖励补助 Rewards and grants. */
  REWARDS_FUND: { mayGoNegative: false },
  /** 资产处置收入 Proceeds of asset disposal, tagged for re-use (never paid to individuals). */
  DISPOSAL_PROCEEDS: { mayGoNegative: false },
  /** 帮扶项目资金 Disposal proceeds a holder has committed to a named assistance project (re-use, issue 11). */
  PROJECT_FUNDING: { mayGoNegative: false },
  /** 联营出资 Cash a member village has contributed to a pooled venture. */
  VENTURE_CONTRIBUTION: { mayGoNegative: false },
  /** 费用支出 Money a holder spent outside the ledger (upkeep work paid for): grows by what was spent. */
  EXPENSES: { mayGoNegative: false },
  /** 外部往来 Counterparty outside the ledger (operators, payers): negative by what it has paid in. */
  EXTERNAL_COUNTERPARTY: { mayGoNegative: true },
  /** 期初余额 Opening balances brought onto the journal from paper books: the other side of opening entries. */
  OPENING_BALANCE: { mayGoNegative: true },
} as const satisfies Record<string, { mayGoNegative: boolean }>;

export type AccountKind = keyof typeof ACCOUNT_KIND_RULES;
export const ACCOUNT_KINDS = Object.keys(ACCOUNT_KIND_RULES) as AccountKind[];

export function mayGoNegative(kind: AccountKind): boolean {
  return ACCOUNT_KIND_RULES[kind].mayGoNegative;
}

/** 分录类型 Why an entry was made. */
export const ENTRY_KINDS = [
  'INCOME', // 收益入账
  'REVERSAL', // 冲销
  'TRANSFER', // 内部转账
  'DISTRIBUTION', // 收益分配
  'PAYMENT', // 支付发放
  'DISPOSAL', // 处置收入
  'BUNDLE_CONTRIBUTION', // 联营出资
  'BUNDLE_INCOME', // 联营收益分成
  'UPKEEP_EXPENSE', // 管护支出
  'OPENING_BALANCE', // 期初余额
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** 来源 What an entry was made for; the GraphQL type name builds the source's global id. */
export const SOURCE_TYPES = {
  ASSET: 'Asset',
  CONTRACT: 'Contract',
  INCOME_RECORD: 'IncomeRecord',
  DISTRIBUTION_PLAN: 'DistributionPlan',
  DISPOSAL: 'Disposal',
  BUNDLE: 'Bundle',
} as const;
export type SourceType = keyof typeof SOURCE_TYPES;

export interface Account {
  id: number;
  holderPartyId: number;
  kind: AccountKind;
  createdAt: string;
}

export interface Posting {
  id: number;
  entryId: number;
  accountId: number;
  amountFen: number;
}

/** A posting with the account fields the hash covers (holder and kind), so re-pointing an account is caught. */
export interface PostingWithAccount extends Posting {
  holderPartyId: number;
  accountKind: AccountKind;
}

export interface JournalEntry {
  id: number;
  sequence: number;
  kind: EntryKind;
  effectiveOn: string;
  memo: string;
  sourceType: SourceType | null;
  sourceId: number | null;
  assetId: number | null;
  reversesEntryId: number | null;
  idempotencyKey: string;
  requestFingerprint: string;
  actorUserId: number;
  recordedAt: string;
  prevHash: string;
  hash: string;
}

export interface JournalHead {
  lastSequence: number;
  lastHash: string;
}

/** The chain check's result: intact with count and head, or the first entry that fails. */
export type VerifyResult =
  | { intact: true; count: number; headSequence: number; headHash: string }
  | { intact: false; count: number; failure: VerifyFailure };

export type VerifyProblem =
  | 'SEQUENCE_GAP' // 序号不连续: an entry is missing or numbered twice
  | 'PREV_HASH_MISMATCH' // 链接断裂: the entry does not point at its predecessor's hash
  | 'HASH_MISMATCH' // 内容被改: the content no longer hashes to the stored hash
  | 'UNBALANCED' // 借贷不平: postings do not sum to zero (or fewer than two)
  | 'HEAD_MISMATCH' // 链头不符: the chain ends before (or differently from) the recorded head
  | 'DOMAIN_MISMATCH' // 账实不符: a domain row a module reconciles (journal.reconcile.ts) disagrees with its entry
  | 'CHECKPOINT_MISMATCH'; // 检查点不符: a checkpoint or notice names an entry or hash that is no longer there

export interface VerifyFailure {
  problem: VerifyProblem;
  sequence: number;
  entryId: number | null;
  expected: string;
  stored: string;
  message: string;
}

/** 检查点 The journal head written down by an auditor (journalCheckpoint). */
export interface JournalCheckpoint {
  id: number;
  sequence: number;
  hash: string;
  recordedAt: string;
  actorUserId: number;
}
