import { Kafka, logLevel } from 'kafkajs';
import type { Logger } from '../logging/logger';

export type KafkaConnectionOptions = {
  brokers: string[];
  clientId: string;
  /** Namespace for every topic and consumer group (per deployment or per test). */
  topicPrefix?: string;
  logger: Logger;
  /** Consumer group session timeout for consumers started on this connection (default 30 s). */
  sessionTimeoutMs?: number;
};

export type KafkaConnection = {
  kafka: Kafka;
  topicPrefix: string;
  logger: Logger;
  sessionTimeoutMs: number;
};

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'debug',
  [logLevel.DEBUG]: 'debug',
};

export function connectKafka(options: KafkaConnectionOptions): KafkaConnection {
  const kafkaLogger = options.logger.child({ component: 'kafkajs' });
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 100, retries: 8 },
    logCreator:
      () =>
      ({ level, log }) => {
        const { message, ...extra } = log;
        kafkaLogger[LEVELS[level] ?? 'info'](extra, message);
      },
  });
  return {
    kafka,
    topicPrefix: options.topicPrefix ?? '',
    logger: options.logger,
    sessionTimeoutMs: options.sessionTimeoutMs ?? 30_000,
  };
}
