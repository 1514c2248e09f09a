#!/usr/bin/env bash
# Runs dependency-cruiser (rules: .dependency-cruiser.cjs) over the TypeScript/JavaScript sources of
# the workspace folders that exist (test/ and bench/ may be absent in a fresh clone; depcruise refuses
# a missing path). dist/ is never a starting point, only a target reached through workspace symlinks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
shopt -s nullglob
files=()
while IFS= read -r f; do files+=("$f"); done < <(
  find packages services test bench -type d \( -name node_modules -o -name dist -o -name coverage -o -name .turbo \) -prune \
    -o -type f \( -name '*.ts' -o -name '*.cjs' -o -name '*.js' -o -name '*.mjs' \) ! -name '*.d.ts' -print 2>/dev/null | sort
)
[ ${#files[@]} -eq 0 ] && { echo "depcruise: no sources"; exit 0; }
exec pnpm exec depcruise --config .dependency-cruiser.cjs --output-type err-long "$@" "${files[@]}"
