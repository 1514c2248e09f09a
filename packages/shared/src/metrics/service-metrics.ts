import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10];

/**
 * One registry per service instance (not prom-client's global), so several services can run in
 * one test process. Services register their own metrics on `registry`.
 */
export function createServiceMetrics(service: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request handling time by route and status.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    kafkaMessagesConsumed: new Counter({
      name: 'kafka_messages_consumed_total',
      help: 'Kafka messages consumed by topic and outcome (ok, retried, dead_lettered).',
      labelNames: ['topic', 'outcome'] as const,
      registers: [registry],
    }),
    kafkaMessagesProduced: new Counter({
      name: 'kafka_messages_produced_total',
      help: 'Kafka messages produced by topic and outcome.',
      labelNames: ['topic', 'outcome'] as const,
      registers: [registry],
    }),
    kafkaHandleDuration: new Histogram({
      name: 'kafka_message_handle_duration_seconds',
      help: 'Time to handle one consumed message, including its database commit.',
      labelNames: ['topic'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    kafkaConsumerLag: new Gauge({
      name: 'kafka_consumer_lag_messages',
      help: 'Messages between the committed offset and the partition high watermark.',
      labelNames: ['group', 'topic', 'partition'] as const,
      registers: [registry],
    }),
    outboxBacklog: new Gauge({
      name: 'outbox_backlog_messages',
      help: 'Messages written to the transactional outbox and not yet acknowledged by Kafka.',
      labelNames: ['table'] as const,
      registers: [registry],
    }),
  };
}

export type ServiceMetrics = ReturnType<typeof createServiceMetrics>;
export { LATENCY_BUCKETS };
