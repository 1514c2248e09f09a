import { baseServiceEnv, env, loadConfig, parseKeyRing } from '@gcal-sync/shared';
import { z } from 'zod';

export const configSchema = baseServiceEnv
  .extend({
    /** Key ring sealing stored Slack webhook URLs: `kid:base64(32 bytes),...`. */
    WEBHOOK_KEYS: z.string().min(1),
    /** The key id that seals new webhook URLs; older ids stay readable (rotation). */
    WEBHOOK_ACTIVE_KEY_ID: z.string().min(1),
    /** Operators' webhook: orgs without a working webhook of their own are alerted here. Optional. */
    SLACK_FALLBACK_WEBHOOK_URL: z.url().optional(),
    /** Hosts a per-org webhook may point at (guards against the API being used to reach internal hosts). */
    SLACK_WEBHOOK_HOSTS: env.list().default(['hooks.slack.com', 'hooks.slack-gov.com']),
    /** Accept http:// webhooks (local development and tests only). */
    SLACK_ALLOW_HTTP: env.bool(false),
    /** Base URL of the admin page, for the links in messages. */
    ADMIN_BASE_URL: z.url(),
    /** Per org: individual Slack messages allowed per window; beyond that, one summary per window. */
    ORG_MESSAGES_PER_WINDOW: env.int(5, 1),
    ORG_RATE_WINDOW_MS: env.int(60_000, 100),
    /** Resolved incidents (and their sent messages) are kept this long; open ones always. */
    ALERT_LOG_RETENTION_DAYS: env.int(90, 1),
    /** Kafka partitions (each a set of orgs, kept in order) handled in parallel. */
    KAFKA_PARTITIONS_CONCURRENCY: env.int(3, 1),
    /** Attempts (jittered backoff up to 30 s, several minutes in all) before a failing alert is dead-lettered. */
    HANDLER_MAX_ATTEMPTS: env.int(25, 1),
    /** Parallel Slack posts (each org's messages are still sent one at a time, in order). */
    DELIVERY_CONCURRENCY: env.int(4, 1),
    /** Poll for due deliveries this often (new ones wake the worker at once). */
    DELIVERY_POLL_MS: env.int(1_000, 10),
    DELIVERY_TIMEOUT_MS: env.int(10_000, 100),
    DELIVERY_RETRY_BASE_MS: env.int(2_000, 1),
    DELIVERY_RETRY_MAX_MS: env.int(300_000, 1),
    /** A message still not delivered after this long is recorded as undeliverable. */
    DELIVERY_MAX_AGE_MS: env.int(86_400_000, 1_000),
  })
  .superRefine((cfg, ctx) => {
    try {
      parseKeyRing(cfg.WEBHOOK_KEYS, cfg.WEBHOOK_ACTIVE_KEY_ID);
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['WEBHOOK_KEYS'], message: (error as Error).message });
    }
    const fallback = cfg.SLACK_FALLBACK_WEBHOOK_URL;
    if (fallback && !cfg.SLACK_ALLOW_HTTP && !fallback.startsWith('https://')) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_FALLBACK_WEBHOOK_URL'], message: 'must be an https:// URL' });
    }
  });
export type Config = z.infer<typeof configSchema>;

export function loadServiceConfig(source: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig(configSchema, source);
}
