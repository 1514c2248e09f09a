#!/usr/bin/env bash
# Stops what scripts/stack-up.sh started: the Kafka broker (by its pid file) and the Debian
# PostgreSQL cluster. Data stays (Kafka in $GCAL_CACHE_DIR/kafka-data, Postgres in its cluster).
#   bash scripts/stack-down.sh [kafka|postgres]...   (default: both)
#   --wipe-kafka   also delete the Kafka data dir (it is formatted again on the next stack-up)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

targets=()
wipe=0
for arg in "$@"; do
  case "$arg" in
    kafka|postgres) targets+=("$arg") ;;
    --wipe-kafka) wipe=1 ;;
    *) echo "usage: $0 [kafka|postgres]... [--wipe-kafka]" >&2; exit 2 ;;
  esac
done
[ ${#targets[@]} -eq 0 ] && targets=(kafka postgres)

stop_kafka() {
  local pid
  pid="$(cat "$KAFKA_RUN/kafka.pid" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka'; then
    log "kafka: stopping pid $pid"
    kill -TERM "$pid"
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "kafka: still alive after 30s, killing"
      kill -KILL "$pid" || true
    fi
  else
    log "kafka: not running"
  fi
  rm -f "$KAFKA_RUN/kafka.pid"
  if [ "$wipe" = 1 ]; then
    log "kafka: wiping $KAFKA_DATA"
    rm -rf "$KAFKA_DATA"
  fi
}

stop_postgres() {
  if have pg_lsclusters && pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {print $4}' | grep -q online; then
    log "postgres: stopping cluster $PG_VERSION/$PG_CLUSTER"
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop
  else
    log "postgres: not running"
  fi
}

for t in "${targets[@]}"; do
  "stop_$t"
done
