#!/usr/bin/env node
// Used by scripts/stack-up.sh: proves the broker really accepts and serves data, not just that
// the port is open. Produces one record with acks=all to a probe topic, then reads it back.
// Exits 0 on success, 1 otherwise. Usage: node kafka-roundtrip.cjs [brokers] [timeoutMs]
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const { Kafka, logLevel } = require('kafkajs');

const brokers = (process.argv[2] || process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',');
const timeoutMs = Number(process.argv[3] || 10000);
const topic = '__stack_probe';

async function main() {
  const kafka = new Kafka({
    clientId: 'stack-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    retry: { retries: 2 },
  });
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await admin.connect();
  await producer.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const marker = `probe-${process.pid}-${Date.now()}`;
    const [meta] = await producer.send({ topic, acks: -1, messages: [{ value: marker }] });
    // Read the record back at the offset the broker assigned.
    const consumer = kafka.consumer({ groupId: `stack-probe-${process.pid}-${Date.now()}` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: false });
      let resolveFound;
      const found = new Promise((resolve) => {
        resolveFound = resolve;
      });
      await consumer.run({
        eachMessage: async ({ message }) => {
          if (message.value && message.value.toString() === marker) resolveFound(true);
        },
      });
      consumer.seek({ topic, partition: meta.partition, offset: meta.baseOffset });
      await Promise.race([
        found,
        new Promise((_, rej) => setTimeout(() => rej(new Error('read-back timeout')), timeoutMs)),
      ]);
    } finally {
      await consumer.disconnect();
    }
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
}

const hardStop = setTimeout(() => {
  console.error('kafka round-trip timed out');
  process.exit(1);
}, timeoutMs + 5000);
main().then(
  () => {
    clearTimeout(hardStop);
    console.log(`kafka round-trip ok (${brokers.join(',')})`);
    process.exit(0);
  },
  (err) => {
    console.error(`kafka round-trip failed: ${err?.message}`);
    process.exit(1);
  },
);
