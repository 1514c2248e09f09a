import { randomBytes } from 'node:crypto';
import { createHttpApp, createServiceRuntime, errorHandler, notFoundHandler, startConsumer } from '@gcal-sync/shared';
import { ChannelCache } from './channels/channel-cache';
import { findChannel, listLiveChannels, pruneChannels } from './channels/channel-store';
import type { Config } from './config';
import { buildCacheHandlers, buildStoreHandlers } from './consumers';
import { startWebhookServer } from './http-server';
import { migrations } from './migrations';
import { createPushProcessor } from './push/push-processor';
import { createPushRoute } from './push/push-route';
import { ReportLimiter } from './push/report-limiter';
import { SeenMessages } from './push/seen-messages';
import { createUnmatchedReporter } from './push/unmatched-reporter';
import { robotsTxt } from './robots';
import { createWebhookMetrics } from './webhook-metrics';

export const SERVICE_NAME = 'webhook-ingest';

const PRUNE_EVERY_MS = 60 * 60_000;
/** Longer than any channel lifetime Google grants (a week), so late pings of retired channels stay recognised. */
const KEEP_RETIRED_MS = 8 * 24 * 60 * 60_000;

/** Wires the service; a test can boot it in-process. */
export async function start(config: Config): Promise<{ stop(): Promise<void>; url: string; pushUrl: string }> {
  const runtime = await createServiceRuntime({
    service: SERVICE_NAME,
    config,
    migrations,
    publisher: { lingerMs: config.PUBLISH_LINGER_MS },
  });
  const { logger, metrics, shutdown, pool, kafka, publisher } = runtime;
  try {
    const webhookMetrics = createWebhookMetrics(metrics.registry);
    const cache = new ChannelCache(config.CHANNEL_MISS_TTL_MS);

    const store = await startConsumer(kafka, {
      groupId: 'webhook-ingest.channels',
      handlers: buildStoreHandlers(pool),
      metrics,
    });
    shutdown.add('channel store consumer', () => store.stop());
    // Its own group per replica: every replica must see every channel event. It starts at the
    // topic's end; what came before is in Postgres (warm-up below, and lookups on a miss).
    const instanceId = config.INSTANCE_ID ?? randomBytes(6).toString('hex');
    const cacheFeed = await startConsumer(kafka, {
      groupId: `webhook-ingest.cache.${instanceId}`,
      handlers: buildCacheHandlers(cache),
      fromBeginning: false,
      metrics,
    });
    shutdown.add('channel cache consumer', () => cacheFeed.stop());
    for (const view of await listLiveChannels(pool)) cache.put(view);

    const prune = setInterval(() => {
      cache.pruneRetired();
      pruneChannels(pool, new Date(Date.now() - KEEP_RETIRED_MS)).catch((err: unknown) =>
        logger.warn({ err }, 'pruning webhook_channels failed'),
      );
    }, PRUNE_EVERY_MS);
    prune.unref();
    shutdown.add('pruning', () => clearInterval(prune));

    const processPush = createPushProcessor({
      cache,
      lookup: (channelId) => findChannel(pool, channelId),
      publisher,
      seen: new SeenMessages(config.DEDUPE_PER_CHANNEL),
      publishTimeoutMs: config.PUBLISH_TIMEOUT_MS,
      unknownChannelWaitMs: config.UNKNOWN_CHANNEL_WAIT_MS,
      reportUnmatched: createUnmatchedReporter({
        publisher,
        limiter: new ReportLimiter(config.UNMATCHED_REPORT_INTERVAL_MS, 50),
        logger,
      }),
      logger,
    });

    const app = createHttpApp({
      logger,
      metrics,
      readiness: { ...runtime.readiness, channelStore: () => store.isReady(), channelCache: () => cacheFeed.isReady() },
    });
    app.get('/robots.txt', (_req, res) => {
      res.type('text/plain').send(robotsTxt(config.WEBHOOK_PATH));
    });
    app.use(notFoundHandler());
    app.use(errorHandler(logger));
    const server = await startWebhookServer({
      app,
      pushPath: config.WEBHOOK_PATH,
      push: createPushRoute({ path: config.WEBHOOK_PATH, processPush, metrics: webhookMetrics }),
      port: config.PORT,
    });
    shutdown.add('http server', () => server.close());
    logger.info({ port: server.port, instanceId, channels: cache.size }, 'started');
    return { url: server.url, pushUrl: `${server.url}${config.WEBHOOK_PATH}`, stop: () => shutdown.run() };
  } catch (error) {
    await shutdown.run();
    throw error;
  }
}
