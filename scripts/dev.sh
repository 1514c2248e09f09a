#!/usr/bin/env bash
# Runs the whole system locally against the Google emulator: Postgres, Kafka, the emulator with a
# demo account, and the five services. Prints where everything answers; Ctrl-C stops it all.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=lib.sh
source scripts/lib.sh

bash scripts/setup.sh --quick
bash scripts/stack-up.sh
pnpm build >/dev/null

RUN_DIR="$GCAL_CACHE_DIR/dev"
mkdir -p "$RUN_DIR"
# Local secrets, made once and kept so a restart keeps sessions, tokens and encrypted rows readable.
if [ ! -f "$RUN_DIR/secrets.env" ]; then
  rnd() { node -e "process.stdout.write(require('crypto').randomBytes($1).toString('$2'))"; }
  cat >"$RUN_DIR/secrets.env" <<EOS
INTERNAL_TOKEN_SYNC_CORE=$(rnd 24 hex)
INTERNAL_TOKEN_RENEWER=$(rnd 24 hex)
INTERNAL_TOKEN_BOOKING_APP=$(rnd 24 hex)
INTERNAL_TOKEN_ADMIN=$(rnd 24 hex)
ADMIN_TOKEN=$(rnd 16 hex)
SIGNING_SECRET=$(rnd 32 hex)
TOKEN_KEY=$(rnd 32 base64)
WEBHOOK_KEY=$(rnd 32 base64)
EOS
fi
# shellcheck disable=SC1091
source "$RUN_DIR/secrets.env"

EMULATOR_PORT="${EMULATOR_PORT:-8088}"
EMU="http://127.0.0.1:$EMULATOR_PORT"
declare -A PORTS=([oauth]=8081 [webhook-ingest]=8082 [sync-core]=8083 [renewer]=8084 [notifier]=8085)
DEMO_EMAIL="${DEMO_EMAIL:-demo@example.com}"

common_env() {
  echo "DATABASE_URL=$DATABASE_URL KAFKA_BROKERS=$KAFKA_BROKERS LOG_LEVEL=${LOG_LEVEL:-info}"
  echo "GOOGLE_API_ROOT_URL=$EMU/ GOOGLE_OAUTH_AUTH_URL=$EMU/o/oauth2/v2/auth GOOGLE_OAUTH_TOKEN_URL=$EMU/token"
  echo "GOOGLE_OAUTH_REVOKE_URL=$EMU/revoke GOOGLE_USERINFO_URL=$EMU/oauth2/v3/userinfo"
}

service_env() {
  case "$1" in
    oauth)
      echo "INTERNAL_API_TOKENS=sync-core:$INTERNAL_TOKEN_SYNC_CORE,renewer:$INTERNAL_TOKEN_RENEWER,admin:$INTERNAL_TOKEN_ADMIN"
      echo "GOOGLE_CLIENT_ID=dev-client.apps.googleusercontent.com GOOGLE_CLIENT_SECRET=dev-secret"
      echo "GOOGLE_REDIRECT_URI=http://127.0.0.1:${PORTS[oauth]}/oauth/callback"
      echo "TOKEN_KEYS=k1:$TOKEN_KEY TOKEN_ACTIVE_KEY_ID=k1 ADMIN_TOKENS=demo-org:$ADMIN_TOKEN SIGNING_SECRET=$SIGNING_SECRET"
      ;;
    webhook-ingest)
      echo "INTERNAL_API_TOKENS=admin:$INTERNAL_TOKEN_ADMIN"
      ;;
    sync-core)
      echo "INTERNAL_API_TOKENS=booking-app:$INTERNAL_TOKEN_BOOKING_APP,admin:$INTERNAL_TOKEN_ADMIN"
      echo "OAUTH_SERVICE_URL=http://127.0.0.1:${PORTS[oauth]} OAUTH_SERVICE_TOKEN=$INTERNAL_TOKEN_SYNC_CORE"
      ;;
    renewer)
      echo "INTERNAL_API_TOKENS=admin:$INTERNAL_TOKEN_ADMIN"
      echo "OAUTH_BASE_URL=http://127.0.0.1:${PORTS[oauth]} OAUTH_CREDENTIAL=$INTERNAL_TOKEN_RENEWER"
      echo "WEBHOOK_ADDRESS=http://127.0.0.1:${PORTS[webhook-ingest]}/google/notifications ALLOW_HTTP_WEBHOOK=1"
      ;;
    notifier)
      echo "INTERNAL_API_TOKENS=admin:$INTERNAL_TOKEN_ADMIN,oauth:$INTERNAL_TOKEN_ADMIN"
      echo "WEBHOOK_KEYS=k1:$WEBHOOK_KEY WEBHOOK_ACTIVE_KEY_ID=k1 ADMIN_BASE_URL=http://127.0.0.1:${PORTS[oauth]}/admin"
      ;;
  esac
}

PIDS=()
cleanup() {
  log "stopping"
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

wait_ready() {
  local name="$1" url="$2"
  for _ in $(seq 1 120); do
    if curl -fsS "$url" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  log "$name did not become ready at $url; see $RUN_DIR/$name.log"
  return 1
}

EMULATOR_PORT=$EMULATOR_PORT EMULATOR_ALLOW_HTTP_PUSH=1 node packages/google-emulator/dist/bin.js >"$RUN_DIR/emulator.log" 2>&1 &
PIDS+=($!)
wait_ready emulator "$EMU/__emulator/clock"
# The demo Google account: a primary calendar with a few meetings and a second calendar.
curl -fsS -X POST "$EMU/__emulator/users" -H 'content-type: application/json' \
  -d "{\"email\":\"$DEMO_EMAIL\",\"timeZone\":\"America/Los_Angeles\"}" >/dev/null
curl -fsS -X POST "$EMU/__emulator/calendars" -H 'content-type: application/json' \
  -d "{\"ownerEmail\":\"$DEMO_EMAIL\",\"summary\":\"Customer Calls\",\"timeZone\":\"America/Los_Angeles\"}" >/dev/null
tomorrow=$(date -u -d tomorrow +%Y-%m-%d)
for hour in 09 11 14; do
  curl -fsS -X POST "$EMU/__emulator/events/create" -H 'content-type: application/json' \
    -d "{\"calendarId\":\"$DEMO_EMAIL\",\"event\":{\"summary\":\"Demo meeting $hour:00\",\"start\":{\"dateTime\":\"${tomorrow}T$hour:00:00\",\"timeZone\":\"America/Los_Angeles\"},\"end\":{\"dateTime\":\"${tomorrow}T$hour:30:00\",\"timeZone\":\"America/Los_Angeles\"}}}" >/dev/null
done

for name in oauth webhook-ingest sync-core renewer notifier; do
  # shellcheck disable=SC2046
  env $(common_env) $(service_env "$name") PORT="${PORTS[$name]}" node "services/$name/dist/bin.js" >"$RUN_DIR/$name.log" 2>&1 &
  PIDS+=($!)
done
for name in oauth webhook-ingest sync-core renewer notifier; do
  wait_ready "$name" "http://127.0.0.1:${PORTS[$name]}/readyz"
done

cat <<EOM

gcal-sync is running (logs in $RUN_DIR).

  Admin page       http://127.0.0.1:${PORTS[oauth]}/admin   (admin token: $ADMIN_TOKEN)
                   "Connect Google account" → the emulator's consent page; sign in as $DEMO_EMAIL
  Google emulator  $EMU   (control API: $EMU/__emulator/...)
EOM
for name in oauth webhook-ingest sync-core renewer notifier; do
  printf '  %-16s http://127.0.0.1:%s   (/healthz /readyz /metrics)\n' "$name" "${PORTS[$name]}"
done
cat <<EOM

  Booking API (sync-core): Authorization: Bearer $INTERNAL_TOKEN_BOOKING_APP
  Ctrl-C stops everything.
EOM
wait
