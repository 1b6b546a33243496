#!/usr/bin/env bash
# The main job: builds the ezla command and walks through what it does.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh
cargo build --release --locked -p ezla-cli
EZLA=target/release/ezla
OUT=demo-out
rm -rf "$OUT"; mkdir -p "$OUT"
"$EZLA" --version
