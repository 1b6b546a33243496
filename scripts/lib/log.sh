# Logging for the test scripts (sourced, not run; the caller is at the repository root).

# log_to NAME [ARG...]
#
# Re-runs the calling script (scripts/<its name>, with ARGs) with its output, stdout and
# stderr, shown and also written to target/test-logs/NAME.log, then exits with the script's
# own status. The script's last line, its summary, is thus the log's last line, which
# scripts/test.sh collects. In the re-run (EZLA_TEST_LOG=NAME) it returns at once.
log_to() {
  local name="$1"
  shift
  if [ "${EZLA_TEST_LOG:-}" = "$name" ]; then
    return 0
  fi
  mkdir -p target/test-logs
  local status=0
  EZLA_TEST_LOG="$name" "$PWD/scripts/$(basename "$0")" "$@" 2>&1 |
    tee "target/test-logs/$name.log" || status=$?
  # pipefail is on in every caller: a failure of the script (or of tee) is the status.
  exit "$status"
}
