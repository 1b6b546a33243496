/* Sign any file (the PDF printout of an e-ZLA, an attachment) with the doctor's .pfx as a
 * detached CAdES signature (.p7s), optionally time-stamped by an RFC 3161 TSA (CAdES-T),
 * then verify it against the CA and print what it says.
 *
 *   EZLA_PFX_PASSWORD=... cms_sign DOCTOR.pfx CA.pem IN OUT.p7s [TSA_URL TSA_CA.pem [TLS_CA.pem]]
 *
 * `openssl cms -verify -binary -inform DER -in OUT.p7s -content IN -CAfile CA.pem` accepts
 * the result. Exit status: 0 signed and verified (and, with a TSA, stamped by a TSA that
 * chains to TSA_CA.pem), 1 the signature or the stamp is refused, 2 otherwise (unreadable
 * files, a wrong password, the network), 64 usage. */
#define _POSIX_C_SOURCE 200809L /* gmtime_r */
#include <ezla.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  unsigned char *data = NULL;
  long size = -1;
  if (f != NULL && fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
      fseek(f, 0, SEEK_SET) == 0)
    data = malloc(size > 0 ? (size_t)size : 1);
  *len = data != NULL ? fread(data, 1, (size_t)size, f) : 0;
  if (f != NULL) fclose(f);
  return data;
}

/* Unix seconds as RFC 3339 UTC. */
static void format_time(int64_t seconds, char *out, size_t n) {
  time_t t = (time_t)seconds;
  struct tm tm;
  if (gmtime_r(&t, &tm) == NULL || strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    snprintf(out, n, "%lld (Unix seconds)", (long long)seconds);
}

int main(int argc, char **argv) {
  if (argc != 5 && argc != 7 && argc != 8) {
    fprintf(stderr,
            "usage: EZLA_PFX_PASSWORD=... %s DOCTOR.pfx CA.pem IN OUT.p7s "
            "[TSA_URL TSA_CA.pem [TLS_CA.pem]]\n",
            argv[0]);
    return 64;
  }
  const char *tsa_url = argc >= 7 ? argv[5] : NULL;
  size_t ca_len = 0, in_len = 0, tsa_ca_len = 0, tls_len = 0;
  unsigned char *ca = slurp(argv[2], &ca_len), *in = slurp(argv[3], &in_len);
  unsigned char *tsa_ca = tsa_url ? slurp(argv[6], &tsa_ca_len) : NULL;
  unsigned char *tls = argc == 8 ? slurp(argv[7], &tls_len) : NULL;
  ezla_identity *doctor = NULL;
  ezla_private_key *key = NULL;
  ezla_certificate *cert = NULL;
  ezla_signer *signer = NULL;
  ezla_trust_anchors *anchors = NULL, *tsa_trust = NULL;
  ezla_tsa_client *tsa = NULL;
  ezla_buffer p7s = {NULL, 0}, stamped = {NULL, 0};
  ezla_cms_report *report = NULL;
  ezla_error *err = NULL;
  int status = 2;

  ezla_result rc = ca && in && (!tsa_url || tsa_ca) && (argc != 8 || tls) ? EZLA_RESULT_OK
                                                                           : EZLA_RESULT_IO;
  if (rc == EZLA_RESULT_OK)
    rc = ezla_identity_from_pkcs12_file(argv[1], getenv("EZLA_PFX_PASSWORD"), 0, &doctor, &err);
  if (rc == EZLA_RESULT_OK) rc = ezla_identity_private_key(doctor, &key, &err);
  if (rc == EZLA_RESULT_OK) rc = ezla_identity_certificate(doctor, &cert, &err);
  if (rc == EZLA_RESULT_OK) rc = ezla_signer_from_private_key(key, &signer, &err);
  if (rc == EZLA_RESULT_OK) { /* CAdES-BES, SHA-256, detached: the file stays as it is */
    ezla_cms_sign_options options = ezla_cms_sign_options_default();
    options.detached = true;
    rc = ezla_cms_sign(in, in_len, signer, cert, NULL, 0, &options, &p7s, &err);
  }
  if (rc == EZLA_RESULT_OK && tsa_url) {
    rc = ezla_trust_anchors_from_pem(tsa_ca, tsa_ca_len, &tsa_trust, &err);
    if (rc == EZLA_RESULT_OK) {
      ezla_tsa_options options = ezla_tsa_options_default();
      options.trust = tsa_trust;
      options.ca_pem = tls;
      options.ca_pem_len = tls_len;
      rc = ezla_tsa_client_new(tsa_url, &options, &tsa, &err);
    }
    /* The signature time-stamp is an unsigned attribute: no signed byte changes. */
    if (rc == EZLA_RESULT_OK) rc = ezla_cms_add_timestamp(p7s.data, p7s.len, tsa, &stamped, &err);
    if (rc == EZLA_RESULT_OK) {
      ezla_buffer_free(&p7s);
      p7s = stamped;
      stamped.data = NULL;
      stamped.len = 0;
    }
  }
  if (rc == EZLA_RESULT_OK) rc = ezla_trust_anchors_from_pem(ca, ca_len, &anchors, &err);
  if (rc == EZLA_RESULT_OK) /* the chain to the CA, judged now or at a trusted stamp */
    rc = ezla_cms_verify(p7s.data, p7s.len, in, in_len, anchors, tsa_trust, NULL, EZLA_NOW,
                         &report, &err);
  if (rc == EZLA_RESULT_OK) {
    char when[64];
    const char *pesel = ezla_cms_report_pesel(report);
    format_time(ezla_cms_report_signing_time(report), when, sizeof when);
    printf("signed %zu bytes by PESEL %s, claiming %s, %s, trust: %s\n", in_len,
           pesel ? pesel : "none", when, ezla_cms_report_algorithm(report),
           ezla_cms_report_trust(report));
    size_t trusted = 0, n = ezla_cms_report_timestamp_count(report);
    for (size_t i = 0; i < n; i++) {
      if (!ezla_cms_report_timestamp_valid(report, i)) {
        printf("time-stamp %zu does not verify: %s\n", i,
               ezla_cms_report_timestamp_error(report, i));
        continue;
      }
      format_time(ezla_cms_report_timestamp_time(report, i), when, sizeof when);
      printf("time-stamp %zu: %s by %s (trust: %s)\n", i, when,
             ezla_cms_report_timestamp_tsa(report, i), ezla_cms_report_timestamp_trust(report, i));
      trusted += strcmp(ezla_cms_report_timestamp_trust(report, i), "chain") == 0;
    }
    FILE *out = fopen(argv[4], "wb");
    if (out == NULL || fwrite(p7s.data, 1, p7s.len, out) != p7s.len) rc = EZLA_RESULT_IO;
    if (out != NULL && fclose(out) != 0) rc = EZLA_RESULT_IO;
    if (rc == EZLA_RESULT_OK && tsa_url && trusted == 0) {
      printf("cms_sign: no trusted time-stamp\n");
      status = 1;
    } else if (rc == EZLA_RESULT_OK) {
      format_time(ezla_cms_report_judged_at(report), when, sizeof when);
      printf("cms_sign: %zu-byte signature, %zu trusted time-stamp(s), judged at %s\n", p7s.len,
             trusted, when);
      status = 0;
    }
  }
  if (rc != EZLA_RESULT_OK) {
    fprintf(stderr, "%s: %s\n", ezla_result_name(rc),
            err ? ezla_error_message(err) : "cannot read or write a file");
    printf("cms_sign: %s\n", ezla_result_name(rc));
    bool refused = ezla_result_is_signature_error(rc) || ezla_result_is_certificate_error(rc) ||
                   rc == EZLA_RESULT_TIMESTAMP_REJECTED || rc == EZLA_RESULT_TIMESTAMP_MISMATCH ||
                   rc == EZLA_RESULT_TSA_CERTIFICATE_INVALID;
    status = refused ? 1 : 2;
  }
  ezla_error_free(err);
  ezla_cms_report_free(report);
  ezla_buffer_free(&p7s);
  ezla_buffer_free(&stamped);
  ezla_tsa_client_free(tsa);
  ezla_trust_anchors_free(tsa_trust);
  ezla_trust_anchors_free(anchors);
  ezla_signer_free(signer);
  ezla_certificate_free(cert);
  ezla_private_key_free(key);
  ezla_identity_free(doctor);
  free(ca);
  free(in);
  free(tsa_ca);
  free(tls);
  return status;
}
