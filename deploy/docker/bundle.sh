#!/bin/sh
# Builds the pruned production bundle of one service: its dist, its package.json and only its
# production dependencies (workspace packages included as real copies). The Dockerfiles run this
# in their build stage and scripts/prod-bundle.sh runs it locally, so what CI boots is what ships.
#
#   sh deploy/docker/bundle.sh <service> <out-dir>     (from the repo root, after `pnpm build`)
set -eu
service="$1"
out="$2"
case "$service" in
  oauth | webhook-ingest | sync-core | renewer | notifier) ;;
  *) echo "bundle.sh: unknown service '$service'" >&2; exit 2 ;;
esac
if [ ! -f "services/$service/dist/bin.js" ]; then
  echo "bundle.sh: services/$service/dist/bin.js missing: build first (pnpm build)" >&2
  exit 1
fi
rm -rf "$out"
# pnpm 10 deploys only injected workspaces unless --legacy; this workspace does not inject.
pnpm --filter "@gcal-sync/$service" deploy --prod --legacy "$out" >/dev/null
# Sources, tests and build caches are not needed at run time.
rm -rf "$out/src" "$out/.turbo" "$out"/tsconfig*.json "$out"/vitest.config.ts
find "$out/dist" -name '*.test.js' -delete -o -name '*.test.d.ts' -delete -o -name '*.map' -delete
# The migrations hook Job's entry point (see migrate.cjs).
cp deploy/docker/migrate.cjs "$out/migrate.cjs"
test -f "$out/dist/bin.js"
