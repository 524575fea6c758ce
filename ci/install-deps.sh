#!/usr/bin/env bash
# Idempotent dependency installer for FrankenTorch on Debian (run as root).
# Runs `apt-get update` first (a stale list hides missing packages), then
# installs only the packages that are not already present.
set -euo pipefail
pkgs=(
  build-essential cmake ninja-build ccache pkg-config git
  libtorch-dev librapidcheck-dev libgtest-dev nlohmann-json3-dev
  libsqlite3-dev libopenblas-dev libsleef-dev libcli11-dev libfmt-dev
  python3 python3-torch chromium
)
# Optional extras requested by the caller, e.g. FT_EXTRA_PKGS="python3-numpy".
if [ -n "${FT_EXTRA_PKGS:-}" ]; then
  read -r -a extra <<<"$FT_EXTRA_PKGS"
  pkgs+=("${extra[@]}")
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "ci/install-deps: all ${#pkgs[@]} packages present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "ci/install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 2; }
  SUDO=sudo
fi
echo "ci/install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
