import { baseServiceEnv, env, googleEnv, loadConfig } from '@gcal-sync/shared';
import { z } from 'zod';

export const configSchema = baseServiceEnv.extend(googleEnv.shape).extend({
  /** The oauth service's internal API, for access tokens. */
  OAUTH_SERVICE_URL: z.url(),
  /** This service's credential on the oauth service's internal API. */
  OAUTH_SERVICE_TOKEN: z.string().min(16),

  // --- Inbound (Google → app) sync ---
  /** Calendars synced at the same time by this replica (one calendar never runs twice at once). */
  SYNC_CONCURRENCY: env.int(4, 1),
  /** Coalescing: a re-sync of a busy calendar waits for this much quiet in its notifications… */
  SYNC_COALESCE_QUIET_MS: env.int(100, 0),
  /** …but no longer than this after the previous sync started. */
  SYNC_COALESCE_MAX_WAIT_MS: env.int(5_000, 0),
  /** Google eventTypes kept in the mirror, comma separated; `all` disables the filter. */
  SYNC_EVENT_TYPES: z.string().default('default,fromGmail'),
  /** First retry delay ceiling after a transient failure (doubles each time, full jitter). */
  SYNC_BACKOFF_BASE_MS: env.int(2_000, 1),
  /** Retry delay ceiling cap. */
  SYNC_BACKOFF_MAX_MS: env.int(300_000, 1),
  /** Consecutive failures after which a calendar's sync is marked paused and an alert is raised. */
  SYNC_PAUSE_AFTER_FAILURES: env.int(5, 1),
  /** How long an account stays paused after Google's Calendar usage limit (403 quotaExceeded). */
  SYNC_QUOTA_PAUSE_MS: env.int(3 * 3_600_000, 1),
  /** How often this replica looks for due work in Postgres (pending requests, retries after a restart). */
  SYNC_SWEEP_INTERVAL_MS: env.int(2_000, 50),
  /** Google requests per minute per connection (Google's per-user limit is 600). */
  SYNC_USER_QUOTA_PER_MIN: env.int(540, 1),
  /** Google requests per minute for the whole project, per replica (Google's limit is 10,000). */
  SYNC_PROJECT_QUOTA_PER_MIN: env.int(9_000, 1),

  // --- Outbound (app → Google) booking writes ---
  /** How long a booking API request may spend retrying a rate-limited Google before answering 202 (queued). */
  OUTBOUND_SYNC_WAIT_MS: env.int(2_000, 0),
  /** First retry delay ceiling of a queued booking write (doubles each time, full jitter). */
  OUTBOUND_BACKOFF_BASE_MS: env.int(2_000, 1),
  /** Retry delay ceiling cap. */
  OUTBOUND_BACKOFF_MAX_MS: env.int(300_000, 1),
  /** Consecutive failed writes after which a connection's writes are marked paused and an alert is raised. */
  OUTBOUND_PAUSE_AFTER_FAILURES: env.int(5, 1),
  /** How long writes to an account wait after Google's Calendar usage limit (403 quotaExceeded). */
  OUTBOUND_QUOTA_PAUSE_MS: env.int(3_600_000, 1),
  /** Clock-skew allowance for last-write-wins: the app's edit wins only if this much newer than Google's. */
  OUTBOUND_CLOCK_SKEW_MS: env.int(2_000, 0),
  /** How often queued booking writes are looked for (each replica). */
  OUTBOUND_RETRY_POLL_MS: env.int(1_000, 10),
  /** Finished booking commands, own-write records and conflict records are kept this long (idempotency, echo, audit). */
  OUTBOUND_RETENTION_DAYS: env.int(30, 1),
});
export type Config = z.infer<typeof configSchema>;

export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig(configSchema, env);
}
