#!/usr/bin/env bash
# The main job: install dependencies, build, run the default conformance suite
# (engine vs libtorch over every op-table entry and dtype), write the ledger
# ./ftorch-ledger.db and the report folder ./ftorch-report (open index.html).
# Exit status is ftorch conform's: 0 no drift, 1 drift found, 2 usage error.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/install-deps.sh
bash ci/build.sh
exec ./build/cli/ftorch conform --cases "${FT_CASES:-100}" --seed "${FT_SEED:-1}" --jobs "$(nproc)" \
  --ledger ./ftorch-ledger.db --report ./ftorch-report
