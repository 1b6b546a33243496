#!/usr/bin/env bash
# The main job: builds the ezla command and walks through what it does.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/fixtures.sh
scripts/setup-debian.sh
cargo build --release --locked -p ezla-cli -p ezla-sim
EZLA=target/release/ezla
EZLA_SIM=target/release/ezla-sim
OUT=demo-out
rm -rf "$OUT"; mkdir -p "$OUT"
"$EZLA" --version

# Passwords never go on the command line: the demo passes them in an environment variable.
export EZLA_PFX_PASSWORD='demo-password-1234'

echo
echo "== A test CA (TEST ONLY: nobody trusts it) and a doctor's .pfx shaped like a ZUS certificate"
"$EZLA" cert test-ca --out "$OUT/ca"
"$EZLA" cert test-doctor --ca "$OUT/ca" --given-name Jan --surname Kowalski \
  --pesel 44051401359 --email jan.kowalski@example.com \
  -o "$OUT/doctor.pfx" --password-env EZLA_PFX_PASSWORD

echo
echo "== ezla cert info"
"$EZLA" cert info "$OUT/doctor.pfx" --password-env EZLA_PFX_PASSWORD

echo
echo "== ezla cert check (exit status 0: valid)"
"$EZLA" cert check "$OUT/doctor.pfx" --password-env EZLA_PFX_PASSWORD

echo
echo "== A certificate issued five years ago less 20 days: in the ZUS renewal window"
"$EZLA" cert test-doctor --ca "$OUT/ca" --given-name Anna --surname Nowak \
  --pesel 02271409867 --not-before "$(date -u -d '-5 years +20 days' +%F)" \
  -o "$OUT/anna.pfx" --password-env EZLA_PFX_PASSWORD
status=0
"$EZLA" cert check "$OUT/doctor.pfx" "$OUT/anna.pfx" --password-env EZLA_PFX_PASSWORD || status=$?
echo "exit status $status (1: a certificate is in the renewal window or expiring)"
"$EZLA" cert check "$OUT/anna.pfx" --password-env EZLA_PFX_PASSWORD --json || true

echo
echo "== A request, issued by the test CA, bundled into a .pfx; a legacy copy converted back"
"$EZLA" cert csr --key-type p256 --given-name Jan --surname Kowalski --pesel 44051401359 \
  -o "$OUT/jan.csr" --key-out "$OUT/jan.key" --password-env EZLA_PFX_PASSWORD
"$EZLA" cert test-issue --ca "$OUT/ca" --csr "$OUT/jan.csr" -o "$OUT/jan.crt"
"$EZLA" cert bundle --key "$OUT/jan.key" --cert "$OUT/jan.crt" -o "$OUT/jan.pfx" \
  --password-env EZLA_PFX_PASSWORD
legacy_pfx "$OUT/jan.pfx" "$OUT/jan-legacy.pfx" EZLA_PFX_PASSWORD
"$EZLA" cert convert "$OUT/jan-legacy.pfx" -o "$OUT/jan-modern.pfx" --password-env EZLA_PFX_PASSWORD
"$EZLA" cert info "$OUT/jan-modern.pfx" --password-env EZLA_PFX_PASSWORD | head -n 3

echo
echo "== An e-ZLA from the clinic's data (JSON): validated, then written as ORYGINAŁ and KOPIA"
# The example input with today's dates, so that the demo never needs a backdating justification.
sed -e "s/2026-11-28/$(date -u +%F)/" -e "s/2026-12-06/$(date -u -d '+8 days' +%F)/" \
  -e "s/2026-12-01/$(date -u +%F)/" crates/ezla-cli/examples/zla.json > "$OUT/zla.json"
"$EZLA" kedu new "$OUT/zla.json" -o "$OUT"
"$EZLA" kedu check "$OUT/zla.oryginal.xml"
"$EZLA" kedu check "$OUT/zla.kopia.xml"
icd10="$(sed -n 's/.*"kod_choroby": "\([A-Z0-9]*\)".*/\1/p' "$OUT/zla.json")"
echo "-- the ICD-10 code $icd10 is in the ORYGINAŁ ($(grep -c ">$icd10<" "$OUT/zla.oryginal.xml") time) and never in the payer's KOPIA ($(grep -c ">$icd10<" "$OUT/zla.kopia.xml" || true) times)"
echo
echo "== The same data with a mistyped PESEL and an impossible period: every problem at once, nothing written"
sed -e 's/"44051401359"/"44051401358"/' \
  -e "s/\"do\": \"$(date -u -d '+8 days' +%F)\"/\"do\": \"$(date -u -d '-30 days' +%F)\"/" \
  "$OUT/zla.json" > "$OUT/zla-bad.json"
mkdir -p "$OUT/bad"
status=0
"$EZLA" kedu new "$OUT/zla-bad.json" -o "$OUT/bad" || status=$?
echo "exit status $status"

echo
echo "== Sign the ORYGINAŁ and the KOPIA with the doctor's .pfx (XAdES-BES, profile zus); verify strictly"
for w in oryginal kopia; do
  "$EZLA" sign --pfx "$OUT/doctor.pfx" --password-env EZLA_PFX_PASSWORD "$OUT/zla.$w.xml" \
    -o "$OUT/zla.$w.signed.xml"
done
"$EZLA" verify "$OUT/zla.oryginal.signed.xml" --trust "$OUT/ca/ca.crt"
"$EZLA" verify "$OUT/zla.kopia.signed.xml" --trust "$OUT/ca/ca.crt" --json
echo
echo "== The signed ORYGINAŁ with the patient's surname changed: verification fails (exit status 1)"
sed '0,/Kowalski/s//Kowalska/' "$OUT/zla.oryginal.signed.xml" > "$OUT/zla-tampered.xml"
status=0
"$EZLA" verify "$OUT/zla-tampered.xml" --trust "$OUT/ca/ca.crt" || status=$?
echo "exit status $status"
echo
echo "== Independent check: xmlsec1 verifies ezla's signature with the test CA"
xmlsec1 --verify --id-attr:Id http://uri.etsi.org/01903/v1.3.2#:SignedProperties \
  --trusted-pem "$OUT/ca/ca.crt" "$OUT/zla.oryginal.signed.xml" 2>&1 | grep -E '^(OK|FAIL)|References'

echo
echo "== The main job: the e-ZLA issued to ZUS — here ezla's offline simulator of the ZUS channel, over TLS"
SIM="$OUT/sim"
# The simulator is ZUS's stand-in: its own CA issues the doctor's certificate, as ZUS does.
"$EZLA_SIM" doctor add --state "$SIM" --pesel 02271409867 --given-name Anna --surname Nowak \
  --npwz 5425740 -o "$OUT/anna-zus.pfx" --password-env EZLA_PFX_PASSWORD
sim_args=(--state "$SIM" --tls)
# With the ZUS WSDL the simulator checks every request against it (a contract checker).
wsdl=../shared/vectors/ezla/zus_channel_gabinetowe_zla_2018.wsdl
[ -f "$wsdl" ] && sim_args+=(--wsdl "$wsdl")
rm -f "$SIM/url"
"$EZLA_SIM" serve "${sim_args[@]}" >"$OUT/sim.out" 2>"$OUT/sim.log" &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$SIM/url" ] && break; sleep 0.1; done
cat "$OUT/sim.out"
export EZLA_ZUS_ENDPOINT="$(cat "$SIM/url")"
export EZLA_ZUS_SESSION="$OUT/zus.session" EZLA_ZUS_JOURNAL="$OUT/zus-journal.sqlite"
"$EZLA" zus login --ca "$SIM/tls-ca.pem" --pfx "$OUT/anna-zus.pfx" --password-env EZLA_PFX_PASSWORD
echo "-- issue: ZUS's data for the doctor and the patient, a series/number, the ORYGINAŁ and KOPIA signed,"
echo "   validated and sent under the journal, each receipted (UPP)"
"$EZLA" zus issue --ca "$SIM/tls-ca.pem" "$OUT/zla.json" --pfx "$OUT/anna-zus.pfx" \
  --password-env EZLA_PFX_PASSWORD -o "$OUT/zus"
upp="$(ls "$OUT"/zus/*.oryginal.upp.xml | head -n 1)"
seria_numer="$(basename "$upp" .oryginal.upp.xml)"
echo "-- the receipt for $seria_numer, signed by the simulated ZUS (verified against its CA):"
sed -e 's/<ds:Signature.*//' "$upp"; echo
"$EZLA" verify "$upp" --trust "$SIM/ca/ca.crt" | head -n 2
echo "-- read back from ZUS: the ORYGINAŁ as stored is byte for byte the one signed"
"$EZLA" zus get --ca "$SIM/tls-ca.pem" "$seria_numer" -o "$OUT/zus/$seria_numer.from-zus.xml" >/dev/null
cmp "$OUT/zus/$seria_numer.oryginal.xml" "$OUT/zus/$seria_numer.from-zus.xml" && echo "identical"
echo "-- sent again: the journal knows it is at ZUS, so nothing is sent twice"
"$EZLA" zus send --ca "$SIM/tls-ca.pem" "$OUT/zus/$seria_numer.oryginal.xml" -o "$OUT/zus/again" | head -n 3
"$EZLA" zus logout --ca "$SIM/tls-ca.pem"
kill "$sim_pid"
