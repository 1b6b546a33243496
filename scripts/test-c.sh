#!/usr/bin/env bash
# The C library's tests: builds libezla, installs it (with its pkg-config file) into a
# scratch prefix, builds the C test suite and the C examples with
# -std=c11 -Wall -Wextra -Wpedantic -Werror, links the suite statically and dynamically,
# and runs everything plainly, under valgrind and under AddressSanitizer (with UBSan).
# Ends with "c: N passed, 0 failed" (N: checks in the C test suite); the output is also
# written to target/test-logs/c.log.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/log.sh
source scripts/lib/fixtures.sh
log_to c "$@"

T=target/c-test
rm -rf "$T"
mkdir -p "$T/bin" "$T/fixtures" "$T/monitor-ok" "$T/prefix"
CFLAGS=(-std=c11 -Wall -Wextra -Wpedantic -Werror -g)
VALGRIND=(valgrind -q --error-exitcode=1 --leak-check=full --suppressions=bindings/c/tests/valgrind.supp)
# AddressSanitizer (leaks included) and UBSan on the C side; the Rust library itself is not
# instrumented, but its allocations go through the sanitizer's malloc.
SAN=(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
export ASAN_OPTIONS=detect_leaks=1
# Fixture passwords: generated files only, protected with 1000 PBKDF2 iterations.
export EZLA_PFX_PASSWORD=c-test-password
start=$SECONDS

echo "== build"
cargo build -p ezla-ffi --locked
bindings/c/install.sh --debug --prefix "$PWD/$T/prefix" >/dev/null
export PKG_CONFIG_PATH="$PWD/$T/prefix/lib/pkgconfig"
libdir="$(pkg-config --variable=libdir ezla)"
read -r -a cflags <<<"$(pkg-config --cflags ezla)"
read -r -a dynamic <<<"$(pkg-config --libs ezla)"
# The static route exactly as the README gives it: ezla-static.pc names the archive.
read -r -a static <<<"$(pkg-config --libs ezla-static)"
echo "static link: ${static[*]}"

build() { # name source link...
  local name="$1" src="$2"
  shift 2
  cc "${CFLAGS[@]}" "${cflags[@]}" "$src" -o "$T/bin/$name" "$@"
}
suite=bindings/c/tests/c/ezla_test.c
build ezla_test_static "$suite" "${static[@]}"
build ezla_test_dynamic "$suite" "${dynamic[@]}" "-Wl,-rpath,$libdir"
build ezla_test_asan "$suite" "${SAN[@]}" "${static[@]}"
# The static binary must not depend on libezla.so (the dynamic one must: below), and ASan must
# really be linked. (Outputs are captured first: `grep -q` on a pipe trips pipefail.)
deps_static="$(ldd "$T/bin/ezla_test_static")"
deps_dynamic="$(ldd "$T/bin/ezla_test_dynamic")"
asan_syms="$(nm "$T/bin/ezla_test_asan")"
if grep -q libezla <<<"$deps_static"; then
  echo "ezla_test_static is linked against libezla.so" >&2
  exit 1
fi
# The shared library carries the soname libezla.so.0 (bindings/c/build.rs), the installed
# names point at the real file, and the dynamic binary loads it through the soname.
soname="$(readelf -d "$libdir/libezla.so")"
grep -Eq "\(SONAME\) +Library soname: \[libezla\.so\.0\]" <<<"$soname" || {
  printf '%s\n' "$soname" >&2
  echo "$libdir/libezla.so has no SONAME libezla.so.0" >&2
  exit 1
}
real="libezla.so.$(pkg-config --modversion ezla)"
if [ "$(readlink "$libdir/libezla.so")" != libezla.so.0 ] ||
  [ "$(readlink "$libdir/libezla.so.0")" != "$real" ] ||
  [ -L "$libdir/$real" ] || [ ! -f "$libdir/$real" ]; then
  ls -l "$libdir" >&2
  echo "install.sh did not install libezla.so -> libezla.so.0 -> $real" >&2
  exit 1
fi
grep -q "libezla.so.0 => $libdir/libezla.so.0" <<<"$deps_dynamic" || {
  printf '%s\n' "$deps_dynamic" >&2
  echo "ezla_test_dynamic does not load $libdir/libezla.so.0" >&2
  exit 1
}
grep -q __asan_init <<<"$asan_syms" || { echo "ASan is not linked" >&2; exit 1; }
# Every function the library exports is declared in the header and exercised by the suite.
exports="$(nm -D --defined-only "$libdir/libezla.so" | awk '$2 == "T" && $3 ~ /^ezla_/ { print $3 }' | sort)"
missing=()
for f in $exports; do
  grep -q "\b$f(" include/ezla.h || { echo "$f is exported but not declared in include/ezla.h" >&2; exit 1; }
  grep -q "\b$f(" "$suite" || missing+=("$f")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "not exercised by $suite: ${missing[*]}" >&2
  exit 1
fi
echo "exported functions: $(wc -w <<<"$exports"), all in the header and the C test suite"
examples=(certificate_expiry sign_and_verify monitor_certificates quickstart issue_zla zus_lookups wk_login
  timestamp cms_sign)
for e in "${examples[@]}"; do
  build "$e" "examples/c/$e.c" "${dynamic[@]}" "-Wl,-rpath,$libdir"
  build "${e}_asan" "examples/c/$e.c" "${SAN[@]}" "${static[@]}"
done

# Runs the suite and checks its "N passed, 0 failed" line; prints N.
suite_count=
run_suite() { # label command...
  local label="$1" out line
  shift
  if ! out="$("$@" 2>&1)"; then
    printf '%s\n' "$out" >&2
    echo "C test suite ($label) failed" >&2
    exit 1
  fi
  line="$(printf '%s\n' "$out" | tail -n 1)"
  if ! [[ "$line" =~ ^([0-9]+)\ passed,\ 0\ failed$ ]]; then
    printf '%s\n' "$out" >&2
    echo "C test suite ($label): unexpected result line: $line" >&2
    exit 1
  fi
  if [ -n "$suite_count" ] && [ "${BASH_REMATCH[1]}" != "$suite_count" ]; then
    echo "C test suite ($label) ran ${BASH_REMATCH[1]} checks, not $suite_count" >&2
    exit 1
  fi
  suite_count="${BASH_REMATCH[1]}"
  echo "  $label: $line"
}

# The simulator (ZUS, and the RFC 3161 TSA at /tsa over the same HTTPS) runs from here to the
# end: the C suite's time-stamp tests (given its state directory), the valgrind runs of the
# suite in the background, examples/c/timestamp.c, issue_zla.c and zus_lookups.c use it.
cargo build -p ezla-sim --locked 2>&1 | tail -n 1
sim_bin="${CARGO_TARGET_DIR:-target}/debug/ezla-sim"
sim="$T/sim"
mkdir -p "$sim"
"$sim_bin" serve --state "$sim" --tls >"$sim/stdout" 2>"$sim/stderr" &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  [ -s "$sim/url" ] && break
  sleep 0.1
done
[ -s "$sim/url" ] || { cat "$sim/stderr" >&2; echo "ezla-sim did not start" >&2; exit 1; }
url="$(cat "$sim/url")"
tsa_url="${url%%/ws/*}/tsa"

echo "== C test suite"
mkdir -p "$T/fixtures-vs" "$T/fixtures-vd" "$T/fixtures-asan"
# valgrind is slow: run its two runs in the background while the others go.
"${VALGRIND[@]}" "$T/bin/ezla_test_static" "$T/fixtures-vs" "$sim" >"$T/valgrind-static.log" 2>&1 &
vg_static=$!
"${VALGRIND[@]}" "$T/bin/ezla_test_dynamic" "$T/fixtures-vd" "$sim" >"$T/valgrind-dynamic.log" 2>&1 &
vg_dynamic=$!
run_suite static "$T/bin/ezla_test_static" "$T/fixtures" "$sim"
run_suite dynamic "$T/bin/ezla_test_dynamic" "$T/fixtures" "$sim"
run_suite asan "$T/bin/ezla_test_asan" "$T/fixtures-asan" "$sim"
# What the suite's time-stamp tests made, judged by independent tools: the token by
# `openssl ts -verify` against the simulator's CA (which issued the TSA certificate), the
# XAdES-T document by xmlsec1 (the signature is untouched by the added time-stamp), the
# CAdES-T signature by `openssl cms -verify` (with the token in its unsigned attributes).
fx="$T/fixtures"
if command -v openssl >/dev/null; then
  out="$(openssl ts -verify -data "$fx/tsa-data.bin" -in "$fx/tsa-token.tst" -token_in \
    -CAfile "$sim/ca/ca.crt" 2>&1)" || true
  grep -q "Verification: OK" <<<"$out" || {
    printf '%s\n' "$out" >&2
    echo "openssl ts -verify refuses the token the C suite got from the TSA" >&2
    exit 1
  }
  out="$(openssl ts -verify -data "$fx/ca.pem" -in "$fx/tsa-token.tst" -token_in \
    -CAfile "$sim/ca/ca.crt" 2>&1)" || true
  if grep -q "Verification: OK" <<<"$out"; then
    echo "openssl ts -verify accepts the token for other data" >&2
    exit 1
  fi
  echo "  the suite's time-stamp token: openssl ts -verify OK (and refused for other data)"
  openssl cms -verify -binary -inform DER -in "$fx/cades-t.p7s" -content "$fx/cades-content.bin" \
    -CAfile "$fx/ca.pem" -out /dev/null >/dev/null 2>&1 || {
    echo "openssl cms -verify refuses the suite's CAdES-T signature" >&2
    exit 1
  }
  out="$(openssl cms -cmsout -print -inform DER -in "$fx/cades-t.p7s")"
  grep -q "id-smime-aa-timeStampToken" <<<"$out" || {
    echo "the suite's CAdES-T signature has no signature time-stamp attribute" >&2
    exit 1
  }
  echo "  the suite's CAdES-T signature: openssl cms -verify OK, with its time-stamp token"
  # A CRL made through the C API (ezla_test_ca_issue_crl): openssl verifies its signature
  # with the test CA and lists the suite's revoked certificate with its reason.
  out="$(openssl crl -inform DER -in "$fx/revoked.crl" -CAfile "$fx/ca.pem" -noout -text 2>&1)" || {
    printf '%s\n' "$out" >&2
    echo "openssl crl cannot read the suite's CRL" >&2
    exit 1
  }
  serial="$(cat "$fx/revoked-serial.txt")"
  # The entry: its serial, revocation date, extensions and reason (captured first: `grep -q`
  # on a pipe trips pipefail).
  entry="$(grep -A4 -i "Serial Number: $serial\$" <<<"$out" || true)"
  if ! grep -q "verify OK" <<<"$out" || ! grep -q "Key Compromise" <<<"$entry"; then
    printf '%s\n' "$out" >&2
    echo "openssl crl does not verify the suite's CRL or list serial $serial (keyCompromise)" >&2
    exit 1
  fi
  echo "  the suite's CRL: openssl crl verify OK, serial $serial listed (Key Compromise)"
elif [ -n "${EZLA_REQUIRE_TOOLS:-}" ]; then
  echo "openssl is required (EZLA_REQUIRE_TOOLS is set)" >&2
  exit 1
fi
if command -v xmlsec1 >/dev/null; then
  xmlsec1 --verify --trusted-pem "$fx/ca.pem" "$fx/xades-t.xml" >/dev/null 2>&1 || {
    echo "xmlsec1 refuses the suite's XAdES-T document" >&2
    exit 1
  }
  echo "  the suite's XAdES-T document: xmlsec1 OK"
elif [ -n "${EZLA_REQUIRE_TOOLS:-}" ]; then
  echo "xmlsec1 is required (EZLA_REQUIRE_TOOLS is set)" >&2
  exit 1
fi

echo "== C examples"
cp "$T/fixtures/doctor.pfx" "$T/fixtures/ca.pem" "$T/monitor-ok/"

# Runs one example and checks its exit status and its results line.
run_example() { # label expected-status expected-line-regex command...
  local label="$1" want="$2" pattern="$3" out status=0
  shift 3
  out="$("$@" 2>&1)" || status=$?
  if [ "$status" != "$want" ] || ! printf '%s\n' "$out" | tail -n 1 | grep -Eq "$pattern"; then
    printf '%s\n' "$out" >&2
    echo "example $label: exit status $status (want $want) or unexpected results line" >&2
    exit 1
  fi
  echo "  $label: $(printf '%s\n' "$out" | tail -n 1)"
}
fx="$T/fixtures"
printf '%s' '<KEDU xmlns="http://www.zus.pl/2015/KED_ZLA_1"><ZUSZLA/></KEDU>' >"$T/zla.xml"
for mode in plain valgrind asan; do
  case "$mode" in
    plain) pre=(); sfx= ;;
    valgrind) pre=("${VALGRIND[@]}"); sfx= ;;
    asan) pre=(); sfx=_asan ;;
  esac
  run_example "certificate_expiry ($mode)" 0 '^certificate_expiry: 1 passed, 0 failed$' \
    "${pre[@]}" "$T/bin/certificate_expiry$sfx" "$fx/doctor.pfx"
  if [ -d ../shared/vectors/wk/symulator-2018 ]; then
    run_example "wk_login ($mode)" 0 '^wk_login: 3 passed, 0 failed$' \
      "${pre[@]}" "$T/bin/wk_login$sfx" ../shared/vectors/wk/symulator-2018
  fi
  run_example "sign_and_verify ($mode)" 0 '^sign_and_verify: 8 passed, 0 failed$' \
    "${pre[@]}" "$T/bin/sign_and_verify$sfx" "$fx/doctor.pfx"
  run_example "monitor_certificates ($mode)" 0 \
    '^monitor_certificates: 2 checked: 2 valid, 0 renewal-window, 0 expiring, 0 expired, 0 not-yet-valid, 0 unreadable$' \
    "${pre[@]}" "$T/bin/monitor_certificates$sfx" "$T/monitor-ok"
  rm -f "$T/quickstart-$mode.xml"
  run_example "quickstart ($mode)" 0 '; trust: chain$' \
    "${pre[@]}" "$T/bin/quickstart$sfx" "$fx/doctor.pfx" "$fx/ca.pem" "$T/zla.xml" "$T/quickstart-$mode.xml"
  # What quickstart signed, time-stamped by the simulator's TSA (XAdES-T) and verified.
  rm -f "$T/timestamp-$mode.xml"
  run_example "timestamp ($mode)" 0 '^timestamp: 1 trusted time-stamp\(s\); the signer.s certificate judged at [0-9T:-]+Z$' \
    "${pre[@]}" "$T/bin/timestamp$sfx" "$tsa_url" "$T/quickstart-$mode.xml" "$T/timestamp-$mode.xml" \
    "$sim/ca/ca.crt" "$sim/tls-ca.pem"
  # A detached CAdES-T signature of a file, time-stamped by the simulator's TSA and verified.
  rm -f "$T/cms-$mode.p7s"
  run_example "cms_sign ($mode)" 0 \
    '^cms_sign: [0-9]+-byte signature, 1 trusted time-stamp\(s\), judged at [0-9T:-]+Z$' \
    "${pre[@]}" "$T/bin/cms_sign$sfx" "$fx/doctor.pfx" "$fx/ca.pem" "$T/zla.xml" "$T/cms-$mode.p7s" \
    "$tsa_url" "$sim/ca/ca.crt" "$sim/tls-ca.pem"
done
if command -v openssl >/dev/null; then
  openssl cms -verify -binary -inform DER -in "$T/cms-plain.p7s" -content "$T/zla.xml" \
    -CAfile "$fx/ca.pem" -out /dev/null >/dev/null 2>&1 || {
    echo "openssl cms -verify refuses what cms_sign signed" >&2
    exit 1
  }
  grep -q "id-smime-aa-timeStampToken" <<<"$(openssl cms -cmsout -print -inform DER -in "$T/cms-plain.p7s")" || {
    echo "cms_sign's signature has no signature time-stamp attribute" >&2
    exit 1
  }
  echo "  cms_sign's CAdES-T signature: openssl cms -verify OK, with its time-stamp token"
fi
# The README's C program is examples/c/quickstart.c, verbatim; what it writes verifies with
# xmlsec1 against the CA, and a wrong password is status 3.
readme_c="$(awk '/^```c$/ { on = 1; next } /^```$/ { on = 0 } on' README.md)"
if [ "$readme_c" != "$(cat examples/c/quickstart.c)" ]; then
  diff <(printf '%s\n' "$readme_c") examples/c/quickstart.c >&2 || true
  echo "the README's C program differs from examples/c/quickstart.c" >&2
  exit 1
fi
echo "  README C program: the same as examples/c/quickstart.c"
if command -v xmlsec1 >/dev/null; then
  xmlsec1 --verify --trusted-pem "$fx/ca.pem" "$T/quickstart-plain.xml" >/dev/null 2>&1 || {
    echo "xmlsec1 refuses what quickstart signed" >&2
    exit 1
  }
  echo "  quickstart's signature: xmlsec1 OK"
  xmlsec1 --verify --trusted-pem "$fx/ca.pem" "$T/timestamp-plain.xml" >/dev/null 2>&1 || {
    echo "xmlsec1 refuses what timestamp time-stamped" >&2
    exit 1
  }
  echo "  timestamp's XAdES-T document: xmlsec1 OK"
fi
# timestamp's other exit statuses: a TSA that does not chain to the anchors given (1, plainly
# and under ASan), a TLS server the web PKI roots do not know (2).
for sfx in "" _asan; do
  run_example "timestamp (an untrusted TSA${sfx:+, asan})" 1 '^timestamp: CertificateUntrusted$' \
    "$T/bin/timestamp$sfx" "$tsa_url" "$T/quickstart-plain.xml" "$T/t.xml" "$fx/ca.pem" "$sim/tls-ca.pem"
done
run_example "timestamp (an untrusted TLS server)" 2 '^timestamp: TlsCertificateUntrusted$' \
  "$T/bin/timestamp" "$tsa_url" "$T/quickstart-plain.xml" "$T/t.xml" "$sim/ca/ca.crt"
# cms_sign without a TSA (CAdES-BES), its refusals: a TSA that does not chain to the anchors
# given (1), a wrong password (2).
run_example "cms_sign (no TSA)" 0 '^cms_sign: [0-9]+-byte signature, 0 trusted time-stamp\(s\), judged at ' \
  "$T/bin/cms_sign" "$fx/doctor.pfx" "$fx/ca.pem" "$T/zla.xml" "$T/c.p7s"
run_example "cms_sign (an untrusted TSA, asan)" 1 '^cms_sign: CertificateUntrusted$' \
  "$T/bin/cms_sign_asan" "$fx/doctor.pfx" "$fx/ca.pem" "$T/zla.xml" "$T/c.p7s" "$tsa_url" "$fx/ca.pem" \
  "$sim/tls-ca.pem"
run_example "cms_sign (wrong password)" 2 '^cms_sign: BadPassword$' \
  env EZLA_PFX_PASSWORD=wrong "$T/bin/cms_sign" "$fx/doctor.pfx" "$fx/ca.pem" "$T/zla.xml" "$T/c.p7s"
run_example "quickstart (wrong password)" 3 '^BadPassword: ' \
  env EZLA_PFX_PASSWORD=wrong "$T/bin/quickstart" "$fx/doctor.pfx" "$fx/ca.pem" "$T/zla.xml" "$T/q.xml"
# Exit statuses for the other states (not under valgrind, whose own error status is 1).
run_example "certificate_expiry (renewal window)" 1 '^certificate_expiry: 1 passed, 0 failed$' \
  "$T/bin/certificate_expiry" "$fx/renewal.pfx"
run_example "certificate_expiry (wrong password)" 2 '^certificate_expiry: 0 passed, 1 failed$' \
  env EZLA_PFX_PASSWORD=wrong "$T/bin/certificate_expiry" "$fx/doctor.pfx"
# The repository's own example e-ZLA (it has a VIII/p8, which is not the ICD-10 code).
run_example "sign_and_verify (crates/ezla-cli/examples/zla.json)" 0 '^sign_and_verify: 8 passed, 0 failed$' \
  "$T/bin/sign_and_verify" "$fx/doctor.pfx" crates/ezla-cli/examples/zla.json
echo '{"ubezpieczony": {"pesel": "44051401358"}}' >"$T/invalid-zla.json"
run_example "sign_and_verify (an invalid e-ZLA)" 1 '^sign_and_verify: 1 passed, 7 failed$' \
  "$T/bin/sign_and_verify" "$fx/doctor.pfx" "$T/invalid-zla.json"
run_example "monitor_certificates (mixed)" 2 \
  '^monitor_certificates: 5 checked: 3 valid, 1 renewal-window, 0 expiring, 1 expired, 0 not-yet-valid, 0 unreadable$' \
  "$T/bin/monitor_certificates" "$fx"

# Signing on a PKCS#11 token: SoftHSM2 tokens made by tests/tools/softhsm-tokens.sh, an RSA and
# a P-256 key, plainly, under valgrind and under ASan (SoftHSM loaded into the process, its
# allocations included, with no suppression of its own), the signed document checked by
# xmlsec1.
build pkcs11_sign examples/c/pkcs11_sign.c "${dynamic[@]}" "-Wl,-rpath,$libdir"
build pkcs11_sign_asan examples/c/pkcs11_sign.c "${SAN[@]}" "${static[@]}"
if command -v softhsm2-util >/dev/null && command -v pkcs11-tool >/dev/null; then
  hsm="$PWD/$T/softhsm"
  softhsm_module="$(bash tests/tools/softhsm-tokens.sh "$hsm")"
  for key in rsa ec; do
    for mode in plain valgrind asan; do
      case "$mode" in
        plain) pre=(); sfx= ;;
        valgrind) pre=("${VALGRIND[@]}"); sfx= ;;
        asan) pre=(); sfx=_asan ;;
      esac
      rm -f "$T/pkcs11-$key.xml"
      run_example "pkcs11_sign ($key on SoftHSM, $mode)" 0 '^pkcs11_sign: 4 passed, 0 failed$' \
        env SOFTHSM2_CONF="$hsm/softhsm2.conf" EZLA_PIN=1234 "${pre[@]}" "$T/bin/pkcs11_sign$sfx" \
        "$softhsm_module" ezla-test "$key" "$T/zla.xml" "$T/pkcs11-$key.xml"
    done
    if command -v xmlsec1 >/dev/null; then
      xmlsec1 --verify --pubkey-cert-pem "$hsm/$key.crt.pem" \
        --id-attr:Id "http://uri.etsi.org/01903/v1.3.2#:SignedProperties" "$T/pkcs11-$key.xml" >/dev/null 2>&1 || {
        echo "xmlsec1 refuses what pkcs11_sign signed with the $key key" >&2
        exit 1
      }
      echo "  pkcs11_sign ($key): xmlsec1 OK"
    fi
  done
  # The error path, plainly and under ASan (valgrind's own error status is 1, not 3).
  for sfx in "" _asan; do
    run_example "pkcs11_sign (wrong PIN${sfx:+, asan})" 3 '^pkcs11_sign: 0 passed, 1 failed$' \
      env SOFTHSM2_CONF="$hsm/softhsm2.conf" EZLA_PIN=0000 "$T/bin/pkcs11_sign$sfx" "$softhsm_module" ezla-test rsa
  done
elif [ -n "${EZLA_REQUIRE_TOOLS:-}" ]; then
  echo "softhsm2-util and pkcs11-tool are required (EZLA_REQUIRE_TOOLS is set)" >&2
  exit 1
else
  echo "  NOTICE: SoftHSM2 or pkcs11-tool missing; pkcs11_sign not run"
fi

# A legacy .pfx (RC2-40 certificates, 3DES key, SHA-1 MAC), as older ZUS files are: it opens,
# and the monitor flags it.
if command -v openssl >/dev/null; then
  mkdir -p "$T/legacy"
  legacy_pfx "$fx/doctor.pfx" "$T/legacy/doctor-legacy.pfx" EZLA_PFX_PASSWORD
  run_example "certificate_expiry (legacy .pfx)" 0 '^certificate_expiry: 1 passed, 0 failed$' \
    "$T/bin/certificate_expiry" "$T/legacy/doctor-legacy.pfx"
  out="$("$T/bin/monitor_certificates" "$T/legacy")"
  grep -q "doctor-legacy.pfx .*(legacy .pfx: rewrite it in the modern format)" <<<"$out" || {
    printf '%s\n' "$out" >&2
    echo "monitor_certificates did not flag the legacy .pfx" >&2
    exit 1
  }
  echo "  monitor_certificates (legacy .pfx): flagged"
else
  echo "note: openssl is absent; the legacy .pfx checks are skipped"
fi

echo "== issuing to the ZUS simulator (examples/c/issue_zla.c, examples/c/zus_lookups.c)"
"$sim_bin" doctor add --state "$sim" --pesel 02271409867 --given-name Anna --surname Nowak \
  --npwz 5425740 -o "$sim/anna.pfx" --password-env EZLA_PFX_PASSWORD >/dev/null
zla=crates/ezla-cli/examples/zla.json
for mode in plain valgrind asan; do
  case "$mode" in
    plain) pre=(); sfx= ;;
    valgrind) pre=("${VALGRIND[@]}"); sfx= ;;
    asan) pre=(); sfx=_asan ;;
  esac
  run_example "issue_zla ($mode)" 0 '^issue_zla: 1 certificate\(s\), 2 document\(s\) receipted$' \
    "${pre[@]}" "$T/bin/issue_zla$sfx" "$url" "$sim/tls-ca.pem" "$sim/anna.pfx" "$zla" 2026-12-01 \
    "$sim/journal-$mode.sqlite"
done
out="$("$T/bin/issue_zla" "$url" "$sim/tls-ca.pem" "$sim/anna.pfx" "$zla" 2026-12-01)"
grep -Eq '^ORYGINAL ZY[0-9]{7}: UPP [0-9]+ bytes$' <<<"$out" &&
  grep -Eq '^KOPIA ZY[0-9]{7}: UPP [0-9]+ bytes$' <<<"$out" || {
  printf '%s\n' "$out" >&2
  echo "issue_zla did not print each series/number and UPP size" >&2
  exit 1
}
# Issued, then cancelled with a signed AZLA (ezla_zus_client_cancel), under valgrind.
run_example "issue_zla, then cancel (valgrind)" 0 '^cancelled ZY[0-9]{7}: UPP [0-9]+ bytes$' \
  env EZLA_CANCEL_REASON=U "${VALGRIND[@]}" "$T/bin/issue_zla" "$url" "$sim/tls-ca.pem" \
  "$sim/anna.pfx" "$zla" 2026-12-01
# A doctor the simulated ZUS does not know (the C suite's test CA): refused, status 1, with
# ZUS's own code and words.
run_example "issue_zla (a certificate from another CA)" 1 '^  ZUS: ' \
  "$T/bin/issue_zla" "$url" "$sim/tls-ca.pem" "$fx/doctor.pfx" "$zla" 2026-12-01
# The wrong CA for the server: a transport error, status 2.
run_example "issue_zla (an untrusted server)" 2 '^login: TlsCertificateUntrusted: ' \
  "$T/bin/issue_zla" "$url" "$fx/ca.pem" "$sim/anna.pfx" "$zla" 2026-12-01
# Every other call of the client (examples/c/zus_lookups.c): a callback signer, a resumed
# session, each look-up, ZUS's findings in the error, the journaled send, documents and
# receipts, a cancellation; each step's line is checked against the simulator's seed.
for mode in plain valgrind asan; do
  case "$mode" in
    plain) pre=(); sfx= ;;
    valgrind) pre=("${VALGRIND[@]}"); sfx= ;;
    asan) pre=(); sfx=_asan ;;
  esac
  out="$("${pre[@]}" "$T/bin/zus_lookups$sfx" "$url" "$sim/tls-ca.pem" "$sim/anna.pfx" \
    44051401359 "$zla" 2026-12-01 2>&1)" || {
    printf '%s\n' "$out" >&2
    echo "zus_lookups ($mode) failed" >&2
    exit 1
  }
  for want in \
    '^doctor \(resumed session\): imie=Anna nazwisko=Nowak pesel=02271409867 numer_prawa_wykonywania_zawodu=5425740' \
    '^place of work: nazwa=Przychodnia Testowa nip=5260250274 ' \
    '^may issue on 2026-12-01: yes$' \
    '^patient: imie=Jan nazwisko=Kowalski data_urodzenia=1944-05-14 ' \
    '^payer: nazwa=Firma Testowa sp\. z o\.o\. nip=1234563218 platnik_istnieje=true' \
    '^family member: imie=Zofia nazwisko=Kowalska data_urodzenia=2016-10-01$' \
    '^letter codes: A=(true|false) D=(true|false)$' \
    '^dictionary cancellation: 9 entries, first U$' \
    '^dictionary kinship: [1-9][0-9]* entries' \
    '^reserved ZY[0-9]{7} \(ORYGINAL [0-9]+, KOPIA [0-9]+\)$' \
    '^refused: BLAD 186 \(template\) at /KEDU/ZUSZLA/I/p1$' \
    '^ZUS keeps ZY[0-9]{7}: the bytes as signed$' \
    '^receipt of ZY[0-9]{7}: the one the send returned$' \
    '^sent again: 2 receipt\(s\), from the journal$' \
    '^cancelled ZY[0-9]{7}: UPP [0-9]+ bytes$' \
    '^zus_lookups: every step answered$'; do
    grep -Eq "$want" <<<"$out" || {
      printf '%s\n' "$out" >&2
      echo "zus_lookups ($mode): no line matching $want" >&2
      exit 1
    }
  done
  echo "  zus_lookups ($mode): $(wc -l <<<"$out") steps, each as expected"
done

echo "== C test suite under valgrind"
for job in "static:$vg_static" "dynamic:$vg_dynamic"; do
  label="${job%%:*}"
  if ! wait "${job#*:}"; then
    cat "$T/valgrind-$label.log" >&2
    echo "C test suite under valgrind ($label) failed" >&2
    exit 1
  fi
  run_suite "valgrind $label" tail -n 1 "$T/valgrind-$label.log"
done
kill "$sim_pid"
wait "$sim_pid" 2>/dev/null || true
trap - EXIT

echo "(test-c.sh took $((SECONDS - start)) s)"
echo "c: $suite_count passed, 0 failed"
