import { createHttpApp, createServiceRuntime, errorHandler, notFoundHandler, startHttpServer } from '@gcal-sync/shared';
import type { Config } from './config';
import { migrations } from './migrations';

export const SERVICE_NAME = 'sync-core';

/** Wires the service; a test can boot it in-process. */
export async function start(config: Config): Promise<{ stop(): Promise<void>; url: string }> {
  const runtime = await createServiceRuntime({ service: SERVICE_NAME, config, migrations });
  const { logger, metrics, shutdown } = runtime;
  try {
    const app = createHttpApp({ logger, metrics, readiness: runtime.readiness });
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
