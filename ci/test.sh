#!/usr/bin/env bash
# Install dependencies, build, and run the whole test suite with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/install-deps.sh
bash ci/build.sh
# The engine and the CLI must also build without libtorch (FT_WITH_ORACLE=OFF).
cmake -S . -B build-nooracle -G Ninja -DCMAKE_BUILD_TYPE=Release -DFT_WITH_ORACLE=OFF -DFT_BUILD_TESTS=OFF >/dev/null
ninja -C build-nooracle -j "${FT_BUILD_JOBS:-$(nproc)}" frankentorch ftorch
rc=0; ./build-nooracle/cli/ftorch conform --cases 1 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || { echo "ftorch built without the oracle: conform should exit 2, got $rc" >&2; exit 1; }
cd build
ctest --output-on-failure -j "${FT_TEST_JOBS:-2}" --timeout 900
