#!/usr/bin/env bash
# Starts a local broker if none is running, then runs every tutorial in one process and prints what each consumer got.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/broker.sh
dotnet run -c Release --project samples/Tour -- "$@"
