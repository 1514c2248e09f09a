#!/usr/bin/env bash
# What a fresh machine needs before the system or its tests can run. Idempotent: every step
# checks first and does nothing when its result is already there, so a second run takes seconds.
#
#   bash scripts/setup.sh            full setup (also helm, prometheus/promtool, chromium)
#   bash scripts/setup.sh --quick    only what `dev.sh` and the tests need (pnpm, deps, Postgres, Kafka jars)
#
# Env switches (1 = skip): SETUP_SKIP_HELM, SETUP_SKIP_PROMETHEUS, SETUP_SKIP_CHROMIUM, SETUP_SKIP_INSTALL.
# GCAL_CACHE_DIR (default ~/.cache/gcal-sync) holds the Kafka jars and helm, shared by every clone.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PNPM_VERSION=10.34.8
HELM_VERSION=v3.22.0
SLF4J_VERSION=1.7.36

for arg in "$@"; do
  case "$arg" in
    --quick) SETUP_SKIP_HELM=1 SETUP_SKIP_PROMETHEUS=1 SETUP_SKIP_CHROMIUM=1 ;;
    --full) SETUP_SKIP_HELM=0 SETUP_SKIP_PROMETHEUS=0 SETUP_SKIP_CHROMIUM=0 ;;
    -h|--help) sed -n 2,10p "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

step() { log "$*"; }

ensure_pnpm() {
  if have pnpm && [[ "$(pnpm --version 2>/dev/null)" == 10.* ]]; then
    step "pnpm $(pnpm --version) present"
    return
  fi
  step "enabling pnpm@$PNPM_VERSION"
  if have corepack && COREPACK_INTEGRITY_KEYS=0 corepack enable \
    && COREPACK_INTEGRITY_KEYS=0 corepack prepare "pnpm@$PNPM_VERSION" --activate; then
    :
  else
    npm install -g "pnpm@$PNPM_VERSION"
  fi
  pnpm --version
}

ensure_postgres() {
  if [ -x "$(pg_bin_dir)/postgres" ] && have pg_ctlcluster; then
    step "PostgreSQL $PG_VERSION server present"
    return
  fi
  step "installing PostgreSQL from Debian"
  apt_install postgresql
}

ensure_node_modules() {
  [ "${SETUP_SKIP_INSTALL:-0}" = 1 ] && return
  cd "$REPO_ROOT"
  local lock=(pnpm install)
  have flock && lock=(flock /tmp/pnpm-install.lock pnpm install)
  if [ -f pnpm-lock.yaml ]; then
    step "pnpm install --frozen-lockfile"
    "${lock[@]}" --frozen-lockfile
  else
    step "no pnpm-lock.yaml: plain pnpm install"
    "${lock[@]}" --no-frozen-lockfile
  fi
}

ensure_kafka_jars() {
  if [ -f "$KAFKA_LIBS/.complete" ]; then
    step "Kafka $KAFKA_VERSION jars cached in $KAFKA_LIBS"
    return
  fi
  have mvn || apt_install maven
  have java || apt_install default-jre-headless
  step "fetching Kafka $KAFKA_VERSION jars from Maven Central into $KAFKA_LIBS"
  local work
  work="$(mktemp -d)"
  cat >"$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.gcal-sync</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>$SLF4J_VERSION</version></dependency>
  </dependencies>
</project>
POM
  (cd "$work" && mvn -B -q dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$work/libs")
  mkdir -p "$(dirname "$KAFKA_LIBS")"
  rm -rf "$KAFKA_LIBS"
  mv "$work/libs" "$KAFKA_LIBS"
  touch "$KAFKA_LIBS/.complete"
  rm -rf "$work"
  step "$(find "$KAFKA_LIBS" -name '*.jar' | wc -l) jars, $(du -sh "$KAFKA_LIBS" | cut -f1)"
}

ensure_helm() {
  [ "${SETUP_SKIP_HELM:-0}" = 1 ] && return
  if have helm || [ -x "$GCAL_BIN_DIR/helm" ]; then
    step "helm present"
    return
  fi
  local go=go
  have go || go=/usr/local/go/bin/go
  step "building helm $HELM_VERSION with go install into $GCAL_BIN_DIR"
  mkdir -p "$GCAL_BIN_DIR"
  GOBIN="$GCAL_BIN_DIR" "$go" install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
}

ensure_prometheus() {
  [ "${SETUP_SKIP_PROMETHEUS:-0}" = 1 ] && return
  if have promtool && have prometheus; then
    step "prometheus/promtool present"
    return
  fi
  step "installing Debian prometheus (promtool)"
  apt_install prometheus
}

ensure_chromium() {
  [ "${SETUP_SKIP_CHROMIUM:-0}" = 1 ] && return
  if have chromium; then
    step "chromium present"
    return
  fi
  step "installing Debian chromium"
  apt_install chromium chromium-driver
}

timed() {
  local start=$SECONDS
  "$@"
  step "$1 done in $((SECONDS - start))s"
}

total_start=$SECONDS
timed ensure_pnpm
timed ensure_postgres
timed ensure_node_modules
timed ensure_kafka_jars
timed ensure_helm
timed ensure_prometheus
timed ensure_chromium
step "setup complete in $((SECONDS - total_start))s (cache: $GCAL_CACHE_DIR)"
