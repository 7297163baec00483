import { toUserErrors, UserError } from '../shared/errors';
import { RequestContext, ServiceContext, requireActor } from './context';

/**
 * One mutation, one transaction. The service runs inside a transaction; a DomainError rolls everything back
 * and is returned in the payload's `errors`, so a rejected mutation never writes. Other errors (FORBIDDEN,
 * faults) also roll back and surface as top-level GraphQL errors.
 */
export async function runMutation<R, P extends object>(
  ctx: RequestContext,
  work: (svc: ServiceContext) => Promise<R>,
  shape: (result: R) => P,
): Promise<P & { errors: unknown[] }> {
  const actor = requireActor(ctx);
  try {
    const result = await ctx.db.transaction((trx) => work({ db: trx, clock: ctx.clock, actor }));
    return { ...shape(result), errors: [] };
  } catch (err) {
    const errors = toUserErrors(err)?.map(toSchemaPaths);
    if (errors) return { errors } as P & { errors: unknown[] };
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
