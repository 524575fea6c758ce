#!/usr/bin/env bash
# Fixture corpora end to end: export, replay with --oracle fixtures (same
# outcomes, gate passes), the usage errors that keep a run inside what the
# corpus can answer, a damaged corpus refused, and the committed golden corpus
# (fixtures/golden) still answering every case of this build.
# Arg 1: the ftorch binary; arg 2: the source tree.
set -euo pipefail
ftorch="$1"
src="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_usage() {  # expect_usage "what" "needle" cmd...
  local what="$1" needle="$2"; shift 2
  local rc=0
  "$@" >"$tmp/out.txt" 2>&1 || rc=$?
  [ "$rc" -eq 2 ] || fail "$what: exit $rc, expected 2 ($(cat "$tmp/out.txt"))"
  grep -qF -- "$needle" "$tmp/out.txt" || fail "$what: message lacks '$needle': $(cat "$tmp/out.txt")"
}

"$ftorch" fixtures export --ops add,sum --dtypes f32,f64 --cases 6 --seed 3 --double-backward --out "$tmp/c.ftfx" >"$tmp/export.txt"
grep -q "oracle answers for" "$tmp/export.txt" || fail "export summary: $(cat "$tmp/export.txt")"
"$ftorch" conform --ops add,sum --dtypes f32,f64 --cases 6 --seed 3 --double-backward --ledger "$tmp/live.db" >/dev/null
"$ftorch" conform --oracle fixtures --fixtures "$tmp/c.ftfx" --double-backward --jobs 2 --ledger "$tmp/fx.db" >/dev/null
python3 - "$tmp/live.db" "$tmp/fx.db" <<'PY'
import sqlite3, sys
q = "SELECT op, dtype, suite, outcome, reproduce FROM cases ORDER BY op, dtype, suite, reproduce"
live = sqlite3.connect(sys.argv[1]).execute(q).fetchall()
fx = sqlite3.connect(sys.argv[2]).execute(q).fetchall()
assert live and live == fx, (len(live), len(fx))
v = sqlite3.connect(sys.argv[2]).execute("SELECT oracle_version FROM runs").fetchone()[0]
assert v.startswith("fixtures ") and "libtorch" in v, v
print("fixture replay == live run:", len(fx), "rows")
PY

expect_usage "other seed" "differs from the corpus's seed 3" \
  "$ftorch" conform --oracle fixtures --fixtures "$tmp/c.ftfx" --seed 4 --ledger "$tmp/x.db"
expect_usage "more cases" "exceeds the corpus's 6 cases" \
  "$ftorch" conform --oracle fixtures --fixtures "$tmp/c.ftfx" --cases 7 --ledger "$tmp/x.db"
expect_usage "op outside the corpus" "is not in the corpus" \
  "$ftorch" conform --oracle fixtures --fixtures "$tmp/c.ftfx" --ops mul --ledger "$tmp/x.db"
expect_usage "dtype outside the corpus" "dtype 'int64' is not in the corpus" \
  "$ftorch" conform --oracle fixtures --fixtures "$tmp/c.ftfx" --dtypes i64 --ledger "$tmp/x.db"
expect_usage "no corpus" "needs --fixtures" "$ftorch" conform --oracle fixtures --ledger "$tmp/x.db"
expect_usage "corpus without fixtures oracle" "--fixtures needs --oracle fixtures" \
  "$ftorch" conform --fixtures "$tmp/c.ftfx" --ledger "$tmp/x.db"
expect_usage "training from a corpus" "training suite" \
  "$ftorch" conform --suite training --oracle fixtures --fixtures "$tmp/c.ftfx" --ledger "$tmp/x.db"
head -c 2000 "$tmp/c.ftfx" >"$tmp/cut.ftfx"
expect_usage "truncated corpus" "fails its checksum" \
  "$ftorch" conform --oracle fixtures --fixtures "$tmp/cut.ftfx" --ledger "$tmp/x.db"
expect_usage "export into a missing directory" "does not exist" \
  "$ftorch" fixtures export --ops add --out "$tmp/nodir/c.ftfx"

# The golden corpus: every case of this build must be answered (a crash row
# means the corpus is stale), and the result must pass the CI gate.
golden="$src/fixtures/golden/corpus.ftfx"
rc=0
"$ftorch" conform --oracle fixtures --fixtures "$golden" --double-backward --gradcheck --jobs 2 \
  --ledger "$tmp/golden.db" >"$tmp/golden.txt" 2>&1 || rc=$?
[ "$rc" -le 1 ] || fail "golden corpus replay exited $rc: $(tail -5 "$tmp/golden.txt")"
crashes=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT COUNT(*) FROM cases WHERE outcome='crash'\").fetchone()[0])" "$tmp/golden.db")
[ "$crashes" -eq 0 ] || fail "the golden corpus is stale ($crashes unanswered cases): re-export it with
  ftorch fixtures export --cases 4 --seed 1 --double-backward --gradcheck --out fixtures/golden/corpus.ftfx"
"$ftorch" gate --ledger "$tmp/golden.db" --budget "$src/ci/budget.json" >"$tmp/gate.txt" || fail "golden replay fails the gate: $(cat "$tmp/gate.txt")"
echo "fixtures smoke: ok ($(grep -o '[0-9]* cases ([0-9]* ledger rows)' "$tmp/golden.txt"))"
