import { GraphQLError } from 'graphql';
import type { ErrorCode } from '../generated/schema';

export type { ErrorCode };

/**
 * A business or validation failure. Services throw it; the mutation wrapper rolls the transaction back and
 * returns it in the payload's `errors` (DESIGN §5), so nothing is written when it occurs.
 */
export class DomainError extends Error {
  constructor(
    /** One of the schema's ErrorCode values (schema/*.graphql): an unknown code does not compile. */
    readonly code: ErrorCode,
    message: string,
    readonly field: string[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Several failures found together (e.g. input validation), reported at once. */
export class DomainErrors extends Error {
  constructor(readonly errors: DomainError[]) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'DomainErrors';
  }
}

export interface UserError {
  code: ErrorCode;
  field: string[];
  message: string;
}

export function toUserErrors(err: unknown): UserError[] | null {
  if (err instanceof DomainError) return [{ code: err.code, field: err.field, message: err.message }];
  if (err instanceof DomainErrors) return err.errors.map((e) => ({ code: e.code, field: e.field, message: e.message }));
  return null;
}

/** Top-level errors: the request itself is not allowed (DESIGN §5). */
export function unauthenticated(): GraphQLError {
  return new GraphQLError('Authentication required: send "Authorization: Bearer <token>" (需要登录)', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

export function badUserInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}
