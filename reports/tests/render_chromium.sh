#!/usr/bin/env bash
# The HTML report renders in headless Chromium: a small conformance run, its
# report, a screenshot (must be a real PNG) and the rendered DOM (must hold the
# op x dtype matrix and the run header). Arg 1: the ftorch binary.
set -euo pipefail
ftorch="$1"
browser="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$browser" ] || { echo "FAIL: chromium is not installed (ci/install-deps.sh installs it)" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$ftorch" conform --ops add,sum --dtypes f32,i64 --cases 10 --seed 5 --ledger "$tmp/l.db" --report "$tmp/rep" >/dev/null
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$tmp/profile")
timeout 120 "$browser" "${flags[@]}" --window-size=1280,900 --screenshot="$tmp/shot.png" "file://$tmp/rep/index.html" \
  >/dev/null 2>&1 || true
[ -s "$tmp/shot.png" ] || { echo "FAIL: no screenshot produced" >&2; exit 1; }
head -c 8 "$tmp/shot.png" | od -An -tx1 | grep -q "89 50 4e 47" || { echo "FAIL: screenshot is not a PNG" >&2; exit 1; }
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$tmp/rep/index.html" >"$tmp/dom.html" 2>/dev/null || true
grep -q "parity report" "$tmp/dom.html" || { echo "FAIL: rendered DOM lacks the report header" >&2; exit 1; }
grep -q "add" "$tmp/dom.html" && grep -q "int64" "$tmp/dom.html" || { echo "FAIL: matrix cells missing" >&2; exit 1; }
mkdir -p "${FT_ARTIFACTS:-/tmp}" && cp "$tmp/shot.png" "${FT_ARTIFACTS:-/tmp}/ftorch-report-screenshot.png"
echo "report renders in chromium: ok ($(stat -c %s "$tmp/shot.png") byte screenshot)"
