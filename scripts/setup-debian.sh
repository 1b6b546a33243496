#!/usr/bin/env bash
# Installs what ezla's demo and tests need on a fresh Debian machine (idempotent).
# Runs as root (CI) or through sudo when available.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi

PKGS=(openssl xmlsec1 libxml2-utils valgrind pkg-config ca-certificates groff-base curl softhsm2 opensc libp11-kit-dev zbar-tools chromium chromium-driver)
# promtool (Debian ships it only in the prometheus package) judges `cert check --format prometheus`.
PKGS+=(prometheus)
command -v keytool >/dev/null || PKGS+=(default-jdk-headless)
command -v javac >/dev/null || PKGS+=(default-jdk-headless)
command -v python3 >/dev/null || PKGS+=(python3)
# Debian splits venv/ensurepip out of python3; other Pythons (pyenv, the image) carry it.
command -v python3 >/dev/null && python3 -c "import ensurepip, venv" 2>/dev/null || PKGS+=(python3-venv)
command -v cc >/dev/null || PKGS+=(build-essential)
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v cargo >/dev/null || { echo "cargo (Rust 1.89+) is required: https://rustup.rs" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install -q --disable-pip-version-check -r scripts/requirements-test.txt
