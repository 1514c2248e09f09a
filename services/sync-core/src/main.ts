import {
  createHttpApp,
  createServiceRuntime,
  errorHandler,
  internalAuth,
  notFoundHandler,
  startConsumer,
  startHttpServer,
  startOutboxRelay,
} from '@gcal-sync/shared';
import type { Config } from './config';
import { buildHandlers } from './consumers';
import { createInbound } from './inbound';
import { migrations } from './migrations';
import { createOutbound, isOwnWrite } from './outbound';

export const SERVICE_NAME = 'sync-core';

/** Wires the service; a test can boot it in-process. */
export async function start(config: Config): Promise<{ stop(): Promise<void>; url: string }> {
  const runtime = await createServiceRuntime({ service: SERVICE_NAME, config, migrations });
  const { logger, metrics, shutdown, pool, publisher } = runtime;
  try {
    const relay = await startOutboxRelay({ pool, table: 'sync_core_outbox', publisher, logger, metrics });
    shutdown.add('outbox relay', () => relay.stop());

    // Outbound's record of its own writes tells inbound which changes are echoes (source: 'app').
    const inbound = await createInbound({ runtime, config, echo: { isOwnWrite } });
    shutdown.add('inbound', () => inbound.stop());
    const outbound = await createOutbound({ runtime, config });
    shutdown.add('outbound', () => outbound.stop());

    const consumer = await startConsumer(runtime.kafka, {
      groupId: SERVICE_NAME,
      handlers: buildHandlers({ inbound, outbound }),
      partitionsConsumedConcurrently: 3,
      metrics,
    });
    shutdown.add('kafka consumer', () => consumer.stop());

    const app = createHttpApp({ logger, metrics, readiness: { ...runtime.readiness, consumer: consumer.isReady } });
    app.use('/internal', internalAuth(config.INTERNAL_API_TOKENS), inbound.router, outbound.router);
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
