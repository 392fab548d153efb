#!/usr/bin/env bash
# The reliability report: every fault scenario, bad input and access case of the fault-injection suite, run against a
# private RabbitMQ node of its own (its own port and data directory; the shared broker is left alone), printed as the
# markdown tables of the README's "Reliability" section. Progress goes to stderr, the tables to stdout.
# Exits with 1 when a scenario broke a promise. Pass `--only close,kill,...` to run some (`--help` lists them).
# Installs the broker packages when they are missing, as scripts/test.sh does (scripts/broker.sh).
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/broker.sh >&2 || exit 1
if ! build_output=$(dotnet build tests/Warren.Reliability -c Release --nologo 2>&1); then
  echo "$build_output" >&2
  exit 1
fi
dotnet run --project tests/Warren.Reliability -c Release --no-build -- "$@"
