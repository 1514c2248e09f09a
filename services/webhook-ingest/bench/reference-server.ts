/**
 * The yardstick, run beside webhook-ingest so its figures can be read against this machine
 * on this day: a bare express handler that sends each notification to Kafka with kafkajs (idempotent,
 * acks=all), batching sends over a 2 ms window, and answers 200 after the ack. No channel check,
 * token hash, dedupe, envelope validation, metrics or tracing. Started by
 * bench/webhook-ingest-throughput.ts; env PORT, KAFKA_BROKERS, KAFKA_TOPIC_PREFIX.
 */
import express from 'express';
import { Kafka, logLevel, type Message } from 'kafkajs';

type Pending = { message: Message; done: (ok: boolean) => void };

async function main() {
  const topic = `${process.env.KAFKA_TOPIC_PREFIX}google.notifications`;
  const kafka = new Kafka({
    clientId: 'bench-reference',
    brokers: process.env.KAFKA_BROKERS!.split(','),
    logLevel: logLevel.ERROR,
  });
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();

  let queue: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const batch = queue;
    queue = [];
    producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: batch.map((p) => p.message) }] }).then(
      () => {
        for (const p of batch) p.done(true);
      },
      () => {
        for (const p of batch) p.done(false);
      },
    );
  };

  const app = express();
  app.get('/ready', (_req, res) => {
    res.sendStatus(200);
  });
  app.post('/push', (req, res) => {
    const channelId = String(req.headers['x-goog-channel-id']);
    const value = JSON.stringify({
      channelId,
      resourceState: req.headers['x-goog-resource-state'],
      messageNumber: Number(req.headers['x-goog-message-number']),
      receivedAt: new Date().toISOString(),
    });
    queue.push({ message: { key: channelId, value }, done: (ok) => res.sendStatus(ok ? 200 : 503) });
    timer ??= setTimeout(flush, 2);
  });
  const server = app.listen(Number(process.env.PORT), '127.0.0.1');
  process.once('SIGTERM', () => {
    server.close();
    void producer.disconnect().then(() => process.exit(0));
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
