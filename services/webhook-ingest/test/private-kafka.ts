import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTopics } from '@gcal-sync/testkit';

/**
 * A Kafka broker of this test file alone (KRaft, single node, from the jars scripts/setup.sh caches),
 * so a test can stop and restart it without disturbing suites that share the stack's broker.
 */
export type PrivateKafka = {
  brokers: string[];
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function kafkaLibs(): string {
  const cache = process.env.GCAL_CACHE_DIR || join(homedir(), '.cache', 'gcal-sync');
  return process.env.KAFKA_LIBS || join(cache, `kafka-${process.env.KAFKA_VERSION || '3.9.1'}`, 'libs');
}

/** The JVM scripts/setup.sh installs (JAVA_BIN overrides). */
const JAVA = process.env.JAVA_BIN || 'java';

export async function startPrivateKafka(): Promise<PrivateKafka> {
  const dir = await mkdtemp(join(tmpdir(), 'private-kafka-'));
  const [port, controllerPort] = [await freePort(), await freePort()];
  const classpath = `${kafkaLibs()}/*`;
  const config = join(dir, 'server.properties');
  await writeFile(
    config,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      'controller.listener.names=CONTROLLER',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      `log.dirs=${join(dir, 'data')}`,
      'num.partitions=1',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'auto.create.topics.enable=true',
    ].join('\n'),
  );
  const log4j = join(dir, 'log4j.properties');
  await writeFile(
    log4j,
    'log4j.rootLogger=ERROR, stdout\nlog4j.appender.stdout=org.apache.log4j.ConsoleAppender\nlog4j.appender.stdout.layout=org.apache.log4j.PatternLayout\n',
  );
  const jvm = [
    '-Xms128m',
    '-Xmx256m',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    `-Dlog4j.configuration=file:${log4j}`,
  ];
  await promisify(execFile)(JAVA, [
    ...jvm,
    '-cp',
    classpath,
    'kafka.tools.StorageTool',
    'format',
    '-t',
    'cHJpdmF0ZS1rYWZrYS0x',
    '-c',
    config,
    '--ignore-formatted',
  ]);
  const brokers = [`127.0.0.1:${port}`];
  let child: ChildProcess | undefined;

  async function start() {
    const running = spawn(JAVA, [...jvm, '-cp', classpath, 'kafka.Kafka', config], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = running;
    let stderr = '';
    running.stderr?.on('data', (d) => {
      stderr = (stderr + d).slice(-2000);
    });
    const deadline = Date.now() + 90_000;
    for (;;) {
      try {
        // Creating a throwaway topic proves the broker serves metadata and elects leaders.
        await createTopics([`ready-${Date.now()}`], brokers);
        return;
      } catch (error) {
        if (Date.now() > deadline || running.exitCode !== null) {
          throw new Error(`private Kafka did not start (exit ${running.exitCode}): ${stderr}`, { cause: error });
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  async function stop() {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill('SIGKILL');
    await exited;
  }

  await start();
  return {
    brokers,
    start,
    stop,
    async destroy() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
