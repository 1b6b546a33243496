#!/usr/bin/env bash
# The Python package: build it into .venv with maturin, run pytest, check the stubs.
# Assumes .venv exists with scripts/requirements-test.txt installed. Ends with
# "python: " and pytest's summary line; the output is also written to
# target/test-logs/python.log.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/log.sh
log_to python "$@"
export PATH="$PWD/.venv/bin:$PATH"
mkdir -p target/test-logs

# A debug build: dependencies (aws-lc, RSA, SHA) are optimised even in dev builds, so the
# tests are fast enough, and the build shares artifacts with `cargo test --workspace`.
maturin develop --locked -m bindings/python/Cargo.toml 2>&1 | tail -n 1
# The ZUS simulator, for tests/test_zus.py and the ZUS example (found in
# $CARGO_TARGET_DIR/debug or target/debug).
cargo build --locked -p ezla-sim 2>&1 | tail -n 1

echo "== stubs (mypy.stubtest)"
python -m mypy.stubtest ezla
python -m mypy --strict --no-error-summary bindings/python/tests/typing_check.py examples/python/*.py

echo "== pytest"
set +e
python -m pytest -q -p no:cacheprovider bindings/python/tests 2>&1 | tee target/test-logs/pytest.log
status=${PIPESTATUS[0]}
set -e
summary="python: $(tail -n 1 target/test-logs/pytest.log)"
# Exit code 5 means no tests were collected: a failure too.
if [ "$status" -ne 0 ]; then
    echo "pytest failed (exit $status)"
    echo "$summary"
    exit 1
fi
echo "$summary"
