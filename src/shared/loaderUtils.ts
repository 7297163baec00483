/** Helpers for DataLoader batch functions: answer in the order of the keys asked for. */
export function byId<T extends { id: number }>(rows: T[], ids: readonly number[]): (T | null)[] {
  const m = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => m.get(id) ?? null);
}

export function groupBy<T, K>(rows: T[], key: (r: T) => K, keys: readonly K[]): T[][] {
  const m = new Map<K, T[]>();
  for (const r of rows) {
    const k = key(r);
    if (!m.has(k)) m.set(k, []);
    m.get(k)!.push(r);
  }
  return keys.map((k) => m.get(k) ?? []);
}

/**
 * A row behind a foreign key (an asset's village, an entry's actor): the database guarantees it exists, so it is
 * typed non-null for a non-null GraphQL field. No check here: were it ever missing, GraphQL itself refuses the
 * null for the non-null field, exactly as before the resolvers were typed.
 */
export function referenced<T>(row: Promise<T | null>): Promise<T> {
  return row as Promise<T>;
}
