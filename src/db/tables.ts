/**
 * Every table, classified. History tables (events, decisions, notices, payments, the journal) are
 * append-only: migrations give each of them the database triggers of appendOnly.ts, and
 * test/appendOnly.test.ts walks this list, trying UPDATE, DELETE (and TRUNCATE on PostgreSQL) on each.
 * A new table must be added to one of the two lists, or that test fails: a history table cannot slip in
 * without its triggers.
 */
export const APPEND_ONLY_TABLES = [
  'audit_log',
  'asset_events',
  'household_status_changes',
  'rights_confirmations',
  'handover_deeds',
  'upkeep_records',
  'contract_versions',
  'contract_decisions',
  'documents',
  'document_blobs',
  'journal_accounts',
  'journal_entries',
  'journal_postings',
  'income_records',
  'distribution_meetings',
  'distribution_notices',
  'distribution_payments',
  'distribution_events',
  'distribution_payment_reversals',
  'approval_steps',
  'approval_decisions',
] as const;

/** Tables whose rows change in place, each for a stated reason (a current state beside its history). */
export const MUTABLE_TABLES = {
  users: 'accounts of people',
  depreciation_rules: 'county configuration (useful lives, residual rates); changes are audited',
  api_tokens: 'tokens are revoked',
  regions: 'reference data',
  parties: 'names and codes are corrected (corrections are audited in audit_log)',
  households: 'current status; its history is household_status_changes',
  projects: 'descriptive fields; changes are audited',
  project_funding_lines: 'replaced with the project while it has no assets',
  assets: 'current status and fields; history is asset_events',
  asset_funding_lines: 'replaced with the asset while it is registered only',
  asset_code_sequences: 'a counter',
  asset_owners: 'a row is closed (effective_to) when owners change; never rewritten otherwise',
  asset_holds: 'a hold is released or its end moved; the steps are in asset_events',
  contracts: 'current version and termination; versions are contract_versions',
  contract_term_limits: 'a county setting',
  county_policies: 'a county setting',
  upkeep_assignments: 'the current keeper is closed when replaced',
  journal_head: 'the chain head, moved by each entry under a lock',
  distribution_plans: 'current status; its history is distribution_events',
  distribution_lines: 'edited while the plan is a draft, frozen after',
  distribution_recipients: 'edited while the plan is a draft, frozen after',
  distribution_objections: 'an objection is resolved',
  approval_chains: 'current status; the decisions are approval_decisions',
} as const;
