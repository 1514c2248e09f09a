import { startTelemetry } from '@gcal-sync/shared/telemetry';

// Telemetry first, so its instrumentations patch http/express/pg before anything loads them.
const telemetry = startTelemetry({
  serviceName: 'sync-core',
  otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
});

const { runService } = require('@gcal-sync/shared') as typeof import('@gcal-sync/shared');
const { start } = require('./main') as typeof import('./main');
const { loadServiceConfig } = require('./config') as typeof import('./config');

void runService('sync-core', () => loadServiceConfig(), start, { afterStop: () => telemetry.shutdown() });
