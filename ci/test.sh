#!/usr/bin/env bash
# Install dependencies, build, and run the whole test suite with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/install-deps.sh
bash ci/build.sh
cd build
ctest --output-on-failure -j "${FT_TEST_JOBS:-2}" --timeout 900
