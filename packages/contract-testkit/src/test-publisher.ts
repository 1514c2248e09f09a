import {
  connectKafka,
  createLogger,
  createPublisher,
  ensureTopics,
  type KafkaConnection,
  type Publisher,
  type PublisherOptions,
} from '@gcal-sync/shared';

export interface TestPublisherOptions {
  brokers: string[];
  /** The test file's own prefix (testkit's `uniqueTopicPrefix()`), so suites never see each other's messages. */
  topicPrefix: string;
  /** Names the test in broker and log lines. */
  clientId: string;
  /**
   * Create every registry topic (and its dead-letter topic) first, replication 1. Needed when the
   * test publishes before the service under test created them; leave out when the service already did.
   */
  ensureTopics?: { partitions: number };
  /** Level of the kafkajs log lines (default `warn`). */
  logLevel?: 'warn' | 'error';
  publisher?: PublisherOptions;
}

/**
 * A typed publisher on a test topic prefix: the test plays another service (oauth, renewer,
 * webhook-ingest, the booking app) on Kafka. `close()` disconnects it.
 */
export async function testPublisher(options: TestPublisherOptions): Promise<{
  connection: KafkaConnection;
  publisher: Publisher;
  close(): Promise<void>;
}> {
  const connection = connectKafka({
    brokers: options.brokers,
    clientId: options.clientId,
    topicPrefix: options.topicPrefix,
    logger: createLogger({ service: options.clientId, level: options.logLevel ?? 'warn' }),
  });
  if (options.ensureTopics) {
    await ensureTopics(connection, { partitions: options.ensureTopics.partitions, replicationFactor: 1 });
  }
  const publisher = await createPublisher(connection, options.publisher);
  return { connection, publisher, close: () => publisher.close() };
}
