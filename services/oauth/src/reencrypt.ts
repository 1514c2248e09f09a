import { ConfigError, createPool, loadConfig } from '@gcal-sync/shared';
import { configSchema, keyRingFrom } from './config';
import { reencryptAll } from './vault/reencrypt-rows';

/**
 * `node dist/reencrypt.js`: re-seals every stored token with TOKEN_ACTIVE_KEY_ID. Key rotation:
 * 1. add the new key to TOKEN_KEYS on every replica and make it active (old key stays listed);
 * 2. run this command (prints a JSON summary); 3. remove the old key from TOKEN_KEYS.
 */
async function main() {
  const config = loadConfig(configSchema.pick({ DATABASE_URL: true, TOKEN_KEYS: true, TOKEN_ACTIVE_KEY_ID: true }));
  const keyRing = keyRingFrom(config);
  const pool = createPool(config.DATABASE_URL, { max: 2, applicationName: 'oauth-reencrypt' });
  try {
    const summary = await reencryptAll(pool, keyRing);
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    await pool.end();
  }
}

main().catch((error) => {
  process.stderr.write(
    `reencrypt: ${error instanceof ConfigError ? error.message : `failed: ${(error as Error).message}`}\n`,
  );
  process.exit(1);
});
