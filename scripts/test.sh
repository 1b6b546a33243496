#!/usr/bin/env bash
# Runs every test: quality gates, Rust, C, Python and interop with independent tools.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
scripts/setup-debian.sh
export PATH="$PWD/.venv/bin:$PATH"
export CARGO_TERM_COLOR=never

echo "== quality gates"
cargo fmt --all --check
python3 scripts/check-arrows.py
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy -p ezla --no-default-features --all-targets --locked -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked --quiet

echo "== Rust tests (includes interop tests that drive openssl, keytool, xmlsec1, signxml, the JDK)"
EZLA_REQUIRE_TOOLS=1 cargo test --workspace --locked 2>&1 | tee target/rust-tests.log
echo "== Rust tests, pure-Rust backend only"
cargo test -p ezla --no-default-features --lib --locked 2>&1 | tail -n 3

echo "== C library (header, examples and test suite; static, dynamic, valgrind, ASan)"
scripts/test-c.sh 2>&1 | tee target/c-tests.log

echo "== Python package (maturin develop, mypy.stubtest, pytest)"
scripts/test-python.sh

echo "== summary (scripts/test.sh took $((SECONDS - start)) s)"
grep -E "^test result:" target/rust-tests.log | awk '{p+=$4; f+=$6; i+=$8} END {printf "rust: %d passed, %d failed, %d ignored\n", p, f, i}'
echo "$(tail -n 1 target/c-tests.log)"
echo "python: $(tail -n 1 target/python-tests.log)"
