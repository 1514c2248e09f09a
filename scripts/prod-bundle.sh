#!/usr/bin/env bash
# Builds the pruned production bundle of each service exactly as its image does
# (deploy/docker/bundle.sh: `pnpm deploy --prod --legacy`), boots it outside the repository (so
# nothing resolves from the workspace's node_modules) against the local Postgres and Kafka, and
# checks that /healthz and /readyz answer. Needs `pnpm build` and scripts/stack-up.sh first.
#
#   bash scripts/prod-bundle.sh [service ...]     (default: all five)
#   KEEP_BUNDLES=1 keeps the output directories.
# Last line: `N passed, N failed`.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/lib.sh

services=("$@")
[ ${#services[@]} -eq 0 ] && services=(oauth webhook-ingest sync-core renewer notifier)
WORK="$(mktemp -d /tmp/gcal-prod-bundle.XXXXXX)"
PASSED=0
FAILED=0
PIDS=()
DB="prodbundle_$$"
admin_url="$DATABASE_URL"

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  psql "$admin_url" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
  [ "${KEEP_BUNDLES:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT

ok() { echo "PASS $*"; PASSED=$((PASSED + 1)); }
ko() { echo "FAIL $*"; FAILED=$((FAILED + 1)); }

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

psql "$admin_url" -qc "CREATE DATABASE $DB" >/dev/null || { ko "create database $DB"; echo "$PASSED passed, $FAILED failed"; exit 1; }
db_url="${admin_url%/*}/$DB"
prefix="pb$$."

for svc in "${services[@]}"; do
  out="$WORK/$svc"
  if ! sh deploy/docker/bundle.sh "$svc" "$out" >"$WORK/$svc.bundle.log" 2>&1; then
    ko "$svc: bundle ($(tail -n 3 "$WORK/$svc.bundle.log" | tr '\n' ' '))"
    continue
  fi
  size="$(du -sh "$out" | cut -f1)"
  # Nothing in the bundle may point back into the workspace (a symlink out would work here and break in the image).
  if find "$out" -type l -lname "$ROOT/*" | grep -q .; then
    ko "$svc: bundle has symlinks into the workspace"
    continue
  fi
  # The migrations hook Job's command, on the empty database first: it must apply and exit 0.
  if ! mig="$(cd "$out" && env -i PATH="$PATH" DATABASE_URL="$db_url" node migrate.cjs 2>&1)"; then
    ko "$svc: node migrate.cjs failed: $mig"
    continue
  fi
  echo "  $svc migrate.cjs: $mig"
  if ! echo "$mig" | tail -n 1 | node -e 'const r=JSON.parse(require("fs").readFileSync(0,"utf8"));process.exit(r.applied.length===r.known?0:1)'; then
    ko "$svc: migrate.cjs did not apply every migration to an empty database"
    continue
  fi
  port="$(free_port)"
  # As in the image: uid 1000 over root-owned files, so any write into the bundle (a cache, a
  # log file) fails here as it would on the read-only root filesystem.
  as_user=()
  if [ "$(id -u)" = 0 ] && have setpriv; then
    chmod -R go+rX "$out" "$WORK" 2>/dev/null
    as_user=(setpriv --reuid=1000 --regid=1000 --clear-groups)
  fi
  # Run from outside the repo with only the env the chart would give it.
  (
    cd "$out" || exit 1
    exec "${as_user[@]}" env -i PATH="$PATH" HOME=/nonexistent NODE_ENV=production \
      $(node "$ROOT/test/observability/local-env.cjs" "$svc" "port.$svc=$port" databaseUrl="$db_url" \
        kafkaBrokers="$KAFKA_BROKERS" topicPrefix="$prefix") \
      node dist/bin.js
  ) >"$WORK/$svc.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  healthy=0 ready=0
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || break
    [ "$healthy" = 1 ] || { curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && healthy=1; }
    if [ "$healthy" = 1 ] && curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then ready=1; break; fi
    sleep 0.5
  done
  if [ "$ready" = 1 ]; then
    ok "$svc: bundle $size boots${as_user:+ as uid 1000 over read-only files}, /healthz and /readyz answer"
  else
    ko "$svc: bundle $size did not become ready (healthz=$healthy); log tail:"
    tail -n 15 "$WORK/$svc.log" | sed 's/^/    /'
  fi
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
done

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
