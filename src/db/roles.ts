import type { Knex } from 'knex';

/**
 * PostgreSQL roles (issue 8): migrations run as the owner of the tables; the server runs as an application
 * role holding only what it needs. The owner alone can ALTER TABLE (and so DISABLE TRIGGER), DROP or
 * TRUNCATE; the application role may read everything, insert everywhere, but update and delete only in
 * tables that are not append-only. Run after every migration, as the owner: new tables get their grants.
 */
export async function grantApplicationRights(owner: Knex, appRole: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(appRole)) throw new Error(`Unusable role name ${JSON.stringify(appRole)}`);
  const tables: string[] = (
    await owner.raw(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)
  ).rows.map((r: { tablename: string }) => r.tablename);
  const appendOnly = new Set<string>(
    (await owner.raw(`SELECT DISTINCT event_object_table AS t FROM information_schema.triggers WHERE trigger_name LIKE '%\\_append\\_only'`)).rows.map(
      (r: { t: string }) => r.t,
    ),
  );
  const migrations = (t: string) => t.startsWith('knex_migrations');
  await owner.raw(`GRANT USAGE ON SCHEMA public TO ${appRole}`);
  await owner.raw(`REVOKE CREATE ON SCHEMA public FROM ${appRole}`);
  await owner.raw(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${appRole}`);
  for (const t of tables) {
    await owner.raw(`REVOKE ALL ON ${t} FROM ${appRole}`);
    // The migration bookkeeping is the owner's: the application reads it (to see the schema is current).
    if (migrations(t)) await owner.raw(`GRANT SELECT ON ${t} TO ${appRole}`);
    else if (appendOnly.has(t)) await owner.raw(`GRANT SELECT, INSERT ON ${t} TO ${appRole}`);
    else await owner.raw(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${t} TO ${appRole}`);
  }
}

/** The user name of a postgres:// URL. */
export function roleOf(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).username);
}
