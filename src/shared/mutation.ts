import { DomainError, toUserErrors, UserError } from '../shared/errors';
import { uniqueViolationOf, UniqueViolation } from '../db/uniqueViolation';
import { RequestContext, ServiceContext, requireActor } from './context';

/**
 * The input field behind a unique index whose key is not simply a column of the input: expression indexes
 * (named by SQLite only by the index) and columns whose input field has another name.
 */
const FIELD_OF_INDEX: Record<string, string> = {
  income_records_voucher_unique: 'voucherNo',
  parties_one_collective_per_village: 'villageCode',
};
const FIELD_OF_COLUMN: Record<string, string> = {
  reverses_entry_id: 'entryId',
};

const camel = (column: string) => column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * A unique violation as a DUPLICATE user error naming the input field: the index's own field when known,
 * else the key's last column (a composite key is scoped by its leading columns, e.g. county_code, code).
 */
export function duplicateError(v: UniqueViolation): DomainError {
  const column = v.columns[v.columns.length - 1];
  const field = (v.constraint && FIELD_OF_INDEX[v.constraint]) ?? (column ? (FIELD_OF_COLUMN[column] ?? camel(column)) : null);
  const what = field ?? v.constraint ?? 'value';
  return new DomainError('DUPLICATE', `Another record already has this ${what}: it must be unique (重复)`, field ? ['input', field] : ['input']);
}

/**
 * One mutation, one transaction. The service runs inside a transaction; a DomainError rolls everything back
 * and is returned in the payload's `errors`, so a rejected mutation never writes. A unique-constraint violation
 * (two writers racing past the service's own check) is returned the same way, as DUPLICATE with the field.
 * Other errors (FORBIDDEN, faults) also roll back and surface as top-level GraphQL errors.
 */
export async function runMutation<R, P extends object>(
  ctx: RequestContext,
  work: (svc: ServiceContext) => Promise<R>,
  shape: (result: R) => P,
): Promise<P & { errors: UserError[] }> {
  const actor = requireActor(ctx);
  try {
    const result = await ctx.db.transaction((trx) => work({ db: trx, clock: ctx.clock, actor }));
    return { ...shape(result), errors: [] };
  } catch (err) {
    const unique = uniqueViolationOf(err);
    const errors = toUserErrors(unique ? duplicateError(unique) : err)?.map(toSchemaPaths);
    if (errors) return { errors } as P & { errors: UserError[] };
    throw err;
  }
}

/**
 * Services validate money as integer fen under internal names (amountFen, depositFen…); the client sent
 * the schema's Money field (amount, deposit…). Field paths and messages name what the client sent.
 */
function toSchemaPaths(e: UserError): UserError {
  const schemaName = (segment: string) => segment.replace(/^([a-z]\w*)Fen$/, '$1');
  return { ...e, field: e.field.map(schemaName), message: e.message.replace(/\b([a-z]\w*)Fen\b/g, '$1') };
}
