import { baseServiceEnv, ConfigError, env, googleEnv, type KeyRing, loadConfig, parseKeyRing } from '@gcal-sync/shared';
import { z } from 'zod';

const secret = (min: number) => z.string().min(min, `must be at least ${min} characters`);

export const configSchema = baseServiceEnv.extend(googleEnv.shape).extend({
  GOOGLE_CLIENT_ID: z.string().min(1),
  GOOGLE_CLIENT_SECRET: z.string().min(1),
  /** Must be registered with the OAuth client; its origin is also where the admin page lives. */
  GOOGLE_REDIRECT_URI: z.url(),
  /** Key ring sealing refresh/access tokens: `kid:base64(32 bytes),...`; older keys stay readable. */
  TOKEN_KEYS: z.string().min(1),
  TOKEN_ACTIVE_KEY_ID: z.string().min(1),
  /** Org admins: `orgId:token,...` (each token at least 16 characters). */
  ADMIN_TOKENS: env.credentials(),
  /** Signs admin session cookies and OAuth `state` values. */
  SIGNING_SECRET: secret(32),
  ADMIN_SESSION_TTL_MS: env.int(8 * 3_600_000, 60_000),
  CONNECT_STATE_TTL_MS: env.int(10 * 60_000, 10_000),
  /** A cached access token closer than this to its expiry is refreshed before being handed out. */
  ACCESS_TOKEN_REFRESH_MARGIN_MS: env.int(10 * 60_000),
  /** Calendar lists older than this are re-read from Google by the periodic refresh. */
  CALENDAR_REFRESH_INTERVAL_MS: env.int(6 * 3_600_000, 1_000),
  /** How often the periodic refresh looks for stale calendar lists. */
  CALENDAR_REFRESH_TICK_MS: env.int(60_000, 100),
  GOOGLE_HTTP_TIMEOUT_MS: env.int(15_000, 100),
});
export type Config = z.infer<typeof configSchema>;

export function loadServiceConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const config = loadConfig(configSchema, source);
  keyRingFrom(config);
  return config;
}

/** The key ring named by config; a bad spec is a ConfigError naming TOKEN_KEYS. */
export function keyRingFrom(config: Pick<Config, 'TOKEN_KEYS' | 'TOKEN_ACTIVE_KEY_ID'>): KeyRing {
  try {
    return parseKeyRing(config.TOKEN_KEYS, config.TOKEN_ACTIVE_KEY_ID);
  } catch (error) {
    const message = (error as Error).message;
    throw new ConfigError([
      { variable: message.includes('active key') ? 'TOKEN_ACTIVE_KEY_ID' : 'TOKEN_KEYS', message },
    ]);
  }
}
