#!/usr/bin/env bash
# Set up ippo on a fresh machine with only Python 3.11+: a virtual environment in .venv with
# ippo installed (editable) and its test tools. Safe to run again: it only reinstalls when
# pyproject.toml or scripts/constraints.txt changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then PY="$candidate"; break; fi
  done
fi
if [ -z "$PY" ] || ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "ippo needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)" >&2
  exit 1
fi

# System packages some tests need (a browser, fonts with Japanese glyphs), one per line in
# scripts/system-packages.txt. Installed with apt-get when missing; skipped with a warning where
# apt-get is not available or we are not root (the tests that need them then say what is missing).
install_system_packages() {
  local wanted missing=()
  wanted="$(grep -v '^\s*#' scripts/system-packages.txt | tr -s ' \n' '\n' | sed '/^$/d' || true)"
  [ -z "$wanted" ] && return 0
  for pkg in $wanted; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "warning: no apt-get here; install these yourself: ${missing[*]}" >&2; return 0
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"
    else echo "warning: not root; install these yourself: ${missing[*]}" >&2; return 0; fi
  fi
  echo "installing system packages: ${missing[*]}"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
[ -f scripts/system-packages.txt ] && install_system_packages

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=".venv/.ippo-installed"
want="$(cat pyproject.toml scripts/constraints.txt | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && .venv/bin/python -c 'import ippo, torch' 2>/dev/null; then
  exit 0
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# Every install is constrained by scripts/constraints.txt, which pins torch to the CPU build
# available offline; without it pip would pull a multi-GB CUDA build. torch goes first.
.venv/bin/python -m pip install --quiet -c scripts/constraints.txt torch
.venv/bin/python -m pip install --quiet -c scripts/constraints.txt -e ".[dev,analysis]"
echo "$want" > "$stamp"
echo "ippo is set up in .venv"
