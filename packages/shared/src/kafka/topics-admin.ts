import { allTopicKeys, deadLetterTopicName, topicName } from '../contracts/registry';
import type { KafkaConnection } from './connection';

export type TopicSettings = { partitions: number; replicationFactor: number; retentionMs?: number };

/** Creates every registry topic and its dead-letter topic if missing (idempotent). */
export async function ensureTopics(connection: KafkaConnection, settings: TopicSettings): Promise<string[]> {
  const admin = connection.kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = allTopicKeys.flatMap((key) => {
      const name = topicName(key, connection.topicPrefix);
      return [name, deadLetterTopicName(name)];
    });
    const missing = wanted.filter((name) => !existing.has(name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: settings.partitions,
          replicationFactor: settings.replicationFactor,
          configEntries: settings.retentionMs ? [{ name: 'retention.ms', value: String(settings.retentionMs) }] : [],
        })),
      });
    }
    return missing;
  } finally {
    await admin.disconnect();
  }
}

/** Consumer lag per partition (high watermark − committed offset), for the lag gauge. */
export async function consumerLag(connection: KafkaConnection, groupId: string, topicsToCheck: string[]) {
  const admin = connection.kafka.admin();
  await admin.connect();
  try {
    const fullGroup = `${connection.topicPrefix}${groupId}`;
    const committed = await admin.fetchOffsets({ groupId: fullGroup, topics: topicsToCheck });
    const lag: { topic: string; partition: number; lag: number }[] = [];
    for (const { topic, partitions } of committed) {
      const ends = await admin.fetchTopicOffsets(topic);
      for (const p of partitions) {
        const end = ends.find((e) => e.partition === p.partition);
        if (!end) continue;
        const committedOffset = Number(p.offset) < 0 ? Number(end.low) : Number(p.offset);
        lag.push({ topic, partition: p.partition, lag: Math.max(0, Number(end.high) - committedOffset) });
      }
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}
