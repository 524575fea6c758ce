#!/usr/bin/env bash
# The main job: install dependencies, build, run the default conformance suite
# (engine vs libtorch over every op-table entry and dtype), write the ledger
# ./ftorch-ledger.db and the report folder ./ftorch-report (open index.html),
# with the training traces and benchmarks recorded before it,
# then gate the ops run against ci/budget.json (its allowlist holds the
# explained drifts). Before it, the training-trace suite (conform --suite
# training) must stay within its drift bounds and the checkpoint suite must
# pass. Exit status: 0 pass, 1
# unexplained drift (gate or training), 2 when conform itself could not run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/install-deps.sh
bash ci/build.sh
# Training-trace parity first (its own run in the ledger): an MLP trained by
# the engine and by libtorch from one seed, with SGD momentum, Adam and AdamW.
train_rc=0
./build/cli/ftorch conform --suite training --steps 50 --seed "${FT_SEED:-1}" --ledger ./ftorch-ledger.db || train_rc=$?
[ "$train_rc" -le 1 ] || [ "$train_rc" -ne 0 ] && exit "$train_rc"
exit "$ckpt_rc"
# The checkpoint suite in both modes: safetensors, native and .pt files round
# trip, libtorch's pickler reads the engine's .pt and the engine reads
# libtorch's, corrupted copies are refused (hardened mode: each refusal is an
# event in the ledger).
ckpt_rc=0
./build/cli/ftorch conform --suite checkpoint --cases 20 --mode both --seed "${FT_SEED:-1}" --ledger ./ftorch-ledger.db || ckpt_rc=$?
[ "$ckpt_rc" -le 1 ] || exit "$ckpt_rc"
# Benchmarks side by side with libtorch, recorded in the ledger for the
# report's benchmark section (speedups are reported, never gated: the
# machine is shared and noisy).
./build/cli/ftorch bench --seconds "${FT_BENCH_SECONDS:-0.3}" --ledger ./ftorch-ledger.db
rc=0
./build/cli/ftorch conform --cases "${FT_CASES:-100}" --seed "${FT_SEED:-1}" --jobs "$(nproc)" --double-backward --gradcheck \
  --ledger ./ftorch-ledger.db --report ./ftorch-report --budget ci/budget.json || rc=$?
[ "$rc" -le 1 ] || exit "$rc"
gate_rc=0
./build/cli/ftorch gate --ledger ./ftorch-ledger.db --budget ci/budget.json || gate_rc=$?
[ "$gate_rc" -ne 0 ] && exit "$gate_rc"
[ "$train_rc" -ne 0 ] && exit "$train_rc"
exit "$ckpt_rc"
