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
"$ftorch" --help >/dev/null
"$ftorch" conform --help | grep -q -- "--cases" || fail "conform --help"
echo "cli smoke: ok"
