/* Add a signature time-stamp (XAdES-T) from an RFC 3161 time-stamping authority to a signed
 * e-ZLA, verify it and print the stamped time.
 *
 *   timestamp TSA_URL SIGNED.xml OUT.xml TSA_CA.pem [TLS_CA.pem]
 *
 * TSA_CA.pem holds the anchors the TSA's certificate must chain to; TLS_CA.pem, for an https
 * TSA whose server certificate is not from the web PKI (e.g. the simulator's, `ezla-sim serve
 * --tls`, at .../tsa). Exit status: 0 stamped and verified, 1 the TSA refused or its stamp
 * does not verify (another imprint, a TSA that does not chain to TSA_CA.pem), 2 otherwise
 * (unreadable files, the network, TLS). */
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
  if (argc != 5 && argc != 6) {
    fprintf(stderr, "usage: %s TSA_URL SIGNED.xml OUT.xml TSA_CA.pem [TLS_CA.pem]\n", argv[0]);
    return 2;
  }
  size_t xml_len = 0, tsa_ca_len = 0, tls_len = 0;
  unsigned char *xml = slurp(argv[2], &xml_len), *tsa_ca = slurp(argv[4], &tsa_ca_len);
  unsigned char *tls = argc == 6 ? slurp(argv[5], &tls_len) : NULL;
  ezla_trust_anchors *tsa_trust = NULL;
  ezla_tsa_client *tsa = NULL;
  ezla_buffer stamped = {NULL, 0};
  ezla_report *report = NULL;
  ezla_error *err = NULL;
  int status = 2;
  size_t trusted = 0; /* valid time-stamps whose TSA chains to TSA_CA.pem */

  ezla_result rc = xml && tsa_ca && (argc == 5 || tls) ? EZLA_RESULT_OK : EZLA_RESULT_IO;
  if (rc == EZLA_RESULT_OK) rc = ezla_trust_anchors_from_pem(tsa_ca, tsa_ca_len, &tsa_trust, &err);
  if (rc == EZLA_RESULT_OK) { /* SHA-256, the TSA's default policy, its certificate chained */
    ezla_tsa_options options = ezla_tsa_options_default();
    options.trust = tsa_trust;
    options.ca_pem = tls;
    options.ca_pem_len = tls_len;
    options.response_timeout_ms = 30000;
    rc = ezla_tsa_client_new(argv[1], &options, &tsa, &err);
  }
  /* The signature time-stamp goes into the unsigned properties: no signed byte changes. */
  if (rc == EZLA_RESULT_OK) rc = ezla_xades_add_timestamp(xml, xml_len, tsa, &stamped, &err);
  if (rc == EZLA_RESULT_OK) { /* the signature itself is checked as it carries its certificate */
    ezla_verify_options options = ezla_verify_options_default();
    options.tsa_trust = tsa_trust;
    rc = ezla_xades_verify(stamped.data, stamped.len, &options, &report, &err);
  }
  if (rc == EZLA_RESULT_OK) {
    size_t n = ezla_report_timestamp_count(report);
    for (size_t i = 0; i < n; i++) {
      char when[64];
      if (!ezla_report_timestamp_valid(report, i)) {
        printf("time-stamp %zu does not verify: %s\n", i, ezla_report_timestamp_error(report, i));
        continue;
      }
      format_time(ezla_report_timestamp_time(report, i), when, sizeof when);
      printf("time-stamp %zu: %s by %s, serial %s, policy %s (trust: %s)\n", i, when,
             ezla_report_timestamp_tsa(report, i), ezla_report_timestamp_serial(report, i),
             ezla_report_timestamp_policy(report, i), ezla_report_timestamp_trust(report, i));
      trusted += strcmp(ezla_report_timestamp_trust(report, i), "chain") == 0;
    }
    FILE *out = fopen(argv[3], "wb");
    if (out == NULL || fwrite(stamped.data, 1, stamped.len, out) != stamped.len)
      rc = EZLA_RESULT_IO;
    if (out != NULL && fclose(out) != 0) rc = EZLA_RESULT_IO;
  }
  if (rc == EZLA_RESULT_OK && trusted > 0) { /* judged at the earliest trusted stamp */
    char when[64];
    format_time(ezla_report_judged_at(report), when, sizeof when);
    printf("timestamp: %zu trusted time-stamp(s); the signer's certificate judged at %s\n",
           trusted, when);
    status = 0;
  } else if (rc == EZLA_RESULT_OK) {
    printf("timestamp: no trusted time-stamp\n");
    status = 1;
  } else {
    fprintf(stderr, "%s: %s\n", ezla_result_name(rc),
            err ? ezla_error_message(err) : "cannot read the input");
    printf("timestamp: %s\n", ezla_result_name(rc));
    bool refused = rc == EZLA_RESULT_TIMESTAMP_REJECTED || rc == EZLA_RESULT_TIMESTAMP_MISMATCH ||
                   rc == EZLA_RESULT_TSA_CERTIFICATE_INVALID ||
                   ezla_result_is_certificate_error(rc);
    status = refused ? 1 : 2;
  }
  ezla_error_free(err);
  ezla_report_free(report);
  ezla_buffer_free(&stamped);
  ezla_tsa_client_free(tsa);
  ezla_trust_anchors_free(tsa_trust);
  free(xml);
  free(tsa_ca);
  free(tls);
  return status;
}
