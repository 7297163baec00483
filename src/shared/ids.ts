import { DomainError } from './errors';

/**
 * Global ids are readable ("Asset:42"), so a county official can copy one from GraphiQL into a question to
 * the help desk; inside, rows have integer keys.
 */
export function toGlobalId(type: string, id: number): string {
  return `${type}:${id}`;
}

/** Returns the integer key, or null when the id is not of this type. */
export function fromGlobalId(type: string, globalId: string): number | null {
  const m = /^([A-Za-z]+):([1-9]\d{0,15})$/.exec(globalId);
  if (!m || m[1] !== type) return null;
  const n = Number(m[2]);
  return Number.isSafeInteger(n) ? n : null;
}

/** For mutation inputs: an id of the wrong type or shape is an unknown id. */
export function requireGlobalId(type: string, globalId: string, field: string[]): number {
  const id = fromGlobalId(type, globalId);
  if (id === null) throw new DomainError('NOT_FOUND', `No ${type} with id ${JSON.stringify(globalId)}`, field);
  return id;
}
