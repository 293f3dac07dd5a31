#!/usr/bin/env bash
# `npm test`: the type check, lint (Biome) and every vitest project. The type check (about 30 s of
# CPU) runs beside lint and vitest rather than before them, using the CPU vitest leaves idle while
# browser tests wait on Chromium and while its last files finish; its output is held back and shown
# after vitest's, so the two never interleave. Everything runs even when one step fails, and the
# exit status is non-zero when any of them failed. Arguments go to vitest
# (`npm test -- --project unit`).
set -uo pipefail
cd "$(dirname "$0")/.."

typecheck_log=$(mktemp)
trap 'rm -f "$typecheck_log"' EXIT
tsc -p tsconfig.json --noEmit >"$typecheck_log" 2>&1 &
typecheck_pid=$!

biome check .
lint=$?
vitest run "$@"
tests=$?
wait "$typecheck_pid"
typecheck=$?

cat "$typecheck_log"
failed=()
[ "$typecheck" -eq 0 ] || failed+=("typecheck")
[ "$lint" -eq 0 ] || failed+=("lint")
[ "$tests" -eq 0 ] || failed+=("vitest")
if [ "${#failed[@]}" -gt 0 ]; then
  echo "npm test failed: ${failed[*]}"
  exit 1
fi
