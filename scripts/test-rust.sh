#!/usr/bin/env bash
# The Rust tests: the whole workspace (including the interop tests, which drive openssl,
# keytool, xmlsec1, signxml and the JDK, and must find them: EZLA_REQUIRE_TOOLS=1), then the
# core's unit tests on the pure-Rust backend alone. Ends with
# "rust: N passed, F failed, I ignored" (the workspace run's `test result:` lines summed);
# the output is also written to target/test-logs/rust.log.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/log.sh
log_to rust "$@"
export CARGO_TERM_COLOR=never
mkdir -p target/test-logs
cargo_log=target/test-logs/cargo-test.log

echo "== Rust tests (includes interop tests that drive openssl, keytool, xmlsec1, signxml, the JDK)"
status=0
EZLA_REQUIRE_TOOLS=1 cargo test --workspace --locked --no-fail-fast 2>&1 | tee "$cargo_log" || status=$?
summary="$(grep -E "^test result:" "$cargo_log" |
  awk '{p+=$4; f+=$6; i+=$8} END {printf "rust: %d passed, %d failed, %d ignored\n", p, f, i}')"
if [ "$status" -ne 0 ]; then
  echo "cargo test --workspace failed (exit $status)"
  echo "$summary"
  exit 1
fi

echo "== ZUS load benchmark, smoke run (4 doctors x 3 e-ZLA over TLS; the full run: README, Performance)"
smoke_log=target/test-logs/zus-load-smoke.log
cargo run -q -p ezla-benches --bin zus_load --locked -- --doctors 4 --per-doctor 3 --sign-seconds 1 \
  >"$smoke_log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  cat "$smoke_log"
  echo "the ZUS load benchmark's smoke run failed (exit $status)"
  echo "$summary"
  exit 1
fi
grep -E "^\| (throughput|certificates)|exactly once" "$smoke_log"

echo "== Rust tests, pure-Rust backend only"
pure_log=target/test-logs/cargo-test-pure-rust.log
cargo test -p ezla --no-default-features --lib --locked >"$pure_log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  cat "$pure_log"
  echo "cargo test -p ezla --no-default-features failed (exit $status)"
  echo "rust: the pure-Rust backend's unit tests failed; the workspace run: ${summary#rust: }"
  exit 1
fi
tail -n 3 "$pure_log"

echo "$summary"
