// The booking app's side of the trace, as a process of its own (service.name booking-app): consumes
// calendar.event-changes with the shared kit, so its consumer span joins the producer's trace via
// the W3C headers. Prints one JSON line per change to stdout. Env: KAFKA_BROKERS,
// KAFKA_TOPIC_PREFIX, OTEL_EXPORTER_OTLP_ENDPOINT.
'use strict';
const { startTelemetry } = require('@gcal-sync/shared/telemetry');

const telemetry = startTelemetry({
  serviceName: 'booking-app',
  otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT,
  exportImmediately: true,
});
const { connectKafka, createLogger, startConsumer } = require('@gcal-sync/shared');

async function main() {
  const logger = createLogger({ service: 'booking-app', level: 'warn' });
  const kafka = connectKafka({
    brokers: process.env.KAFKA_BROKERS.split(','),
    clientId: 'booking-app',
    topicPrefix: process.env.KAFKA_TOPIC_PREFIX || '',
    logger,
  });
  const consumer = await startConsumer(kafka, {
    groupId: 'booking-app',
    handlers: {
      eventChanges: async (message) => {
        process.stdout.write(`${JSON.stringify({ messageId: message.messageId, payload: message.payload })}\n`);
      },
    },
  });
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  const stop = async () => {
    await consumer.stop();
    await telemetry.shutdown();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((error) => {
  process.stderr.write(`booking-app: ${error.stack}\n`);
  process.exit(1);
});
