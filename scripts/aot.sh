#!/usr/bin/env bash
# Makes sure the NativeAOT compiler's OS prerequisites are installed, from the OS packages when missing: ILCompiler
# compiles to object code and links with clang (the `clang` command, which Debian's clang-NN packages alone do not
# provide), against zlib's development files.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v clang >/dev/null 2>&1 || ! dpkg -s zlib1g-dev >/dev/null 2>&1; then
  echo "aot: installing clang and zlib1g-dev from the OS packages"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q clang zlib1g-dev >/dev/null
fi
echo "aot: $(clang --version | head -n 1)"
