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

# Passwords never go on the command line: the demo passes them in an environment variable.
export EZLA_DEMO_PASSWORD='demo-password-1234'

echo
echo "== A test CA (TEST ONLY: nobody trusts it) and a doctor's .pfx shaped like a ZUS certificate"
"$EZLA" cert test-ca --out "$OUT/ca"
"$EZLA" cert test-doctor --ca "$OUT/ca" --given-name Jan --surname Kowalski \
  --pesel 44051401359 --email jan.kowalski@example.com \
  -o "$OUT/doctor.pfx" --password-env EZLA_DEMO_PASSWORD

echo
echo "== ezla cert info"
"$EZLA" cert info "$OUT/doctor.pfx" --password-env EZLA_DEMO_PASSWORD

echo
echo "== ezla cert check (exit status 0: valid)"
"$EZLA" cert check "$OUT/doctor.pfx" --password-env EZLA_DEMO_PASSWORD

echo
echo "== A certificate issued five years ago less 20 days: in the ZUS renewal window"
"$EZLA" cert test-doctor --ca "$OUT/ca" --given-name Anna --surname Nowak \
  --pesel 02271409867 --not-before "$(date -u -d '-5 years +20 days' +%F)" \
  -o "$OUT/anna.pfx" --password-env EZLA_DEMO_PASSWORD
status=0
"$EZLA" cert check "$OUT/doctor.pfx" "$OUT/anna.pfx" --password-env EZLA_DEMO_PASSWORD || status=$?
echo "exit status $status (1: a certificate is in the renewal window or expiring)"
"$EZLA" cert check "$OUT/anna.pfx" --password-env EZLA_DEMO_PASSWORD --json || true

echo
echo "== A request, issued by the test CA, bundled into a .pfx; a legacy copy converted back"
"$EZLA" cert csr --key-type p256 --given-name Jan --surname Kowalski --pesel 44051401359 \
  -o "$OUT/jan.csr" --key-out "$OUT/jan.key" --password-env EZLA_DEMO_PASSWORD
"$EZLA" cert test-issue --ca "$OUT/ca" --csr "$OUT/jan.csr" -o "$OUT/jan.crt"
"$EZLA" cert bundle --key "$OUT/jan.key" --cert "$OUT/jan.crt" -o "$OUT/jan.pfx" \
  --password-env EZLA_DEMO_PASSWORD
openssl pkcs12 -in "$OUT/jan.pfx" -passin env:EZLA_DEMO_PASSWORD -nodes -out "$OUT/jan-all.pem"
openssl pkcs12 -export -legacy -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-RC2-40 -macalg sha1 \
  -in "$OUT/jan-all.pem" -passout env:EZLA_DEMO_PASSWORD -out "$OUT/jan-legacy.pfx"
rm "$OUT/jan-all.pem"
"$EZLA" cert convert "$OUT/jan-legacy.pfx" -o "$OUT/jan-modern.pfx" --password-env EZLA_DEMO_PASSWORD
"$EZLA" cert info "$OUT/jan-modern.pfx" --password-env EZLA_DEMO_PASSWORD | head -n 3

echo
echo "== Sign an e-ZLA with the doctor's .pfx (XAdES-BES, profile zus) and verify it strictly"
SAMPLE=../shared/vectors/ezla/ked_zla_unsigned_oryginal_medfile.xml
if [ -f "$OUT/zla-oryginal.xml" ]; then
  DOC="$OUT/zla-oryginal.xml"
elif [ -f "$SAMPLE" ]; then
  DOC="$SAMPLE"
else
  echo "note: no e-ZLA document at hand ($SAMPLE missing); signing the login statement only"
  DOC=""
fi
if [ -n "$DOC" ]; then
  "$EZLA" sign --pfx "$OUT/doctor.pfx" --password-env EZLA_DEMO_PASSWORD "$DOC" -o "$OUT/zla-signed.xml"
  "$EZLA" verify "$OUT/zla-signed.xml" --trust "$OUT/ca/ca.crt"
  echo
  echo "== The same document with one character changed: verification fails (exit status 1)"
  sed 's#<p2>Filip</p2>#<p2>Filipp</p2>#; s#<p3>Jan</p3>#<p3>Janx</p3>#' "$OUT/zla-signed.xml" > "$OUT/zla-tampered.xml"
  status=0
  "$EZLA" verify "$OUT/zla-tampered.xml" --trust "$OUT/ca/ca.crt" || status=$?
  echo "exit status $status"
fi

echo
echo "== The ZUS login statement (pobierzOswiadczenie) signed and verified, report as JSON"
printf '<Oswiadczenie><Token>%s</Token></Oswiadczenie>' "$(openssl rand -hex 16)" > "$OUT/oswiadczenie.xml"
"$EZLA" sign --pfx "$OUT/doctor.pfx" --password-env EZLA_DEMO_PASSWORD "$OUT/oswiadczenie.xml" \
  -o "$OUT/oswiadczenie-signed.xml"
"$EZLA" verify "$OUT/oswiadczenie-signed.xml" --trust "$OUT/ca/ca.crt" --json
