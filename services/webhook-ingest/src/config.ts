import { baseServiceEnv, env, loadConfig } from '@gcal-sync/shared';
import { z } from 'zod';
import { DEFAULT_PUSH_PATH } from './push/push-path';

export const configSchema = baseServiceEnv.extend({
  /** Path of the address registered in watch requests (the renewer's WEBHOOK_ADDRESS ends with it). */
  WEBHOOK_PATH: z
    .string()
    .regex(/^\/[\w\-./]*$/, 'must be a path starting with /')
    .default(DEFAULT_PUSH_PATH),
  /** Batch Kafka sends over this window; each request is still answered only after its ack. */
  PUBLISH_LINGER_MS: env.int(2),
  /** No Kafka ack within this → 503, so Google retries. */
  PUBLISH_TIMEOUT_MS: env.int(3_000, 1),
  /** Message numbers remembered per channel for duplicate detection. */
  DEDUPE_PER_CHANNEL: env.int(64, 1),
  /** A cache miss is remembered this long, so bursts for an unknown channel hit Postgres once. */
  CHANNEL_MISS_TTL_MS: env.int(1_000),
  /**
   * A ping of a channel not known yet (Google pings as soon as the watch returns, before the renewer's
   * `created` event arrives) waits this long for it before being dropped; 0 drops at once.
   */
  UNKNOWN_CHANNEL_WAIT_MS: env.int(3_000),
  /** An unmatched channel is reported to the renewer at most once per this interval. */
  UNMATCHED_REPORT_INTERVAL_MS: env.int(600_000),
  /** Unique per replica (its cache consumer group); random when unset. */
  INSTANCE_ID: z
    .string()
    .regex(/^[\w.-]+$/)
    .optional(),
});
export type Config = z.infer<typeof configSchema>;

export function loadServiceConfig(source: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig(configSchema, source);
}
