import { GraphQLScalarType, Kind, GraphQLError } from 'graphql';
import { formatFen, formatFenBig, parseYuan, MoneyFormatError } from '../shared/money';
import { isValidDate, isValidDateTime, toUtcIso } from '../shared/dates';

function inputError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

function parseMoney(value: unknown): number {
  if (typeof value !== 'string') {
    throw inputError(`Money must be a string of yuan such as "1200.50" (not a number), got ${JSON.stringify(value)}`);
  }
  try {
    return parseYuan(value);
  } catch (e) {
    if (e instanceof MoneyFormatError) throw inputError(e.message);
    throw e;
  }
}

/** Money: decimal yuan string outside, integer fen inside. */
export const MoneyScalar = new GraphQLScalarType({
  name: 'Money',
  description: '金额 Money: decimal yuan string with at most two decimals ("12000000.00"); stored as integer fen.',
  serialize(value) {
    // Sums (trial balance, account totals) arrive as bigint: exact at any size.
    if (typeof value === 'bigint') return formatFenBig(value);
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw new GraphQLError(`Money resolver must return integer fen, got ${String(value)}`);
    }
    return formatFen(value);
  },
  parseValue: parseMoney,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw inputError('Money must be a string literal such as "1200.50"');
    return parseMoney(ast.value);
  },
});

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isValidDate(value)) {
    throw inputError(`Date must be a real calendar date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return value;
}

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: '日期 Date: calendar date "YYYY-MM-DD", strict (2023-02-30 is rejected).',
  serialize(value) {
    if (typeof value !== 'string' || !isValidDate(value)) throw new GraphQLError(`Invalid Date value ${String(value)}`);
    return value;
  },
  parseValue: parseDate,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw inputError('Date must be a string "YYYY-MM-DD"');
    return parseDate(ast.value);
  },
});

function parseDateTime(value: unknown): string {
  if (typeof value !== 'string' || !isValidDateTime(value)) {
    throw inputError(`DateTime must be ISO 8601 with offset, e.g. "2025-03-01T08:00:00Z", got ${JSON.stringify(value)}`);
  }
  return toUtcIso(value);
}

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: '时间 DateTime: ISO 8601 instant in UTC ("2025-03-01T08:00:00.000Z").',
  serialize(value) {
    if (typeof value !== 'string') throw new GraphQLError(`Invalid DateTime value ${String(value)}`);
    return value;
  },
  parseValue: parseDateTime,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw inputError('DateTime must be a string');
    return parseDateTime(ast.value);
  },
});
