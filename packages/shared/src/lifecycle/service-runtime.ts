import type pg from 'pg';
import type { BaseServiceEnv } from '../config/env-types';
import { type Migration, runMigrations } from '../db/migrations';
import { createPool, isDatabaseUp } from '../db/pool';
import { connectKafka, type KafkaConnection } from '../kafka/connection';
import { createPublisher, type Publisher, type PublisherOptions } from '../kafka/publisher';
import { ensureTopics } from '../kafka/topics-admin';
import { createLogger, type Logger } from '../logging/logger';
import { createServiceMetrics, type ServiceMetrics } from '../metrics/service-metrics';
import { startTelemetry } from '../telemetry/start-telemetry';
import { ShutdownStack } from './shutdown-stack';

export type ServiceRuntime = {
  logger: Logger;
  metrics: ServiceMetrics;
  pool: pg.Pool;
  kafka: KafkaConnection;
  publisher: Publisher;
  shutdown: ShutdownStack;
  /** Postgres and Kafka checks for /readyz; add the consumer's own check. */
  readiness: Record<string, () => boolean | Promise<boolean>>;
};

export type RuntimeOptions = {
  service: string;
  config: BaseServiceEnv;
  migrations: Migration[];
  publisher?: PublisherOptions;
  /** Create registry topics if missing; overrides KAFKA_ENSURE_TOPICS (on in dev and tests; the Helm chart turns it off, its hook Job creates them). */
  ensureTopics?: boolean;
  logger?: Logger;
};

/**
 * The resources every service needs, created in order, each registering its shutdown step:
 * telemetry → logger/metrics → Postgres pool + migrations → Kafka producer.
 */
export async function createServiceRuntime(options: RuntimeOptions): Promise<ServiceRuntime> {
  const { service, config } = options;
  const logger = options.logger ?? createLogger({ service, level: config.LOG_LEVEL });
  const shutdown = new ShutdownStack(logger);
  try {
    const telemetry = startTelemetry({ serviceName: service, otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
    shutdown.add('telemetry', () => telemetry.shutdown());
    const metrics = createServiceMetrics(service);

    const pool = createPool(config.DATABASE_URL, { applicationName: service });
    shutdown.add('postgres pool', () => pool.end());
    await runMigrations(pool, service, options.migrations);

    const kafka = connectKafka({
      brokers: config.KAFKA_BROKERS,
      clientId: service,
      topicPrefix: config.KAFKA_TOPIC_PREFIX,
      logger,
      sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    });
    if (options.ensureTopics ?? config.KAFKA_ENSURE_TOPICS)
      await ensureTopics(kafka, { partitions: 3, replicationFactor: 1 });
    const publisher = await createPublisher(kafka, { metrics, ...options.publisher });
    shutdown.add('kafka producer', () => publisher.close());

    return {
      logger,
      metrics,
      pool,
      kafka,
      publisher,
      shutdown,
      readiness: { postgres: () => isDatabaseUp(pool), kafka: () => publisher.isReady() },
    };
  } catch (error) {
    await shutdown.run();
    throw error;
  }
}
