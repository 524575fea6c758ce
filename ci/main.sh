#!/usr/bin/env bash
# The main job: install dependencies, build, run the default conformance suite
# (engine vs libtorch over every op-table entry and dtype), write the ledger
# ./ftorch-ledger.db and the report folder ./ftorch-report (open index.html),
# then gate the run against ci/budget.json (its allowlist holds the explained
# drifts). Exit status: the gate's (0 pass, 1 unexplained drift), or 2 when
# conform itself could not run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/install-deps.sh
bash ci/build.sh
rc=0
./build/cli/ftorch conform --cases "${FT_CASES:-100}" --seed "${FT_SEED:-1}" --jobs "$(nproc)" \
  --ledger ./ftorch-ledger.db --report ./ftorch-report --budget ci/budget.json || rc=$?
[ "$rc" -le 1 ] || exit "$rc"
exec ./build/cli/ftorch gate --ledger ./ftorch-ledger.db --budget ci/budget.json
