/**
 * Decides once per process where integration tests find Postgres and Kafka:
 * - `containers`: a Docker engine answers, so @testcontainers starts a Postgres and a Kafka container
 *   (once per process; testcontainers' reaper removes them when the process exits);
 * - `local`: the processes started by `scripts/stack-up.sh`, addressed by DATABASE_URL / KAFKA_BROKERS.
 * TESTKIT_MODE=local|containers forces a mode (e.g. to skip the Docker probe).
 */
export type TestkitMode = 'containers' | 'local';

export interface TestRuntime {
  mode: TestkitMode;
  /** URL of a database on the server where the role may CREATE DATABASE. */
  databaseUrl: string;
  kafkaBrokers: string[];
}

const LOCAL_DATABASE_URL = 'postgres://gcal:gcal@127.0.0.1:5432/gcal';
const LOCAL_KAFKA_BROKERS = '127.0.0.1:9092';

const DOCKER_PROBE_TIMEOUT_MS = 3_000;
const POSTGRES_IMAGE = 'postgres:15-alpine';
const KAFKA_IMAGE = 'confluentinc/cp-kafka:7.9.1';

let runtime: Promise<TestRuntime> | undefined;

export function testRuntime(): Promise<TestRuntime> {
  runtime ??= resolveRuntime().then((r) => {
    console.info(
      `[testkit] mode=${r.mode} postgres=${redactPassword(r.databaseUrl)} kafka=${r.kafkaBrokers.join(',')}`,
    );
    return r;
  });
  return runtime;
}

async function resolveRuntime(): Promise<TestRuntime> {
  const forced = process.env.TESTKIT_MODE;
  if (forced === 'local') return localRuntime();
  if (forced === 'containers') return containerRuntime();
  return (await dockerAnswers()) ? containerRuntime() : localRuntime();
}

function localRuntime(): TestRuntime {
  return {
    mode: 'local',
    databaseUrl: process.env.DATABASE_URL || LOCAL_DATABASE_URL,
    kafkaBrokers: parseBrokers(process.env.KAFKA_BROKERS || LOCAL_KAFKA_BROKERS),
  };
}

function parseBrokers(value: string): string[] {
  return value
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
}

async function dockerAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('docker probe timed out')), DOCKER_PROBE_TIMEOUT_MS);
    });
    try {
      await Promise.race([getContainerRuntimeClient(), timeout]);
    } finally {
      clearTimeout(timer);
    }
    return true;
  } catch {
    return false;
  }
}

async function containerRuntime(): Promise<TestRuntime> {
  const [{ PostgreSqlContainer }, { KafkaContainer }] = await Promise.all([
    import('@testcontainers/postgresql'),
    import('@testcontainers/kafka'),
  ]);
  const [pg, kafka] = await Promise.all([
    new PostgreSqlContainer(POSTGRES_IMAGE).withUsername('gcal').withPassword('gcal').withDatabase('gcal').start(),
    new KafkaContainer(KAFKA_IMAGE).withKraft().start(),
  ]);
  return {
    mode: 'containers',
    databaseUrl: pg.getConnectionUri(),
    kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
  };
}

function redactPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
