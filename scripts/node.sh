#!/usr/bin/env bash
# Makes sure Node.js and npm are installed, from the OS packages when missing: the contract tests validate the samples'
# AsyncAPI documents with the official parser (@asyncapi/parser, tools/asyncapi-validate), which they install with npm ci.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node: installing nodejs and npm from the OS packages"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null
fi
echo "node: $(node --version), npm $(npm --version)"
