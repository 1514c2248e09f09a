import { startTelemetry } from '@gcal-sync/shared/telemetry';
import { DEFAULT_PUSH_PATH } from './push/push-path';

// Telemetry first, so its instrumentations patch http/express/pg before anything loads them.
const telemetry = startTelemetry({
  serviceName: 'webhook-ingest',
  otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
  // The push route starts its own, lighter server span (push-route.ts).
  untracedPaths: [process.env.WEBHOOK_PATH || DEFAULT_PUSH_PATH],
});

const { runService } = require('@gcal-sync/shared') as typeof import('@gcal-sync/shared');
const { start } = require('./main') as typeof import('./main');
const { loadServiceConfig } = require('./config') as typeof import('./config');

void runService('webhook-ingest', () => loadServiceConfig(), start, { afterStop: () => telemetry.shutdown() });
