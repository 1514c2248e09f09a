import {
  createHttpApp,
  createServiceRuntime,
  errorHandler,
  internalAuth,
  notFoundHandler,
  parseKeyRing,
  startConsumer,
  startHttpServer,
} from '@gcal-sync/shared';
import { handleAdminAlert } from './alerts/handle-admin-alert';
import { incidentRoutes } from './api/incident-routes';
import { webhookRoutes } from './api/webhook-routes';
import { webhookTestRoute } from './api/webhook-test-route';
import type { Config } from './config';
import { buildHandlers } from './consumers';
import { countPendingDeliveries } from './deliveries/delivery-repository';
import { startDeliveryWorker } from './deliveries/delivery-worker';
import { startHousekeeping } from './incidents/housekeeping';
import { countOpenIncidents } from './incidents/incident-repository';
import { migrations } from './migrations';
import { createNotifierMetrics } from './notifier-metrics';
import { resealWebhooks } from './webhooks/reseal-webhooks';

export const SERVICE_NAME = 'notifier';

/** Wires the service; a test can boot it in-process. */
export async function start(config: Config): Promise<{ stop(): Promise<void>; url: string }> {
  const runtime = await createServiceRuntime({ service: SERVICE_NAME, config, migrations });
  const { logger, metrics, shutdown, pool } = runtime;
  try {
    const ring = parseKeyRing(config.WEBHOOK_KEYS, config.WEBHOOK_ACTIVE_KEY_ID);
    await resealWebhooks(pool, ring, logger);
    const notifierMetrics = createNotifierMetrics(metrics.registry, {
      openIncidents: () => countOpenIncidents(pool),
      pendingDeliveries: () => countPendingDeliveries(pool),
    });

    const worker = startDeliveryWorker({
      pool,
      logger,
      metrics: notifierMetrics,
      ring,
      fallbackUrl: config.SLACK_FALLBACK_WEBHOOK_URL,
      adminBaseUrl: config.ADMIN_BASE_URL,
      concurrency: config.DELIVERY_CONCURRENCY,
      catchUpThreshold: config.ORG_MESSAGES_PER_WINDOW,
      pollMs: config.DELIVERY_POLL_MS,
      timeoutMs: config.DELIVERY_TIMEOUT_MS,
      retry: {
        baseMs: config.DELIVERY_RETRY_BASE_MS,
        maxMs: config.DELIVERY_RETRY_MAX_MS,
        maxAgeMs: config.DELIVERY_MAX_AGE_MS,
      },
    });
    shutdown.add('delivery worker', () => worker.stop());
    const housekeeping = startHousekeeping({ pool, logger, retentionDays: config.ALERT_LOG_RETENTION_DAYS });
    shutdown.add('housekeeping', () => housekeeping.stop());

    const consumer = await startConsumer(runtime.kafka, {
      groupId: SERVICE_NAME,
      metrics,
      // Alerts are keyed by org: partitions are independent orgs, so they can be handled in parallel.
      partitionsConsumedConcurrently: config.KAFKA_PARTITIONS_CONCURRENCY,
      // Messages are validated before the handler, so a handler failure is nearly always Postgres
      // being unavailable: keep retrying for minutes (holding the partition) rather than dead-letter
      // alerts after a short blip.
      maxAttempts: config.HANDLER_MAX_ATTEMPTS,
      retryMaxMs: 30_000,
      handlers: buildHandlers({
        adminAlert: handleAdminAlert({
          pool,
          logger,
          rate: { limit: config.ORG_MESSAGES_PER_WINDOW, windowMs: config.ORG_RATE_WINDOW_MS },
          onQueued: worker.kick,
        }),
      }),
    });
    shutdown.add('kafka consumer', () => consumer.stop());

    const app = createHttpApp({
      logger,
      metrics,
      readiness: { ...runtime.readiness, consumer: () => consumer.isReady() },
    });
    app.use('/internal', internalAuth(config.INTERNAL_API_TOKENS));
    app.use(
      webhookRoutes({
        pool,
        ring,
        logger,
        rules: { allowedHosts: config.SLACK_WEBHOOK_HOSTS, allowHttp: config.SLACK_ALLOW_HTTP },
        onSaved: worker.kick,
      }),
    );
    app.use(
      webhookTestRoute({
        pool,
        ring,
        logger,
        adminBaseUrl: config.ADMIN_BASE_URL,
        timeoutMs: config.DELIVERY_TIMEOUT_MS,
        onWorking: worker.kick,
      }),
    );
    app.use(incidentRoutes({ pool }));
    app.use(notFoundHandler());
    app.use(errorHandler(logger));
    const server = await startHttpServer(app, config.PORT);
    shutdown.add('http server', () => server.close());
    logger.info({ port: server.port }, 'started');
    return { url: server.url, stop: () => shutdown.run() };
  } catch (error) {
    await shutdown.run();
    throw error;
  }
}
