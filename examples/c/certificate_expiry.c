/*
 * Open a doctor's .pfx and print where its certificate stands against the ZUS expiry
 * policy (valid 5 years; renewal from 28 days before expiry; warning from 14 days).
 *
 *   EZLA_PFX_PASSWORD=... certificate_expiry doctor.pfx
 *
 * The password comes from the environment, never from the command line (which other users
 * of the machine can see). Exit status: 0 valid, 1 renewal window or expiring, 2 otherwise.
 */
#define _POSIX_C_SOURCE 200809L /* gmtime_r */
#include "ezla.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void print_time(const char *label, int64_t t) {
  time_t tt = (time_t)t;
  struct tm tm_utc;
  char text[32] = "?";
  if (gmtime_r(&tt, &tm_utc) != NULL) strftime(text, sizeof text, "%Y-%m-%d %H:%M:%SZ", &tm_utc);
  printf("  %-14s %s\n", label, text);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: EZLA_PFX_PASSWORD=... %s FILE.pfx\n", argv[0]);
    return 2;
  }
  const char *password = getenv("EZLA_PFX_PASSWORD"); /* NULL: a file without a password */
  ezla_identity *id = NULL;
  ezla_certificate *cert = NULL;
  ezla_error *err = NULL;
  ezla_expiry expiry;
  int status = 2;

  ezla_result rc = ezla_identity_from_pkcs12_file(argv[1], password, 0, &id, &err);
  if (rc != EZLA_RESULT_OK) {
    fprintf(stderr, "%s: %s (%s)\n", argv[1], ezla_error_message(err), ezla_result_name(rc));
    ezla_error_free(err);
    printf("certificate_expiry: 0 passed, 1 failed\n");
    return 2;
  }
  rc = ezla_identity_certificate(id, &cert, NULL);
  if (rc == EZLA_RESULT_OK) rc = ezla_certificate_expiry(cert, EZLA_NOW, NULL, &expiry, &err);
  if (rc != EZLA_RESULT_OK) {
    fprintf(stderr, "%s: %s\n", argv[1], err ? ezla_error_message(err) : ezla_result_name(rc));
    ezla_error_free(err);
  } else {
    const char *pesel = ezla_certificate_pesel(cert);
    printf("%s\n", argv[1]);
    printf("  %-14s %s\n", "subject", ezla_certificate_subject(cert));
    printf("  %-14s %s\n", "PESEL", pesel ? pesel : "(none)");
    printf("  %-14s %s-%zu\n", "key", ezla_certificate_key_algorithm(cert),
           ezla_certificate_key_bits(cert));
    print_time("valid from", ezla_certificate_not_before(cert));
    print_time("valid until", expiry.not_after);
    print_time("renewal opens", expiry.renewal_opens);
    printf("  %-14s %s, %lld days left\n", "status", ezla_expiry_state_name(expiry.state),
           (long long)expiry.days_left);
    status = expiry.state == EZLA_EXPIRY_STATE_VALID                                      ? 0
             : (expiry.state == EZLA_EXPIRY_STATE_RENEWAL_WINDOW ||
                expiry.state == EZLA_EXPIRY_STATE_EXPIRING) ? 1
                                                            : 2;
  }
  ezla_certificate_free(cert);
  ezla_identity_free(id);
  printf("certificate_expiry: %d passed, %d failed\n", rc == EZLA_RESULT_OK, rc != EZLA_RESULT_OK);
  return status;
}
