import type pg from 'pg';

export type Migration = { version: number; name: string; sql: string };

/**
 * Applies a service's versioned migrations once, in order, each in its own transaction.
 * An advisory lock per service serializes replicas starting together.
 */
export async function runMigrations(pool: pg.Pool, service: string, migrations: Migration[]): Promise<number[]> {
  const versions = migrations.map((m) => m.version);
  if (new Set(versions).size !== versions.length) throw new Error(`${service}: duplicate migration versions`);
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    // One lock for all services: CREATE TABLE IF NOT EXISTS is not safe against a concurrent creator.
    await client.query("SELECT pg_advisory_lock(hashtext('gcal-sync:migrations'))");
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        service text NOT NULL, version integer NOT NULL, name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (service, version))`);
      const done = new Set(
        (
          await client.query<{ version: number }>('SELECT version FROM schema_migrations WHERE service = $1', [service])
        ).rows.map((r) => r.version),
      );
      for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
        if (done.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (service, version, name) VALUES ($1, $2, $3)', [
            service,
            migration.version,
            migration.name,
          ]);
          await client.query('COMMIT');
          applied.push(migration.version);
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(
            `${service}: migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`,
          );
        }
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext('gcal-sync:migrations'))");
    }
  } finally {
    client.release();
  }
  return applied;
}
