import {
  createHttpApp,
  createServiceRuntime,
  errorHandler,
  type Logger,
  notFoundHandler,
  startConsumer,
  startHttpServer,
  startOutboxRelay,
} from '@gcal-sync/shared';
import type { AdminAuthOptions } from './admin/admin-auth';
import { adminIdentity } from './admin/admin-auth';
import { startPeriodicCalendarRefresh } from './calendars/periodic-refresh';
import type { CalendarRefreshDeps } from './calendars/refresh-calendars';
import { type Config, keyRingFrom } from './config';
import type { CompleteDeps } from './connect/complete-connect';
import type { DisconnectDeps } from './connections/disconnect-connection';
import { buildHandlers } from './consumers';
import { createCalendarListClient } from './google/calendar-list';
import { createGoogleOAuth } from './google/google-oauth';
import { adminApiRoutes } from './http/admin-api-routes';
import { adminPageRoutes } from './http/admin-page-routes';
import { connectRoutes } from './http/connect-routes';
import { internalRoutes } from './http/internal-routes';
import { migrations } from './migrations';
import { OUTBOX_TABLE } from './migrations/outbox-table';
import { createOAuthMetrics } from './oauth-metrics';
import { createAccessTokenVault } from './vault/access-token-vault';
import { createTokenSealer } from './vault/token-sealer';

export const SERVICE_NAME = 'oauth';

export type StartOptions = {
  /** The service's clock (token expiry, state expiry); tests follow the emulator's virtual clock with it. */
  now?: () => number;
  logger?: Logger;
};

/** Wires the service; a test can boot it in-process. */
export async function start(
  config: Config,
  options: StartOptions = {},
): Promise<{ stop(): Promise<void>; url: string }> {
  const keyRing = keyRingFrom(config);
  const now = options.now ?? Date.now;
  const runtime = await createServiceRuntime({
    service: SERVICE_NAME,
    config,
    migrations,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const { logger, metrics, pool, shutdown } = runtime;
  try {
    const oauthMetrics = createOAuthMetrics(metrics.registry);
    const sealer = createTokenSealer(keyRing);
    const google = createGoogleOAuth(config);
    const fetchCalendarList = createCalendarListClient(config);
    const redirect = new URL(config.GOOGLE_REDIRECT_URI);
    const adminUrl = new URL('/admin', redirect).toString();

    const vault = createAccessTokenVault({
      pool,
      sealer,
      google,
      logger,
      metrics: oauthMetrics,
      now,
      marginMs: config.ACCESS_TOKEN_REFRESH_MARGIN_MS,
      revocation: { adminUrl, now },
    });
    const refresh: CalendarRefreshDeps = { pool, vault, fetchCalendarList, logger, metrics: oauthMetrics };
    const connect: CompleteDeps = {
      pool,
      sealer,
      google,
      signingSecret: config.SIGNING_SECRET,
      stateTtlMs: config.CONNECT_STATE_TTL_MS,
      now,
      fetchCalendarList,
      logger,
      adminUrl,
    };
    const disconnect: DisconnectDeps = { pool, sealer, google, logger, adminUrl, now };
    const auth: AdminAuthOptions = {
      adminTokens: config.ADMIN_TOKENS,
      signingSecret: config.SIGNING_SECRET,
      sessionTtlMs: config.ADMIN_SESSION_TTL_MS,
      secureCookies: redirect.protocol === 'https:',
      now,
    };

    const relay = await startOutboxRelay({ pool, table: OUTBOX_TABLE, publisher: runtime.publisher, logger, metrics });
    shutdown.add('outbox relay', () => relay.stop());
    const consumer = await startConsumer(runtime.kafka, {
      groupId: SERVICE_NAME,
      handlers: buildHandlers(refresh),
      metrics,
    });
    shutdown.add('kafka consumer', () => consumer.stop());
    const periodic = startPeriodicCalendarRefresh(refresh, {
      tickMs: config.CALENDAR_REFRESH_TICK_MS,
      maxAgeMs: config.CALENDAR_REFRESH_INTERVAL_MS,
    });
    shutdown.add('periodic calendar refresh', () => periodic.stop());

    const app = createHttpApp({
      logger,
      metrics,
      readiness: { ...runtime.readiness, consumer: () => consumer.isReady() },
    });
    app.use(adminIdentity(auth));
    app.use(internalRoutes({ pool, vault, callers: config.INTERNAL_API_TOKENS }));
    app.use(adminApiRoutes({ pool, refresh, disconnect }));
    app.use(adminPageRoutes({ pool, refresh, disconnect, auth, logger }));
    app.use(connectRoutes({ ...connect, callbackPath: redirect.pathname }));
    app.get('/', (_req, res) => res.redirect(303, '/admin'));
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
