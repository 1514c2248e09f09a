#!/usr/bin/env bash
# Observability, end to end, against the built services run as child processes (node dist/bin.js)
# with the local Postgres/Kafka (scripts/stack-up.sh) and the Google emulator:
#  - test/observability/dashboards.int.test.ts: a real Prometheus (Debian `prometheus`) scrapes the
#    stack under load; every dashboard and alert expression must parse (promtool) and find its metrics;
#  - test/observability/trace.int.test.ts: one trace from a Google push across the services.
# Needs `pnpm build` first (.ci/run builds before the ci-checks). Last line: `N passed, N failed`.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
source scripts/lib.sh
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if ! have prometheus || ! have promtool; then apt_install prometheus >/dev/null || true; fi
if ! have helm && [ ! -x "$GCAL_BIN_DIR/helm" ]; then
  GOBIN="$GCAL_BIN_DIR" "$(command -v go || echo /usr/local/go/bin/go)" install helm.sh/helm/v3/cmd/helm@v3.22.0 || true
fi

rc=0
(cd test && VITEST_REPORT_DIR="$WORK" TESTKIT_MODE="${TESTKIT_MODE:-local}" pnpm run test:observability) || rc=$?

read -r p f < <(node -e '
  const fs = require("fs"), path = require("path");
  let p = 0, f = 0;
  for (const file of fs.readdirSync(process.argv[1]).filter((x) => x.endsWith(".json"))) {
    const r = JSON.parse(fs.readFileSync(path.join(process.argv[1], file), "utf8"));
    p += r.numPassedTests || 0;
    f += (r.numFailedTests || 0) || (r.numFailedTestSuites || 0);
  }
  console.log(p, f);
' "$WORK")
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
echo "$p passed, $f failed"
[ "$f" -eq 0 ] && [ "$rc" -eq 0 ]
