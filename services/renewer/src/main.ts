import { randomBytes } from 'node:crypto';
import {
  createAccessTokenClient,
  createHttpApp,
  createServiceRuntime,
  errorHandler,
  notFoundHandler,
  startConsumer,
  startHttpServer,
  startOutboxRelay,
} from '@gcal-sync/shared';
import { channelGauges } from './channels/channel-repo';
import type { Config } from './config';
import { buildHandlers } from './consumers';
import { createChannelsApi } from './google/channels-api';
import { migrations, OUTBOX_TABLE } from './migrations';
import { createRenewerMetrics } from './renewer-metrics';
import type { WorkDeps } from './work/work-deps';
import { startWorkLoop } from './work/work-loop';

export const SERVICE_NAME = 'renewer';

export type StartOptions = {
  /** Milliseconds since the epoch; tests move it with the emulator's clock. */
  clock?: () => number;
};

/** Wires the service; a test can boot it in-process. */
export async function start(
  config: Config,
  options: StartOptions = {},
): Promise<{ stop(): Promise<void>; url: string }> {
  const runtime = await createServiceRuntime({ service: SERVICE_NAME, config, migrations });
  const { logger, metrics, shutdown, pool, kafka, publisher } = runtime;
  try {
    const clock = options.clock ?? Date.now;
    const relay = await startOutboxRelay({ pool, table: OUTBOX_TABLE, publisher, logger, metrics });
    shutdown.add('outbox relay', () => relay.stop());

    const deps: WorkDeps = {
      pool,
      api: createChannelsApi({
        rootUrl: config.GOOGLE_API_ROOT_URL,
        tokens: createAccessTokenClient({ oauthBaseUrl: config.OAUTH_BASE_URL, credential: config.OAUTH_CREDENTIAL }),
      }),
      clock,
      owner: config.INSTANCE_ID ?? `renewer-${randomBytes(6).toString('hex')}`,
      logger,
      metrics: createRenewerMetrics(metrics.registry, () => channelGauges(pool, clock())),
      settings: {
        webhookAddress: config.WEBHOOK_ADDRESS,
        ttlSeconds: config.CHANNEL_TTL_SECONDS,
        leaseMs: config.LEASE_MS,
        retryBaseMs: config.RETRY_BASE_MS,
        retryMaxMs: config.RETRY_MAX_MS,
        renew: { whenLeft: config.RENEW_WHEN_LEFT, jitter: config.RENEW_JITTER },
        ticks: {
          safetyNetMs: config.SAFETY_NET_INTERVAL_MS,
          failingMs: config.FAILING_INTERVAL_MS,
          pollMs: config.POLL_INTERVAL_MS,
          alertAfterFailures: config.ALERT_AFTER_FAILURES,
        },
      },
    };
    const loop = startWorkLoop(deps, { intervalMs: config.LOOP_INTERVAL_MS, concurrency: config.CONCURRENCY });
    shutdown.add('work loop', () => loop.stop());

    const consumer = await startConsumer(kafka, {
      groupId: 'renewer',
      handlers: buildHandlers(deps, loop.kick),
      metrics,
    });
    shutdown.add('kafka consumer', () => consumer.stop());

    const app = createHttpApp({
      logger,
      metrics,
      readiness: { ...runtime.readiness, consumer: () => consumer.isReady() },
    });
    app.use(notFoundHandler());
    app.use(errorHandler(logger));
    const server = await startHttpServer(app, config.PORT);
    shutdown.add('http server', () => server.close());
    logger.info({ port: server.port, owner: deps.owner }, 'started');
    return { url: server.url, stop: () => shutdown.run() };
  } catch (error) {
    await shutdown.run();
    throw error;
  }
}
