#!/usr/bin/env bash
# A new doctor's "certyfikat z ZUS" from application to revocation, against ezla's offline
# simulator (ezla-sim serve: PUE ZUS, login.gov.pl, the ZUS channel, its CA and CRL):
#
#   log in through the simulated login.gov.pl (Profil Zaufany, with curl as the browser)
#   → apply → download the .pfx once → ezla cert info → sign and send an e-ZLA (receipted)
#   → cancel the certificate → ezla verify --crl-fetch reports the revocation, and the
#   ZUS channel refuses the certificate.
#
# Set EZLA_BIN=DIR to use ezla and ezla-sim already built in DIR (the test suite does);
# otherwise the release binaries are built first. Output goes to demo-out/lifecycle
# (EZLA_DEMO_OUT overrides).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${EZLA_BIN:-}" ]; then
  BIN="$EZLA_BIN"
else
  scripts/setup-debian.sh
  cargo build --release --locked -p ezla-cli -p ezla-sim
  BIN=target/release
fi
EZLA="$BIN/ezla"
EZLA_SIM="$BIN/ezla-sim"
OUT="${EZLA_DEMO_OUT:-demo-out/lifecycle}"
rm -rf "$OUT"; mkdir -p "$OUT"
SIM="$OUT/sim"
JAR="$OUT/cookies.txt"
# The certificate password: chosen by the doctor at the application, protecting the .pfx.
# Passwords never go on the command line: here they are in an environment variable.
export EZLA_PFX_PASSWORD='Lekarz-2026!'

echo "== The simulator: PUE ZUS, login.gov.pl and the ZUS channel, over TLS"
"$EZLA_SIM" serve --state "$SIM" --tls >"$OUT/sim.out" 2>"$OUT/sim.log" &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$SIM/url" ] && break; sleep 0.1; done
B="$(sed 's#/ws/.*##' "$SIM/url")"
grep "PUE" "$SIM/../sim.log" || true
curl_() { curl -sS --cacert "$SIM/tls-ca.pem" -c "$JAR" -b "$JAR" "$@"; }

# post_form PAGE [curl args…]: submits the first form of the HTML page PAGE as a browser
# would — its action, its hidden inputs, and the fields given — and prints the answer.
post_form() {
  local page="$1"; shift
  local action name value args=()
  action="$(grep -o '<form[^>]*action="[^"]*"' "$page" | head -n 1 | sed 's/.*action="\([^"]*\)".*/\1/')"
  while IFS= read -r input; do
    name="$(sed 's/.*name="\([^"]*\)".*/\1/' <<<"$input")"
    value="$(sed 's/.*value="\([^"]*\)".*/\1/' <<<"$input")"
    args+=(--data-urlencode "$name=$value")
  done < <(grep -o '<input type="hidden" name="[^"]*" value="[^"]*"' "$page" || true)
  case "$action" in /*) action="$B$action" ;; esac
  curl_ "$action" "${args[@]}" "$@"
}

echo
echo "== Log in to PUE through login.gov.pl as the doctor Anna Nowak (Profil Zaufany lekarz.nowak)"
curl_ -X POST -d '' "$B/pue/login" >"$OUT/1-authn-request.html"
echo "-- PUE's signed AuthnRequest goes to login.gov.pl: $(grep -o 'action="[^"]*"' "$OUT/1-authn-request.html")"
post_form "$OUT/1-authn-request.html" >"$OUT/2-choose-method.html"
pz="$(grep -o '<a id="method-pz" href="[^"]*"' "$OUT/2-choose-method.html" | sed 's/.*href="\([^"]*\)".*/\1/; s/&amp;/\&/g')"
curl_ "$B$pz" >"$OUT/3-profil-zaufany.html"
post_form "$OUT/3-profil-zaufany.html" --data-urlencode login=lekarz.nowak \
  --data-urlencode 'password=Test1234!' >"$OUT/4-back-to-pue.html"
echo "-- login.gov.pl sends the browser back with an artifact: $(grep -o 'action="[^"]*"' "$OUT/4-back-to-pue.html")"
post_form "$OUT/4-back-to-pue.html" -o /dev/null -w '-- PUE resolved the artifact (ezla'"'"'s SAML service provider): HTTP %{http_code}, session opened\n'
curl_ "$B/pue/api/me"; echo

echo
echo "== Apply for the certificate: e-mail, mobile number, the certificate's password"
printf '{"email": "anna.nowak@example.pl", "phone": "+48 512 345 678", "password": "%s", "password2": "%s"}' \
  "$EZLA_PFX_PASSWORD" "$EZLA_PFX_PASSWORD" >"$OUT/application.json"
curl_ -X POST -H 'Content-Type: application/json' --data-binary @"$OUT/application.json" \
  "$B/pue/api/certificates" >"$OUT/issued.json"
rm "$OUT/application.json"
cat "$OUT/issued.json"; echo
serial="$(sed -n 's/.*"serial": *"\([0-9A-F]*\)".*/\1/p' "$OUT/issued.json" | head -n 1)"
echo "-- the simulator's CA generated the key and issued certificate $serial; the notifications:"
"$EZLA_SIM" outbox --state "$SIM"

echo
echo "== Download the .pfx — once — with the certificate's password"
printf '{"password": "%s"}' "$EZLA_PFX_PASSWORD" >"$OUT/download.json"
code="$(curl_ -X POST -H 'Content-Type: application/json' --data-binary @"$OUT/download.json" \
  -o "$OUT/anna.pfx" -w '%{http_code}' "$B/pue/api/certificates/$serial/download")"
echo "-- HTTP $code, $(wc -c <"$OUT/anna.pfx") bytes written to $OUT/anna.pfx"
echo "-- a second download is refused:"
curl_ -X POST -H 'Content-Type: application/json' --data-binary @"$OUT/download.json" \
  -w '\n(HTTP %{http_code})\n' "$B/pue/api/certificates/$serial/download"
rm "$OUT/download.json"

echo
echo "== ezla cert info: the certificate as ZUS shaped it (PESEL in the subject, five years, the CRL URL)"
"$EZLA" cert info "$OUT/anna.pfx" --password-env EZLA_PFX_PASSWORD
"$EZLA" cert check "$OUT/anna.pfx" --password-env EZLA_PFX_PASSWORD --crl-fetch --crl-ca "$SIM/tls-ca.pem"

echo
echo "== Sign and send an e-ZLA with it: login, issue (ORYGINAŁ and KOPIA signed, sent, receipted)"
sed -e "s/2026-11-28/$(date -u +%F)/" -e "s/2026-12-06/$(date -u -d '+8 days' +%F)/" \
  -e "s/2026-12-01/$(date -u +%F)/" crates/ezla-cli/examples/zla.json >"$OUT/zla.json"
export EZLA_ZUS_ENDPOINT="$(cat "$SIM/url")"
export EZLA_ZUS_SESSION="$OUT/zus.session" EZLA_ZUS_JOURNAL="$OUT/zus-journal.sqlite"
"$EZLA" zus login --ca "$SIM/tls-ca.pem" --pfx "$OUT/anna.pfx" --password-env EZLA_PFX_PASSWORD
"$EZLA" zus issue --ca "$SIM/tls-ca.pem" "$OUT/zla.json" --pfx "$OUT/anna.pfx" \
  --password-env EZLA_PFX_PASSWORD -o "$OUT/zus" | tail -n 3
"$EZLA" zus logout --ca "$SIM/tls-ca.pem"
signed="$(ls "$OUT"/zus/*.oryginal.xml | grep -v upp | head -n 1)"
echo "-- verified with revocation checking: the CRL fetched from the certificate's distribution point"
"$EZLA" verify "$signed" --trust "$SIM/ca/ca.crt" --crl-fetch --crl-ca "$SIM/tls-ca.pem" |
  grep -E '^VALID|signer:|revocation:'

echo
echo "== The laptop with the .pfx is stolen: the doctor cancels the certificate on PUE at once"
curl_ -X POST -H 'Content-Type: application/json' -d '{"reason": "keyCompromise"}' \
  "$B/pue/api/certificates/$serial/cancel"; echo
echo "-- the simulator's CRL lists it (openssl's reading):"
"$EZLA_SIM" crl --state "$SIM" -o "$OUT/zus-sim.crl"
openssl crl -inform DER -in "$OUT/zus-sim.crl" -noout -text | grep -A4 "Serial Number: $serial" || true

echo
echo "== The next verification with --crl-fetch reports the revocation (exit status 1)"
status=0
"$EZLA" verify "$signed" --trust "$SIM/ca/ca.crt" --crl-fetch --crl-ca "$SIM/tls-ca.pem" || status=$?
echo "exit status $status"
status=0
"$EZLA" cert check "$OUT/anna.pfx" --password-env EZLA_PFX_PASSWORD --crl-fetch \
  --crl-ca "$SIM/tls-ca.pem" || status=$?
echo "cert check exit status $status (2: CRITICAL)"
echo "-- and the ZUS channel refuses the cancelled certificate:"
status=0
"$EZLA" zus login --ca "$SIM/tls-ca.pem" --pfx "$OUT/anna.pfx" --password-env EZLA_PFX_PASSWORD || status=$?
echo "exit status $status"
kill "$sim_pid"
