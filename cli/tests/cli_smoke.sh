#!/usr/bin/env bash
# End-to-end CLI check: ops --json, conform (exit codes), report files,
# replay, ledger listing and usage errors. Arg 1: path to the ftorch binary.
set -euo pipefail
ftorch="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# ops --json: every entry has an oracle mapping and a comparator.
"$ftorch" ops --json >"$tmp/ops.json"
python3 - "$tmp/ops.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["count"] == len(d["ops"]) and d["count"] >= 50, d["count"]
ids = set()
for op in d["ops"]:
    assert op["oracle"].strip() and op["comparator"] and op["dtypes"], op
    assert op["id"] not in ids, op["id"]
    ids.add(op["id"])
print("ops --json:", d["count"], "entries")
PY

# conform on two ops writes a ledger and a report and exits 0 (no drift).
"$ftorch" conform --ops add,mm --dtypes f32,i64 --cases 20 --seed 3 --ledger "$tmp/l.db" --report "$tmp/rep" >"$tmp/out.txt" \
  || fail "conform exited $? : $(cat "$tmp/out.txt")"
grep -q "0 drift" "$tmp/out.txt" || fail "no drift line"
for f in index.html summary.md summary.json junit.xml; do [ -s "$tmp/rep/$f" ] || fail "missing report file $f"; done
"$ftorch" report --ledger "$tmp/l.db" --out "$tmp/rep2" >/dev/null || fail "report failed"
[ -s "$tmp/rep2/index.html" ] || fail "report did not write index.html"
"$ftorch" ledger runs --ledger "$tmp/l.db" | grep -q "conform" || fail "ledger runs does not list the run"
"$ftorch" replay 1 --ledger "$tmp/l.db" >"$tmp/replay.txt" || fail "replay of a passing case exited non-zero"
grep -q "no longer drifts" "$tmp/replay.txt" || fail "replay output"

# --jobs 2 records exactly the cases of --jobs 1 (same seeds, same outcomes).
"$ftorch" conform --ops add,sum --dtypes f32,i32 --cases 15 --seed 4 --jobs 2 --ledger "$tmp/j2.db" >/dev/null || fail "jobs 2"
"$ftorch" conform --ops add,sum --dtypes f32,i32 --cases 15 --seed 4 --jobs 1 --ledger "$tmp/j1.db" >/dev/null || fail "jobs 1"
key() { "$ftorch" ledger cases --all --ledger "$1" | awk '{print $2, $3, $4, $5, $6, $7}' | sort; }
[ "$(key "$tmp/j1.db")" = "$(key "$tmp/j2.db")" ] || fail "--jobs 2 recorded different cases than --jobs 1"

# Hardened mode runs and records its mode.
"$ftorch" conform --ops exp,div --dtypes f32 --cases 30 --seed 2 --mode both --ledger "$tmp/h.db" >/dev/null || fail "mode both"
python3 - "$tmp/h.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
modes = {m for (m,) in db.execute("select distinct mode from cases")}
assert modes == {"strict", "hardened"}, modes
ev = db.execute("select count(*) from events where reason in ('inf_produced','nan_produced')").fetchone()[0]
assert ev > 0, "exp/div of finite values overflow sometimes: hardened mode must report it"
PY

# Gate: a drift (planted into the ledger) fails the gate, an allowlist entry
# covers it, a baseline without it makes it new, a bad budget file exits 2.
"$ftorch" conform --ops neg --dtypes i64 --cases 5 --seed 1 --ledger "$tmp/g.db" >/dev/null
"$ftorch" conform --ops neg --dtypes i64 --cases 5 --seed 1 --ledger "$tmp/g.db" >/dev/null
"$ftorch" gate --ledger "$tmp/g.db" --run 2 --baseline 1 >/dev/null || fail "clean run should pass the gate"
python3 -c "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.execute(\"update cases set outcome='drift' where id=(select max(id) from cases where run_id=2)\"); db.commit()" "$tmp/g.db"
set +e
"$ftorch" gate --ledger "$tmp/g.db" --run 2 >"$tmp/gate.txt"; rc=$?
[ $rc -eq 1 ] || fail "a drift must fail the gate (got $rc)"
"$ftorch" gate --ledger "$tmp/g.db" --run 2 --baseline 1 >"$tmp/gate.txt"; rc=$?
[ $rc -eq 1 ] && grep -q "NEW" "$tmp/gate.txt" || fail "a drift absent from the baseline must be reported as new"
drifted=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select op from cases where outcome='drift'\").fetchone()[0])" "$tmp/g.db")
cat >"$tmp/budget.json" <<JSON
{"version": 1, "budget": {"drift": 0}, "allow": [{"op": "$drifted", "dtype": "int64", "reason": "test", "attribution": "n/a", "approved_by": "ci"}]}
JSON
"$ftorch" gate --ledger "$tmp/g.db" --run 2 --budget "$tmp/budget.json" >/dev/null; rc=$?
[ $rc -eq 0 ] || fail "an allowlisted drift must pass the gate (got $rc)"
echo '{"version": 1, "budgte": {}}' >"$tmp/bad.json"
"$ftorch" gate --ledger "$tmp/g.db" --run 2 --budget "$tmp/bad.json" 2>"$tmp/err.txt"; rc=$?
[ $rc -eq 2 ] && grep -q "unknown field 'budgte'" "$tmp/err.txt" || fail "unknown budget field must exit 2"
set -e
"$ftorch" ledger diff 1 2 --ledger "$tmp/g.db" | grep -q "^new" || fail "ledger diff must show the new drift"

# Merge: twice is a no-op the second time.
"$ftorch" ledger merge "$tmp/g.db" "$tmp/h.db" --ledger "$tmp/merged.db" >/dev/null
"$ftorch" ledger merge "$tmp/g.db" --ledger "$tmp/merged.db" | grep -q "0 runs added, 2 already present" || fail "second merge must add nothing"
[ "$("$ftorch" ledger runs --ledger "$tmp/merged.db" | tail -n +2 | wc -l)" -eq 3 ] || fail "merged ledger should have 3 runs"

# Replay of a backward case reproduces its recorded provenance digest (DAC).
bwd=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select id from cases where suite='backward' and provenance<>'' limit 1\").fetchone()[0])" "$tmp/l.db")
"$ftorch" replay "$bwd" --ledger "$tmp/l.db" | grep -q "provenance: reproduced" || fail "replay must reproduce the provenance digest"

# Replay --save writes a case file that replays the same way.
"$ftorch" replay 1 --ledger "$tmp/g.db" --save "$tmp/case.json" >/dev/null || fail "replay --save"
"$ftorch" replay --file "$tmp/case.json" | grep -q "no longer drifts" || fail "replay --file"

# checkpoint inspect: a hand-written safetensors file lists its tensor and sum;
# a truncated one exits 2 with a message.
python3 - "$tmp/w.safetensors" <<'PY'
import json, struct, sys
hdr = json.dumps({"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}}).encode()
open(sys.argv[1], "wb").write(struct.pack("<Q", len(hdr)) + hdr + struct.pack("<4f", 1.0, 2.0, 3.0, 4.5))
PY
"$ftorch" checkpoint inspect "$tmp/w.safetensors" --json >"$tmp/ck.json" || fail "checkpoint inspect on a good file"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); e=d['entries'][0]; assert d['format']=='safetensors' and e['name']=='w' and e['shape']==[2,2] and e['sum']==10.5, d" "$tmp/ck.json" \
  || fail "checkpoint inspect --json content"
head -c 30 "$tmp/w.safetensors" >"$tmp/bad.safetensors"
set +e
"$ftorch" checkpoint inspect "$tmp/bad.safetensors" 2>"$tmp/err.txt"; rc=$?
set -e
[ $rc -eq 2 ] && grep -q "truncated" "$tmp/err.txt" || fail "truncated checkpoint must exit 2 with a message (got $rc)"

# Usage errors exit 2 with a message.
set +e
"$ftorch" conform --dtypes f33 --ledger "$tmp/x.db" 2>"$tmp/err.txt"; rc=$?
[ $rc -eq 2 ] || fail "bad dtype should exit 2, got $rc"
grep -q "unknown dtype 'f33'" "$tmp/err.txt" || fail "bad dtype message: $(cat "$tmp/err.txt")"
"$ftorch" conform --ops no_such_op --ledger "$tmp/x.db" 2>"$tmp/err.txt"; rc=$?
[ $rc -eq 2 ] || fail "unknown op should exit 2, got $rc"
"$ftorch" conform --bogus 2>"$tmp/err.txt"; rc=$?
[ $rc -eq 2 ] || fail "unknown flag should exit 2, got $rc"
"$ftorch" report --ledger "$tmp/none.db" 2>"$tmp/err.txt"; rc=$?
[ $rc -eq 2 ] || fail "missing ledger should exit 2, got $rc"
echo "not a ledger" >"$tmp/bad.db"
"$ftorch" report --ledger "$tmp/bad.db" 2>"$tmp/err.txt"; rc=$?
[ $rc -eq 2 ] || fail "corrupt ledger should exit 2, got $rc"
"$ftorch" replay 999999 --ledger "$tmp/l.db" 2>"$tmp/err.txt"; rc=$?
[ $rc -eq 2 ] || fail "unknown case should exit 2, got $rc"
set -e

# The checkpoint suite in both modes: every row passes, hardened mode records
# the loaders' refusals of corrupted copies as events, and a case replays.
"$ftorch" conform --suite checkpoint --cases 2 --seed 5 --mode both --ledger "$tmp/ck.db" >"$tmp/ck.txt" \
  || fail "checkpoint suite exited $? : $(cat "$tmp/ck.txt")"
grep -q " 0 drift, 0 crash" "$tmp/ck.txt" || fail "checkpoint summary: $(tail -1 "$tmp/ck.txt")"
python3 - "$tmp/ck.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
modes = {m for (m,) in db.execute("select distinct mode from cases")}
assert modes == {"strict", "hardened"}, modes
ops = {o for (o,) in db.execute("select distinct op from cases")}
assert ops == {"checkpoint_safetensors", "checkpoint_native", "checkpoint_pt"}, ops
n = db.execute("select count(*) from events where reason = 'checkpoint_verification_failed'").fetchone()[0]
assert n >= 3 * 10 * 2, n  # every truncated copy is refused: 3 formats x 10 dtypes x 2 cases at least
print("checkpoint suite:", n, "refusal events")
PY
"$ftorch" replay 1 --ledger "$tmp/ck.db" >"$tmp/ckr.txt" || fail "checkpoint replay: $(cat "$tmp/ckr.txt")"
grep -q "pt oracle_read: pass" "$tmp/ckr.txt" || fail "checkpoint replay output: $(cat "$tmp/ckr.txt")"

# The autograd fuzzer in hardened mode records its mode and passes.
"$ftorch" fuzz autograd --time 2 --seed 3 --mode hardened --ledger "$tmp/fz.db" --save-dir "$tmp/fz" >"$tmp/fz.txt" \
  || fail "hardened fuzz exited $? : $(cat "$tmp/fz.txt")"
python3 - "$tmp/fz.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
assert {m for (m,) in db.execute("select distinct mode from cases")} == {"hardened"}
PY

"$ftorch" --help >/dev/null
"$ftorch" conform --help | grep -q -- "--cases" || fail "conform --help"
echo "cli smoke: ok"
