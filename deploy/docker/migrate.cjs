// Applies this service's database migrations and exits: the Helm chart's pre-install/pre-upgrade
// hook Job runs `node migrate.cjs` in each service's image, so a schema change lands before any
// new replica starts. Services still migrate at start (a no-op then): same code, same advisory
// lock, so the Job and a replica never race. Needs only DATABASE_URL.
'use strict';
const { createPool, runMigrations } = require('@gcal-sync/shared');
const { migrations } = require('./dist/migrations');
const service = require('./package.json').name.replace(/^@gcal-sync\//, '');

async function main() {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is required');
  const pool = createPool(process.env.DATABASE_URL, { max: 1, applicationName: `${service}-migrate` });
  try {
    const applied = await runMigrations(pool, service, migrations);
    process.stdout.write(`${JSON.stringify({ service, applied, known: migrations.length })}\n`);
  } finally {
    await pool.end();
  }
}

main().catch((error) => {
  process.stderr.write(`${service} migrations failed: ${error.message}\n`);
  process.exit(1);
});
