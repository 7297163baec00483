/**
 * Reads rows for a long list of keys a slice at a time. SQLite refuses a statement with more than 32,766
 * bound values ("too many SQL variables") and PostgreSQL more than 65,535, so a `whereIn` over every
 * household of a large plan must be cut; 10,000 keys a statement stays far inside both.
 */
export const KEYS_PER_STATEMENT = 10_000;

export async function inChunks<K, R>(keys: readonly K[], read: (slice: K[]) => Promise<R[]>, size = KEYS_PER_STATEMENT): Promise<R[]> {
  if (keys.length <= size) return read(keys as K[]);
  const out: R[] = [];
  for (let i = 0; i < keys.length; i += size) out.push(...(await read(keys.slice(i, i + size))));
  return out;
}
