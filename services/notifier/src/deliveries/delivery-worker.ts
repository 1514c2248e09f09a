import type { KeyRing, Logger, Pool, PoolClient } from '@gcal-sync/shared';
import type { NotifierMetrics } from '../notifier-metrics';
import { classifyWebhookResponse } from '../slack/classify-response';
import { postWebhook } from '../slack/post-webhook';
import { renderSlackMessage } from '../slack/render-message';
import { findWebhook, markWebhookBroken, markWebhookDelivered, openWebhook } from '../webhooks/webhook-repository';
import { chooseTarget, type Target } from './choose-target';
import {
  claimDueDelivery,
  type DeliveryRow,
  lockDueBacklog,
  markDelivered,
  markFailed,
  markFolded,
  postponeDelivery,
  scheduleRetry,
} from './delivery-repository';
import { foldBacklog } from './notification';
import { nextAttempt, type RetryPolicy } from './retry-policy';

/** At most this many queued messages go into one catch-up summary (the rest into the next). */
const BACKLOG_FOLD_LIMIT = 1_000;

export type DeliveryWorkerOptions = {
  pool: Pool;
  logger: Logger;
  metrics: NotifierMetrics;
  ring: KeyRing;
  fallbackUrl?: string;
  adminBaseUrl: string;
  concurrency: number;
  /** More due messages than this for one org are sent as one catch-up summary. */
  catchUpThreshold: number;
  pollMs: number;
  timeoutMs: number;
  retry: RetryPolicy;
};

/**
 * Sends queued Slack messages. Each lane claims one due delivery in a transaction, posts it and
 * records the outcome before committing, so a crash mid-send leaves it pending (sent again: Slack
 * messages are at-least-once). The lock held during the post is bounded by the request timeout.
 */
export function startDeliveryWorker(options: DeliveryWorkerOptions): { kick(): void; stop(): Promise<void> } {
  const { pool, logger, metrics } = options;
  let stopped = false;
  // The fallback webhook is shared by every org routed to it: once Slack rate-limits it, every lane
  // waits (org webhooks need no such pause: each org has one message in flight at a time).
  let fallbackPausedUntil = 0;
  let sleepers: (() => void)[] = [];

  const wakeAll = () => {
    const waiting = sleepers;
    sleepers = [];
    for (const wake of waiting) wake();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        sleepers = sleepers.filter((s) => s !== done);
        resolve();
      }
      sleepers.push(done);
    });

  async function deliverOne(): Promise<boolean> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const row = await claimDueDelivery(client);
      if (row) await attempt(client, row);
      await client.query('COMMIT');
      return row !== null;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async function attempt(client: PoolClient, row: DeliveryRow): Promise<void> {
    const log = { orgId: row.org_id, deliveryId: row.id, kind: row.kind, attempt: row.attempts + 1 };
    const webhook = await findWebhook(client, row.org_id);
    let target: Target;
    try {
      target = chooseTarget(webhook && openWebhook(options.ring, webhook), options.fallbackUrl);
    } catch (error) {
      // A key missing from WEBHOOK_KEYS is an operator error that a config fix repairs: keep the message.
      logger.error({ ...log, err: error }, 'stored Slack webhook cannot be decrypted; check WEBHOOK_KEYS');
      await retryLater(client, row, 'webhook_undecryptable', null, log);
      return;
    }
    if (target.kind === 'none') {
      await markFailed(client, row.id, target.because, null);
      metrics.slackDeliveries.inc({ outcome: target.because, target: 'none' });
      logger.warn({ ...log, because: target.because }, 'no Slack webhook for org and no fallback: message not sent');
      return;
    }
    if (target.kind === 'fallback' && Date.now() < fallbackPausedUntil) {
      await postponeDelivery(client, row.id, new Date(fallbackPausedUntil));
      return;
    }
    // This one already failed and more than an org's budget is due behind it (Slack was down or
    // rate limiting): one catch-up summary instead of a burst when Slack is back.
    const backlog = row.attempts > 0 ? await lockDueBacklog(client, row.org_id, row.id, BACKLOG_FOLD_LIMIT) : [];
    const folding = backlog.length + 1 > options.catchUpThreshold;
    const content = folding ? foldBacklog([row.content, ...backlog.map((b) => b.content)], new Date()) : row.content;
    const message = renderSlackMessage(content, {
      orgId: row.org_id,
      adminBaseUrl: options.adminBaseUrl,
      ...(target.kind === 'fallback' ? { routedBecause: target.because } : {}),
    });
    const verdict = classifyWebhookResponse(await postWebhook(target.url, message, options.timeoutMs));
    const labels = { target: target.kind };
    switch (verdict.outcome) {
      case 'delivered':
        await markDelivered(client, row.id, target.kind);
        if (folding) await markFolded(client, [row.id, ...backlog.map((b) => b.id)], row.id);
        if (target.kind === 'org') await markWebhookDelivered(client, row.org_id, target.version);
        metrics.slackDeliveries.inc({ outcome: 'delivered', ...labels });
        return;
      case 'retry':
        metrics.slackDeliveries.inc({ outcome: verdict.reason, ...labels });
        if (target.kind === 'fallback' && verdict.reason === 'rate_limited') {
          fallbackPausedUntil = Date.now() + Math.min(verdict.retryAfterMs ?? 1_000, options.retry.maxMs);
        }
        await retryLater(client, row, `${verdict.reason}: ${verdict.detail}`, target.kind, log, verdict.retryAfterMs);
        return;
      case 'broken':
        metrics.slackDeliveries.inc({ outcome: 'webhook_broken', ...labels });
        if (target.kind === 'fallback') {
          logger.error(
            { ...log, reason: verdict.reason },
            'fallback Slack webhook refused the message; fix SLACK_FALLBACK_WEBHOOK_URL',
          );
          await markFailed(client, row.id, `fallback webhook broken: ${verdict.reason}`, 'fallback');
          return;
        }
        if (!(await markWebhookBroken(client, row.org_id, target.version, verdict.reason))) {
          // Replaced while this post was in flight: try the new webhook.
          await scheduleRetry(client, row.id, new Date(), `webhook_broken: ${verdict.reason}`, 'org');
          return;
        }
        logger.warn(
          { ...log, reason: verdict.reason, urlHint: webhook?.url_hint },
          'Slack webhook of org marked broken',
        );
        // With a fallback the same message goes there at once; without one it cannot be sent.
        if (options.fallbackUrl) {
          await scheduleRetry(client, row.id, new Date(), `webhook_broken: ${verdict.reason}`, 'org');
        } else {
          await markFailed(client, row.id, `webhook_broken: ${verdict.reason}`, 'org');
        }
        return;
      case 'rejected':
        metrics.slackDeliveries.inc({ outcome: 'rejected', ...labels });
        logger.error({ ...log, reason: verdict.reason }, 'Slack rejected the message; not retried');
        await markFailed(client, row.id, `rejected: ${verdict.reason}`, target.kind);
        return;
    }
  }

  async function retryLater(
    client: PoolClient,
    row: DeliveryRow,
    error: string,
    target: 'org' | 'fallback' | null,
    log: Record<string, unknown>,
    retryAfterMs?: number,
  ) {
    const next = nextAttempt({
      attempts: row.attempts + 1,
      createdAt: row.created_at,
      now: new Date(),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      policy: options.retry,
    });
    if ('giveUp' in next) {
      metrics.slackDeliveries.inc({ outcome: 'expired', target: target ?? 'none' });
      logger.error({ ...log, error }, 'Slack message undeliverable: retried until too old');
      await markFailed(client, row.id, `expired: ${error}`, target);
      return;
    }
    logger.warn({ ...log, error, retryAt: next.retryAt.toISOString() }, 'Slack delivery failed; will retry');
    await scheduleRetry(client, row.id, next.retryAt, error, target);
  }

  async function lane() {
    while (!stopped) {
      let worked = false;
      try {
        worked = await deliverOne();
      } catch (error) {
        logger.warn({ err: error }, 'delivery worker step failed; will retry');
      }
      if (!worked && !stopped) await sleep(options.pollMs);
    }
  }

  const lanes = Array.from({ length: options.concurrency }, () => lane());
  return {
    kick: wakeAll,
    async stop() {
      stopped = true;
      wakeAll();
      await Promise.all(lanes);
    },
  };
}
