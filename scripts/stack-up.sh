#!/usr/bin/env bash
# Starts the local stack idempotently: PostgreSQL 15 (Debian cluster) with role/database gcal,
# and a single-node KRaft Kafka on 127.0.0.1:9092 run from the jars that setup.sh caches.
# A second run with everything up only re-checks (a few seconds). Stop with scripts/stack-down.sh.
# Prints the env to use on its last lines (also written to $GCAL_CACHE_DIR/stack.env).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_SUPERUSER_RUN=(runuser -u postgres --)
have runuser || PG_SUPERUSER_RUN=(su postgres -s /bin/sh -c)
ROUNDTRIP="$REPO_ROOT/packages/testkit/bin/kafka-roundtrip.cjs"

mkdir -p "$GCAL_CACHE_DIR" "$KAFKA_RUN"
# Several clones share the cache and ports: one stack-up at a time. Daemons started below
# get `9>&-` so they don't inherit (and hold) this lock.
exec 9>"$GCAL_CACHE_DIR/stack.lock"
have flock && flock 9

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pg_answers() { PGCONNECT_TIMEOUT=3 psql "$DATABASE_URL" -Atqc 'select 1' >/dev/null 2>&1; }

psql_admin() {
  if [ "${PG_SUPERUSER_RUN[0]}" = su ]; then
    su postgres -s /bin/sh -c "psql -p $PG_PORT -v ON_ERROR_STOP=1 -Atq $(printf '%q ' "$@")"
  else
    runuser -u postgres -- psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -Atq "$@"
  fi
}

start_postgres() {
  if pg_answers; then
    log "postgres: answers at $DATABASE_URL"
    return
  fi
  if ! have pg_ctlcluster || [ ! -x "$(pg_bin_dir)/postgres" ]; then
    log "postgres: server binaries missing, run scripts/setup.sh first"
    exit 1
  fi
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "$PG_VERSION $PG_CLUSTER"; then
    log "postgres: creating cluster $PG_VERSION/$PG_CLUSTER on port $PG_PORT"
    pg_createcluster --port "$PG_PORT" "$PG_VERSION" "$PG_CLUSTER"
  fi
  if ! pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {print $4}' | grep -q online; then
    log "postgres: starting cluster $PG_VERSION/$PG_CLUSTER"
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start 9>&-
  fi
  for _ in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break
    sleep 0.5
  done
  pg_isready -q -h 127.0.0.1 -p "$PG_PORT" || { log "postgres: not ready after 30s"; exit 1; }
  # SUPERUSER so integration tests can CREATE/DROP a database per test file.
  psql_admin -d postgres -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'gcal') THEN
        CREATE ROLE gcal LOGIN SUPERUSER PASSWORD 'gcal';
      ELSE
        ALTER ROLE gcal LOGIN SUPERUSER PASSWORD 'gcal';
      END IF;
    END \$\$;"
  if [ "$(psql_admin -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'gcal'")" != 1 ]; then
    psql_admin -d postgres -c 'CREATE DATABASE gcal OWNER gcal'
  fi
  pg_answers || { log "postgres: cannot connect as gcal at $DATABASE_URL"; exit 1; }
  log "postgres: ready at $DATABASE_URL"
}

kafka_pid() {
  local pid
  pid="$(cat "$KAFKA_RUN/kafka.pid" 2>/dev/null || true)"
  # After a reboot or a killed session the pid may belong to another process: check it is our broker.
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka' \
    && echo "$pid"
}

kafka_roundtrip() {
  if [ -d "$REPO_ROOT/packages/testkit/node_modules/kafkajs" ]; then
    node "$ROUNDTRIP" "$KAFKA_BROKERS" "${1:-10000}" >/dev/null 2>&1
  else
    # Before `pnpm install` there is no kafkajs: settle for the listener.
    port_open "$KAFKA_PORT"
  fi
}

write_kafka_config() {
  cat >"$KAFKA_RUN/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DATA
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=true
delete.topic.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=5
group.initial.rebalance.delay.ms=0
log.retention.hours=24
log.segment.bytes=16777216
PROPS
  cat >"$KAFKA_RUN/log4j.properties" <<PROPS
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaServer=INFO
log4j.logger.kafka.server.KafkaRaftServer=INFO
log4j.logger.kafka.Kafka\$=INFO
PROPS
}

start_kafka() {
  if [ -n "$(kafka_pid)" ] || port_open "$KAFKA_PORT"; then
    if kafka_roundtrip 10000; then
      log "kafka: answers at $KAFKA_BROKERS"
      return
    fi
    if [ -z "$(kafka_pid)" ]; then
      log "kafka: port $KAFKA_PORT is taken by a process that is not a working Kafka"
      exit 1
    fi
    log "kafka: running (pid $(kafka_pid)) but not serving yet; waiting"
  else
    if [ ! -f "$KAFKA_LIBS/.complete" ]; then
      log "kafka: jars missing in $KAFKA_LIBS, run scripts/setup.sh first"
      exit 1
    fi
    write_kafka_config
    local cp="$KAFKA_LIBS/*"
    if [ ! -f "$KAFKA_DATA/meta.properties" ]; then
      log "kafka: formatting storage in $KAFKA_DATA"
      mkdir -p "$KAFKA_DATA"
      local cluster_id
      cluster_id="$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
      java -Dlog4j.configuration="file:$KAFKA_RUN/log4j.properties" -cp "$cp" kafka.tools.StorageTool format \
        -t "$cluster_id" -c "$KAFKA_RUN/server.properties" --ignore-formatted >/dev/null
    fi
    log "kafka: starting (log: $KAFKA_RUN/kafka.log)"
    # setsid + nohup: the broker outlives this script and the terminal that ran it.
    # shellcheck disable=SC2086
    setsid nohup java $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
      -Dlog4j.configuration="file:$KAFKA_RUN/log4j.properties" \
      -cp "$cp" kafka.Kafka "$KAFKA_RUN/server.properties" >"$KAFKA_RUN/kafka.log" 2>&1 </dev/null 9>&- &
    echo $! >"$KAFKA_RUN/kafka.pid"
  fi
  local deadline=$((SECONDS + 90))
  until kafka_roundtrip 10000; do
    if [ -z "$(kafka_pid)" ]; then
      log "kafka: process exited; last log lines:"
      tail -n 30 "$KAFKA_RUN/kafka.log" >&2 || true
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "kafka: no producer round-trip after 90s; last log lines:"
      tail -n 30 "$KAFKA_RUN/kafka.log" >&2 || true
      exit 1
    fi
    sleep 1
  done
  log "kafka: producer round-trip ok at $KAFKA_BROKERS (pid $(kafka_pid))"
}

start=$SECONDS
start_postgres
start_kafka
printf 'export DATABASE_URL=%s\nexport KAFKA_BROKERS=%s\n' "$DATABASE_URL" "$KAFKA_BROKERS" >"$GCAL_CACHE_DIR/stack.env"
log "stack up in $((SECONDS - start))s. Use:"
echo "DATABASE_URL=$DATABASE_URL KAFKA_BROKERS=$KAFKA_BROKERS"
