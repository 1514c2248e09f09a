import { baseServiceEnv, env, googleEnv, loadConfig } from '@gcal-sync/shared';
import { z } from 'zod';

const MINUTE = 60_000;
const fraction = (fallback: number) => z.coerce.number().gt(0).lt(1).default(fallback);

export const configSchema = baseServiceEnv
  .extend(googleEnv.shape)
  .extend({
    /** webhook-ingest's push endpoint, registered in every watch request. Google requires https. */
    WEBHOOK_ADDRESS: z.url(),
    /** Only for the emulator: allow an http WEBHOOK_ADDRESS. */
    ALLOW_HTTP_WEBHOOK: env.bool(false),
    /** oauth service base URL and this service's credential for its internal access-token API. */
    OAUTH_BASE_URL: z.url(),
    OAUTH_CREDENTIAL: z.string().min(16),
    /** Lifetime asked for (Google's maximum for events is a week); Google's returned expiration rules. */
    CHANNEL_TTL_SECONDS: env.int(7 * 24 * 3600, 60),
    /** Replace a channel when this fraction of its lifetime is left (1/7: day 6 of 7). */
    RENEW_WHEN_LEFT: fraction(1 / 7),
    /** Renewals are spread earlier by up to this fraction of the lifetime, so channels made together renew apart. */
    RENEW_JITTER: fraction(1 / 28),
    SAFETY_NET_INTERVAL_MS: env.int(15 * MINUTE, 1_000),
    /** Safety-net interval while renewal keeps failing (after ALERT_AFTER_FAILURES). */
    FAILING_INTERVAL_MS: env.int(MINUTE, 1_000),
    /** Calendars that cannot be watched (holidays, birthdays) are polled at this interval. */
    POLL_INTERVAL_MS: env.int(15 * MINUTE, 1_000),
    ALERT_AFTER_FAILURES: env.int(3, 1),
    RETRY_BASE_MS: env.int(5_000, 1),
    RETRY_MAX_MS: env.int(15 * MINUTE, 1),
    /** How often this replica looks for due work. */
    LOOP_INTERVAL_MS: env.int(1_000, 10),
    /** A replica's claim on a calendar's channel work; a crashed replica's claim lapses after it. */
    LEASE_MS: env.int(60_000, 1_000),
    /** Calendars worked on in parallel by one replica. */
    CONCURRENCY: env.int(8, 1),
    /** Unique per replica (lease owner); random when unset. */
    INSTANCE_ID: z
      .string()
      .regex(/^[\w.-]+$/)
      .optional(),
  })
  .superRefine((cfg, ctx) => {
    if (!cfg.ALLOW_HTTP_WEBHOOK && !cfg.WEBHOOK_ADDRESS.startsWith('https://')) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_ADDRESS'],
        message: 'Google only delivers to https addresses (set ALLOW_HTTP_WEBHOOK=true for the emulator)',
      });
    }
  });
export type Config = z.infer<typeof configSchema>;

export function loadServiceConfig(source: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig(configSchema, source);
}
