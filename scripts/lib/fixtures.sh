# Test fixtures shared by scripts/demo.sh and scripts/test-c.sh (sourced, not run).

# legacy_pfx MODERN.pfx LEGACY.pfx PASSWORD_VAR
#
# Writes LEGACY.pfx: the key and certificates of MODERN.pfx in the legacy format older ZUS
# files have (certificates under RC2-40, key under 3DES, SHA-1 MAC), made by openssl with
# the same password. The password is read from the environment variable named PASSWORD_VAR,
# never from the command line. The unencrypted PEM in between is removed.
legacy_pfx() {
  local modern="$1" legacy="$2" var="$3"
  local pem="${legacy%.*}-all.pem"
  openssl pkcs12 -in "$modern" -passin "env:$var" -nodes -out "$pem"
  openssl pkcs12 -export -legacy -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-RC2-40 -macalg sha1 \
    -in "$pem" -passout "env:$var" -out "$legacy"
  rm "$pem"
}
