# Shared settings for the local-stack scripts; sourced, never run.
# The cache lives outside the clone so a second clone (or CI's fresh clone) reuses the jars.
GCAL_CACHE_DIR="${GCAL_CACHE_DIR:-$HOME/.cache/gcal-sync}"
KAFKA_VERSION="${KAFKA_VERSION:-3.9.1}"
KAFKA_LIBS="${KAFKA_LIBS:-$GCAL_CACHE_DIR/kafka-$KAFKA_VERSION/libs}"
KAFKA_DATA="${KAFKA_DATA:-$GCAL_CACHE_DIR/kafka-data}"
KAFKA_RUN="${KAFKA_RUN:-$GCAL_CACHE_DIR/kafka-run}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
PG_VERSION="${PG_VERSION:-15}"
PG_CLUSTER="${PG_CLUSTER:-main}"
PG_PORT="${PG_PORT:-5432}"
GCAL_BIN_DIR="$GCAL_CACHE_DIR/bin"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

export DATABASE_URL="${DATABASE_URL:-postgres://gcal:gcal@127.0.0.1:$PG_PORT/gcal}"
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:$KAFKA_PORT}"

log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

# apt-get update once per script run, only when something really has to be installed.
_apt_updated=0
apt_install() {
  if [ "$_apt_updated" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    _apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

pg_bin_dir() { echo "/usr/lib/postgresql/$PG_VERSION/bin"; }
export PATH="$GCAL_BIN_DIR:$PATH"
