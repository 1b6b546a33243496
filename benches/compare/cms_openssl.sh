#!/usr/bin/env bash
# openssl cms -sign / -verify on the files `cargo bench -p ezla-benches --bench cms` writes
# (EZLA_CMS_BENCH_DIR=DIR), net of process start: each command runs N times, and N runs of
# `openssl cms -help`-free `openssl version` are subtracted. Prints milliseconds per
# operation for the 1 KB and the 10 MB payload.
#
#   EZLA_CMS_BENCH_DIR=/tmp/cmsbench cargo bench -p ezla-benches --bench cms
#   benches/compare/cms_openssl.sh /tmp/cmsbench [N]
set -euo pipefail
dir="$1"
n="${2:-20}"
key="$dir/key.pem"
cert="$dir/cert.pem"
# A signer for openssl's own signing (any RSA-2048 key: only the time is of interest).
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$key" -out "$cert" -days 2 \
  -subj "/CN=bench" >/dev/null 2>&1

ms() { # command... : average wall milliseconds over n runs
  local start end
  start=$(date +%s%N)
  for _ in $(seq "$n"); do "$@" >/dev/null 2>&1; done
  end=$(date +%s%N)
  echo $(( (end - start) / n / 1000 ))
}
base=$(ms openssl version)
printf 'process start (openssl version): %d.%03d ms\n' $((base / 1000)) $((base % 1000))
for size in 1KB 10MB; do
  v=$(ms openssl cms -verify -binary -inform DER -in "$dir/signed-$size.p7s" -noverify -out /dev/null)
  s=$(ms openssl cms -sign -binary -nodetach -md sha256 -outform DER -in "$dir/payload-$size.bin" \
    -signer "$cert" -inkey "$key" -out /dev/null)
  printf '%s: openssl cms -verify %d.%03d ms net, -sign %d.%03d ms net\n' "$size" \
    $(((v - base) / 1000)) $(((v - base) % 1000)) $(((s - base) / 1000)) $(((s - base) % 1000))
done
