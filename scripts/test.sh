#!/usr/bin/env bash
# Runs every test: quality gates, Rust, C, Python, interop with independent tools, and the
# README's getting-started steps as a newcomer follows them.
# The runners (scripts/test-rust.sh, test-c.sh, test-python.sh, test-newcomer.sh) each write
# target/test-logs/<name>.log ending with a summary line; this script runs them all, fails
# if any fails, and ends with their summary lines.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
scripts/setup-debian.sh
export PATH="$PWD/.venv/bin:$PATH"
export CARGO_TERM_COLOR=never

echo "== quality gates"
cargo fmt --all --check
python3 scripts/check-arrows.py --strict-bindings
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy -p ezla --no-default-features --all-targets --locked -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked --quiet

mkdir -p target/test-logs
failed=()
run() { # name: runs scripts/test-<name>.sh, whose log is target/test-logs/<name>.log
  local name="$1"
  rm -f "target/test-logs/$name.log"
  echo "== scripts/test-$name.sh"
  # The script copies its own output to its log; here it goes to the terminal only.
  scripts/"test-$name.sh" || failed+=("$name")
}
run rust # the workspace (interop tests included) and the pure-Rust backend
run c # header, examples and test suite; static, dynamic, valgrind, ASan
run python # maturin develop, mypy.stubtest, pytest
run newcomer # the README's getting-started steps from a clean slate (cargo, C, Python, CLI)

took="scripts/test.sh took $((SECONDS - start)) s"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "== summary ($took; FAILED: ${failed[*]})"
else
  echo "== summary ($took)"
fi
for name in rust c python newcomer; do
  line="$(tail -n 1 "target/test-logs/$name.log" 2>/dev/null || true)"
  case "$line" in
    "$name: "*) echo "$line" ;;
    *) echo "$name: no summary line (see target/test-logs/$name.log)" ;;
  esac
done
[ "${#failed[@]}" -eq 0 ]
