import { ConfigError, createPool, loadConfig } from '@gcal-sync/shared';
import { configSchema, keyRingFrom } from './config';
import { type ReencryptSummary, reencryptAll } from './vault/reencrypt-rows';

/**
 * `node dist/reencrypt.js`: re-seals every stored token with TOKEN_ACTIVE_KEY_ID. Key rotation:
 * 1. add the new key to TOKEN_KEYS on every replica and make it active (old key stays listed);
 * 2. run this command (prints a JSON summary); 3. remove the old key from TOKEN_KEYS.
 */
export async function runReencrypt(env: NodeJS.ProcessEnv): Promise<ReencryptSummary> {
  const config = loadConfig(
    configSchema.pick({ DATABASE_URL: true, TOKEN_KEYS: true, TOKEN_ACTIVE_KEY_ID: true }),
    env,
  );
  const keyRing = keyRingFrom(config);
  const pool = createPool(config.DATABASE_URL, { max: 2, applicationName: 'oauth-reencrypt' });
  try {
    return await reencryptAll(pool, keyRing);
  } finally {
    await pool.end();
  }
}

if (require.main === module) {
  runReencrypt(process.env).then(
    (summary) => process.stdout.write(`${JSON.stringify(summary)}\n`),
    (error) => {
      process.stderr.write(
        `reencrypt: ${error instanceof ConfigError ? error.message : `failed: ${(error as Error).message}`}\n`,
      );
      process.exit(1);
    },
  );
}
