#!/usr/bin/env bash
# Creates SoftHSM2 test tokens in DIR (a fresh directory): DIR/softhsm2.conf (point
# SOFTHSM2_CONF at it), keys made by openssl and imported with pkcs11-tool, and their
# certificates as PEM beside them. Used by the PKCS#11 tests of the Rust, CLI, C and Python
# suites and by the benchmarks.
#
#   token "ezla-test" (user PIN 1234, SO PIN 12345678):
#     rsa    id 01  RSA-2048 key + certificate (DIR/rsa.crt.pem)
#     ec     id 02  P-256 key (CKA_DERIVE set) + certificate (DIR/ec.crt.pem)
#     nocert id 03  RSA-2048 key, no certificate
#     aa     id 04  RSA-2048 key marked CKA_ALWAYS_AUTHENTICATE + certificate (DIR/aa.crt.pem)
#   token "ezla-gone" (user PIN 1234): rsa id 01 + certificate, for removal tests
#
# The module path is printed on stdout (SOFTHSM2_MODULE overrides the Debian default).
set -euo pipefail
dir="$1"
module="${SOFTHSM2_MODULE:-/usr/lib/softhsm/libsofthsm2.so}"
mkdir -p "$dir/tokens"
cat >"$dir/softhsm2.conf" <<CONF
directories.tokendir = $dir/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
CONF
export SOFTHSM2_CONF="$dir/softhsm2.conf"
cd "$dir"
subject="/CN=Theo Kania/serialNumber=PNOPL-68071892605/O=ezla pkcs11 test/C=PL"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key.pem 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key.pem 2>/dev/null
for k in rsa ec; do
  openssl pkcs8 -topk8 -nocrypt -in "$k.key.pem" -outform DER -out "$k.p8"
  openssl req -new -x509 -days 30 -subj "$subject" -key "$k.key.pem" -out "$k.crt.pem" 2>/dev/null
  openssl x509 -in "$k.crt.pem" -outform DER -out "$k.crt.der"
done
cp rsa.crt.pem aa.crt.pem
p11() { pkcs11-tool --module "$module" --login --pin 1234 "$@" >/dev/null; }
for label in ezla-test ezla-gone; do
  softhsm2-util --init-token --free --label "$label" --so-pin 12345678 --pin 1234 >/dev/null
done
t=(--token-label ezla-test)
p11 "${t[@]}" --write-object rsa.p8 --type privkey --label rsa --id 01 --usage-sign
p11 "${t[@]}" --write-object rsa.crt.der --type cert --label rsa --id 01
p11 "${t[@]}" --write-object ec.p8 --type privkey --label ec --id 02 --usage-sign --usage-derive
p11 "${t[@]}" --write-object ec.crt.der --type cert --label ec --id 02
p11 "${t[@]}" --write-object rsa.p8 --type privkey --label nocert --id 03 --usage-sign
p11 "${t[@]}" --write-object rsa.p8 --type privkey --label aa --id 04 --usage-sign --always-auth
p11 "${t[@]}" --write-object rsa.crt.der --type cert --label aa --id 04
g=(--token-label ezla-gone)
p11 "${g[@]}" --write-object rsa.p8 --type privkey --label rsa --id 01 --usage-sign
p11 "${g[@]}" --write-object rsa.crt.der --type cert --label rsa --id 01
echo "$module"
