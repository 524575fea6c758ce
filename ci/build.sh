#!/usr/bin/env bash
# Configure and build everything (engine, oracle bridge, harness, CLI, tests)
# into ./build with Ninja and ccache. Usage: ci/build.sh [extra cmake args]
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-2G}"
jobs="${FT_BUILD_JOBS:-$(nproc)}"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DFT_WITH_ORACLE=ON "$@" >/dev/null
ninja -C build -j "$jobs"
