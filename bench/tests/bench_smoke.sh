#!/usr/bin/env bash
# bench-smoke: every benchmark runs once on each side and the JSON has the
# documented fields. Checks the harness, not the speed.
set -euo pipefail
ftorch="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$ftorch" bench --once --json "$tmp/bench.json" >"$tmp/out.txt"
listed=$("$ftorch" bench --list | wc -l)
python3 - "$tmp/bench.json" "$listed" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for key in ("oracle_version", "threads", "benchmarks", "train_step_allocations"):
    assert key in doc, f"missing {key}"
names = [b["name"] for b in doc["benchmarks"]]
assert len(names) == int(sys.argv[2]), f"{len(names)} results for {sys.argv[2]} benchmarks"
for b in doc["benchmarks"]:
    for f in ("engine_p50_ns", "engine_p99_ns", "oracle_p50_ns", "oracle_p99_ns", "speedup"):
        assert b[f] > 0, f"{b['name']}: {f} = {b[f]}"
for required in ("add_tiny_f32", "autograd_tiny", "mm_256_f32", "softmax_512x1024_f32"):
    assert required in names, required
print("bench smoke ok:", len(names), "benchmarks")
PY
# --ledger records a run of suite 'bench' with one perf row per benchmark.
"$ftorch" bench --filter '^add_tiny_f32$' --seconds 0.05 --ledger "$tmp/l.db" >/dev/null
python3 - "$tmp/l.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT r.suite, p.bench, p.speedup, p.engine_p50_ns FROM perf p JOIN runs r ON r.id = p.run_id").fetchall()
assert len(rows) == 1 and rows[0][0] == "bench" and rows[0][1] == "add_tiny_f32", rows
assert rows[0][2] > 0 and rows[0][3] > 0, rows
print("bench --ledger ok")
PY
# A smoke run is not a measurement: recording it is refused before anything runs.
set +e
"$ftorch" bench --once --ledger "$tmp/l.db" >/dev/null 2>&1; rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "bench --once --ledger gave exit $rc, expected 2"; exit 1; }
# A bad flag value is a usage error (exit 2), not a crash.
set +e
"$ftorch" bench --filter '(' >/dev/null 2>&1; rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "bad --filter gave exit $rc, expected 2"; exit 1; }
"$ftorch" bench --suite nosuch >/dev/null 2>&1 && { echo "unknown suite accepted"; exit 1; }
echo ok
