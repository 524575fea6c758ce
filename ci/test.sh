#!/usr/bin/env bash
# Install dependencies, build, and run the whole test suite with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/install-deps.sh
bash ci/build.sh
# The engine and the CLI must also build without libtorch (FT_WITH_ORACLE=OFF),
# and that ftorch runs the conformance suite against the golden fixture corpus.
cmake -S . -B build-nooracle -G Ninja -DCMAKE_BUILD_TYPE=Release -DFT_WITH_ORACLE=OFF -DFT_BUILD_TESTS=OFF >/dev/null
ninja -C build-nooracle -j "${FT_BUILD_JOBS:-$(nproc)}" frankentorch ftorch
offline=./build-nooracle/cli/ftorch
if ldd "$offline" | grep -qi torch; then echo "the FT_WITH_ORACLE=OFF ftorch links libtorch" >&2; exit 1; fi
rc=0; "$offline" conform --cases 1 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || { echo "ftorch built without the oracle: conform should exit 2, got $rc" >&2; exit 1; }
rm -f build-nooracle/golden.db*
rc=0
"$offline" conform --oracle fixtures --fixtures fixtures/golden/corpus.ftfx --double-backward --gradcheck \
  --jobs "${FT_TEST_JOBS:-2}" --ledger build-nooracle/golden.db >build-nooracle/golden.txt || rc=$?
grep "cases (" build-nooracle/golden.txt
[ "$rc" -le 1 ] || { echo "offline conformance run failed (exit $rc)" >&2; exit 1; }
"$offline" gate --ledger build-nooracle/golden.db --budget ci/budget.json | tail -1
cd build
ctest --output-on-failure -j "${FT_TEST_JOBS:-2}" --timeout 900
