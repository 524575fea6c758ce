#!/usr/bin/env bash
# ci/main.sh runs every step in order, keeps going after a drifting step
# (exit 1) so the ledger and report are complete, leaves the ops run's drift
# to the gate (allowlisted drift passes), and stops at a step that could not
# run (exit >= 2). Driven with a stub ftorch that records its calls;
# nothing is installed or built (FT_SKIP_SETUP=1).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/ftorch" <<'STUB'
#!/usr/bin/env bash
# Records "$1 $2 $3" (the step) and exits with STUB_RC_<word>, where <word> is
# the suite (training, checkpoint), bench, ops (plain conform) or gate.
echo "$*" >> "$STUB_LOG"
case "$1 ${2:-} ${3:-}" in
  "conform --suite training") rc=${STUB_RC_training:-0} ;;
  "conform --suite checkpoint") rc=${STUB_RC_checkpoint:-0} ;;
  bench*) rc=${STUB_RC_bench:-0} ;;
  gate*) rc=${STUB_RC_gate:-0} ;;
  *) rc=${STUB_RC_ops:-0} ;;
esac
exit "$rc"
STUB
chmod +x "$tmp/ftorch"
fail() { echo "FAIL: $*" >&2; exit 1; }
run() {  # run [VAR=value ...]: prints the exit status; the calls go to $tmp/log
  rm -f "$tmp/log"
  local rc=0
  env "$@" FT_SKIP_SETUP=1 FTORCH="$tmp/ftorch" STUB_LOG="$tmp/log" bash "$repo/ci/main.sh" > /dev/null 2>&1 || rc=$?
  echo "$rc"
}
steps() { awk '{ if ($1 == "conform" && $2 == "--suite") print $3; else if ($1 == "conform") print "ops"; else print $1 }' "$tmp/log" | tr '\n' ' '; }

rc=$(run)
[ "$rc" = 0 ] || fail "clean run exited $rc"
[ "$(steps)" = "training checkpoint bench ops gate " ] || fail "steps were: $(steps)"
grep -q -- '--dtypes all' "$tmp/log" || fail "the ops run does not cover every dtype: $(cat "$tmp/log")"
grep -q -- '--report ./ftorch-report' "$tmp/log" || fail "the ops run writes no report"

rc=$(run STUB_RC_training=1)
[ "$rc" = 1 ] || fail "training drift exited $rc, expected 1"
[ "$(steps)" = "training checkpoint bench ops gate " ] || fail "after training drift the steps were: $(steps)"

rc=$(run STUB_RC_ops=1)
[ "$rc" = 0 ] || fail "allowlisted drift in the ops run (conform 1, gate 0) exited $rc, expected 0: the gate decides"
[ "$(steps)" = "training checkpoint bench ops gate " ] || fail "after ops drift the steps were: $(steps)"

rc=$(run STUB_RC_ops=1 STUB_RC_gate=1)
[ "$rc" = 1 ] || fail "unexplained ops drift (conform 1, gate 1) exited $rc, expected 1"

rc=$(run STUB_RC_gate=1)
[ "$rc" = 1 ] || fail "gate failure exited $rc, expected 1"

rc=$(run STUB_RC_bench=2)
[ "$rc" = 2 ] || fail "a bench that could not run exited $rc, expected 2"
[ "$(steps)" = "training checkpoint bench " ] || fail "after a bench error the steps were: $(steps)"
echo "main job: every step runs, drift is reported, errors stop the job"
