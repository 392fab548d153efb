#!/usr/bin/env bash
# Runs the whole test suite against a real broker and ends with one line: "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/broker.sh || { echo "0 passed, 1 failed"; exit 1; }
bash scripts/node.sh || { echo "0 passed, 1 failed"; exit 1; }
# The NativeAOT test (tests/Warren.Aot.Tests) publishes with PublishAot, which needs clang and zlib1g-dev.
bash scripts/aot.sh || { echo "0 passed, 1 failed"; exit 1; }

results="artifacts/test-results"
rm -rf "$results"
# Build everything once (samples and the benchmark too, so they cannot rot), then run each test project with its own
# results file: trx files named by timestamp alone can overwrite each other when two projects finish in one second.
dotnet build Framework.sln -c Release
status=$?
if [ "$status" -eq 0 ]; then
  for project in $(grep -l '<IsTestProject>true</IsTestProject>' tests/*/*.csproj); do
    name=$(basename "$project" .csproj)
    dotnet test "$project" -c Release --no-build --logger "trx;LogFileName=$name.trx" --results-directory "$results" "$@" || status=$?
  done
fi

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done

# A build failure leaves no results: count it as a failure rather than report a green nothing.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
