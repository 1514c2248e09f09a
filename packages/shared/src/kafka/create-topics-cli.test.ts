import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/load-config';
import { topicsCliConfig } from './create-topics-cli';

describe('topicsCliConfig', () => {
  it('reads partitions, replication and retention from the environment', () => {
    const cfg = topicsCliConfig({
      KAFKA_BROKERS: 'a:9092,b:9092',
      KAFKA_TOPIC_PREFIX: 'prod.',
      TOPIC_PARTITIONS: '24',
      TOPIC_REPLICATION_FACTOR: '3',
      TOPIC_RETENTION_MS: '604800000',
    });
    expect(cfg.brokers).toEqual(['a:9092', 'b:9092']);
    expect(cfg.topicPrefix).toBe('prod.');
    expect(cfg.settings).toEqual({ partitions: 24, replicationFactor: 3, retentionMs: 604_800_000 });
  });

  it('leaves retention to the broker when unset', () => {
    const cfg = topicsCliConfig({ KAFKA_BROKERS: 'k:9092', TOPIC_PARTITIONS: '6', TOPIC_REPLICATION_FACTOR: '1' });
    expect(cfg.settings.retentionMs).toBeUndefined();
    expect(cfg.settings.partitions).toBe(6);
  });

  it('names every bad variable', () => {
    try {
      topicsCliConfig({ TOPIC_PARTITIONS: '0', TOPIC_RETENTION_MS: 'soon' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const vars = (error as ConfigError).problems.map((p) => p.variable).sort();
      expect(vars).toEqual(['KAFKA_BROKERS', 'TOPIC_PARTITIONS', 'TOPIC_RETENTION_MS']);
    }
  });
});
