/*
 * The C test suite of libezla: every exported function, its error paths and its NULL
 * arguments. Prints "N passed, N failed" and exits non-zero on any failure.
 *
 *   ezla_test [FIXTURE_DIR [SIM_DIR]]
 *
 * With FIXTURE_DIR, also writes the fixtures the C examples use there: doctor.pfx (valid),
 * renewal.pfx (in the ZUS renewal window), expired.pfx, and ca.pem, all protected with the
 * password in $EZLA_PFX_PASSWORD (default "test-password") and 1000 PBKDF2 iterations (cheap
 * under valgrind; never use so few for real files).
 *
 * With SIM_DIR, the state directory of a running `ezla-sim serve --tls`, also tests the
 * RFC 3161 time-stamps against the simulator's TSA (and writes the tokens and stamped
 * signatures that scripts/test-c.sh has openssl and xmlsec1 judge to FIXTURE_DIR).
 */
#define _POSIX_C_SOURCE 200809L
#include "ezla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <threads.h>
#include <time.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

static int passed;
static int failed;

#define CHECK(cond)                                                                    \
  do {                                                                                 \
    if (cond) {                                                                        \
      passed++;                                                                        \
    } else {                                                                           \
      failed++;                                                                        \
      fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond);               \
    }                                                                                  \
  } while (0)

#define CHECK_RC(expr, want)                                                           \
  do {                                                                                 \
    ezla_result rc_ = (expr);                                                          \
    if (rc_ == (ezla_result)(want)) {                                                  \
      passed++;                                                                        \
    } else {                                                                           \
      failed++;                                                                        \
      fprintf(stderr, "%s:%d: %s returned %u (%s), want %u (%s)\n", __FILE__, __LINE__, \
              #expr, (unsigned)rc_, ezla_result_name(rc_), (unsigned)(want),           \
              ezla_result_name(want));                                                 \
    }                                                                                  \
  } while (0)

#define CHECK_STR(got, want)                                                           \
  do {                                                                                 \
    const char *g_ = (got);                                                            \
    if (g_ != NULL && strcmp(g_, (want)) == 0) {                                       \
      passed++;                                                                        \
    } else {                                                                           \
      failed++;                                                                        \
      fprintf(stderr, "%s:%d: %s is \"%s\", want \"%s\"\n", __FILE__, __LINE__, #got,  \
              g_ ? g_ : "(NULL)", (want));                                             \
    }                                                                                  \
  } while (0)

#define CHECK_CONTAINS(got, needle)                                                    \
  do {                                                                                 \
    const char *g_ = (got);                                                            \
    if (g_ != NULL && strstr(g_, (needle)) != NULL) {                                  \
      passed++;                                                                        \
    } else {                                                                           \
      failed++;                                                                        \
      fprintf(stderr, "%s:%d: %s is \"%s\", want it to contain \"%s\"\n", __FILE__,    \
              __LINE__, #got, g_ ? g_ : "(NULL)", (needle));                           \
    }                                                                                  \
  } while (0)

/* Aborts the suite when a step that later tests depend on fails. */
#define REQUIRE_OK(expr)                                                               \
  do {                                                                                 \
    ezla_error *e_ = NULL;                                                             \
    ezla_result rc_ = (expr);                                                          \
    (void)e_;                                                                          \
    if (rc_ != EZLA_RESULT_OK) {                                                       \
      fprintf(stderr, "%s:%d: %s failed: %u (%s)\n", __FILE__, __LINE__, #expr,        \
              (unsigned)rc_, ezla_result_name(rc_));                                   \
      failed++;                                                                        \
      printf("%d passed, %d failed\n", passed, failed);                                \
      exit(1);                                                                         \
    }                                                                                  \
    passed++;                                                                          \
  } while (0)

#define DAY 86400LL
#define PASSWORD "test-password"
#define PESEL "44051401359"
#define ITER 1000u

static const char DOC[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<KEDU xmlns=\"http://www.zus.pl/2015/KED_ZLA_1\" wersja_schematu=\"1\">\n"
    "  <ZUSZLA id_dokumentu=\"1\"><I><p2>ORYGINA\xc5\x81</p2></I></ZUSZLA>\n"
    "</KEDU>\n";
static const char BAD_UTF8[] = {'a', (char)0xff, 'b', 0};

static const char *password(void) {
  const char *p = getenv("EZLA_PFX_PASSWORD");
  return p && *p ? p : PASSWORD;
}

static bool starts_with(const uint8_t *data, size_t len, const char *prefix) {
  size_t n = strlen(prefix);
  return data != NULL && len >= n && memcmp(data, prefix, n) == 0;
}

static bool buffer_contains(const ezla_buffer *b, const char *needle) {
  size_t n = strlen(needle);
  if (b->data == NULL || b->len < n) return false;
  for (size_t i = 0; i + n <= b->len; i++) {
    if (memcmp(b->data + i, needle, n) == 0) return true;
  }
  return false;
}

static int write_file(const char *dir, const char *name, const uint8_t *data, size_t len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (f == NULL) return -1;
  size_t n = fwrite(data, 1, len, f);
  int rc = fclose(f);
  return n == len && rc == 0 ? 0 : -1;
}

/* ---------------------------------------------------------------------------------------- */

static void test_version(void) {
  char want[64];
  snprintf(want, sizeof want, "%d.%d.%d", EZLA_VERSION_MAJOR, EZLA_VERSION_MINOR,
           EZLA_VERSION_PATCH);
  CHECK_STR(ezla_version(), want);
  CHECK(EZLA_VERSION_NUMBER ==
        ((EZLA_VERSION_MAJOR << 16) | (EZLA_VERSION_MINOR << 8) | EZLA_VERSION_PATCH));
}

static void test_results(void) {
  /* The numbers are the core's ErrorCode numbers. */
  CHECK(EZLA_RESULT_OK == 0);
  CHECK(EZLA_RESULT_NULL_PARAMETER == 2);
  CHECK(EZLA_RESULT_BAD_PASSWORD == 200);
  CHECK(EZLA_RESULT_CERTIFICATE_EXPIRED == 300);
  CHECK(EZLA_RESULT_SIGNATURE_INVALID == 400);
  CHECK(EZLA_RESULT_DOCUMENT_INVALID == 500);
  CHECK(EZLA_RESULT_IO == 800);
  CHECK(EZLA_RESULT_PANIC == 901);
  CHECK(sizeof(ezla_result) == 4);

  CHECK_STR(ezla_result_name(0), "Ok");
  CHECK_STR(ezla_result_name(EZLA_RESULT_BAD_PASSWORD), "BadPassword");
  CHECK_STR(ezla_result_name(EZLA_RESULT_DIGEST_MISMATCH), "DigestMismatch");
  CHECK_STR(ezla_result_name(7777), "Unknown");
  CHECK_STR(ezla_result_description(0), "success");
  CHECK(strlen(ezla_result_description(EZLA_RESULT_BAD_PASSWORD)) > 0);
  CHECK(strcmp(ezla_result_description(EZLA_RESULT_BAD_PASSWORD), "unknown result code") != 0);
  CHECK_STR(ezla_result_description(7777), "unknown result code");
  CHECK(ezla_result_is_certificate_error(EZLA_RESULT_CERTIFICATE_EXPIRED));
  CHECK(ezla_result_is_certificate_error(EZLA_RESULT_CERTIFICATE_KEY_USAGE));
  CHECK(!ezla_result_is_certificate_error(EZLA_RESULT_SIGNATURE_INVALID));
  CHECK(!ezla_result_is_certificate_error(EZLA_RESULT_OK));
  CHECK(ezla_result_is_signature_error(EZLA_RESULT_DIGEST_MISMATCH));
  CHECK(ezla_result_is_signature_error(EZLA_RESULT_ALREADY_SIGNED));
  CHECK(EZLA_RESULT_PKCS12_UNPROTECTED == 209 && EZLA_RESULT_UNSIGNED_CONTENT == 414);
  CHECK(ezla_result_is_signature_error(EZLA_RESULT_UNSIGNED_CONTENT));
  CHECK_STR(ezla_result_name(EZLA_RESULT_PKCS12_UNPROTECTED), "Pkcs12Unprotected");
  CHECK(!ezla_result_is_signature_error(EZLA_RESULT_CERTIFICATE_EXPIRED));
  CHECK(!ezla_result_is_signature_error(EZLA_RESULT_DOCUMENT_INVALID));
  CHECK(ezla_result_is_document_error(EZLA_RESULT_DOCUMENT_INVALID));
  CHECK(ezla_result_is_document_error(EZLA_RESULT_DOCUMENT_MALFORMED));
  CHECK(!ezla_result_is_document_error(EZLA_RESULT_SIGNATURE_INVALID));
  CHECK(!ezla_result_is_document_error(EZLA_RESULT_IO));
  CHECK(ezla_result_family(EZLA_RESULT_OK) == EZLA_ERROR_FAMILY_NONE);
  CHECK(ezla_result_family(7777) == EZLA_ERROR_FAMILY_NONE);
  CHECK(ezla_result_family(399) == EZLA_ERROR_FAMILY_NONE);
  CHECK(ezla_result_family(EZLA_RESULT_NULL_PARAMETER) == EZLA_ERROR_FAMILY_USAGE);
  CHECK(ezla_result_family(EZLA_RESULT_XML_DTD_FORBIDDEN) == EZLA_ERROR_FAMILY_FORMAT);
  CHECK(ezla_result_family(EZLA_RESULT_BAD_PASSWORD) == EZLA_ERROR_FAMILY_KEY);
  CHECK(ezla_result_family(EZLA_RESULT_CERTIFICATE_EXPIRED) == EZLA_ERROR_FAMILY_CERTIFICATE);
  CHECK(ezla_result_family(EZLA_RESULT_UNSIGNED_CONTENT) == EZLA_ERROR_FAMILY_SIGNATURE);
  CHECK(ezla_result_family(EZLA_RESULT_DOCUMENT_INVALID) == EZLA_ERROR_FAMILY_DOCUMENT);
  CHECK(ezla_result_family(EZLA_RESULT_IO) == EZLA_ERROR_FAMILY_IO);
  CHECK(ezla_result_family(EZLA_RESULT_PANIC) == EZLA_ERROR_FAMILY_INTERNAL);
}

static void test_errors_and_buffers(void) {
  ezla_error *err = NULL;
  ezla_certificate *cert = NULL;
  /* A detailed error object is written on failure ... */
  CHECK_RC(ezla_certificate_from_bytes(NULL, 5, &cert, &err), EZLA_RESULT_NULL_PARAMETER);
  CHECK(cert == NULL);
  CHECK(err != NULL);
  CHECK_RC(ezla_error_code(err), EZLA_RESULT_NULL_PARAMETER);
  CHECK_CONTAINS(ezla_error_message(err), "data");
  ezla_error_free(err);
  /* ... and not on success. */
  err = NULL;
  CHECK_RC(ezla_certificate_from_bytes((const uint8_t *)"x", 1, &cert, &err),
           EZLA_RESULT_DER_MALFORMED);
  CHECK(err != NULL && ezla_error_code(err) == EZLA_RESULT_DER_MALFORMED);
  CHECK(err != NULL && strlen(ezla_error_message(err)) > 0);
  ezla_error_free(err);
  CHECK_RC(ezla_error_code(NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK(ezla_error_message(NULL) == NULL);
  ezla_error_free(NULL);

  ezla_buffer_free(NULL);
  ezla_buffer empty = {NULL, 0};
  ezla_buffer_free(&empty);
  CHECK(empty.data == NULL && empty.len == 0);
}

/* ---------------------------------------------------------------------------------------- */
/* Fixtures made through the API itself. */

static ezla_test_ca *ca;
static ezla_certificate *ca_cert;
static ezla_identity *doctor;     /* valid, RSA-2048 */
static ezla_identity *renewal;    /* 20 days left: renewal window */
static ezla_identity *expiring;   /* 5 days left: expiring */
static ezla_identity *expired;    /* expired 50 days ago */
static ezla_identity *future;     /* not yet valid */
static ezla_identity *doctor_ec;  /* valid, P-256 */

static void test_test_ca(void) {
  ezla_test_ca *c = NULL;
  ezla_error *err = NULL;
  int64_t now = (int64_t)time(NULL);
  CHECK_RC(ezla_test_ca_new(NULL, EZLA_NOW, 10, &c, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_test_ca_new(BAD_UTF8, EZLA_NOW, 10, &c, NULL), EZLA_RESULT_INVALID_UTF8);
  CHECK_RC(ezla_test_ca_new("x", EZLA_NOW, 0, &c, NULL), EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_test_ca_new("x", INT64_MAX, 10, &c, &err), EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_CONTAINS(ezla_error_message(err), "not_before");
  ezla_error_free(err);
  CHECK_RC(ezla_test_ca_new("x", EZLA_NOW, 10, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK(c == NULL);
  REQUIRE_OK(ezla_test_ca_new("ezla C test CA", now - 1000 * DAY, 3650, &ca, NULL));

  CHECK_RC(ezla_test_ca_certificate(NULL, &ca_cert, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_test_ca_certificate(ca, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  REQUIRE_OK(ezla_test_ca_certificate(ca, &ca_cert, NULL));
  CHECK(ezla_certificate_is_ca(ca_cert));
  CHECK_CONTAINS(ezla_certificate_subject(ca_cert), "CN=ezla C test CA");

  ezla_identity *id = NULL;
  CHECK_RC(ezla_test_ca_issue_doctor(NULL, "Jan", "K", PESEL, EZLA_KEY_TYPE_P256, EZLA_NOW, 0,
                                     &id, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_test_ca_issue_doctor(ca, NULL, "K", PESEL, EZLA_KEY_TYPE_P256, EZLA_NOW, 0, &id,
                                     NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_test_ca_issue_doctor(ca, "Jan", NULL, PESEL, EZLA_KEY_TYPE_P256, EZLA_NOW, 0,
                                     &id, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_test_ca_issue_doctor(ca, "Jan", "K", NULL, EZLA_KEY_TYPE_P256, EZLA_NOW, 0, &id,
                                     NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_test_ca_issue_doctor(ca, "Jan", "K", PESEL, EZLA_KEY_TYPE_P256, EZLA_NOW, 0,
                                     NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_test_ca_issue_doctor(ca, BAD_UTF8, "K", PESEL, EZLA_KEY_TYPE_P256, EZLA_NOW, 0,
                                     &id, NULL),
           EZLA_RESULT_INVALID_UTF8);
  err = NULL;
  CHECK_RC(ezla_test_ca_issue_doctor(ca, "Jan", "K", "44051401358", EZLA_KEY_TYPE_P256,
                                     EZLA_NOW, 0, &id, &err),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK(err != NULL && strlen(ezla_error_message(err)) > 0);
  ezla_error_free(err);
  CHECK_RC(ezla_test_ca_issue_doctor(ca, "Jan", "K", PESEL, 99, EZLA_NOW, 0, &id, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK(id == NULL);

  REQUIRE_OK(ezla_test_ca_issue_doctor(ca, "Jan", "Kowalski", PESEL, EZLA_KEY_TYPE_RSA2048,
                                       now - DAY, 0, &doctor, NULL));
  REQUIRE_OK(ezla_test_ca_issue_doctor(ca, "Anna", "Nowak", "02271409867",
                                       EZLA_KEY_TYPE_P256, now - 100 * DAY, 120, &renewal,
                                       NULL));
  REQUIRE_OK(ezla_test_ca_issue_doctor(ca, "Ewa", "Lis", "02271409867", EZLA_KEY_TYPE_P256,
                                       now - 100 * DAY, 105, &expiring, NULL));
  REQUIRE_OK(ezla_test_ca_issue_doctor(ca, "Piotr", "Wolny", PESEL, EZLA_KEY_TYPE_RSA2048,
                                       now - 100 * DAY, 50, &expired, NULL));
  REQUIRE_OK(ezla_test_ca_issue_doctor(ca, "Olga", "Nowa", PESEL, EZLA_KEY_TYPE_P256,
                                       now + 10 * DAY, 365, &future, NULL));
  REQUIRE_OK(ezla_test_ca_issue_doctor(ca, "Jan", "Kowalski", PESEL, EZLA_KEY_TYPE_P256,
                                       EZLA_NOW, 0, &doctor_ec, NULL));
  ezla_test_ca_free(NULL);
}

/* ---------------------------------------------------------------------------------------- */

static void test_certificate(void) {
  ezla_certificate *cert = NULL, *again = NULL;
  ezla_buffer der = {NULL, 0}, pem = {NULL, 0};
  CHECK_RC(ezla_identity_certificate(NULL, &cert, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_identity_certificate(doctor, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  REQUIRE_OK(ezla_identity_certificate(doctor, &cert, NULL));

  CHECK_CONTAINS(ezla_certificate_subject(cert), "CN=Jan Kowalski");
  CHECK_CONTAINS(ezla_certificate_subject(cert), "PNOPL-" PESEL);
  CHECK_CONTAINS(ezla_certificate_issuer(cert), "CN=ezla C test CA");
  CHECK_STR(ezla_certificate_common_name(cert), "Jan Kowalski");
  CHECK_STR(ezla_certificate_pesel(cert), PESEL);
  CHECK(strlen(ezla_certificate_serial_hex(cert)) > 0);
  CHECK(strlen(ezla_certificate_sha256_fingerprint(cert)) == 64);
  CHECK_STR(ezla_certificate_key_algorithm(cert), "RSA");
  CHECK(ezla_certificate_key_bits(cert) == 2048);
  CHECK(ezla_certificate_not_before(cert) < ezla_certificate_not_after(cert));
  CHECK(ezla_certificate_not_after(cert) - ezla_certificate_not_before(cert) > 4 * 365 * DAY);
  CHECK(!ezla_certificate_is_ca(cert));
  CHECK(ezla_certificate_key_usage(cert) ==
        (EZLA_KEY_USAGE_DIGITAL_SIGNATURE | EZLA_KEY_USAGE_NON_REPUDIATION));
  CHECK(ezla_certificate_key_usage(ca_cert) ==
        (EZLA_KEY_USAGE_KEY_CERT_SIGN | EZLA_KEY_USAGE_CRL_SIGN));
  CHECK(ezla_certificate_pesel(ca_cert) == NULL);

  /* NULL objects: NULL / 0 / false. */
  CHECK(ezla_certificate_subject(NULL) == NULL);
  CHECK(ezla_certificate_issuer(NULL) == NULL);
  CHECK(ezla_certificate_common_name(NULL) == NULL);
  CHECK(ezla_certificate_pesel(NULL) == NULL);
  CHECK(ezla_certificate_serial_hex(NULL) == NULL);
  CHECK(ezla_certificate_sha256_fingerprint(NULL) == NULL);
  CHECK(ezla_certificate_key_algorithm(NULL) == NULL);
  CHECK(ezla_certificate_key_bits(NULL) == 0);
  CHECK(ezla_certificate_not_before(NULL) == 0);
  CHECK(ezla_certificate_not_after(NULL) == 0);
  CHECK(!ezla_certificate_is_ca(NULL));
  CHECK(ezla_certificate_key_usage(NULL) == 0);

  CHECK_RC(ezla_certificate_to_der(NULL, &der, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_certificate_to_der(cert, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_certificate_to_pem(NULL, &pem, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_certificate_to_pem(cert, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK(der.data == NULL && pem.data == NULL);
  CHECK_RC(ezla_certificate_to_der(cert, &der, NULL), EZLA_RESULT_OK);
  CHECK_RC(ezla_certificate_to_pem(cert, &pem, NULL), EZLA_RESULT_OK);
  CHECK(der.len > 500 && der.data[0] == 0x30);
  CHECK(starts_with(pem.data, pem.len, "-----BEGIN CERTIFICATE-----"));

  /* Round trips through DER and PEM. */
  CHECK_RC(ezla_certificate_from_bytes(der.data, der.len, &again, NULL), EZLA_RESULT_OK);
  CHECK_STR(ezla_certificate_sha256_fingerprint(again),
            ezla_certificate_sha256_fingerprint(cert));
  ezla_certificate_free(again);
  again = NULL;
  CHECK_RC(ezla_certificate_from_bytes(pem.data, pem.len, &again, NULL), EZLA_RESULT_OK);
  CHECK_STR(ezla_certificate_subject(again), ezla_certificate_subject(cert));
  ezla_certificate_free(again);
  again = NULL;

  /* Errors. */
  CHECK_RC(ezla_certificate_from_bytes(der.data, der.len, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_certificate_from_bytes(der.data, der.len / 2, &again, NULL),
           EZLA_RESULT_DER_MALFORMED);
  const char bad_pem[] = "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
  ezla_result rc = ezla_certificate_from_bytes((const uint8_t *)bad_pem, sizeof bad_pem - 1,
                                               &again, NULL);
  CHECK(rc == EZLA_RESULT_PEM_MALFORMED || rc == EZLA_RESULT_BASE64_MALFORMED);
  CHECK_RC(ezla_certificate_from_bytes(NULL, 0, &again, NULL), EZLA_RESULT_DER_MALFORMED);
  CHECK(again == NULL);

  ezla_buffer_free(&der);
  CHECK(der.data == NULL && der.len == 0);
  ezla_buffer_free(&der); /* a second free of a reset buffer does nothing */
  ezla_buffer_free(&pem);
  ezla_certificate_free(cert);
  ezla_certificate_free(NULL);
}

static void expiry_of(const ezla_identity *id, int64_t at, const ezla_expiry_policy *policy,
                      ezla_expiry *out) {
  ezla_certificate *cert = NULL;
  memset(out, 0, sizeof *out);
  if (ezla_identity_certificate(id, &cert, NULL) != EZLA_RESULT_OK) {
    failed++;
    return;
  }
  CHECK_RC(ezla_certificate_expiry(cert, at, policy, out, NULL), EZLA_RESULT_OK);
  ezla_certificate_free(cert);
}

static void test_expiry(void) {
  ezla_expiry e;
  int64_t now = (int64_t)time(NULL);
  ezla_expiry_policy zus = ezla_expiry_policy_zus();
  CHECK(zus.renewal_window_days == 28 && zus.warning_days == 14);

  expiry_of(doctor, EZLA_NOW, NULL, &e);
  CHECK(e.state == EZLA_EXPIRY_STATE_VALID && e.usable && e.days_left > 1700);
  CHECK(e.renewal_opens == e.not_after - 28 * DAY);
  expiry_of(renewal, EZLA_NOW, NULL, &e);
  CHECK(e.state == EZLA_EXPIRY_STATE_RENEWAL_WINDOW && e.usable);
  CHECK(e.days_left == 19 || e.days_left == 20);
  expiry_of(expiring, EZLA_NOW, &zus, &e);
  CHECK(e.state == EZLA_EXPIRY_STATE_EXPIRING && e.usable && e.days_left <= 5);
  expiry_of(expired, EZLA_NOW, NULL, &e);
  CHECK(e.state == EZLA_EXPIRY_STATE_EXPIRED && !e.usable && e.days_left < -40);
  expiry_of(future, EZLA_NOW, NULL, &e);
  CHECK(e.state == EZLA_EXPIRY_STATE_NOT_YET_VALID && !e.usable);

  /* An explicit instant and a custom policy. */
  expiry_of(doctor, now + 3 * 365 * DAY, NULL, &e);
  CHECK(e.state == EZLA_EXPIRY_STATE_VALID);
  expiry_of(renewal, EZLA_NOW, &(ezla_expiry_policy){10, 5}, &e);
  CHECK(e.state == EZLA_EXPIRY_STATE_VALID);
  expiry_of(renewal, EZLA_NOW, &(ezla_expiry_policy){60, 30}, &e);
  CHECK(e.state == EZLA_EXPIRY_STATE_EXPIRING);
  expiry_of(doctor, now + 10 * 365 * DAY, NULL, &e);
  CHECK(e.state == EZLA_EXPIRY_STATE_EXPIRED);

  ezla_certificate *cert = NULL;
  ezla_error *err = NULL;
  REQUIRE_OK(ezla_identity_certificate(doctor, &cert, NULL));
  ezla_expiry untouched = {EZLA_EXPIRY_STATE_EXPIRED, 42, 1, 2, false};
  CHECK_RC(ezla_certificate_expiry(NULL, EZLA_NOW, NULL, &untouched, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_certificate_expiry(cert, EZLA_NOW, NULL, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_certificate_expiry(cert, EZLA_NOW, &(ezla_expiry_policy){14, 28}, &untouched,
                                   &err),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_CONTAINS(ezla_error_message(err), "warning_days");
  ezla_error_free(err);
  CHECK_RC(ezla_certificate_expiry(cert, INT64_MAX, NULL, &untouched, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK(untouched.days_left == 42 && untouched.renewal_opens == 1); /* not written */
  ezla_certificate_free(cert);

  CHECK_STR(ezla_expiry_state_name(EZLA_EXPIRY_STATE_NOT_YET_VALID), "not-yet-valid");
  CHECK_STR(ezla_expiry_state_name(EZLA_EXPIRY_STATE_VALID), "valid");
  CHECK_STR(ezla_expiry_state_name(EZLA_EXPIRY_STATE_RENEWAL_WINDOW), "renewal-window");
  CHECK_STR(ezla_expiry_state_name(EZLA_EXPIRY_STATE_EXPIRING), "expiring");
  CHECK_STR(ezla_expiry_state_name(EZLA_EXPIRY_STATE_EXPIRED), "expired");
  CHECK_STR(ezla_expiry_state_name(99), "unknown");
}

/* ---------------------------------------------------------------------------------------- */

static bool str_ends_with(const char *s, const char *suffix) {
  size_t n = s ? strlen(s) : 0, m = strlen(suffix);
  return s != NULL && n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A summary over certificates and .pfx bytes: rows, statuses, errors, the outputs. */
static void test_cert_summary(void) {
  ezla_cert_summary *s = NULL;
  ezla_certificate *c_doctor = NULL, *c_renewal = NULL, *c_expired = NULL, *c = NULL;
  ezla_error *err = NULL;
  REQUIRE_OK(ezla_identity_certificate(doctor, &c_doctor, NULL));
  REQUIRE_OK(ezla_identity_certificate(renewal, &c_renewal, NULL));
  REQUIRE_OK(ezla_identity_certificate(expired, &c_expired, NULL));

  CHECK_RC(ezla_cert_summary_new(EZLA_NOW, NULL, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_cert_summary_new(EZLA_NOW, &(ezla_expiry_policy){14, 28}, &s, &err),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_CONTAINS(ezla_error_message(err), "warning_days");
  ezla_error_free(err);
  err = NULL;
  CHECK_RC(ezla_cert_summary_new(INT64_MAX, NULL, &s, NULL), EZLA_RESULT_INVALID_ARGUMENT);
  CHECK(s == NULL);
  REQUIRE_OK(ezla_cert_summary_new(EZLA_NOW, NULL, &s, NULL));
  CHECK(ezla_cert_summary_count(s) == 0);
  CHECK(ezla_cert_summary_worst(s) == EZLA_MONITOR_STATUS_OK);
  CHECK(ezla_cert_summary_exit_code(s) == 0);

  CHECK_RC(ezla_cert_summary_add_certificate(s, "doctor", c_doctor, NULL), EZLA_RESULT_OK);
  CHECK(ezla_cert_summary_worst(s) == EZLA_MONITOR_STATUS_OK);
  CHECK_RC(ezla_cert_summary_add_certificate(s, "renewal", c_renewal, NULL), EZLA_RESULT_OK);
  CHECK(ezla_cert_summary_worst(s) == EZLA_MONITOR_STATUS_WARNING);
  CHECK(ezla_cert_summary_exit_code(s) == 1);
  ezla_buffer pfx = {NULL, 0};
  REQUIRE_OK(ezla_identity_to_pkcs12(expired, password(), ITER, &pfx, NULL));
  CHECK_RC(ezla_cert_summary_add_bytes(s, "expired.pfx", pfx.data, pfx.len, password(), NULL),
           EZLA_RESULT_OK);
  CHECK(ezla_cert_summary_worst(s) == EZLA_MONITOR_STATUS_CRITICAL);
  /* Unreadable bytes are rows, not errors of the call; CRITICAL still wins over UNKNOWN. */
  CHECK_RC(ezla_cert_summary_add_bytes(s, "wrong.pfx", pfx.data, pfx.len, "wrong", NULL),
           EZLA_RESULT_OK);
  CHECK_RC(ezla_cert_summary_add_bytes(s, "junk", (const uint8_t *)"junk", 4, NULL, NULL),
           EZLA_RESULT_OK);
  ezla_buffer_free(&pfx);
  CHECK(ezla_cert_summary_count(s) == 5);
  CHECK(ezla_cert_summary_worst(s) == EZLA_MONITOR_STATUS_CRITICAL);
  CHECK(ezla_cert_summary_exit_code(s) == 2);

  CHECK_STR(ezla_cert_summary_source(s, 0), "doctor");
  CHECK_STR(ezla_cert_summary_source(s, 4), "junk");
  CHECK(ezla_cert_summary_source(s, 5) == NULL);
  CHECK(ezla_cert_summary_row_status(s, 0) == EZLA_MONITOR_STATUS_OK);
  CHECK(ezla_cert_summary_row_status(s, 1) == EZLA_MONITOR_STATUS_WARNING);
  CHECK(ezla_cert_summary_row_status(s, 2) == EZLA_MONITOR_STATUS_CRITICAL);
  CHECK(ezla_cert_summary_row_status(s, 3) == EZLA_MONITOR_STATUS_UNKNOWN);
  CHECK(ezla_cert_summary_row_status(s, 99) == EZLA_MONITOR_STATUS_UNKNOWN);

  ezla_expiry e = {EZLA_EXPIRY_STATE_VALID, 42, 1, 2, true};
  CHECK_RC(ezla_cert_summary_expiry(s, 1, &e, NULL), EZLA_RESULT_OK);
  CHECK(e.state == EZLA_EXPIRY_STATE_RENEWAL_WINDOW && (e.days_left == 19 || e.days_left == 20));
  CHECK(e.not_after == ezla_certificate_not_after(c_renewal));
  CHECK_RC(ezla_cert_summary_expiry(s, 2, &e, NULL), EZLA_RESULT_OK);
  CHECK(e.state == EZLA_EXPIRY_STATE_EXPIRED && !e.usable && e.days_left < -40);
  /* An unreadable row answers with its own error. */
  e.days_left = 42;
  CHECK_RC(ezla_cert_summary_expiry(s, 3, &e, &err), EZLA_RESULT_BAD_PASSWORD);
  CHECK(ezla_error_code(err) == EZLA_RESULT_BAD_PASSWORD);
  CHECK_CONTAINS(ezla_error_message(err), "password");
  ezla_error_free(err);
  err = NULL;
  CHECK(e.days_left == 42); /* not written */
  CHECK_RC(ezla_cert_summary_expiry(s, 5, &e, NULL), EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_cert_summary_expiry(NULL, 0, &e, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_cert_summary_expiry(s, 0, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);

  CHECK_RC(ezla_cert_summary_certificate(s, 2, &c, NULL), EZLA_RESULT_OK);
  CHECK_STR(ezla_certificate_serial_hex(c), ezla_certificate_serial_hex(c_expired));
  CHECK_STR(ezla_certificate_pesel(c), PESEL);
  ezla_certificate_free(c);
  c = NULL;
  CHECK_RC(ezla_cert_summary_certificate(s, 4, &c, NULL), EZLA_RESULT_UNKNOWN_FORMAT);
  CHECK_RC(ezla_cert_summary_certificate(s, 7, &c, NULL), EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_cert_summary_certificate(s, 0, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_cert_summary_certificate(NULL, 0, &c, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK(c == NULL);

  CHECK(ezla_cert_summary_error(s, 0) == EZLA_RESULT_OK);
  CHECK(ezla_cert_summary_error(s, 3) == EZLA_RESULT_BAD_PASSWORD);
  CHECK(ezla_cert_summary_error(s, 4) == EZLA_RESULT_UNKNOWN_FORMAT);
  CHECK(ezla_cert_summary_error(s, 5) == EZLA_RESULT_INVALID_ARGUMENT);
  CHECK(ezla_cert_summary_error(NULL, 0) == EZLA_RESULT_NULL_PARAMETER);
  CHECK_CONTAINS(ezla_cert_summary_error_message(s, 3), "password");
  CHECK_CONTAINS(ezla_cert_summary_error_message(s, 4), "junk");
  CHECK(ezla_cert_summary_error_message(s, 0) == NULL);
  CHECK(ezla_cert_summary_error_message(s, 9) == NULL);

  ezla_buffer text = {NULL, 0};
  CHECK_RC(ezla_cert_summary_to_prometheus(s, &text, NULL), EZLA_RESULT_OK);
  CHECK(starts_with(text.data, text.len, "# HELP ezla_certificate_days_left "));
  CHECK(buffer_contains(&text, "ezla_certificate_days_left{file=\"renewal\",subject=\"CN="));
  CHECK(buffer_contains(&text, ",pesel=\"" PESEL "\",status=\"expired\"} 1\n"));
  CHECK(buffer_contains(&text, "\nezla_certificate_check_errors 2\n"));
  CHECK(buffer_contains(&text, "\nezla_certificate_check_exit_code 2\n"));
  CHECK(buffer_contains(&text, "ezla_certificate_check_error{file=\"wrong.pfx\",code=\"200\","));
  ezla_buffer_free(&text);
  CHECK_RC(ezla_cert_summary_to_json(s, &text, NULL), EZLA_RESULT_OK);
  CHECK(buffer_contains(&text, "\"exit_status\": 2"));
  CHECK(buffer_contains(&text, "\"name\": \"BadPassword\""));
  CHECK(buffer_contains(&text, "\"status\": \"renewal-window\""));
  ezla_buffer_free(&text);

  /* NULL and bad arguments: nothing is added. */
  CHECK_RC(ezla_cert_summary_add_certificate(NULL, "x", c_doctor, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_cert_summary_add_certificate(s, NULL, c_doctor, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_cert_summary_add_certificate(s, "x", NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_cert_summary_add_certificate(s, BAD_UTF8, c_doctor, NULL),
           EZLA_RESULT_INVALID_UTF8);
  CHECK_RC(ezla_cert_summary_add_bytes(s, "x", NULL, 5, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_cert_summary_add_bytes(s, "x", (const uint8_t *)"a", 1, BAD_UTF8, NULL),
           EZLA_RESULT_INVALID_UTF8);
  CHECK_RC(ezla_cert_summary_add_path(s, NULL, false, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_cert_summary_add_path(NULL, "x", false, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK(ezla_cert_summary_count(s) == 5);
  CHECK_RC(ezla_cert_summary_to_prometheus(s, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_cert_summary_to_prometheus(NULL, &text, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_cert_summary_to_json(NULL, &text, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_cert_summary_to_json(s, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK(text.data == NULL);
  CHECK(ezla_cert_summary_count(NULL) == 0);
  CHECK(ezla_cert_summary_source(NULL, 0) == NULL);
  CHECK(ezla_cert_summary_row_status(NULL, 0) == EZLA_MONITOR_STATUS_UNKNOWN);
  CHECK(ezla_cert_summary_error_message(NULL, 0) == NULL);
  CHECK(ezla_cert_summary_worst(NULL) == EZLA_MONITOR_STATUS_UNKNOWN);
  CHECK(ezla_cert_summary_exit_code(NULL) == 3);

  CHECK_STR(ezla_monitor_status_name(EZLA_MONITOR_STATUS_OK), "OK");
  CHECK_STR(ezla_monitor_status_name(EZLA_MONITOR_STATUS_WARNING), "WARNING");
  CHECK_STR(ezla_monitor_status_name(EZLA_MONITOR_STATUS_CRITICAL), "CRITICAL");
  CHECK_STR(ezla_monitor_status_name(EZLA_MONITOR_STATUS_UNKNOWN), "UNKNOWN");
  CHECK_STR(ezla_monitor_status_name(99), "UNKNOWN");

  ezla_cert_summary_free(s);
  ezla_cert_summary_free(NULL);
  ezla_certificate_free(c_doctor);
  ezla_certificate_free(c_renewal);
  ezla_certificate_free(c_expired);
}

/* A summary over a clinic's directory: name order, subdirectories only when asked,
 * unreadable paths as rows. */
static void test_cert_summary_files(const char *dir) {
  char clinic[4096], sub[4096], empty[4096], missing[4096];
  snprintf(clinic, sizeof clinic, "%s/clinic", dir);
  snprintf(sub, sizeof sub, "%s/clinic/sub", dir);
  snprintf(empty, sizeof empty, "%s/clinic-empty", dir);
  snprintf(missing, sizeof missing, "%s/clinic/missing.pfx", dir);
  mkdir(clinic, 0700);
  mkdir(sub, 0700);
  mkdir(empty, 0700);
  struct {
    const char *name;
    ezla_identity *id;
  } files[] = {{"b.pfx", doctor}, {"a.pfx", renewal}, {"sub/c.pfx", expired}};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    ezla_buffer pfx = {NULL, 0};
    CHECK_RC(ezla_identity_to_pkcs12(files[i].id, password(), ITER, &pfx, NULL), EZLA_RESULT_OK);
    CHECK(write_file(clinic, files[i].name, pfx.data, pfx.len) == 0);
    ezla_buffer_free(&pfx);
  }
  CHECK(write_file(clinic, "notes.txt", (const uint8_t *)"x", 1) == 0);

  ezla_cert_summary *s = NULL;
  REQUIRE_OK(ezla_cert_summary_new(EZLA_NOW, NULL, &s, NULL));
  CHECK_RC(ezla_cert_summary_add_path(s, clinic, false, password(), NULL), EZLA_RESULT_OK);
  CHECK(ezla_cert_summary_count(s) == 2);
  CHECK(str_ends_with(ezla_cert_summary_source(s, 0), "/clinic/a.pfx"));
  CHECK(str_ends_with(ezla_cert_summary_source(s, 1), "/clinic/b.pfx"));
  CHECK(ezla_cert_summary_worst(s) == EZLA_MONITOR_STATUS_WARNING);
  ezla_cert_summary_free(s);
  s = NULL;

  REQUIRE_OK(ezla_cert_summary_new(EZLA_NOW, NULL, &s, NULL));
  CHECK_RC(ezla_cert_summary_add_path(s, clinic, true, password(), NULL), EZLA_RESULT_OK);
  CHECK(ezla_cert_summary_count(s) == 3);
  CHECK(str_ends_with(ezla_cert_summary_source(s, 2), "/clinic/sub/c.pfx"));
  CHECK(ezla_cert_summary_exit_code(s) == 2);
  CHECK_RC(ezla_cert_summary_add_path(s, missing, false, password(), NULL), EZLA_RESULT_OK);
  CHECK_RC(ezla_cert_summary_add_path(s, empty, false, NULL, NULL), EZLA_RESULT_OK);
  CHECK(ezla_cert_summary_count(s) == 5);
  CHECK(ezla_cert_summary_error(s, 3) == EZLA_RESULT_IO);
  CHECK(ezla_cert_summary_error(s, 4) == EZLA_RESULT_NO_CERTIFICATE);
  CHECK_CONTAINS(ezla_cert_summary_error_message(s, 4), "clinic-empty");
  CHECK(ezla_cert_summary_exit_code(s) == 2); /* CRITICAL still wins over UNKNOWN */
  ezla_cert_summary_free(s);
}

/* ---------------------------------------------------------------------------------------- */

/* The length (header and contents) of the DER element at p, its header length in *hdr; 0
 * when it does not fit in avail bytes. */
static size_t der_element(const uint8_t *p, size_t avail, size_t *hdr) {
  if (avail < 2) return 0;
  size_t h = 2, n = p[1];
  if (n & 0x80) {
    size_t k = n & 0x7f;
    if (k == 0 || k > 4 || avail < 2 + k) return 0;
    n = 0;
    for (size_t i = 0; i < k; i++) n = (n << 8) | p[2 + i];
    h += k;
  }
  if (n > avail - h) return 0;
  *hdr = h;
  return h + n;
}

/* A copy of a PFX without its MacData (version and authSafe only), or NULL; free() it. */
static uint8_t *without_mac(const uint8_t *pfx, size_t len, size_t *out_len) {
  size_t outer_hdr = 0, h = 0;
  if (der_element(pfx, len, &outer_hdr) != len) return NULL;
  size_t version = der_element(pfx + outer_hdr, len - outer_hdr, &h);
  if (version == 0) return NULL;
  size_t auth = der_element(pfx + outer_hdr + version, len - outer_hdr - version, &h);
  if (auth == 0) return NULL;
  size_t body = version + auth;
  uint8_t *out = malloc(body + 6);
  if (out == NULL) return NULL;
  size_t n = 0;
  out[n++] = 0x30;
  if (body < 0x80) {
    out[n++] = (uint8_t)body;
  } else if (body < 0x100) {
    out[n++] = 0x81;
    out[n++] = (uint8_t)body;
  } else if (body < 0x10000) {
    out[n++] = 0x82;
    out[n++] = (uint8_t)(body >> 8);
    out[n++] = (uint8_t)body;
  } else {
    free(out);
    return NULL;
  }
  memcpy(out + n, pfx + outer_hdr, body);
  *out_len = n + body;
  return out;
}

/* A .pfx without integrity protection opens only when allowed; inspecting it says so. */
static void test_pkcs12_unprotected(const char *dir, const ezla_buffer *pfx) {
  const char *pw = password();
  ezla_identity *id = NULL;
  ezla_error *err = NULL;
  size_t len = 0;
  uint8_t *nomac = without_mac(pfx->data, pfx->len, &len);
  CHECK(nomac != NULL);
  if (nomac == NULL) return;

  ezla_pkcs12_options o = ezla_pkcs12_options_default();
  CHECK(o.max_iterations == 0 && !o.allow_unprotected);
  CHECK_RC(ezla_identity_from_pkcs12(nomac, len, pw, 0, &id, &err),
           EZLA_RESULT_PKCS12_UNPROTECTED);
  CHECK_CONTAINS(ezla_error_message(err), "no MAC");
  CHECK_CONTAINS(ezla_error_message(err), "allow_unprotected");
  ezla_error_free(err);
  err = NULL;
  CHECK_RC(ezla_identity_from_pkcs12_with_options(nomac, len, pw, NULL, &id, NULL),
           EZLA_RESULT_PKCS12_UNPROTECTED);
  CHECK_RC(ezla_identity_from_pkcs12_with_options(nomac, len, pw, &o, &id, NULL),
           EZLA_RESULT_PKCS12_UNPROTECTED);
  CHECK(id == NULL);
  o.allow_unprotected = true;
  CHECK_RC(ezla_identity_from_pkcs12_with_options(nomac, len, pw, &o, &id, NULL),
           EZLA_RESULT_OK);
  ezla_certificate *c = NULL;
  CHECK_RC(ezla_identity_certificate(id, &c, NULL), EZLA_RESULT_OK);
  CHECK_STR(ezla_certificate_pesel(c), PESEL);
  ezla_certificate_free(c);
  ezla_identity_free(id);
  id = NULL;
  /* Its contents are encrypted, so a wrong password still fails to decrypt. */
  CHECK_RC(ezla_identity_from_pkcs12_with_options(nomac, len, "wrong", &o, &id, NULL),
           EZLA_RESULT_BAD_PASSWORD);
  /* The options' iteration cap applies as before. */
  o.max_iterations = 500;
  CHECK_RC(ezla_identity_from_pkcs12_with_options(nomac, len, pw, &o, &id, NULL),
           EZLA_RESULT_ITERATION_LIMIT_EXCEEDED);
  /* A protected file opens with the default options. */
  CHECK_RC(ezla_identity_from_pkcs12_with_options(pfx->data, pfx->len, pw, NULL, &id, NULL),
           EZLA_RESULT_OK);
  ezla_identity_free(id);
  id = NULL;
  CHECK_RC(ezla_identity_from_pkcs12_with_options(NULL, 10, pw, NULL, &id, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_identity_from_pkcs12_with_options(nomac, len, pw, NULL, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_identity_from_pkcs12_with_options(nomac, len, BAD_UTF8, NULL, &id, NULL),
           EZLA_RESULT_INVALID_UTF8);

  /* Inspecting is not refused, and has_mac says what is missing. */
  ezla_pkcs12_info info;
  memset(&info, 0, sizeof info);
  CHECK_RC(ezla_pkcs12_inspect(nomac, len, pw, 0, &info, NULL), EZLA_RESULT_OK);
  CHECK(!info.has_mac && info.mac_digest == NULL && info.keys == 1);

  /* From a file: refused like the bytes. */
  char path[4096];
  snprintf(path, sizeof path, "%s/c-test-nomac.pfx", dir);
  CHECK(write_file(dir, "c-test-nomac.pfx", nomac, len) == 0);
  CHECK_RC(ezla_identity_from_pkcs12_file(path, pw, 0, &id, NULL),
           EZLA_RESULT_PKCS12_UNPROTECTED);
  CHECK(id == NULL);
  /* The directory also holds the examples' fixtures, which must all open. */
  CHECK(remove(path) == 0);
  free(nomac);
}

static void test_pkcs12(const char *dir) {
  ezla_buffer pfx = {NULL, 0};
  ezla_identity *id = NULL;
  ezla_error *err = NULL;
  const char *pw = password();

  CHECK_RC(ezla_identity_to_pkcs12(NULL, pw, ITER, &pfx, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_identity_to_pkcs12(doctor, NULL, ITER, &pfx, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_identity_to_pkcs12(doctor, pw, ITER, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_identity_to_pkcs12(doctor, BAD_UTF8, ITER, &pfx, NULL), EZLA_RESULT_INVALID_UTF8);
  CHECK_RC(ezla_identity_to_pkcs12(doctor, pw, 999, &pfx, NULL), EZLA_RESULT_INVALID_ARGUMENT);
  CHECK(pfx.data == NULL);
  REQUIRE_OK(ezla_identity_to_pkcs12(doctor, pw, ITER, &pfx, NULL));
  CHECK(pfx.len > 1000 && pfx.data[0] == 0x30);

  /* Open it again. */
  CHECK_RC(ezla_identity_from_pkcs12(pfx.data, pfx.len, pw, 0, &id, NULL), EZLA_RESULT_OK);
  ezla_certificate *c = NULL;
  CHECK_RC(ezla_identity_certificate(id, &c, NULL), EZLA_RESULT_OK);
  CHECK_STR(ezla_certificate_pesel(c), PESEL);
  ezla_certificate_free(c);
  CHECK(ezla_identity_chain_len(id) == 1);
  ezla_identity_free(id);
  id = NULL;

  /* Inspect it: modern, SHA-256 MAC, the iterations asked for, key + certificate + CA. */
  ezla_pkcs12_info info;
  memset(&info, 0, sizeof info);
  CHECK_RC(ezla_pkcs12_inspect(pfx.data, pfx.len, pw, 0, &info, NULL), EZLA_RESULT_OK);
  CHECK(!info.legacy && info.has_mac);
  CHECK_STR(info.mac_digest, "SHA-256");
  CHECK(info.encryptions == 2 && info.max_iterations == ITER);
  CHECK(info.keys == 1 && info.certificates == 2 && info.skipped == 0);
  ezla_pkcs12_info untouched = {true, false, NULL, 7, 7, 7, 7, 7};
  CHECK_RC(ezla_pkcs12_inspect(pfx.data, pfx.len, "wrong", 0, &untouched, NULL),
           EZLA_RESULT_BAD_PASSWORD);
  CHECK_RC(ezla_pkcs12_inspect(pfx.data, pfx.len, pw, 999, &untouched, NULL),
           EZLA_RESULT_ITERATION_LIMIT_EXCEEDED);
  CHECK_RC(ezla_pkcs12_inspect(pfx.data, pfx.len, BAD_UTF8, 0, &untouched, NULL),
           EZLA_RESULT_INVALID_UTF8);
  CHECK_RC(ezla_pkcs12_inspect(NULL, 3, pw, 0, &untouched, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_pkcs12_inspect(pfx.data, pfx.len, pw, 0, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK(untouched.legacy && untouched.keys == 7 && untouched.mac_digest == NULL);

  /* Errors: wrong, absent and non-UTF-8 passwords, corruption, the iteration cap, NULLs. */
  CHECK_RC(ezla_identity_from_pkcs12(pfx.data, pfx.len, "wrong", 0, &id, &err),
           EZLA_RESULT_BAD_PASSWORD);
  CHECK(err != NULL && ezla_error_code(err) == EZLA_RESULT_BAD_PASSWORD);
  ezla_error_free(err);
  CHECK_RC(ezla_identity_from_pkcs12(pfx.data, pfx.len, NULL, 0, &id, NULL),
           EZLA_RESULT_BAD_PASSWORD);
  CHECK_RC(ezla_identity_from_pkcs12(pfx.data, pfx.len, BAD_UTF8, 0, &id, NULL),
           EZLA_RESULT_INVALID_UTF8);
  CHECK_RC(ezla_identity_from_pkcs12(pfx.data, pfx.len / 2, pw, 0, &id, NULL),
           EZLA_RESULT_PKCS12_CORRUPT);
  CHECK_RC(ezla_identity_from_pkcs12(pfx.data, pfx.len, pw, 500, &id, &err),
           EZLA_RESULT_ITERATION_LIMIT_EXCEEDED);
  CHECK_CONTAINS(ezla_error_message(err), "1000");
  ezla_error_free(err);
  CHECK_RC(ezla_identity_from_pkcs12(NULL, 10, pw, 0, &id, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_identity_from_pkcs12(pfx.data, pfx.len, pw, 0, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  /* An altered file with the right password: the MAC no longer matches. */
  uint8_t *altered = malloc(pfx.len);
  if (altered != NULL) {
    memcpy(altered, pfx.data, pfx.len);
    altered[pfx.len - 40] ^= 0x01; /* inside the MAC digest */
    ezla_result rc = ezla_identity_from_pkcs12(altered, pfx.len, pw, 0, &id, NULL);
    CHECK(rc == EZLA_RESULT_MAC_MISMATCH || rc == EZLA_RESULT_PKCS12_CORRUPT);
    free(altered);
  }
  CHECK(id == NULL);

  /* From a file. */
  char path[4096];
  snprintf(path, sizeof path, "%s/c-test-doctor.pfx", dir);
  CHECK(write_file(dir, "c-test-doctor.pfx", pfx.data, pfx.len) == 0);
  CHECK_RC(ezla_identity_from_pkcs12_file(path, pw, 0, &id, NULL), EZLA_RESULT_OK);
  CHECK(id != NULL);
  ezla_identity_free(id);
  id = NULL;
  CHECK_RC(ezla_identity_from_pkcs12_file(path, "wrong", 0, &id, NULL), EZLA_RESULT_BAD_PASSWORD);
  CHECK_RC(ezla_identity_from_pkcs12_file("/nonexistent/ezla.pfx", pw, 0, &id, &err),
           EZLA_RESULT_IO);
  CHECK_CONTAINS(ezla_error_message(err), "/nonexistent/ezla.pfx");
  ezla_error_free(err);
  CHECK_RC(ezla_identity_from_pkcs12_file(NULL, pw, 0, &id, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_identity_from_pkcs12_file(BAD_UTF8, pw, 0, &id, NULL), EZLA_RESULT_INVALID_UTF8);
  CHECK_RC(ezla_identity_from_pkcs12_file(path, BAD_UTF8, 0, &id, NULL),
           EZLA_RESULT_INVALID_UTF8);
  CHECK_RC(ezla_identity_from_pkcs12_file(path, pw, 0, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK(id == NULL);
  test_pkcs12_unprotected(dir, &pfx);
  ezla_buffer_free(&pfx);
}

static void write_fixtures(const char *dir) {
  struct {
    const char *name;
    ezla_identity *id;
  } files[] = {{"doctor.pfx", doctor}, {"renewal.pfx", renewal}, {"expired.pfx", expired}};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    ezla_buffer pfx = {NULL, 0};
    CHECK_RC(ezla_identity_to_pkcs12(files[i].id, password(), ITER, &pfx, NULL),
             EZLA_RESULT_OK);
    CHECK(write_file(dir, files[i].name, pfx.data, pfx.len) == 0);
    ezla_buffer_free(&pfx);
  }
  ezla_buffer pem = {NULL, 0};
  CHECK_RC(ezla_certificate_to_pem(ca_cert, &pem, NULL), EZLA_RESULT_OK);
  CHECK(write_file(dir, "ca.pem", pem.data, pem.len) == 0);
  ezla_buffer_free(&pem);
}

static void test_identity(void) {
  ezla_certificate *c = NULL;
  ezla_private_key *k = NULL;
  CHECK(ezla_identity_chain_len(doctor) == 1);
  CHECK(ezla_identity_chain_len(NULL) == 0);
  CHECK_RC(ezla_identity_chain_get(doctor, 0, &c, NULL), EZLA_RESULT_OK);
  CHECK(ezla_certificate_is_ca(c));
  CHECK_STR(ezla_certificate_sha256_fingerprint(c), ezla_certificate_sha256_fingerprint(ca_cert));
  ezla_certificate_free(c);
  c = NULL;
  CHECK_RC(ezla_identity_chain_get(doctor, 1, &c, NULL), EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_identity_chain_get(NULL, 0, &c, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_identity_chain_get(doctor, 0, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK(c == NULL);

  CHECK_RC(ezla_identity_private_key(NULL, &k, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_identity_private_key(doctor, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_identity_private_key(doctor, &k, NULL), EZLA_RESULT_OK);
  REQUIRE_OK(ezla_identity_certificate(doctor, &c, NULL));
  CHECK(ezla_private_key_matches_certificate(k, c));
  CHECK(!ezla_private_key_matches_certificate(k, ca_cert));
  CHECK(!ezla_private_key_matches_certificate(NULL, c));
  CHECK(!ezla_private_key_matches_certificate(k, NULL));
  ezla_private_key_free(k);
  ezla_certificate_free(c);

  /* The test CA names the key after the certificate's common name. */
  CHECK_STR(ezla_identity_friendly_name(doctor), "Jan Kowalski");
  CHECK(ezla_identity_friendly_name(NULL) == NULL);
  ezla_identity_free(NULL);
}

/* ---------------------------------------------------------------------------------------- */

static void test_private_key(void) {
  ezla_private_key *k = NULL, *back = NULL;
  ezla_buffer pem = {NULL, 0}, sig = {NULL, 0};
  ezla_error *err = NULL;
  const uint8_t msg[] = "message";

  CHECK_RC(ezla_private_key_generate(99, &k, NULL), EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_private_key_generate(EZLA_KEY_TYPE_P256, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK(k == NULL);
  REQUIRE_OK(ezla_private_key_generate(EZLA_KEY_TYPE_P256, &k, NULL));

  /* Signing: fixed-width ECDSA; algorithms that do not fit are refused. */
  CHECK_RC(ezla_private_key_sign(k, EZLA_SIGNATURE_ALGORITHM_ECDSA_SHA256, msg, sizeof msg, &sig,
                                 NULL),
           EZLA_RESULT_OK);
  CHECK(sig.len == 64);
  ezla_buffer_free(&sig);
  CHECK_RC(ezla_private_key_sign(k, EZLA_SIGNATURE_ALGORITHM_RSA_SHA256, msg, sizeof msg, &sig,
                                 NULL),
           EZLA_RESULT_UNSUPPORTED_KEY);
  CHECK_RC(ezla_private_key_sign(k, 0, msg, sizeof msg, &sig, NULL), EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_private_key_sign(NULL, EZLA_SIGNATURE_ALGORITHM_ECDSA_SHA256, msg, sizeof msg,
                                 &sig, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_private_key_sign(k, EZLA_SIGNATURE_ALGORITHM_ECDSA_SHA256, NULL, 3, &sig, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_private_key_sign(k, EZLA_SIGNATURE_ALGORITHM_ECDSA_SHA256, msg, sizeof msg, NULL,
                                 NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK(sig.data == NULL);

  /* Encrypted PKCS#8 out and back in. */
  CHECK_RC(ezla_private_key_to_encrypted_pem(NULL, "pw", ITER, &pem, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_private_key_to_encrypted_pem(k, NULL, ITER, &pem, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_private_key_to_encrypted_pem(k, "pw", ITER, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_private_key_to_encrypted_pem(k, BAD_UTF8, ITER, &pem, NULL),
           EZLA_RESULT_INVALID_UTF8);
  CHECK_RC(ezla_private_key_to_encrypted_pem(k, "pw", 10, &pem, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  REQUIRE_OK(ezla_private_key_to_encrypted_pem(k, "pw", ITER, &pem, NULL));
  CHECK(starts_with(pem.data, pem.len, "-----BEGIN ENCRYPTED PRIVATE KEY-----"));
  CHECK_RC(ezla_private_key_from_bytes(pem.data, pem.len, "pw", &back, NULL), EZLA_RESULT_OK);
  CHECK(back != NULL);
  /* The key read back signs, and its signature has the same shape. */
  CHECK_RC(ezla_private_key_sign(back, EZLA_SIGNATURE_ALGORITHM_ECDSA_SHA256, msg, sizeof msg,
                                 &sig, NULL),
           EZLA_RESULT_OK);
  CHECK(sig.len == 64);
  ezla_buffer_free(&sig);
  ezla_private_key_free(back);
  back = NULL;
  CHECK_RC(ezla_private_key_from_bytes(pem.data, pem.len, "wrong", &back, NULL),
           EZLA_RESULT_BAD_PASSWORD);
  CHECK_RC(ezla_private_key_from_bytes(pem.data, pem.len, NULL, &back, &err),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK(err != NULL);
  ezla_error_free(err);
  CHECK_RC(ezla_private_key_from_bytes(pem.data, pem.len, BAD_UTF8, &back, NULL),
           EZLA_RESULT_INVALID_UTF8);
  CHECK_RC(ezla_private_key_from_bytes(NULL, 4, "pw", &back, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_private_key_from_bytes(pem.data, pem.len, "pw", NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_private_key_from_bytes((const uint8_t *)"junk", 4, NULL, &back, NULL),
           EZLA_RESULT_DER_MALFORMED);
  CHECK(back == NULL);
  ezla_buffer_free(&pem);
  ezla_private_key_free(k);
  ezla_private_key_free(NULL);
}

/* ---------------------------------------------------------------------------------------- */

static void test_csr_and_bundle(void) {
  ezla_private_key *k = NULL, *other = NULL;
  ezla_signer *s = NULL;
  ezla_buffer csr = {NULL, 0};
  ezla_error *err = NULL;
  ezla_subject subject = {0};
  subject.given_name = "Jan";
  subject.surname = "Kowalski";
  subject.pesel = PESEL;
  subject.country = "PL";

  REQUIRE_OK(ezla_private_key_generate(EZLA_KEY_TYPE_P256, &k, NULL));
  CHECK_RC(ezla_signer_from_private_key(NULL, &s, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_signer_from_private_key(k, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  REQUIRE_OK(ezla_signer_from_private_key(k, &s, NULL));

  CHECK_RC(ezla_csr_new(NULL, &subject, NULL, &csr, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_csr_new(s, NULL, NULL, &csr, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_csr_new(s, &subject, NULL, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_csr_new(s, &subject, BAD_UTF8, &csr, NULL), EZLA_RESULT_INVALID_UTF8);
  ezla_subject no_cn = {0};
  no_cn.surname = "Kowalski";
  CHECK_RC(ezla_csr_new(s, &no_cn, NULL, &csr, &err), EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_CONTAINS(ezla_error_message(err), "common_name");
  ezla_error_free(err);
  ezla_subject bad_pesel = subject;
  bad_pesel.pesel = "12345678901";
  CHECK_RC(ezla_csr_new(s, &bad_pesel, NULL, &csr, NULL), EZLA_RESULT_INVALID_ARGUMENT);
  ezla_subject both = subject;
  both.serial_number = "X";
  CHECK_RC(ezla_csr_new(s, &both, NULL, &csr, NULL), EZLA_RESULT_INVALID_ARGUMENT);
  ezla_subject bad_utf8 = subject;
  bad_utf8.organization = BAD_UTF8;
  CHECK_RC(ezla_csr_new(s, &bad_utf8, NULL, &csr, NULL), EZLA_RESULT_INVALID_UTF8);
  CHECK(csr.data == NULL);

  ezla_subject full = subject;
  full.organization = "Przychodnia";
  full.organizational_unit = "Poradnia";
  full.locality = "Kielce";
  REQUIRE_OK(ezla_csr_new(s, &full, "jan@example.com", &csr, NULL));
  CHECK(starts_with(csr.data, csr.len, "-----BEGIN CERTIFICATE REQUEST-----"));

  /* The test CA issues it; the certificate is for our key. */
  ezla_certificate *cert = NULL;
  CHECK_RC(ezla_test_ca_issue_for_csr(NULL, csr.data, csr.len, EZLA_NOW, 0, &cert, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_test_ca_issue_for_csr(ca, NULL, 5, EZLA_NOW, 0, &cert, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_test_ca_issue_for_csr(ca, csr.data, csr.len, EZLA_NOW, 0, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_test_ca_issue_for_csr(ca, (const uint8_t *)"junk", 4, EZLA_NOW, 0, &cert, NULL),
           EZLA_RESULT_DER_MALFORMED);
  CHECK_RC(ezla_test_ca_issue_for_csr(ca, csr.data, csr.len, INT64_MAX, 0, &cert, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK(cert == NULL);
  REQUIRE_OK(ezla_test_ca_issue_for_csr(ca, csr.data, csr.len, EZLA_NOW, 365, &cert, NULL));
  CHECK(ezla_private_key_matches_certificate(k, cert));
  CHECK_CONTAINS(ezla_certificate_subject(cert), "O=Przychodnia");
  CHECK_STR(ezla_certificate_pesel(cert), PESEL);
  CHECK_STR(ezla_certificate_key_algorithm(cert), "EC");
  CHECK(ezla_certificate_key_bits(cert) == 256);
  CHECK(ezla_certificate_not_after(cert) - ezla_certificate_not_before(cert) == 365 * DAY);

  /* Bundle key + certificate + chain into a .pfx and open it again. */
  ezla_identity *id = NULL, *back = NULL;
  const ezla_certificate *chain[] = {ca_cert};
  const ezla_certificate *null_chain[] = {NULL};
  REQUIRE_OK(ezla_private_key_generate(EZLA_KEY_TYPE_P256, &other, NULL));
  CHECK_RC(ezla_identity_new(other, cert, chain, 1, &id, NULL),
           EZLA_RESULT_KEY_CERTIFICATE_MISMATCH);
  CHECK_RC(ezla_identity_new(NULL, cert, chain, 1, &id, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_identity_new(k, NULL, chain, 1, &id, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_identity_new(k, cert, NULL, 1, &id, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_identity_new(k, cert, null_chain, 1, &id, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_identity_new(k, cert, chain, 1, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK(id == NULL);
  CHECK_RC(ezla_identity_new(k, cert, NULL, 0, &id, NULL), EZLA_RESULT_OK);
  CHECK(ezla_identity_chain_len(id) == 0);
  ezla_identity_free(id);
  id = NULL;
  REQUIRE_OK(ezla_identity_new(k, cert, chain, 1, &id, NULL));
  CHECK(ezla_identity_chain_len(id) == 1);
  ezla_buffer pfx = {NULL, 0};
  REQUIRE_OK(ezla_identity_to_pkcs12(id, "bundle", ITER, &pfx, NULL));
  CHECK_RC(ezla_identity_from_pkcs12(pfx.data, pfx.len, "bundle", 0, &back, NULL),
           EZLA_RESULT_OK);
  CHECK(ezla_identity_chain_len(back) == 1);
  ezla_certificate *bc = NULL;
  CHECK_RC(ezla_identity_certificate(back, &bc, NULL), EZLA_RESULT_OK);
  CHECK_STR(ezla_certificate_sha256_fingerprint(bc), ezla_certificate_sha256_fingerprint(cert));
  ezla_certificate_free(bc);
  ezla_identity_free(back);
  ezla_buffer_free(&pfx);
  ezla_identity_free(id);
  ezla_private_key_free(other);
  ezla_certificate_free(cert);
  ezla_buffer_free(&csr);
  ezla_signer_free(s);
  ezla_signer_free(NULL);
  ezla_private_key_free(k);
}

/* ---------------------------------------------------------------------------------------- */
/* Caller-callback signers. */

struct cb_state {
  const ezla_private_key *key;
  int calls;
  uint32_t last_algorithm;
  int mode; /* 0: sign, 1: fail, 2: claim too many bytes */
};

static uint32_t sign_cb(void *userdata, uint32_t algorithm, const uint8_t *data, size_t len,
                        uint8_t *sig_out, size_t sig_cap, size_t *sig_len) {
  struct cb_state *st = userdata;
  st->calls++;
  st->last_algorithm = algorithm;
  if (st->mode == 1) return EZLA_RESULT_SIGNING_FAILED;
  if (st->mode == 2) {
    *sig_len = sig_cap + 1;
    return EZLA_RESULT_OK;
  }
  ezla_buffer sig = {NULL, 0};
  ezla_result rc = ezla_private_key_sign(st->key, algorithm, data, len, &sig, NULL);
  if (rc != EZLA_RESULT_OK) return rc;
  if (sig.len > sig_cap) {
    ezla_buffer_free(&sig);
    return EZLA_RESULT_BUFFER_TOO_SMALL;
  }
  memcpy(sig_out, sig.data, sig.len);
  *sig_len = sig.len;
  ezla_buffer_free(&sig);
  return EZLA_RESULT_OK;
}

static void test_callback_signer(void) {
  ezla_private_key *key = NULL;
  ezla_certificate *cert = NULL;
  ezla_signer *s = NULL;
  ezla_buffer signed_doc = {NULL, 0};
  ezla_report *report = NULL;
  ezla_error *err = NULL;
  struct cb_state st = {NULL, 0, 0, 0};

  REQUIRE_OK(ezla_identity_private_key(doctor, &key, NULL));
  REQUIRE_OK(ezla_identity_certificate(doctor, &cert, NULL));
  st.key = key;

  CHECK_RC(ezla_signer_from_callback(NULL, sign_cb, &st, &s, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_signer_from_callback(cert, NULL, &st, &s, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_signer_from_callback(cert, sign_cb, &st, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK(s == NULL);
  REQUIRE_OK(ezla_signer_from_callback(cert, sign_cb, &st, &s, NULL));

  /* The key never enters ezla: the callback signs, and the result verifies. */
  CHECK_RC(ezla_xades_sign((const uint8_t *)DOC, sizeof DOC - 1, s, cert, NULL, 0, NULL,
                           &signed_doc, NULL),
           EZLA_RESULT_OK);
  CHECK(st.calls == 1);
  CHECK(st.last_algorithm == EZLA_SIGNATURE_ALGORITHM_RSA_SHA256);
  ezla_verify_options vo = ezla_verify_options_default();
  vo.signer_certificate = cert;
  CHECK_RC(ezla_xades_verify(signed_doc.data, signed_doc.len, &vo, &report, NULL),
           EZLA_RESULT_OK);
  CHECK_STR(ezla_report_trust(report), "pinned");
  CHECK_STR(ezla_report_signer_pesel(report), PESEL);
  ezla_report_free(report);
  report = NULL;
  ezla_buffer_free(&signed_doc);

  /* The zus-legacy profile hands the callback RSA-SHA1. */
  ezla_sign_options so = ezla_sign_options_default();
  so.profile = EZLA_PROFILE_ZUS_LEGACY;
  CHECK_RC(ezla_xades_sign((const uint8_t *)DOC, sizeof DOC - 1, s, cert, NULL, 0, &so,
                           &signed_doc, NULL),
           EZLA_RESULT_OK);
  CHECK(st.last_algorithm == EZLA_SIGNATURE_ALGORITHM_RSA_SHA1);
  CHECK_RC(ezla_xades_verify(signed_doc.data, signed_doc.len, NULL, &report, NULL),
           EZLA_RESULT_OK);
  CHECK(ezla_report_profile(report) == EZLA_PROFILE_ZUS_LEGACY);
  CHECK_STR(ezla_report_signature_algorithm(report), "RSA-SHA1");
  ezla_report_free(report);
  report = NULL;
  ezla_buffer_free(&signed_doc);

  /* A failing callback, and one that overruns its buffer, fail the signature. */
  st.mode = 1;
  CHECK_RC(ezla_xades_sign((const uint8_t *)DOC, sizeof DOC - 1, s, cert, NULL, 0, NULL,
                           &signed_doc, &err),
           EZLA_RESULT_SIGNING_FAILED);
  CHECK_CONTAINS(ezla_error_message(err), "SigningFailed");
  ezla_error_free(err);
  st.mode = 2;
  CHECK_RC(ezla_xades_sign((const uint8_t *)DOC, sizeof DOC - 1, s, cert, NULL, 0, NULL,
                           &signed_doc, NULL),
           EZLA_RESULT_SIGNING_FAILED);
  CHECK(signed_doc.data == NULL);

  /* A CSR through the callback. */
  st.mode = 0;
  ezla_subject subject = {0};
  subject.common_name = "Jan Kowalski";
  ezla_buffer csr = {NULL, 0};
  int before = st.calls;
  CHECK_RC(ezla_csr_new(s, &subject, NULL, &csr, NULL), EZLA_RESULT_OK);
  CHECK(st.calls == before + 1);
  ezla_certificate *issued = NULL;
  CHECK_RC(ezla_test_ca_issue_for_csr(ca, csr.data, csr.len, EZLA_NOW, 30, &issued, NULL),
           EZLA_RESULT_OK);
  CHECK(ezla_private_key_matches_certificate(key, issued));
  ezla_certificate_free(issued);
  ezla_buffer_free(&csr);

  /* A callback signer for one certificate cannot sign for another. */
  CHECK_RC(ezla_xades_sign((const uint8_t *)DOC, sizeof DOC - 1, s, ca_cert, NULL, 0, NULL,
                           &signed_doc, NULL),
           EZLA_RESULT_KEY_CERTIFICATE_MISMATCH);

  ezla_signer_free(s);
  ezla_certificate_free(cert);
  ezla_private_key_free(key);
}

/* ---------------------------------------------------------------------------------------- */

/* PKCS#11 signers: the arguments, and files that are not PKCS#11 modules (SoftHSM itself is
 * exercised by examples/c/pkcs11_sign.c, run by scripts/test-c.sh). */
static void test_pkcs11_signer(void) {
  ezla_signer *s = NULL;
  ezla_certificate *cert = NULL;
  ezla_error *err = NULL;
  CHECK_RC(ezla_signer_from_pkcs11(NULL, "t", "k", NULL, &s, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_signer_from_pkcs11("/bin/ls", NULL, "k", NULL, &s, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_signer_from_pkcs11("/bin/ls", "t", NULL, NULL, &s, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_signer_from_pkcs11("/bin/ls", "t", "k", NULL, NULL, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_signer_from_pkcs11("/nonexistent/libpkcs11.so", "t", "k", "1234", &s, &cert,
                                   &err),
           EZLA_RESULT_PKCS11_MODULE_INVALID);
  CHECK(err != NULL && strstr(ezla_error_message(err), "/nonexistent/libpkcs11.so") != NULL);
  ezla_error_free(err);
  err = NULL;
  CHECK_RC(ezla_signer_from_pkcs11("/bin/ls", "t", "k", NULL, &s, &cert, &err),
           EZLA_RESULT_PKCS11_MODULE_INVALID);
  CHECK(err != NULL && ezla_result_family(EZLA_RESULT_PKCS11_MODULE_INVALID) == EZLA_ERROR_FAMILY_KEY);
  ezla_error_free(err);
  CHECK(s == NULL && cert == NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* CMS (CAdES-BES): sign any bytes, verify into a report; openssl's verdict is in the Rust
 * interop tests (tests/cms_interop.rs). */

static void test_cms(void) {
  static const uint8_t pdf[] = "%PDF-1.7\n the printout \x01\x02";
  const size_t pdf_len = sizeof pdf - 1;
  ezla_private_key *key = NULL;
  ezla_certificate *cert = NULL, *back = NULL;
  ezla_signer *signer = NULL;
  ezla_trust_anchors *anchors = NULL;
  ezla_buffer pem = {NULL, 0}, sig = {NULL, 0};
  ezla_cms_report *report = NULL;
  ezla_error *err = NULL;
  REQUIRE_OK(ezla_identity_private_key(doctor, &key, NULL));
  REQUIRE_OK(ezla_identity_certificate(doctor, &cert, NULL));
  REQUIRE_OK(ezla_signer_from_private_key(key, &signer, NULL));
  REQUIRE_OK(ezla_certificate_to_pem(ca_cert, &pem, NULL));
  REQUIRE_OK(ezla_trust_anchors_from_pem(pem.data, pem.len, &anchors, NULL));
  ezla_buffer_free(&pem);

  ezla_cms_sign_options o = ezla_cms_sign_options_default();
  CHECK(!o.detached && o.digest_bits == 256 && !o.pem && o.signing_time == EZLA_NOW);
  /* Attached, with the defaults (NULL options), verified against the test CA. */
  REQUIRE_OK(ezla_cms_sign(pdf, pdf_len, signer, cert, NULL, 0, NULL, &sig, NULL));
  CHECK_RC(ezla_cms_verify(sig.data, sig.len, NULL, 0, anchors, NULL, NULL, EZLA_NOW, &report,
                           NULL),
           EZLA_RESULT_OK);
  CHECK_STR(ezla_cms_report_trust(report), "chain");
  CHECK_STR(ezla_cms_report_algorithm(report), "RSA-SHA256");
  CHECK_STR(ezla_cms_report_pesel(report), PESEL);
  CHECK(ezla_cms_report_attached(report) && ezla_cms_report_ess_binding(report));
  CHECK(ezla_cms_report_signing_time(report) != EZLA_NOW);
  const uint8_t *data = NULL;
  size_t len = 0;
  CHECK(ezla_cms_report_content(report, &data, &len));
  CHECK(len == pdf_len && memcmp(data, pdf, len) == 0);
  CHECK(!ezla_cms_report_content(report, NULL, &len));
  REQUIRE_OK(ezla_cms_report_signer_certificate(report, &back, NULL));
  CHECK_STR(ezla_certificate_pesel(back), PESEL);
  ezla_certificate_free(back);
  CHECK_RC(ezla_cms_report_signer_certificate(report, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  ezla_cms_report_free(report);
  report = NULL;
  ezla_buffer_free(&sig);

  /* Detached, SHA-512, PEM, a given signing time (within the certificate, which starts a
     minute before it was made): the content must come with it. */
  o.detached = true;
  o.digest_bits = 512;
  o.pem = true;
  int64_t signed_at = (int64_t)time(NULL) - 30;
  o.signing_time = signed_at;
  REQUIRE_OK(ezla_cms_sign(pdf, pdf_len, signer, cert, NULL, 0, &o, &sig, NULL));
  CHECK(sig.len > 20 && memcmp(sig.data, "-----BEGIN CMS-----", 19) == 0);
  CHECK_RC(ezla_cms_verify(sig.data, sig.len, pdf, pdf_len, NULL, NULL, NULL, EZLA_NOW, &report,
                           NULL),
           EZLA_RESULT_OK);
  CHECK(!ezla_cms_report_attached(report));
  CHECK(ezla_cms_report_signing_time(report) == signed_at);
  CHECK_STR(ezla_cms_report_trust(report), "untrusted");
  ezla_cms_report_free(report);
  report = NULL;
  CHECK_RC(ezla_cms_verify(sig.data, sig.len, (const uint8_t *)"other", 5, NULL, NULL, NULL,
                           EZLA_NOW, &report, &err),
           EZLA_RESULT_DIGEST_MISMATCH);
  ezla_error_free(err);
  err = NULL;
  CHECK_RC(ezla_cms_verify(sig.data, sig.len, NULL, 0, NULL, NULL, NULL, EZLA_NOW, &report, NULL),
           EZLA_RESULT_SIGNATURE_MALFORMED);
  CHECK_RC(ezla_cms_verify((const uint8_t *)"\x30\x80", 2, NULL, 0, NULL, NULL, NULL, EZLA_NOW,
                           &report, NULL),
           EZLA_RESULT_DER_MALFORMED);
  CHECK(report == NULL);
  ezla_buffer_free(&sig);

  /* Arguments. */
  o.digest_bits = 160;
  CHECK_RC(ezla_cms_sign(pdf, pdf_len, signer, cert, NULL, 0, &o, &sig, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_cms_sign(pdf, pdf_len, NULL, cert, NULL, 0, NULL, &sig, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_cms_sign(pdf, pdf_len, signer, cert, NULL, 0, NULL, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_cms_sign(pdf, pdf_len, signer, ca_cert, NULL, 0, NULL, &sig, NULL),
           EZLA_RESULT_KEY_CERTIFICATE_MISMATCH);
  CHECK_RC(ezla_cms_verify(NULL, 3, NULL, 0, NULL, NULL, NULL, EZLA_NOW, &report, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK(sig.data == NULL);
  CHECK(ezla_cms_report_pesel(NULL) == NULL && ezla_cms_report_trust(NULL) == NULL);
  CHECK(ezla_cms_report_algorithm(NULL) == NULL && !ezla_cms_report_attached(NULL));
  CHECK(!ezla_cms_report_ess_binding(NULL) && ezla_cms_report_signing_time(NULL) == EZLA_NOW);
  ezla_cms_report_free(NULL);
  ezla_trust_anchors_free(anchors);
  ezla_signer_free(signer);
  ezla_certificate_free(cert);
  ezla_private_key_free(key);
}

static void test_trust_anchors(void) {
  ezla_trust_anchors *t = NULL, *from_pem = NULL;
  ezla_buffer pem = {NULL, 0};
  ezla_error *err = NULL;
  REQUIRE_OK(ezla_certificate_to_pem(ca_cert, &pem, NULL));
  CHECK_RC(ezla_trust_anchors_from_pem(NULL, 4, &from_pem, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_trust_anchors_from_pem(pem.data, pem.len, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_trust_anchors_from_pem((const uint8_t *)"junk", 4, &from_pem, NULL),
           EZLA_RESULT_PEM_MALFORMED);
  CHECK(from_pem == NULL);
  REQUIRE_OK(ezla_trust_anchors_from_pem(pem.data, pem.len, &from_pem, NULL));
  CHECK(ezla_trust_anchors_len(from_pem) == 1);
  ezla_buffer_free(&pem);

  /* Chains: the doctor's certificate to the test CA, at now and at other instants. */
  ezla_certificate *cert = NULL, *stranger = NULL;
  ezla_trust_anchors *empty = NULL;
  size_t path_len = 0;
  int64_t now = (int64_t)time(NULL);
  REQUIRE_OK(ezla_identity_certificate(doctor, &cert, NULL));
  REQUIRE_OK(ezla_identity_certificate(doctor_ec, &stranger, NULL));
  REQUIRE_OK(ezla_trust_anchors_new(&empty, NULL));
  CHECK_RC(ezla_certificate_verify_chain(cert, NULL, 0, from_pem, EZLA_NOW, &path_len, NULL),
           EZLA_RESULT_OK);
  CHECK(path_len == 2);
  CHECK_RC(ezla_certificate_verify_chain(cert, NULL, 0, from_pem, EZLA_NOW, NULL, NULL),
           EZLA_RESULT_OK);
  CHECK_RC(ezla_certificate_verify_chain(cert, NULL, 0, empty, EZLA_NOW, &path_len, &err),
           EZLA_RESULT_CERTIFICATE_UNTRUSTED);
  CHECK(err != NULL && ezla_error_code(err) == EZLA_RESULT_CERTIFICATE_UNTRUSTED);
  ezla_error_free(err);
  CHECK_RC(ezla_certificate_verify_chain(cert, NULL, 0, from_pem, now + 10 * 365 * DAY, NULL,
                                         NULL),
           EZLA_RESULT_CERTIFICATE_EXPIRED);
  CHECK_RC(ezla_certificate_verify_chain(cert, NULL, 0, from_pem, INT64_MAX, NULL, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  /* An unrelated extra intermediate is not used and does not hurt. */
  const ezla_certificate *inter[] = {stranger};
  CHECK_RC(ezla_certificate_verify_chain(cert, inter, 1, from_pem, EZLA_NOW, NULL, NULL),
           EZLA_RESULT_OK);
  CHECK_RC(ezla_certificate_verify_chain(NULL, NULL, 0, from_pem, EZLA_NOW, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_certificate_verify_chain(cert, NULL, 1, from_pem, EZLA_NOW, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_certificate_verify_chain(cert, NULL, 0, NULL, EZLA_NOW, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);

  /* Validity at an instant. */
  CHECK_RC(ezla_certificate_check_valid_at(cert, EZLA_NOW, NULL), EZLA_RESULT_OK);
  CHECK_RC(ezla_certificate_check_valid_at(cert, now + 10 * 365 * DAY, NULL),
           EZLA_RESULT_CERTIFICATE_EXPIRED);
  CHECK_RC(ezla_certificate_check_valid_at(cert, now - 10 * DAY, NULL),
           EZLA_RESULT_CERTIFICATE_NOT_YET_VALID);
  CHECK_RC(ezla_certificate_check_valid_at(cert, INT64_MAX, NULL), EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_certificate_check_valid_at(NULL, EZLA_NOW, NULL), EZLA_RESULT_NULL_PARAMETER);
  ezla_certificate_free(cert);
  ezla_certificate_free(stranger);
  ezla_trust_anchors_free(empty);
  ezla_trust_anchors_free(from_pem);

  CHECK_RC(ezla_trust_anchors_new(NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  REQUIRE_OK(ezla_trust_anchors_new(&t, NULL));
  CHECK(ezla_trust_anchors_len(t) == 0);
  CHECK_RC(ezla_trust_anchors_add(NULL, ca_cert, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_trust_anchors_add(t, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_trust_anchors_add(t, ca_cert, NULL), EZLA_RESULT_OK);
  CHECK(ezla_trust_anchors_len(t) == 1);
  CHECK(ezla_trust_anchors_len(NULL) == 0);
  ezla_trust_anchors_free(t);
  ezla_trust_anchors_free(NULL);
}

static void test_xades(void) {
  ezla_buffer signed_doc = {NULL, 0}, again = {NULL, 0}, json = {NULL, 0};
  ezla_report *report = NULL;
  ezla_error *err = NULL;
  ezla_certificate *cert = NULL;
  ezla_trust_anchors *trust = NULL;
  const uint8_t *doc = (const uint8_t *)DOC;
  size_t doc_len = sizeof DOC - 1;
  int64_t now = (int64_t)time(NULL);

  REQUIRE_OK(ezla_identity_certificate(doctor, &cert, NULL));
  REQUIRE_OK(ezla_trust_anchors_new(&trust, NULL));
  REQUIRE_OK(ezla_trust_anchors_add(trust, ca_cert, NULL));

  /* NULL arguments. */
  CHECK_RC(ezla_xades_sign_with_identity(NULL, 5, doctor, NULL, &signed_doc, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_xades_sign_with_identity(doc, doc_len, NULL, NULL, &signed_doc, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_xades_sign_with_identity(doc, doc_len, doctor, NULL, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK(signed_doc.data == NULL);

  /* Sign with the defaults; the input is kept and the signature spliced in. */
  REQUIRE_OK(ezla_xades_sign_with_identity(doc, doc_len, doctor, NULL, &signed_doc, NULL));
  CHECK(starts_with(signed_doc.data, signed_doc.len, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<KEDU"));
  CHECK(buffer_contains(&signed_doc, "ORYGINA\xc5\x81"));
  CHECK(buffer_contains(&signed_doc, "SigningCertificate>"));

  /* Verify: untrusted without anchors, chain with them, pinned with the certificate. */
  CHECK_RC(ezla_xades_verify(NULL, 5, NULL, &report, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_xades_verify(signed_doc.data, signed_doc.len, NULL, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  REQUIRE_OK(ezla_xades_verify(signed_doc.data, signed_doc.len, NULL, &report, NULL));
  CHECK_STR(ezla_report_trust(report), "untrusted");
  CHECK(ezla_report_profile(report) == EZLA_PROFILE_ZUS);
  CHECK_STR(ezla_report_signature_algorithm(report), "RSA-SHA256");
  CHECK_STR(ezla_report_signing_certificate(report), "v1");
  CHECK(ezla_report_signing_time(report) != NULL);
  CHECK_CONTAINS(ezla_report_signer_subject(report), "CN=Jan Kowalski");
  CHECK_CONTAINS(ezla_report_signer_issuer(report), "CN=ezla C test CA");
  CHECK(strlen(ezla_report_signer_serial(report)) > 0);
  CHECK_STR(ezla_report_signer_pesel(report), PESEL);
  CHECK(ezla_report_signer_not_before(report) != NULL);
  CHECK(ezla_report_signer_not_after(report) != NULL);
  CHECK_STR(ezla_report_signer_sha256_fingerprint(report),
            ezla_certificate_sha256_fingerprint(cert));
  CHECK_CONTAINS(ezla_report_signature_id(report), "ID-");
  CHECK_STR(ezla_report_document_element(report), "{http://www.zus.pl/2015/KED_ZLA_1}KEDU");
  CHECK(ezla_report_reference_count(report) == 2);
  CHECK(ezla_report_reference_uri(report, 0) != NULL);
  CHECK(ezla_report_reference_covers(report, 0) != NULL);
  CHECK(ezla_report_reference_uri(report, 2) == NULL);
  CHECK(ezla_report_reference_covers(report, 2) == NULL);
  CHECK(ezla_report_chain_len(report) == 0);
  CHECK(ezla_report_chain_subject(report, 0) == NULL);
  CHECK_RC(ezla_report_to_json(NULL, &json, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_report_to_json(report, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_report_to_json(report, &json, NULL), EZLA_RESULT_OK);
  CHECK(starts_with(json.data, json.len, "{"));
  CHECK(buffer_contains(&json, "\"trust\":\"untrusted\""));
  CHECK(buffer_contains(&json, "\"profile\":\"zus\""));
  ezla_buffer_free(&json);
  ezla_report_free(report);
  report = NULL;

  ezla_verify_options vo = ezla_verify_options_default();
  CHECK(vo.at == EZLA_NOW && vo.accept_legacy && !vo.allow_cosignatures);
  CHECK(vo.trust == NULL && vo.signer_certificate == NULL);
  vo.trust = trust;
  REQUIRE_OK(ezla_xades_verify(signed_doc.data, signed_doc.len, &vo, &report, NULL));
  CHECK_STR(ezla_report_trust(report), "chain");
  CHECK(ezla_report_chain_len(report) == 1);
  CHECK_CONTAINS(ezla_report_chain_subject(report, 0), "CN=ezla C test CA");
  ezla_report_free(report);
  report = NULL;

  /* Trust anchors that do not hold the issuer: untrusted is an error, not a verdict. */
  ezla_trust_anchors *other = NULL;
  REQUIRE_OK(ezla_trust_anchors_new(&other, NULL));
  ezla_verify_options vo_other = ezla_verify_options_default();
  vo_other.trust = other;
  ezla_result rc = ezla_xades_verify(signed_doc.data, signed_doc.len, &vo_other, &report, NULL);
  CHECK(rc != EZLA_RESULT_OK && ezla_result_is_certificate_error(rc));
  ezla_trust_anchors_free(other);

  /* Pinned to the right and to a wrong certificate. */
  ezla_verify_options vp = ezla_verify_options_default();
  vp.signer_certificate = cert;
  REQUIRE_OK(ezla_xades_verify(signed_doc.data, signed_doc.len, &vp, &report, NULL));
  CHECK_STR(ezla_report_trust(report), "pinned");
  ezla_report_free(report);
  report = NULL;
  vp.signer_certificate = ca_cert;
  rc = ezla_xades_verify(signed_doc.data, signed_doc.len, &vp, &report, NULL);
  CHECK(rc != EZLA_RESULT_OK);
  CHECK(report == NULL);

  /* Validated against the anchors at an instant after the certificate expired. */
  ezla_verify_options vlate = ezla_verify_options_default();
  vlate.trust = trust;
  vlate.at = now + 10 * 365 * DAY;
  CHECK_RC(ezla_xades_verify(signed_doc.data, signed_doc.len, &vlate, &report, NULL),
           EZLA_RESULT_CERTIFICATE_EXPIRED);
  vlate.at = INT64_MAX;
  CHECK_RC(ezla_xades_verify(signed_doc.data, signed_doc.len, &vlate, &report, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);

  /* Verified an hour before its signing time: beyond the default 5-minute skew. */
  ezla_verify_options vearly = ezla_verify_options_default();
  CHECK(vearly.max_clock_skew == 300);
  vearly.at = now - 3600;
  CHECK_RC(ezla_xades_verify(signed_doc.data, signed_doc.len, &vearly, &report, &err),
           EZLA_RESULT_SIGNING_TIME_INVALID);
  CHECK_CONTAINS(ezla_error_message(err), "clock skew");
  ezla_error_free(err);
  err = NULL;
  vearly.max_clock_skew = 7200;
  REQUIRE_OK(ezla_xades_verify(signed_doc.data, signed_doc.len, &vearly, &report, NULL));
  ezla_report_free(report);
  report = NULL;
  vearly.max_clock_skew = -1;
  CHECK_RC(ezla_xades_verify(signed_doc.data, signed_doc.len, &vearly, &report, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);

  /* Tampering is never OK. */
  uint8_t *tampered = malloc(signed_doc.len);
  if (tampered != NULL) {
    memcpy(tampered, signed_doc.data, signed_doc.len);
    char *p = strstr((char *)tampered, "id_dokumentu=\"1\"");
    if (p != NULL) p[14] = '2';
    CHECK(p != NULL);
    rc = ezla_xades_verify(tampered, signed_doc.len, NULL, &report, &err);
    CHECK_RC(rc, EZLA_RESULT_DIGEST_MISMATCH);
    CHECK(ezla_result_is_signature_error(rc));
    CHECK(err != NULL && ezla_error_code(err) == rc);
    ezla_error_free(err);
    err = NULL;
    free(tampered);
  }
  CHECK(report == NULL);
  CHECK_RC(ezla_xades_verify(doc, doc_len, NULL, &report, NULL), EZLA_RESULT_SIGNATURE_MISSING);
  CHECK_RC(ezla_xades_verify((const uint8_t *)"<a>", 3, NULL, &report, NULL),
           EZLA_RESULT_XML_MALFORMED);
  const char dtd[] = "<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>";
  CHECK_RC(ezla_xades_verify((const uint8_t *)dtd, sizeof dtd - 1, NULL, &report, NULL),
           EZLA_RESULT_XML_DTD_FORBIDDEN);

  /* Signing a signed document needs allow_cosigning; two signatures need
   * allow_cosignatures to verify. */
  CHECK_RC(ezla_xades_sign_with_identity(signed_doc.data, signed_doc.len, doctor, NULL, &again,
                                         NULL),
           EZLA_RESULT_ALREADY_SIGNED);
  ezla_sign_options co = ezla_sign_options_default();
  co.allow_cosigning = true;
  REQUIRE_OK(ezla_xades_sign_with_identity(signed_doc.data, signed_doc.len, doctor_ec, &co,
                                           &again, NULL));
  CHECK_RC(ezla_xades_verify(again.data, again.len, NULL, &report, NULL),
           EZLA_RESULT_SIGNATURE_AMBIGUOUS);
  ezla_verify_options vc = ezla_verify_options_default();
  vc.allow_cosignatures = true;
  CHECK_RC(ezla_xades_verify(again.data, again.len, &vc, &report, NULL), EZLA_RESULT_OK);
  CHECK_STR(ezla_report_signature_algorithm(report), "RSA-SHA256"); /* the first signer's */
  ezla_report_free(report);
  report = NULL;

  /* Every signature of a co-signed document, with its own report. */
  ezla_reports *all = NULL;
  CHECK_RC(ezla_xades_verify_all(NULL, 3, NULL, &all, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_xades_verify_all(again.data, again.len, NULL, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_xades_verify_all(doc, doc_len, NULL, &all, NULL), EZLA_RESULT_SIGNATURE_MISSING);
  CHECK(all == NULL);
  REQUIRE_OK(ezla_xades_verify_all(again.data, again.len, &vo, &all, NULL));
  CHECK(ezla_reports_len(all) == 2);
  CHECK_STR(ezla_report_signature_algorithm(ezla_reports_get(all, 0)), "RSA-SHA256");
  CHECK_STR(ezla_report_signature_algorithm(ezla_reports_get(all, 1)), "ECDSA-SHA256");
  CHECK_STR(ezla_report_trust(ezla_reports_get(all, 1)), "chain");
  CHECK(ezla_reports_get(all, 2) == NULL);
  CHECK(ezla_reports_get(NULL, 0) == NULL);
  CHECK(ezla_reports_len(NULL) == 0);
  ezla_reports_free(all);
  all = NULL;
  ezla_reports_free(NULL);

  /* A bad second signature fails both verify_all and verify with co-signatures allowed. */
  uint8_t *bad2 = malloc(again.len + 1);
  if (bad2 != NULL) {
    memcpy(bad2, again.data, again.len);
    bad2[again.len] = 0;
    char *last = NULL;
    for (char *p = strstr((char *)bad2, "SignatureValue"); p != NULL;
         p = strstr(p + 1, "SignatureValue"))
      last = p;
    /* The last match is the second signature's closing </ds:SignatureValue>; step back to
     * the end of its opening tag (`Id="...">`), where the base64 value starts. */
    char *value = NULL;
    for (char *p = last; p != NULL && p > (char *)bad2; p--) {
      if (p[0] == '>' && p[-1] == '"') {
        value = p;
        break;
      }
    }
    CHECK(value != NULL);
    if (value != NULL) value[1] = value[1] == 'A' ? 'B' : 'A';
    rc = ezla_xades_verify_all(bad2, again.len, NULL, &all, NULL);
    CHECK(rc != EZLA_RESULT_OK && ezla_result_is_signature_error(rc));
    rc = ezla_xades_verify(bad2, again.len, &vc, &report, NULL);
    CHECK(rc != EZLA_RESULT_OK && ezla_result_is_signature_error(rc));
    CHECK(all == NULL && report == NULL);
    free(bad2);
  }
  ezla_buffer_free(&again);

  /* Options: profile, V2, fixed time and Ids (reproducible), chain in KeyInfo. */
  ezla_sign_options so = ezla_sign_options_default();
  CHECK(so.profile == EZLA_PROFILE_ZUS && so.signing_time == EZLA_NOW && so.id_prefix == NULL);
  so.profile = EZLA_PROFILE_XADES_BES;
  so.signing_certificate_v2 = true;
  so.signing_time = now - 3600;
  so.id_prefix = "zla-1";
  so.include_chain = true;
  REQUIRE_OK(ezla_xades_sign_with_identity(doc, doc_len, doctor, &so, &again, NULL));
  ezla_buffer third = {NULL, 0};
  CHECK_RC(ezla_xades_sign_with_identity(doc, doc_len, doctor, &so, &third, NULL),
           EZLA_RESULT_OK);
  CHECK(third.len == again.len && memcmp(third.data, again.data, again.len) == 0);
  ezla_buffer_free(&third);
  REQUIRE_OK(ezla_xades_verify(again.data, again.len, &vo, &report, NULL));
  CHECK(ezla_report_profile(report) == EZLA_PROFILE_XADES_BES);
  CHECK_STR(ezla_report_signing_certificate(report), "v2");
  CHECK_STR(ezla_report_signature_id(report), "zla-1-Signature");
  ezla_report_free(report);
  report = NULL;
  ezla_buffer_free(&again);

  ezla_sign_options bad = ezla_sign_options_default();
  bad.profile = 77;
  CHECK_RC(ezla_xades_sign_with_identity(doc, doc_len, doctor, &bad, &again, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  bad = ezla_sign_options_default();
  bad.id_prefix = "1 bad";
  CHECK_RC(ezla_xades_sign_with_identity(doc, doc_len, doctor, &bad, &again, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  bad.id_prefix = BAD_UTF8;
  CHECK_RC(ezla_xades_sign_with_identity(doc, doc_len, doctor, &bad, &again, NULL),
           EZLA_RESULT_INVALID_UTF8);
  bad = ezla_sign_options_default();
  bad.signing_time = INT64_MAX;
  CHECK_RC(ezla_xades_sign_with_identity(doc, doc_len, doctor, &bad, &again, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  bad = ezla_sign_options_default();
  bad.profile = EZLA_PROFILE_ZUS_LEGACY; /* SHA-1 is for RSA only */
  rc = ezla_xades_sign_with_identity(doc, doc_len, doctor_ec, &bad, &again, NULL);
  CHECK(rc == EZLA_RESULT_UNSUPPORTED_KEY || rc == EZLA_RESULT_UNSUPPORTED);
  CHECK_RC(ezla_xades_sign_with_identity((const uint8_t *)"<a", 2, doctor, NULL, &again, NULL),
           EZLA_RESULT_XML_MALFORMED);
  CHECK(again.data == NULL);

  /* An expired certificate is refused unless allowed. */
  CHECK_RC(ezla_xades_sign_with_identity(doc, doc_len, expired, NULL, &again, NULL),
           EZLA_RESULT_CERTIFICATE_EXPIRED);
  CHECK_RC(ezla_xades_sign_with_identity(doc, doc_len, future, NULL, &again, NULL),
           EZLA_RESULT_CERTIFICATE_NOT_YET_VALID);
  ezla_sign_options allow = ezla_sign_options_default();
  allow.allow_invalid_certificate = true;
  CHECK_RC(ezla_xades_sign_with_identity(doc, doc_len, expired, &allow, &again, NULL),
           EZLA_RESULT_OK);
  /* ... but its signing time lies outside the certificate's validity. */
  CHECK_RC(ezla_xades_verify(again.data, again.len, NULL, &report, NULL),
           EZLA_RESULT_SIGNING_TIME_INVALID);
  ezla_buffer_free(&again);

  /* ezla_xades_sign with a key signer, a chain and its errors. */
  ezla_private_key *key = NULL;
  ezla_signer *s = NULL;
  REQUIRE_OK(ezla_identity_private_key(doctor, &key, NULL));
  REQUIRE_OK(ezla_signer_from_private_key(key, &s, NULL));
  const ezla_certificate *chain[] = {ca_cert};
  ezla_sign_options with_chain = ezla_sign_options_default();
  with_chain.include_chain = true;
  CHECK_RC(ezla_xades_sign(doc, doc_len, s, cert, chain, 1, &with_chain, &again, NULL),
           EZLA_RESULT_OK);
  CHECK_RC(ezla_xades_verify(again.data, again.len, &vo, &report, NULL), EZLA_RESULT_OK);
  CHECK_STR(ezla_report_trust(report), "chain");
  ezla_report_free(report);
  report = NULL;
  ezla_buffer_free(&again);
  CHECK_RC(ezla_xades_sign(NULL, 4, s, cert, NULL, 0, NULL, &again, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_xades_sign(doc, doc_len, NULL, cert, NULL, 0, NULL, &again, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_xades_sign(doc, doc_len, s, NULL, NULL, 0, NULL, &again, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_xades_sign(doc, doc_len, s, cert, NULL, 1, NULL, &again, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_xades_sign(doc, doc_len, s, cert, NULL, 0, NULL, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_xades_sign(doc, doc_len, s, ca_cert, NULL, 0, NULL, &again, NULL),
           EZLA_RESULT_KEY_CERTIFICATE_MISMATCH);
  CHECK(again.data == NULL);
  ezla_signer_free(s);
  ezla_private_key_free(key);

  /* Report getters on NULL. */
  CHECK(ezla_report_profile(NULL) == EZLA_PROFILE_ZUS);
  CHECK(ezla_report_signature_algorithm(NULL) == NULL);
  CHECK(ezla_report_signing_certificate(NULL) == NULL);
  CHECK(ezla_report_signing_time(NULL) == NULL);
  CHECK(ezla_report_signer_subject(NULL) == NULL);
  CHECK(ezla_report_signer_issuer(NULL) == NULL);
  CHECK(ezla_report_signer_serial(NULL) == NULL);
  CHECK(ezla_report_signer_pesel(NULL) == NULL);
  CHECK(ezla_report_signer_not_before(NULL) == NULL);
  CHECK(ezla_report_signer_not_after(NULL) == NULL);
  CHECK(ezla_report_signer_sha256_fingerprint(NULL) == NULL);
  CHECK(ezla_report_trust(NULL) == NULL);
  CHECK(ezla_report_signature_id(NULL) == NULL);
  CHECK(ezla_report_document_element(NULL) == NULL);
  CHECK(ezla_report_chain_len(NULL) == 0);
  CHECK(ezla_report_chain_subject(NULL, 0) == NULL);
  CHECK(ezla_report_reference_count(NULL) == 0);
  CHECK(ezla_report_reference_uri(NULL, 0) == NULL);
  CHECK(ezla_report_reference_covers(NULL, 0) == NULL);
  ezla_report_free(NULL);

  CHECK_STR(ezla_profile_name(EZLA_PROFILE_ZUS), "zus");
  CHECK_STR(ezla_profile_name(EZLA_PROFILE_ZUS_LEGACY), "zus-legacy");
  CHECK_STR(ezla_profile_name(EZLA_PROFILE_XADES_BES), "xades-bes");
  CHECK_STR(ezla_profile_name(42), "unknown");

  ezla_buffer_free(&signed_doc);
  ezla_trust_anchors_free(trust);
  ezla_certificate_free(cert);
}

/* ---------------------------------------------------------------------------------------- */
/* Revocation checking with CRLs. */

/* A loopback HTTP server answering one GET with a CRL, for the fetching checker. */
struct crl_server {
  int fd;
  const uint8_t *body;
  size_t len;
  int served; /* requests answered */
};

static int serve_crl(void *arg) {
  struct crl_server *s = arg;
  struct pollfd p = {s->fd, POLLIN, 0};
  if (poll(&p, 1, 20000) != 1) return 0; /* no fetch came: the checks below fail */
  int c = accept(s->fd, NULL, NULL);
  if (c < 0) return 0;
  char req[4096];
  size_t got = 0;
  while (got < sizeof req - 1) {
    ssize_t n = read(c, req + got, sizeof req - 1 - got);
    if (n <= 0) break;
    got += (size_t)n;
    req[got] = 0;
    if (strstr(req, "\r\n\r\n") != NULL) break;
  }
  if (strncmp(req, "GET /ca.crl ", 12) == 0) {
    char head[256];
    int h = snprintf(head, sizeof head,
                     "HTTP/1.1 200 OK\r\nContent-Type: application/pkix-crl\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                     s->len);
    if (write(c, head, (size_t)h) == h && write(c, s->body, s->len) == (ssize_t)s->len) {
      s->served++;
    }
  }
  close(c);
  return 0;
}

/* Verifies a signed document with `checker` (and the test CA as anchors unless `no_trust`),
   at `at`; returns the code, the report in *out when asked. */
static ezla_result verify_revocation(const ezla_buffer *doc, ezla_trust_anchors *trust,
                                     const ezla_revocation_checker *checker, int64_t at,
                                     ezla_report **out) {
  ezla_verify_options o = ezla_verify_options_default();
  o.trust = trust;
  o.revocation = checker;
  o.at = at;
  ezla_report *r = NULL;
  ezla_result rc = ezla_xades_verify(doc->data, doc->len, &o, &r, NULL);
  if (out != NULL) *out = r;
  else ezla_report_free(r);
  return rc;
}

/* A summary checked against CRLs: revoked is CRITICAL, without the issuer UNKNOWN, roots
 * not checked. */
static void test_cert_summary_revocation(void) {
  int64_t now = (int64_t)time(NULL);
  ezla_error *err = NULL;
  ezla_identity *good = NULL, *stolen = NULL;
  ezla_certificate *good_cert = NULL, *stolen_cert = NULL;
  ezla_trust_anchors *issuers = NULL;
  ezla_revocation_checker *checker = NULL;
  ezla_cert_summary *s = NULL, *bare = NULL;
  ezla_buffer crl = {NULL, 0}, prom = {NULL, 0};

  REQUIRE_OK(ezla_test_ca_issue_doctor(ca, "Jan", "Dobry", PESEL, EZLA_KEY_TYPE_P256,
                                       now - DAY, 0, &good, NULL));
  REQUIRE_OK(ezla_test_ca_issue_doctor(ca, "Jan", "Zgubny", PESEL, EZLA_KEY_TYPE_P256,
                                       now - DAY, 0, &stolen, NULL));
  REQUIRE_OK(ezla_identity_certificate(good, &good_cert, NULL));
  REQUIRE_OK(ezla_identity_certificate(stolen, &stolen_cert, NULL));
  ezla_revoked_certificate entry = {stolen_cert, now - 120, 1};
  REQUIRE_OK(ezla_test_ca_issue_crl(ca, &entry, 1, now - 60, now + DAY, 5, &crl, NULL));
  REQUIRE_OK(ezla_revocation_checker_new(&checker, NULL));
  REQUIRE_OK(ezla_revocation_checker_add_crl(checker, crl.data, crl.len, "ca.crl", NULL));
  REQUIRE_OK(ezla_trust_anchors_new(&issuers, NULL));
  REQUIRE_OK(ezla_trust_anchors_add(issuers, ca_cert, NULL));

  REQUIRE_OK(ezla_cert_summary_new(EZLA_NOW, NULL, &s, NULL));
  REQUIRE_OK(ezla_cert_summary_add_certificate(s, "ca.pem", ca_cert, NULL));
  REQUIRE_OK(ezla_cert_summary_add_certificate(s, "good.crt", good_cert, NULL));
  REQUIRE_OK(ezla_cert_summary_add_certificate(s, "stolen.crt", stolen_cert, NULL));
  CHECK(ezla_cert_summary_revocation(s, 1) == NULL); /* not checked yet */
  CHECK_RC(ezla_cert_summary_check_revocation(NULL, checker, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_cert_summary_check_revocation(s, NULL, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  /* The CA certificate among the rows is the issuer. */
  REQUIRE_OK(ezla_cert_summary_check_revocation(s, checker, NULL, NULL));
  CHECK(ezla_cert_summary_revocation(s, 0) == NULL); /* a root */
  CHECK_STR(ezla_cert_summary_revocation(s, 1), "not-revoked");
  CHECK_STR(ezla_cert_summary_revocation(s, 2), "revoked");
  CHECK(ezla_cert_summary_revoked_at(s, 2) == now - 120);
  CHECK(ezla_cert_summary_revoked_at(s, 1) == EZLA_NOW);
  CHECK_STR(ezla_cert_summary_revocation_detail(s, 2), "keyCompromise");
  CHECK(ezla_cert_summary_revocation_detail(s, 1) == NULL);
  CHECK(ezla_cert_summary_row_status(s, 2) == EZLA_MONITOR_STATUS_CRITICAL);
  CHECK(ezla_cert_summary_exit_code(s) == 2);
  REQUIRE_OK(ezla_cert_summary_to_prometheus(s, &prom, NULL));
  CHECK(buffer_contains(&prom, "ezla_certificate_revoked{file=\"stolen.crt\""));
  /* Out of range, NULL. */
  CHECK(ezla_cert_summary_revocation(s, 99) == NULL && ezla_cert_summary_revocation(NULL, 0) == NULL);
  CHECK(ezla_cert_summary_revoked_at(NULL, 0) == EZLA_NOW);
  CHECK(ezla_cert_summary_revocation_detail(NULL, 0) == NULL);

  /* A lone certificate: without the issuer UNKNOWN, with it given not revoked. */
  REQUIRE_OK(ezla_cert_summary_new(EZLA_NOW, NULL, &bare, NULL));
  REQUIRE_OK(ezla_cert_summary_add_certificate(bare, "good.crt", good_cert, NULL));
  REQUIRE_OK(ezla_cert_summary_check_revocation(bare, checker, NULL, &err));
  CHECK(err == NULL);
  CHECK_STR(ezla_cert_summary_revocation(bare, 0), "unknown");
  CHECK_CONTAINS(ezla_cert_summary_revocation_detail(bare, 0), "RevocationUnknown");
  CHECK(ezla_cert_summary_exit_code(bare) == 3);
  REQUIRE_OK(ezla_cert_summary_check_revocation(bare, checker, issuers, NULL));
  CHECK_STR(ezla_cert_summary_revocation(bare, 0), "not-revoked");
  CHECK(ezla_cert_summary_exit_code(bare) == 0);

  ezla_buffer_free(&prom);
  ezla_buffer_free(&crl);
  ezla_cert_summary_free(bare);
  ezla_cert_summary_free(s);
  ezla_revocation_checker_free(checker);
  ezla_trust_anchors_free(issuers);
  ezla_certificate_free(good_cert);
  ezla_certificate_free(stolen_cert);
  ezla_identity_free(good);
  ezla_identity_free(stolen);
}

static void test_revocation(const char *dir) {
  int64_t now = (int64_t)time(NULL);
  int64_t revoked_at = now - 3600, before = now - 7200;
  ezla_error *err = NULL;
  ezla_identity *victim = NULL;
  ezla_certificate *victim_cert = NULL, *other_cert = NULL;
  ezla_test_ca *other = NULL, *twin = NULL;
  ezla_trust_anchors *trust = NULL;
  ezla_revocation_checker *good = NULL, *revoked = NULL, *empty = NULL, *c = NULL;
  ezla_revocation_info *info = NULL;
  ezla_buffer crl_good = {NULL, 0}, crl_revoked = {NULL, 0}, crl = {NULL, 0};

  REQUIRE_OK(ezla_test_ca_issue_doctor(ca, "Adam", "Zgubny", PESEL, EZLA_KEY_TYPE_P256,
                                       now - DAY, 0, &victim, NULL));
  REQUIRE_OK(ezla_identity_certificate(victim, &victim_cert, NULL));
  REQUIRE_OK(ezla_trust_anchors_new(&trust, NULL));
  REQUIRE_OK(ezla_trust_anchors_add(trust, ca_cert, NULL));
  CHECK_RC(ezla_test_ca_issue_doctor_with_crl_url(ca, "Adam", "Z", PESEL, EZLA_KEY_TYPE_P256,
                                                  EZLA_NOW, 0, NULL, &victim, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_test_ca_issue_doctor_with_crl_url(ca, "Adam", "Z", PESEL, EZLA_KEY_TYPE_P256,
                                                  EZLA_NOW, 0, "", &victim, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);

  /* CRLs from the test CA: one listing nothing, one listing the victim (keyCompromise). */
  ezla_revoked_certificate entry = {victim_cert, revoked_at, 1};
  REQUIRE_OK(ezla_test_ca_issue_crl(ca, NULL, 0, EZLA_NOW, EZLA_NOW, 1, &crl_good, NULL));
  REQUIRE_OK(ezla_test_ca_issue_crl(ca, &entry, 1, now - 60, now + DAY, 2, &crl_revoked, NULL));
  CHECK(crl_good.len > 0 && crl_good.data[0] == 0x30);
  CHECK_RC(ezla_test_ca_issue_crl(NULL, NULL, 0, EZLA_NOW, EZLA_NOW, 1, &crl, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_test_ca_issue_crl(ca, NULL, 1, EZLA_NOW, EZLA_NOW, 1, &crl, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_test_ca_issue_crl(ca, NULL, 0, EZLA_NOW, EZLA_NOW, 1, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_test_ca_issue_crl(ca, NULL, 0, now, now - 1, 1, &crl, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  ezla_revoked_certificate bad = {victim_cert, revoked_at, 7}; /* 7 is unused */
  CHECK_RC(ezla_test_ca_issue_crl(ca, &bad, 1, EZLA_NOW, EZLA_NOW, 1, &crl, &err),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_CONTAINS(ezla_error_message(err), "reason");
  ezla_error_free(err);
  err = NULL;
  bad.cert = NULL;
  bad.reason = -1;
  CHECK_RC(ezla_test_ca_issue_crl(ca, &bad, 1, EZLA_NOW, EZLA_NOW, 1, &crl, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK(crl.data == NULL);
  if (dir != NULL) {
    /* For `openssl crl` in scripts/test-c.sh. */
    CHECK(write_file(dir, "revoked.crl", crl_revoked.data, crl_revoked.len) == 0);
    char serial[256];
    snprintf(serial, sizeof serial, "%s\n", ezla_certificate_serial_hex(victim_cert));
    CHECK(write_file(dir, "revoked-serial.txt", (const uint8_t *)serial, strlen(serial)) == 0);
  }

  /* Checkers: building them. */
  CHECK_RC(ezla_revocation_checker_new(NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  REQUIRE_OK(ezla_revocation_checker_new(&good, NULL));
  REQUIRE_OK(ezla_revocation_checker_new(&revoked, NULL));
  REQUIRE_OK(ezla_revocation_checker_new(&empty, NULL));
  CHECK(!ezla_revocation_checker_fetches(good) && !ezla_revocation_checker_fetches(NULL));
  REQUIRE_OK(ezla_revocation_checker_add_crl(good, crl_good.data, crl_good.len, NULL, NULL));
  REQUIRE_OK(ezla_revocation_checker_add_crl(revoked, crl_revoked.data, crl_revoked.len,
                                             "revoked.crl", NULL));
  CHECK(ezla_revocation_checker_crl_count(good) == 1);
  CHECK(ezla_revocation_checker_crl_count(empty) == 0 &&
        ezla_revocation_checker_crl_count(NULL) == 0);
  CHECK_RC(ezla_revocation_checker_add_crl(NULL, crl_good.data, crl_good.len, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_revocation_checker_add_crl(empty, NULL, 3, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_revocation_checker_add_crl(empty, (const uint8_t *)"\x30\x03\x02\x01", 4, NULL,
                                           &err),
           EZLA_RESULT_DER_MALFORMED);
  CHECK(err != NULL && strlen(ezla_error_message(err)) > 0);
  ezla_error_free(err);
  err = NULL;
  CHECK_RC(ezla_revocation_checker_add_crl(empty, crl_good.data, crl_good.len, BAD_UTF8, NULL),
           EZLA_RESULT_INVALID_UTF8);
  CHECK_RC(ezla_revocation_checker_add_crl_file(empty, "/nonexistent/ezla.crl", &err),
           EZLA_RESULT_IO);
  CHECK_CONTAINS(ezla_error_message(err), "/nonexistent/ezla.crl");
  ezla_error_free(err);
  err = NULL;
  CHECK_RC(ezla_revocation_checker_add_crl_file(empty, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_revocation_checker_add_crl_file(NULL, "x.crl", NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK(ezla_revocation_checker_crl_count(empty) == 0); /* nothing added by the failures */
  CHECK_RC(ezla_revocation_checker_enable_fetch(NULL, NULL, 0, 0, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_revocation_checker_enable_fetch(empty, NULL, 5, 0, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_revocation_checker_enable_fetch(empty, (const uint8_t *)"not pem", 7, 0, NULL),
           EZLA_RESULT_PEM_MALFORMED);
  CHECK(!ezla_revocation_checker_fetches(empty));

  /* Checking on its own: not on the CRL. */
  CHECK_RC(ezla_revocation_checker_check(good, victim_cert, ca_cert, EZLA_NOW, &info, NULL),
           EZLA_RESULT_OK);
  CHECK_STR(ezla_revocation_info_status(info), "good");
  CHECK(ezla_revocation_info_revoked_at(info) == EZLA_NOW);
  CHECK(ezla_revocation_info_reason(info) == NULL);
  CHECK_STR(ezla_revocation_info_source_kind(info), "given");
  CHECK_STR(ezla_revocation_info_source(info), "crl[0]");
  CHECK_STR(ezla_revocation_info_crl_issuer(info), ezla_certificate_subject(ca_cert));
  int64_t this_update = ezla_revocation_info_crl_this_update(info);
  CHECK(this_update <= now + 1 && this_update >= now - 60);
  CHECK(ezla_revocation_info_crl_next_update(info) == this_update + DAY);
  CHECK_STR(ezla_revocation_info_crl_number(info), "01");
  CHECK(ezla_revocation_info_judged_at(info) >= now &&
        ezla_revocation_info_judged_at(info) <= now + 60);
  CHECK_STR(ezla_revocation_info_judged_by(info), "verification_time");
  ezla_revocation_info_free(info);
  info = NULL;

  /* Revoked before the instant judged: refused, with when and why. */
  CHECK_RC(ezla_revocation_checker_check(revoked, victim_cert, ca_cert, EZLA_NOW, &info, &err),
           EZLA_RESULT_CERTIFICATE_REVOKED);
  CHECK(info == NULL);
  CHECK(ezla_error_code(err) == EZLA_RESULT_CERTIFICATE_REVOKED);
  CHECK_CONTAINS(ezla_error_message(err), "keyCompromise");
  CHECK(ezla_result_is_certificate_error(EZLA_RESULT_CERTIFICATE_REVOKED));
  ezla_error_free(err);
  err = NULL;
  /* Revoked after it: passes, and says so. */
  CHECK_RC(ezla_revocation_checker_check(revoked, victim_cert, ca_cert, before, &info, NULL),
           EZLA_RESULT_OK);
  CHECK_STR(ezla_revocation_info_status(info), "revoked_later");
  CHECK(ezla_revocation_info_revoked_at(info) == revoked_at);
  CHECK_STR(ezla_revocation_info_reason(info), "keyCompromise");
  CHECK_STR(ezla_revocation_info_source(info), "revoked.crl");
  CHECK_STR(ezla_revocation_info_crl_number(info), "02");
  CHECK(ezla_revocation_info_crl_this_update(info) == now - 60);
  CHECK(ezla_revocation_info_crl_next_update(info) == now + DAY);
  CHECK(ezla_revocation_info_judged_at(info) == before);
  CHECK_STR(ezla_revocation_info_judged_by(info), "requested");
  ezla_revocation_info_free(info);
  info = NULL;
  /* Another certificate of the same CA is not on it. */
  REQUIRE_OK(ezla_identity_certificate(doctor, &other_cert, NULL));
  CHECK_RC(ezla_revocation_checker_check(revoked, other_cert, ca_cert, EZLA_NOW, &info, NULL),
           EZLA_RESULT_OK);
  CHECK_STR(ezla_revocation_info_status(info), "good");
  ezla_revocation_info_free(info);
  info = NULL;
  ezla_certificate_free(other_cert);
  other_cert = NULL;

  /* CRLs that cannot tell: another issuer's, one of a CA with the same name but another key,
     an expired one, one not yet valid, none at all. */
  REQUIRE_OK(ezla_test_ca_new("ezla C other CA", now - DAY, 30, &other, NULL));
  REQUIRE_OK(ezla_test_ca_new("ezla C test CA", now - DAY, 30, &twin, NULL));
  struct {
    ezla_test_ca *issuer;
    int64_t this_update, next_update;
    ezla_result want;
  } cases[] = {
      {other, EZLA_NOW, EZLA_NOW, EZLA_RESULT_CRL_ISSUER_MISMATCH},
      {twin, EZLA_NOW, EZLA_NOW, EZLA_RESULT_CRL_SIGNATURE_INVALID},
      {ca, now - 10 * DAY, now - 9 * DAY, EZLA_RESULT_CRL_EXPIRED},
      {ca, now + DAY, now + 2 * DAY, EZLA_RESULT_CRL_NOT_YET_VALID},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    REQUIRE_OK(ezla_test_ca_issue_crl(cases[i].issuer, NULL, 0, cases[i].this_update,
                                      cases[i].next_update, 1, &crl, NULL));
    REQUIRE_OK(ezla_revocation_checker_new(&c, NULL));
    REQUIRE_OK(ezla_revocation_checker_add_crl(c, crl.data, crl.len, NULL, NULL));
    CHECK_RC(ezla_revocation_checker_check(c, victim_cert, ca_cert, EZLA_NOW, &info, &err),
             cases[i].want);
    CHECK(info == NULL && err != NULL && ezla_error_code(err) == cases[i].want);
    ezla_error_free(err);
    err = NULL;
    ezla_revocation_checker_free(c);
    c = NULL;
    ezla_buffer_free(&crl);
  }
  CHECK_RC(ezla_revocation_checker_check(empty, victim_cert, ca_cert, EZLA_NOW, &info, NULL),
           EZLA_RESULT_REVOCATION_UNKNOWN);
  CHECK(ezla_result_is_certificate_error(EZLA_RESULT_REVOCATION_UNKNOWN));

  /* A CRL file (DER), named by its path. */
  if (dir != NULL) {
    char path[4096];
    snprintf(path, sizeof path, "%s/revoked.crl", dir);
    REQUIRE_OK(ezla_revocation_checker_new(&c, NULL));
    REQUIRE_OK(ezla_revocation_checker_add_crl_file(c, path, NULL));
    CHECK(ezla_revocation_checker_crl_count(c) == 1);
    CHECK_RC(ezla_revocation_checker_check(c, victim_cert, ca_cert, before, &info, NULL),
             EZLA_RESULT_OK);
    CHECK_STR(ezla_revocation_info_source(info), path);
    CHECK_STR(ezla_revocation_info_status(info), "revoked_later");
    ezla_revocation_info_free(info);
    info = NULL;
    ezla_revocation_checker_free(c);
    c = NULL;
  }

  /* NULLs. */
  CHECK_RC(ezla_revocation_checker_check(NULL, victim_cert, ca_cert, EZLA_NOW, &info, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_revocation_checker_check(good, NULL, ca_cert, EZLA_NOW, &info, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_revocation_checker_check(good, victim_cert, NULL, EZLA_NOW, &info, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_revocation_checker_check(good, victim_cert, ca_cert, EZLA_NOW, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_revocation_checker_check(good, victim_cert, ca_cert, INT64_MAX, &info, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK(info == NULL);
  CHECK(ezla_revocation_info_status(NULL) == NULL && ezla_revocation_info_reason(NULL) == NULL);
  CHECK(ezla_revocation_info_revoked_at(NULL) == EZLA_NOW);
  CHECK(ezla_revocation_info_source_kind(NULL) == NULL);
  CHECK(ezla_revocation_info_source(NULL) == NULL);
  CHECK(ezla_revocation_info_crl_issuer(NULL) == NULL);
  CHECK(ezla_revocation_info_crl_number(NULL) == NULL);
  CHECK(ezla_revocation_info_crl_this_update(NULL) == EZLA_NOW);
  CHECK(ezla_revocation_info_crl_next_update(NULL) == EZLA_NOW);
  CHECK(ezla_revocation_info_judged_at(NULL) == EZLA_NOW);
  CHECK(ezla_revocation_info_judged_by(NULL) == NULL);
  ezla_revocation_info_free(NULL);
  ezla_revocation_checker_free(NULL);

  /* XAdES: the victim signs (claiming a time before `before`, within the clock skew). */
  ezla_sign_options so = ezla_sign_options_default();
  so.signing_time = before - 60;
  ezla_buffer signed_doc = {NULL, 0};
  ezla_report *report = NULL;
  REQUIRE_OK(ezla_xades_sign_with_identity((const uint8_t *)DOC, sizeof DOC - 1, victim, &so,
                                           &signed_doc, NULL));
  ezla_verify_options vo = ezla_verify_options_default();
  CHECK(vo.revocation == NULL);
  CHECK_RC(verify_revocation(&signed_doc, trust, NULL, EZLA_NOW, &report), EZLA_RESULT_OK);
  CHECK(ezla_report_revocation(report) == NULL); /* not asked for */
  ezla_report_free(report);
  CHECK_RC(verify_revocation(&signed_doc, trust, good, EZLA_NOW, &report), EZLA_RESULT_OK);
  const ezla_revocation_info *ri = ezla_report_revocation(report);
  CHECK_STR(ezla_revocation_info_status(ri), "good");
  CHECK_STR(ezla_revocation_info_judged_by(ri), "verification_time");
  CHECK(ezla_revocation_info_judged_at(ri) == ezla_report_judged_at(report));
  ezla_report_free(report);
  CHECK_RC(verify_revocation(&signed_doc, trust, revoked, EZLA_NOW, NULL),
           EZLA_RESULT_CERTIFICATE_REVOKED);
  CHECK_RC(verify_revocation(&signed_doc, trust, revoked, before, &report), EZLA_RESULT_OK);
  ri = ezla_report_revocation(report);
  CHECK_STR(ezla_revocation_info_status(ri), "revoked_later");
  CHECK(ezla_revocation_info_revoked_at(ri) == revoked_at);
  CHECK_STR(ezla_revocation_info_reason(ri), "keyCompromise");
  CHECK_STR(ezla_revocation_info_judged_by(ri), "requested");
  CHECK(ezla_revocation_info_judged_at(ri) == before);
  ezla_report_free(report);
  CHECK_RC(verify_revocation(&signed_doc, trust, empty, EZLA_NOW, NULL),
           EZLA_RESULT_REVOCATION_UNKNOWN);
  /* Without trust anchors there is no issuer to check the CRL with. */
  CHECK_RC(verify_revocation(&signed_doc, NULL, good, EZLA_NOW, NULL),
           EZLA_RESULT_REVOCATION_UNKNOWN);
  CHECK(ezla_report_revocation(NULL) == NULL);
  ezla_buffer_free(&signed_doc);

  /* CMS: the same. */
  static const uint8_t pdf[] = "%PDF-1.7\n revoked? \x01";
  ezla_private_key *key = NULL;
  ezla_signer *signer = NULL;
  ezla_buffer sig = {NULL, 0};
  ezla_cms_report *cr = NULL;
  REQUIRE_OK(ezla_identity_private_key(victim, &key, NULL));
  REQUIRE_OK(ezla_signer_from_private_key(key, &signer, NULL));
  ezla_cms_sign_options co = ezla_cms_sign_options_default();
  co.signing_time = before - 60;
  REQUIRE_OK(ezla_cms_sign(pdf, sizeof pdf - 1, signer, victim_cert, NULL, 0, &co, &sig, NULL));
  CHECK_RC(ezla_cms_verify(sig.data, sig.len, NULL, 0, trust, NULL, NULL, EZLA_NOW, &cr, NULL),
           EZLA_RESULT_OK);
  CHECK(ezla_cms_report_revocation(cr) == NULL);
  ezla_cms_report_free(cr);
  cr = NULL;
  CHECK_RC(ezla_cms_verify(sig.data, sig.len, NULL, 0, trust, NULL, good, EZLA_NOW, &cr, NULL),
           EZLA_RESULT_OK);
  CHECK_STR(ezla_revocation_info_status(ezla_cms_report_revocation(cr)), "good");
  CHECK_STR(ezla_revocation_info_source(ezla_cms_report_revocation(cr)), "crl[0]");
  ezla_cms_report_free(cr);
  cr = NULL;
  CHECK_RC(ezla_cms_verify(sig.data, sig.len, NULL, 0, trust, NULL, revoked, EZLA_NOW, &cr,
                           &err),
           EZLA_RESULT_CERTIFICATE_REVOKED);
  CHECK(cr == NULL);
  CHECK_CONTAINS(ezla_error_message(err), "keyCompromise");
  ezla_error_free(err);
  err = NULL;
  CHECK_RC(ezla_cms_verify(sig.data, sig.len, NULL, 0, trust, NULL, revoked, before, &cr, NULL),
           EZLA_RESULT_OK);
  ri = ezla_cms_report_revocation(cr);
  CHECK_STR(ezla_revocation_info_status(ri), "revoked_later");
  CHECK(ezla_revocation_info_revoked_at(ri) == revoked_at);
  CHECK_STR(ezla_revocation_info_judged_by(ri), "requested");
  ezla_cms_report_free(cr);
  cr = NULL;
  CHECK_RC(ezla_cms_verify(sig.data, sig.len, NULL, 0, trust, NULL, empty, EZLA_NOW, &cr, NULL),
           EZLA_RESULT_REVOCATION_UNKNOWN);
  CHECK_RC(ezla_cms_verify(sig.data, sig.len, NULL, 0, NULL, NULL, good, EZLA_NOW, &cr, NULL),
           EZLA_RESULT_REVOCATION_UNKNOWN);
  CHECK(cr == NULL && ezla_cms_report_revocation(NULL) == NULL);
  ezla_buffer_free(&sig);
  ezla_signer_free(signer);
  ezla_private_key_free(key);

  /* Fetching from the distribution point: a loopback server answers once; the second
     check is answered from the checker's cache. */
  struct crl_server server = {socket(AF_INET, SOCK_STREAM, 0), NULL, 0, 0};
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t addr_len = sizeof addr;
  if (server.fd >= 0 && bind(server.fd, (struct sockaddr *)&addr, sizeof addr) == 0 &&
      listen(server.fd, 4) == 0 &&
      getsockname(server.fd, (struct sockaddr *)&addr, &addr_len) == 0) {
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/ca.crl", (unsigned)ntohs(addr.sin_port));
    ezla_identity *fetched = NULL;
    ezla_certificate *fetched_cert = NULL;
    REQUIRE_OK(ezla_test_ca_issue_doctor_with_crl_url(ca, "Ewa", "Pobrana", PESEL,
                                                      EZLA_KEY_TYPE_P256, now - DAY, 0, url,
                                                      &fetched, NULL));
    REQUIRE_OK(ezla_identity_certificate(fetched, &fetched_cert, NULL));
    ezla_revoked_certificate listed = {fetched_cert, revoked_at, 4};
    REQUIRE_OK(ezla_test_ca_issue_crl(ca, &listed, 1, EZLA_NOW, EZLA_NOW, 3, &crl, NULL));
    server.body = crl.data;
    server.len = crl.len;
    REQUIRE_OK(ezla_revocation_checker_new(&c, NULL));
    REQUIRE_OK(ezla_revocation_checker_enable_fetch(c, NULL, 0, 10, NULL));
    CHECK(ezla_revocation_checker_fetches(c));
    thrd_t t;
    if (thrd_create(&t, serve_crl, &server) == thrd_success) {
      CHECK_RC(ezla_revocation_checker_check(c, fetched_cert, ca_cert, before, &info, NULL),
               EZLA_RESULT_OK);
      thrd_join(t, NULL);
      CHECK(server.served == 1);
      CHECK_STR(ezla_revocation_info_source_kind(info), "fetched");
      CHECK_STR(ezla_revocation_info_source(info), url);
      CHECK_STR(ezla_revocation_info_status(info), "revoked_later");
      CHECK_STR(ezla_revocation_info_reason(info), "superseded");
      CHECK_STR(ezla_revocation_info_crl_number(info), "03");
      ezla_revocation_info_free(info);
      info = NULL;
      /* The server has gone: from the cache. */
      CHECK_RC(ezla_revocation_checker_check(c, fetched_cert, ca_cert, before, &info, NULL),
               EZLA_RESULT_OK);
      CHECK_STR(ezla_revocation_info_source_kind(info), "cached");
      CHECK_STR(ezla_revocation_info_source(info), url);
      ezla_revocation_info_free(info);
      info = NULL;
      CHECK_RC(ezla_revocation_checker_check(c, fetched_cert, ca_cert, EZLA_NOW, &info, NULL),
               EZLA_RESULT_CERTIFICATE_REVOKED);
      /* The victim names the test URL (http://ezla-test-ca.invalid/...), which cannot be
         reached: a transport error, not a verdict. */
      ezla_result rc = ezla_revocation_checker_check(c, victim_cert, ca_cert, EZLA_NOW, &info,
                                                     NULL);
      CHECK(rc != EZLA_RESULT_OK && rc != EZLA_RESULT_CERTIFICATE_REVOKED && info == NULL);
    } else {
      CHECK(!"thrd_create failed");
    }
    ezla_revocation_checker_free(c);
    c = NULL;
    ezla_buffer_free(&crl);
    ezla_certificate_free(fetched_cert);
    ezla_identity_free(fetched);
  } else {
    CHECK(!"no loopback socket for the CRL server");
  }
  if (server.fd >= 0) close(server.fd);

  ezla_buffer_free(&crl_good);
  ezla_buffer_free(&crl_revoked);
  ezla_revocation_checker_free(good);
  ezla_revocation_checker_free(revoked);
  ezla_revocation_checker_free(empty);
  ezla_test_ca_free(other);
  ezla_test_ca_free(twin);
  ezla_trust_anchors_free(trust);
  ezla_certificate_free(victim_cert);
  ezla_identity_free(victim);
}

/* ---------------------------------------------------------------------------------------- */
/* e-ZLA documents. */

#define TODAY 1796126400LL /* 2026-12-01T12:00:00Z */
#define ZLA_JSON(pesel) ZLA_JSON_FROM(pesel, "2026-11-30")
#define ZLA_JSON_FROM(pesel, od)                                                           \
  "{\n"                                                                                    \
  "  \"ubezpieczony\": { \"pesel\": \"" pesel "\", \"imie\": \"Jan\",\n"                    \
  "                    \"nazwisko\": \"Kowalski\", \"kod_ubezpieczenia\": \"zus\" },\n"     \
  "  \"adres\": { \"kod_pocztowy\": \"00950\", \"miejscowosc\": \"Warszawa\",\n"             \
  "             \"ulica\": \"D\xc5\x82uga\", \"nr_domu\": \"5\" },\n"                        \
  "  \"niezdolnosc\": { \"okres\": { \"od\": \"" od "\", \"do\": \"2026-12-06\" },\n"       \
  "                   \"wskazanie\": \"moze_chodzic\", \"kod_choroby\": \"J06\" },\n"       \
  "  \"platnik\": { \"rodzaj\": \"nip\", \"identyfikator\": \"1234563218\" },\n"             \
  "  \"placowka\": { \"nazwa\": \"Przychodnia\", \"kod_pocztowy\": \"00950\",\n"             \
  "                \"miejscowosc\": \"Warszawa\", \"nr_domu\": \"1\" },\n"                  \
  "  \"lekarz\": { \"npwz\": \"5425740\", \"imie\": \"Anna\", \"nazwisko\": \"Nowak\" },\n"  \
  "  \"wystawienie\": { \"data_wystawienia\": \"2026-12-01\" }\n"                           \
  "}\n"

/* Hostile input: deep nesting and huge attribute lists come back as typed errors (before the
 * parser and the XPath evaluator were bounded, the deep inputs overflowed the stack). */
static char *repeat(const char *unit, size_t n, const char *middle, const char *close_unit) {
  size_t u = strlen(unit), m = strlen(middle), c = strlen(close_unit);
  char *out = malloc(n * (u + c) + m + 1);
  char *p = out;
  if (!out) return NULL;
  for (size_t i = 0; i < n; i++, p += u) memcpy(p, unit, u);
  memcpy(p, middle, m);
  p += m;
  for (size_t i = 0; i < n; i++, p += c) memcpy(p, close_unit, c);
  *p = 0;
  return out;
}

static void check_hostile(const char *what, const char *doc, ezla_result want) {
  ezla_report *report = NULL;
  ezla_error *err = NULL;
  ezla_result rc = ezla_xades_verify((const uint8_t *)doc, strlen(doc), NULL, &report, &err);
  if (rc != want) fprintf(stderr, "hostile input %s: got %d\n", what, (int)rc);
  CHECK(rc == want);
  CHECK(report == NULL);
  CHECK(err != NULL && strlen(ezla_error_message(err)) < 500);
  ezla_error_free(err);
}

static void test_hostile_input(void) {
  const size_t n = 100000;
  char *deep = repeat("<a>", n, "", "</a>");
  char *attrs = repeat(" a=\"\"", n, "", "");
  char *xpath = repeat("(", n, "1", ")");
  char *doc = NULL;
  size_t len;
  CHECK(deep && attrs && xpath);
  if (!deep || !attrs || !xpath) goto out;
  check_hostile("deep elements", deep, EZLA_RESULT_XML_LIMIT_EXCEEDED);

  len = strlen(attrs) + 16;
  doc = malloc(len);
  if (!doc) goto out;
  snprintf(doc, len, "<r%s/>", attrs);
  check_hostile("huge attribute list", doc, EZLA_RESULT_XML_LIMIT_EXCEEDED);
  free(doc);

  len = strlen(xpath) + 1024;
  doc = malloc(len);
  if (!doc) goto out;
  snprintf(doc, len,
           "<r><ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>"
           "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>"
           "<ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/>"
           "<ds:Reference URI=\"\"><ds:Transforms><ds:Transform Algorithm=\"http://www.w3.org/2002/06/xmldsig-filter2\">"
           "<x:XPath xmlns:x=\"http://www.w3.org/2002/06/xmldsig-filter2\" Filter=\"subtract\">%s</x:XPath>"
           "</ds:Transform></ds:Transforms><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>"
           "<ds:DigestValue>AAAA</ds:DigestValue></ds:Reference></ds:SignedInfo>"
           "<ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature></r>",
           xpath);
  check_hostile("deep XPath", doc, EZLA_RESULT_XML_LIMIT_EXCEEDED);
  check_hostile("surrogate reference", "<r>&#xD800;</r>", EZLA_RESULT_XML_MALFORMED);
out:
  free(doc);
  free(deep);
  free(attrs);
  free(xpath);
}

static void test_kedu(void) {
  ezla_zla *zla = NULL, *bad = NULL, *back = NULL;
  ezla_validation *v = NULL;
  ezla_error *err = NULL;
  ezla_buffer oryginal = {NULL, 0}, kopia = {NULL, 0}, json = {NULL, 0}, out = {NULL, 0};
  ezla_wariant wariant = 99;

  /* From JSON. */
  CHECK_RC(ezla_zla_from_json(NULL, &zla, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zla_from_json(ZLA_JSON(PESEL), NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zla_from_json(BAD_UTF8, &zla, NULL), EZLA_RESULT_INVALID_UTF8);
  CHECK_RC(ezla_zla_from_json("{\"ubezpieczony\": ", &zla, NULL), EZLA_RESULT_JSON_MALFORMED);
  CHECK_RC(ezla_zla_from_json("{\"nieznane\": 1}", &zla, &err), EZLA_RESULT_JSON_MALFORMED);
  CHECK_CONTAINS(ezla_error_message(err), "nieznane");
  ezla_error_free(err);
  err = NULL;
  /* A section given as an array is refused (not read field by field in order). */
  CHECK_RC(ezla_zla_from_json("{\"lekarz\": [\"Jan\", \"Kowalski\", \"5425740\"]}", &zla, &err),
           EZLA_RESULT_JSON_MALFORMED);
  CHECK_CONTAINS(ezla_error_message(err), "`lekarz`");
  ezla_error_free(err);
  err = NULL;
  CHECK(zla == NULL);
  REQUIRE_OK(ezla_zla_from_json(ZLA_JSON(PESEL), &zla, NULL));
  CHECK_RC(ezla_zla_to_json(zla, &json, NULL), EZLA_RESULT_OK);
  CHECK(buffer_contains(&json, "\"pesel\": \"" PESEL "\""));
  ezla_buffer_free(&json);
  CHECK_RC(ezla_zla_to_json(NULL, &json, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zla_to_json(zla, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);

  /* Validate: a valid model ... */
  CHECK_RC(ezla_zla_validate(NULL, TODAY, &v, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zla_validate(zla, TODAY, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zla_validate(zla, INT64_MAX, &v, NULL), EZLA_RESULT_INVALID_ARGUMENT);
  CHECK(v == NULL);
  REQUIRE_OK(ezla_zla_validate(zla, TODAY, &v, NULL));
  CHECK(ezla_validation_is_valid(v));
  CHECK(ezla_validation_error_count(v) == 0);
  for (size_t i = 0; i < ezla_validation_problem_count(v); i++)
    CHECK(ezla_validation_problem_severity(v, i) == EZLA_SEVERITY_WARNING);
  ezla_validation_free(v);
  v = NULL;

  /* ... and one with a wrong PESEL check digit: every problem with its path. */
  REQUIRE_OK(ezla_zla_from_json(ZLA_JSON("44051401358"), &bad, NULL));
  REQUIRE_OK(ezla_zla_validate(bad, TODAY, &v, NULL));
  CHECK(!ezla_validation_is_valid(v));
  CHECK(ezla_validation_error_count(v) >= 1);
  CHECK(ezla_validation_problem_count(v) >= ezla_validation_error_count(v));
  size_t pesel_at = (size_t)-1;
  for (size_t i = 0; i < ezla_validation_problem_count(v); i++)
    if (strcmp(ezla_validation_problem_path(v, i), "ubezpieczony.pesel") == 0) pesel_at = i;
  CHECK(pesel_at != (size_t)-1);
  if (pesel_at != (size_t)-1) {
    CHECK(ezla_validation_problem_severity(v, pesel_at) == EZLA_SEVERITY_ERROR);
    CHECK_CONTAINS(ezla_validation_problem_element(v, pesel_at), "II/p1");
    CHECK(strlen(ezla_validation_problem_message(v, pesel_at)) > 0);
    CHECK(strlen(ezla_validation_problem_rule(v, pesel_at)) > 0);
    CHECK(!ezla_validation_problem_inferred(v, pesel_at));
  }
  size_t n = ezla_validation_problem_count(v);
  CHECK(ezla_validation_problem_path(v, n) == NULL);
  CHECK(ezla_validation_problem_element(v, n) == NULL);
  CHECK(ezla_validation_problem_message(v, n) == NULL);
  CHECK(ezla_validation_problem_rule(v, n) == NULL);
  CHECK(!ezla_validation_problem_inferred(v, n));
  CHECK(ezla_validation_problem_severity(v, n) == EZLA_SEVERITY_ERROR);
  CHECK_RC(ezla_validation_to_json(v, &json, NULL), EZLA_RESULT_OK);
  CHECK(starts_with(json.data, json.len, "{\"problems\":["));
  CHECK(buffer_contains(&json, "\"path\":\"ubezpieczony.pesel\""));
  CHECK(buffer_contains(&json, "\"severity\":\"error\""));
  ezla_buffer_free(&json);
  CHECK_RC(ezla_validation_to_json(NULL, &json, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_validation_to_json(v, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  ezla_validation_free(v);
  v = NULL;

  /* Hostile text: a zero-width space in a name is refused, named by its code point. */
  {
    ezla_zla *hostile = NULL;
    REQUIRE_OK(
        ezla_zla_from_json("{\"ubezpieczony\": {\"imie\": \"J\\u200ban\"}}", &hostile, NULL));
    REQUIRE_OK(ezla_zla_validate(hostile, TODAY, &v, NULL));
    size_t imie_at = (size_t)-1;
    for (size_t i = 0; i < ezla_validation_problem_count(v); i++)
      if (strcmp(ezla_validation_problem_path(v, i), "ubezpieczony.imie") == 0) imie_at = i;
    CHECK(imie_at != (size_t)-1);
    CHECK_STR(ezla_validation_problem_rule(v, imie_at), "znaki");
    CHECK_CONTAINS(ezla_validation_problem_message(v, imie_at), "U+200B");
    ezla_validation_free(v);
    v = NULL;
    ezla_zla_free(hostile);
  }
  CHECK(!ezla_validation_is_valid(NULL));
  CHECK(ezla_validation_problem_count(NULL) == 0);
  CHECK(ezla_validation_error_count(NULL) == 0);
  CHECK(ezla_validation_problem_path(NULL, 0) == NULL);
  CHECK(ezla_validation_problem_element(NULL, 0) == NULL);
  CHECK(ezla_validation_problem_message(NULL, 0) == NULL);
  CHECK(ezla_validation_problem_rule(NULL, 0) == NULL);
  CHECK(!ezla_validation_problem_inferred(NULL, 0));
  CHECK(ezla_validation_problem_severity(NULL, 0) == EZLA_SEVERITY_ERROR);
  ezla_validation_free(NULL);

  /* Writing: an invalid model is refused with every problem in the message. */
  ezla_write_options wo = ezla_write_options_default();
  CHECK(wo.producent == NULL && wo.symbol == NULL && wo.wersja == NULL && wo.today == EZLA_NOW);
  wo.today = TODAY;
  CHECK_RC(ezla_zla_to_xml(bad, EZLA_WARIANT_ORYGINAL, &wo, &out, &err),
           EZLA_RESULT_DOCUMENT_INVALID);
  CHECK_CONTAINS(ezla_error_message(err), "ubezpieczony.pesel");
  ezla_error_free(err);
  err = NULL;
  CHECK(out.data == NULL);

  /* ORYGINAŁ and KOPIA; the KOPIA never carries the ICD-10 code. */
  wo.producent = "Przychodnia Soft";
  REQUIRE_OK(ezla_zla_to_xml(zla, EZLA_WARIANT_ORYGINAL, &wo, &oryginal, NULL));
  REQUIRE_OK(ezla_zla_to_xml(zla, EZLA_WARIANT_KOPIA, &wo, &kopia, NULL));
  CHECK(starts_with(oryginal.data, oryginal.len, "<?xml"));
  CHECK(buffer_contains(&oryginal, "<p8>J06</p8>"));
  CHECK(buffer_contains(&oryginal, "ORYGINA\xc5\x81"));
  CHECK(buffer_contains(&oryginal, "Przychodnia Soft"));
  CHECK(buffer_contains(&kopia, "KOPIA"));
  CHECK(!buffer_contains(&kopia, "J06"));
  CHECK_RC(ezla_zla_to_xml(zla, 7, &wo, &out, NULL), EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_zla_to_xml(NULL, EZLA_WARIANT_KOPIA, &wo, &out, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zla_to_xml(zla, EZLA_WARIANT_KOPIA, &wo, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  ezla_write_options wbad = wo;
  wbad.symbol = " ";
  CHECK_RC(ezla_zla_to_xml(zla, EZLA_WARIANT_KOPIA, &wbad, &out, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  wbad = wo;
  wbad.wersja = BAD_UTF8;
  CHECK_RC(ezla_zla_to_xml(zla, EZLA_WARIANT_KOPIA, &wbad, &out, NULL),
           EZLA_RESULT_INVALID_UTF8);
  wbad = wo;
  wbad.today = INT64_MAX;
  CHECK_RC(ezla_zla_to_xml(zla, EZLA_WARIANT_KOPIA, &wbad, &out, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK(out.data == NULL);

  /* Back from XML, and checked as the document it is. */
  CHECK_RC(ezla_zla_from_xml(kopia.data, kopia.len, &back, &wariant, NULL), EZLA_RESULT_OK);
  CHECK(wariant == EZLA_WARIANT_KOPIA);
  CHECK_RC(ezla_zla_to_json(back, &json, NULL), EZLA_RESULT_OK);
  CHECK(!buffer_contains(&json, "J06"));
  ezla_buffer_free(&json);
  ezla_zla_free(back);
  back = NULL;
  CHECK_RC(ezla_zla_from_xml(oryginal.data, oryginal.len, &back, NULL, NULL), EZLA_RESULT_OK);
  ezla_zla_free(back);
  back = NULL;
  CHECK_RC(ezla_zla_from_xml(NULL, 3, &back, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zla_from_xml(kopia.data, kopia.len, NULL, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zla_from_xml((const uint8_t *)"<a/>", 4, &back, NULL, NULL),
           EZLA_RESULT_DOCUMENT_MALFORMED);
  CHECK_RC(ezla_zla_from_xml((const uint8_t *)"<a", 2, &back, NULL, NULL),
           EZLA_RESULT_XML_MALFORMED);
  CHECK(back == NULL);

  CHECK_RC(ezla_kedu_check(kopia.data, kopia.len, TODAY, &v, NULL), EZLA_RESULT_OK);
  CHECK(ezla_validation_is_valid(v));
  ezla_validation_free(v);
  v = NULL;
  CHECK_RC(ezla_kedu_check(NULL, 3, TODAY, &v, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_kedu_check(kopia.data, kopia.len, TODAY, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_kedu_check(kopia.data, kopia.len, INT64_MAX, &v, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_kedu_check((const uint8_t *)"<a/>", 4, TODAY, &v, NULL),
           EZLA_RESULT_DOCUMENT_MALFORMED);
  CHECK(v == NULL);

  /* Sign the ORYGINAŁ, verify it, and read the signed document back. */
  ezla_buffer signed_doc = {NULL, 0};
  ezla_report *report = NULL;
  CHECK_RC(ezla_xades_sign_with_identity(oryginal.data, oryginal.len, doctor, NULL, &signed_doc,
                                         NULL),
           EZLA_RESULT_OK);
  CHECK_RC(ezla_xades_verify(signed_doc.data, signed_doc.len, NULL, &report, NULL),
           EZLA_RESULT_OK);
  CHECK_STR(ezla_report_document_element(report), "{http://www.zus.pl/2015/KED_ZLA_1}KEDU");
  ezla_report_free(report);
  CHECK_RC(ezla_kedu_check(signed_doc.data, signed_doc.len, TODAY, &v, NULL), EZLA_RESULT_OK);
  CHECK(ezla_validation_is_valid(v));
  ezla_validation_free(v);
  ezla_buffer_free(&signed_doc);

  /* The pair read back into one model. */
  CHECK_RC(ezla_zla_from_pair(oryginal.data, oryginal.len, kopia.data, kopia.len, &back, NULL),
           EZLA_RESULT_OK);
  CHECK_RC(ezla_zla_to_json(back, &json, NULL), EZLA_RESULT_OK);
  CHECK(buffer_contains(&json, "J06"));
  ezla_buffer_free(&json);
  ezla_zla_free(back);
  back = NULL;
  CHECK_RC(ezla_zla_from_pair(kopia.data, kopia.len, oryginal.data, oryginal.len, &back, NULL),
           EZLA_RESULT_DOCUMENT_MALFORMED);
  CHECK_RC(ezla_zla_from_pair(NULL, 2, kopia.data, kopia.len, &back, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zla_from_pair(oryginal.data, oryginal.len, NULL, 2, &back, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zla_from_pair(oryginal.data, oryginal.len, kopia.data, kopia.len, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK(back == NULL);

  CHECK_STR(ezla_wariant_name(EZLA_WARIANT_ORYGINAL), "ORYGINA\xc5\x81");
  CHECK_STR(ezla_wariant_name(EZLA_WARIANT_KOPIA), "KOPIA");
  CHECK_STR(ezla_wariant_name(5), "unknown");

  ezla_buffer_free(&oryginal);
  ezla_buffer_free(&kopia);
  ezla_zla_free(bad);
  ezla_zla_free(zla);
  ezla_zla_free(NULL);
}

/* Planning: a request reaching back 11 days, for two payers. */
static void test_plan(void) {
  ezla_zla *t = NULL;
  ezla_zla_plan *plan = NULL;
  ezla_validation *v = NULL;
  ezla_error *err = NULL;
  const char *payers = "[{\"rodzaj\": \"nip\", \"identyfikator\": \"1234563218\"},"
                       " {\"rodzaj\": \"nip\", \"identyfikator\": \"5260250274\"}]";
  REQUIRE_OK(ezla_zla_from_json(ZLA_JSON_FROM(PESEL, "2026-11-20"), &t, NULL));
  CHECK_RC(ezla_zla_plan_new(NULL, payers, &plan, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zla_plan_new(t, payers, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zla_plan_new(t, BAD_UTF8, &plan, NULL), EZLA_RESULT_INVALID_UTF8);
  CHECK_RC(ezla_zla_plan_new(t, "[{\"x\": 1}]", &plan, &err), EZLA_RESULT_JSON_MALFORMED);
  CHECK(err != NULL);
  ezla_error_free(err);
  CHECK(plan == NULL);
  ezla_zla *empty = NULL;
  REQUIRE_OK(ezla_zla_from_json("{}", &empty, NULL));
  CHECK_RC(ezla_zla_plan_new(empty, NULL, &plan, NULL), EZLA_RESULT_INVALID_ARGUMENT);
  ezla_zla_free(empty);

  /* The template's own payer: the period splits in two. */
  REQUIRE_OK(ezla_zla_plan_new(t, NULL, &plan, NULL));
  CHECK(ezla_zla_plan_len(plan) == 2);
  CHECK(ezla_zla_plan_is_retroactive(plan, 0));
  CHECK(!ezla_zla_plan_is_retroactive(plan, 1));
  ezla_zla_plan_free(plan);
  plan = NULL;

  REQUIRE_OK(ezla_zla_plan_new(t, payers, &plan, NULL));
  CHECK(ezla_zla_plan_len(plan) == 4);
  CHECK(ezla_zla_plan_is_retroactive(plan, 0) && ezla_zla_plan_is_retroactive(plan, 1));
  CHECK(!ezla_zla_plan_is_retroactive(plan, 2) && !ezla_zla_plan_is_retroactive(plan, 3));
  CHECK(!ezla_zla_plan_is_retroactive(plan, 4));
  CHECK(ezla_zla_plan_get(plan, 4) == NULL);
  /* The retroactive part needs a justification; the current part is ready to write. */
  CHECK_RC(ezla_zla_validate(ezla_zla_plan_get(plan, 0), TODAY, &v, NULL), EZLA_RESULT_OK);
  CHECK(!ezla_validation_is_valid(v));
  ezla_validation_free(v);
  v = NULL;
  CHECK_RC(ezla_zla_validate(ezla_zla_plan_get(plan, 3), TODAY, &v, NULL), EZLA_RESULT_OK);
  CHECK(ezla_validation_is_valid(v));
  ezla_validation_free(v);
  ezla_buffer json = {NULL, 0};
  CHECK_RC(ezla_zla_to_json(ezla_zla_plan_get(plan, 3), &json, NULL), EZLA_RESULT_OK);
  CHECK(buffer_contains(&json, "5260250274"));
  CHECK(buffer_contains(&json, "\"od\": \"2026-11-28\""));
  ezla_buffer_free(&json);
  CHECK(ezla_zla_plan_len(NULL) == 0);
  CHECK(ezla_zla_plan_get(NULL, 0) == NULL);
  CHECK(!ezla_zla_plan_is_retroactive(NULL, 0));
  ezla_zla_plan_free(plan);
  ezla_zla_plan_free(NULL);
  ezla_zla_free(t);
}

/* Cancellations (AZLA, provisional layout). */
#define AZLA_JSON(reason)                                                                  \
  "{ \"anulowane_zla\": { \"seria\": \"ZW\", \"numer\": \"1234567\" },\n"                  \
  "  \"przyczyna\": \"" reason "\",\n"                                                     \
  "  \"lekarz\": { \"npwz\": \"5425740\", \"imie\": \"Anna\", \"nazwisko\": \"Nowak\" },\n"  \
  "  \"data\": \"2026-12-01\" }\n"

static void test_azla(void) {
  ezla_azla *a = NULL, *other = NULL, *back = NULL;
  ezla_validation *v = NULL;
  ezla_buffer xml = {NULL, 0}, json = {NULL, 0};
  ezla_error *err = NULL;
  ezla_write_options wo = ezla_write_options_default();
  wo.today = TODAY;

  CHECK_RC(ezla_azla_from_json(NULL, &a, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_azla_from_json(AZLA_JSON("dane_platnika"), NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_azla_from_json(BAD_UTF8, &a, NULL), EZLA_RESULT_INVALID_UTF8);
  CHECK_RC(ezla_azla_from_json("{\"x\": 1}", &a, NULL), EZLA_RESULT_JSON_MALFORMED);
  CHECK(a == NULL);
  REQUIRE_OK(ezla_azla_from_json(AZLA_JSON("dane_platnika"), &a, NULL));

  CHECK_RC(ezla_azla_validate(NULL, TODAY, &v, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_azla_validate(a, TODAY, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_azla_validate(a, INT64_MAX, &v, NULL), EZLA_RESULT_INVALID_ARGUMENT);
  REQUIRE_OK(ezla_azla_validate(a, TODAY, &v, NULL));
  CHECK(ezla_validation_is_valid(v));
  ezla_validation_free(v);
  v = NULL;

  /* Reason I (another reason) needs an explanation. */
  REQUIRE_OK(ezla_azla_from_json(AZLA_JSON("inny_powod"), &other, NULL));
  REQUIRE_OK(ezla_azla_validate(other, TODAY, &v, NULL));
  CHECK(!ezla_validation_is_valid(v));
  CHECK_STR(ezla_validation_problem_path(v, 0), "uzasadnienie");
  ezla_validation_free(v);
  v = NULL;
  CHECK_RC(ezla_azla_to_xml(other, &wo, &xml, &err), EZLA_RESULT_DOCUMENT_INVALID);
  CHECK_CONTAINS(ezla_error_message(err), "uzasadnienie");
  ezla_error_free(err);
  CHECK(xml.data == NULL);

  CHECK_RC(ezla_azla_to_xml(NULL, &wo, &xml, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_azla_to_xml(a, &wo, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  REQUIRE_OK(ezla_azla_to_xml(a, &wo, &xml, NULL));
  CHECK(buffer_contains(&xml, "ZUSAZLA"));
  CHECK(buffer_contains(&xml, "1234567"));
  CHECK_RC(ezla_azla_from_xml(xml.data, xml.len, &back, NULL), EZLA_RESULT_OK);
  CHECK_RC(ezla_azla_to_json(back, &json, NULL), EZLA_RESULT_OK);
  CHECK(buffer_contains(&json, "\"numer\": \"1234567\""));
  ezla_buffer_free(&json);
  CHECK_RC(ezla_azla_to_json(NULL, &json, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_azla_to_json(a, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  ezla_azla_free(back);
  back = NULL;
  CHECK_RC(ezla_azla_from_xml(NULL, 3, &back, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_azla_from_xml(xml.data, xml.len, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_azla_from_xml((const uint8_t *)"<a/>", 4, &back, NULL),
           EZLA_RESULT_DOCUMENT_MALFORMED);
  CHECK(back == NULL);

  /* Signed like any KEDU document. */
  ezla_buffer signed_doc = {NULL, 0};
  ezla_report *report = NULL;
  CHECK_RC(ezla_xades_sign_with_identity(xml.data, xml.len, doctor, NULL, &signed_doc, NULL),
           EZLA_RESULT_OK);
  CHECK_RC(ezla_xades_verify(signed_doc.data, signed_doc.len, NULL, &report, NULL),
           EZLA_RESULT_OK);
  ezla_report_free(report);
  ezla_buffer_free(&signed_doc);

  ezla_buffer_free(&xml);
  ezla_azla_free(other);
  ezla_azla_free(a);
  ezla_azla_free(NULL);
}

/* The e-ZLA sample from the shared corpus (skipped with a notice when it is absent). */
static void test_vector_sample(void) {
  const char *path = "../shared/vectors/ezla/ked_zla_unsigned_oryginal_medfile.xml";
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "note: %s is absent; its tests are skipped\n", path);
    return;
  }
  static uint8_t xml[1 << 16];
  size_t len = fread(xml, 1, sizeof xml, f);
  fclose(f);
  ezla_zla *zla = NULL;
  ezla_wariant wariant = 99;
  ezla_validation *v = NULL;
  ezla_buffer signed_doc = {NULL, 0};
  ezla_report *report = NULL;
  CHECK_RC(ezla_zla_from_xml(xml, len, &zla, &wariant, NULL), EZLA_RESULT_OK);
  CHECK(wariant == EZLA_WARIANT_ORYGINAL);
  CHECK_RC(ezla_kedu_check(xml, len, EZLA_NOW, &v, NULL), EZLA_RESULT_OK);
  CHECK(v != NULL);
  CHECK_RC(ezla_xades_sign_with_identity(xml, len, doctor, NULL, &signed_doc, NULL),
           EZLA_RESULT_OK);
  CHECK_RC(ezla_xades_verify(signed_doc.data, signed_doc.len, NULL, &report, NULL),
           EZLA_RESULT_OK);
  CHECK_STR(ezla_report_signer_pesel(report), PESEL);
  ezla_report_free(report);
  ezla_buffer_free(&signed_doc);
  ezla_validation_free(v);
  ezla_zla_free(zla);
}

/* ---------------------------------------------------------------------------------------- */
/* Immutable objects are shared between threads: one identity, one set of anchors. */

struct thread_job {
  const ezla_identity *id;
  const ezla_trust_anchors *trust;
  int ok; /* rounds that signed and verified */
};

static int sign_verify_thread(void *arg) {
  struct thread_job *job = arg;
  for (int i = 0; i < 3; i++) {
    ezla_buffer signed_doc = {NULL, 0};
    ezla_report *report = NULL;
    ezla_verify_options vo = ezla_verify_options_default();
    vo.trust = job->trust;
    if (ezla_xades_sign_with_identity((const uint8_t *)DOC, sizeof DOC - 1, job->id, NULL,
                                      &signed_doc, NULL) == EZLA_RESULT_OK &&
        ezla_xades_verify(signed_doc.data, signed_doc.len, &vo, &report, NULL) ==
            EZLA_RESULT_OK &&
        strcmp(ezla_report_trust(report), "chain") == 0)
      job->ok++;
    ezla_report_free(report);
    ezla_buffer_free(&signed_doc);
  }
  return 0;
}

static void test_threads(void) {
  enum { N = 4 };
  thrd_t threads[N];
  struct thread_job jobs[N];
  ezla_trust_anchors *trust = NULL;
  REQUIRE_OK(ezla_trust_anchors_new(&trust, NULL));
  REQUIRE_OK(ezla_trust_anchors_add(trust, ca_cert, NULL));
  int started = 0;
  for (int i = 0; i < N; i++) {
    jobs[i].id = i % 2 ? doctor : doctor_ec;
    jobs[i].trust = trust;
    jobs[i].ok = 0;
    if (thrd_create(&threads[i], sign_verify_thread, &jobs[i]) == thrd_success) started++;
    else break;
  }
  CHECK(started == N);
  for (int i = 0; i < started; i++) {
    thrd_join(threads[i], NULL);
    CHECK(jobs[i].ok == 3);
  }
  ezla_trust_anchors_free(trust);
}

/* ---------------------------------------------------------------------------------------- */
/* The ZUS client, offline: arguments, defaults, a server that is not there. The flows against
 * the simulator are examples/c/issue_zla.c and examples/c/zus_lookups.c (scripts/test-c.sh). */

/* The look-ups, validation, send, documents, session and signer calls, offline: arguments
 * are checked before any I/O, a client without a session is refused, and a resumed
 * session meets the refused connection. */
static void test_zus_offline_lookups(ezla_zus_config *config) {
  ezla_zus_client *client = NULL;
  ezla_zus_records *records = NULL;
  ezla_buffer buffer = {NULL, 0};
  ezla_error *err = NULL;
  int may = 7;
  CHECK(config->retry_attempts == 0 && config->retry_base_delay_ms == 0 && config->npwz == NULL);
  config->retry_attempts = 1; /* no retries against the closed port */
  config->npwz = "5425740";
  REQUIRE_OK(ezla_zus_client_new(config, &client, NULL));
  /* Not logged in: each is refused before any I/O, and nothing is written. */
  CHECK_RC(ezla_zus_client_doctor(client, &records, &err), EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_CONTAINS(ezla_error_message(err), "logged in");
  CHECK(ezla_error_zus_findings(err) == NULL);
  ezla_error_free(err);
  err = NULL;
  CHECK(ezla_error_zus_findings(NULL) == NULL);
  CHECK_RC(ezla_zus_client_places_of_work(client, &records, NULL), EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_zus_client_reserve_number(client, &records, NULL), EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_zus_client_may_issue_on(client, NULL, &may, NULL), EZLA_RESULT_INVALID_ARGUMENT);
  CHECK(may == 7 && records == NULL);
  /* The session: none yet (an empty buffer), then one resumed from elsewhere. */
  REQUIRE_OK(ezla_zus_client_session_id(client, &buffer, NULL));
  CHECK(buffer.len == 0);
  ezla_buffer_free(&buffer);
  CHECK_RC(ezla_zus_client_session_id(client, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_session_id(NULL, &buffer, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_resume(client, "", NULL), EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_zus_client_resume(client, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_resume(NULL, "abc", NULL), EZLA_RESULT_NULL_PARAMETER);
  REQUIRE_OK(ezla_zus_client_resume(client, "0123456789abcdef", NULL));
  CHECK(ezla_zus_client_is_logged_in(client));
  REQUIRE_OK(ezla_zus_client_session_id(client, &buffer, NULL));
  CHECK(buffer.len == 16 && memcmp(buffer.data, "0123456789abcdef", 16) == 0);
  ezla_buffer_free(&buffer);
  /* With a session, arguments are still checked first... */
  CHECK_RC(ezla_zus_client_may_issue_on(client, "2026-13-01", &may, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_zus_client_may_issue_on(client, NULL, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_patient(client, "12345678901", NULL, &records, &err),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_CONTAINS(ezla_error_message(err), "pesel");
  ezla_error_free(err);
  err = NULL;
  CHECK_RC(ezla_zus_client_patient(client, PESEL, "Ciekawosc", &records, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_zus_client_payers(client, NULL, &records, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_family(client, PESEL, "Ciekawosc", &records, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_zus_client_letter_codes(client, PESEL, "1.12.2026", "J06", &records, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_zus_client_letter_codes(client, PESEL, "2026-12-01", NULL, &records, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_dictionary(client, "colours", &records, &err),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_CONTAINS(ezla_error_message(err), "kinship");
  ezla_error_free(err);
  err = NULL;
  CHECK_RC(ezla_zus_client_doctor(client, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_places_of_work(NULL, &records, NULL), EZLA_RESULT_NULL_PARAMETER);
  static const char kedu[] = "<KEDU/>";
  ezla_zus_document doc = {(const uint8_t *)kedu, sizeof kedu - 1, NULL, "ORYGINALNY",
                           "ZY0000001"};
  CHECK_RC(ezla_zus_client_validate(client, &doc, 0, &records, NULL), EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_zus_client_validate(client, NULL, 1, &records, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_send(client, &doc, 1, &records, &err), EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_CONTAINS(ezla_error_message(err), "kind");
  ezla_error_free(err);
  err = NULL;
  doc.kind = "ORYGINAL";
  doc.seria_numer = "ZY12";
  CHECK_RC(ezla_zus_client_send(client, &doc, 1, &records, NULL), EZLA_RESULT_INVALID_ARGUMENT);
  static const uint8_t not_utf8[] = {0xff, 0xfe};
  ezla_zus_document bad = {not_utf8, sizeof not_utf8, NULL, NULL, NULL};
  CHECK_RC(ezla_zus_client_validate(client, &bad, 1, &records, NULL), EZLA_RESULT_INVALID_UTF8);
  CHECK_RC(ezla_zus_client_document(client, "ZLA", "ZY12", &buffer, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_zus_client_document(client, "PISMO", "ZY0000001", &buffer, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_zus_client_receipt(client, "KOPIA", "ZY0000001", NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK(records == NULL && buffer.data == NULL);
  /* ...and then each meets the refused connection (a transport error, no findings). */
  CHECK_RC(ezla_zus_client_doctor(client, &records, &err), EZLA_RESULT_CONNECT_FAILED);
  CHECK(ezla_error_zus_findings(err) == NULL && ezla_error_zus_code(err) == NULL);
  ezla_error_free(err);
  err = NULL;
  CHECK_RC(ezla_zus_client_places_of_work(client, &records, NULL), EZLA_RESULT_CONNECT_FAILED);
  CHECK_RC(ezla_zus_client_may_issue_on(client, "2026-12-01", &may, NULL),
           EZLA_RESULT_CONNECT_FAILED);
  CHECK_RC(ezla_zus_client_patient(client, PESEL, NULL, &records, NULL), EZLA_RESULT_CONNECT_FAILED);
  CHECK_RC(ezla_zus_client_payers(client, PESEL, &records, NULL), EZLA_RESULT_CONNECT_FAILED);
  CHECK_RC(ezla_zus_client_family(client, PESEL, NULL, &records, NULL), EZLA_RESULT_CONNECT_FAILED);
  CHECK_RC(ezla_zus_client_letter_codes(client, PESEL, "2026-12-01", "J06", &records, NULL),
           EZLA_RESULT_CONNECT_FAILED);
  CHECK_RC(ezla_zus_client_dictionary(client, "kinship", &records, NULL),
           EZLA_RESULT_CONNECT_FAILED);
  CHECK_RC(ezla_zus_client_reserve_number(client, &records, NULL), EZLA_RESULT_CONNECT_FAILED);
  doc.seria_numer = "ZY0000001";
  CHECK_RC(ezla_zus_client_validate(client, &doc, 1, &records, NULL), EZLA_RESULT_CONNECT_FAILED);
  CHECK_RC(ezla_zus_client_document(client, "ORYGINAL", "ZY0000001", &buffer, NULL),
           EZLA_RESULT_CONNECT_FAILED);
  CHECK_RC(ezla_zus_client_receipt(client, "KOPIA_ZLA", "ZY0000001", &buffer, NULL),
           EZLA_RESULT_CONNECT_FAILED);
  /* A send whose connection is refused never left: the journal has it, unsent. */
  CHECK_RC(ezla_zus_client_send(client, &doc, 1, &records, NULL), EZLA_RESULT_CONNECT_FAILED);
  CHECK(records == NULL && buffer.data == NULL && may == 7);
  /* The records' getters take NULL. */
  CHECK(ezla_zus_records_count(NULL) == 0);
  CHECK(ezla_zus_records_get(NULL, 0, "nip") == NULL);
  CHECK(ezla_zus_records_field_count(NULL, 0) == 0);
  CHECK(ezla_zus_records_field_name(NULL, 0, 0) == NULL);
  CHECK(ezla_zus_records_field_value(NULL, 0, 0) == NULL);
  ezla_zus_records_free(NULL);
  /* A signer instead of the identity: arguments, then the refused connection. */
  ezla_private_key *key = NULL;
  ezla_certificate *cert = NULL;
  ezla_signer *signer = NULL;
  REQUIRE_OK(ezla_identity_private_key(doctor, &key, NULL));
  REQUIRE_OK(ezla_identity_certificate(doctor, &cert, NULL));
  REQUIRE_OK(ezla_signer_from_private_key(key, &signer, NULL));
  CHECK_RC(ezla_zus_client_login_with_signer(client, NULL, cert, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_login_with_signer(client, signer, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_login_with_signer(NULL, signer, cert, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_login_with_signer(client, signer, cert, NULL), EZLA_RESULT_CONNECT_FAILED);
  ezla_zla *zla = NULL;
  ezla_zus_issue_report *report = NULL;
  REQUIRE_OK(ezla_zla_from_json(ZLA_JSON(PESEL), &zla, NULL));
  CHECK_RC(ezla_zus_client_issue_with_signer(client, zla, signer, NULL, NULL, &report, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_issue_with_signer(client, zla, signer, cert, "2026-02-30", &report,
                                             NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_zus_client_issue_with_signer(client, zla, signer, cert, "2026-12-01", &report,
                                             NULL),
           EZLA_RESULT_CONNECT_FAILED);
  CHECK_RC(ezla_zus_client_cancel_with_signer(client, "ZY0000001", "Q", signer, cert, NULL,
                                              &buffer, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_zus_client_cancel_with_signer(client, "ZY0000001", "U", NULL, cert, NULL,
                                              &buffer, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_cancel_with_signer(client, "ZY0000001", "U", signer, cert, NULL,
                                              &buffer, NULL),
           EZLA_RESULT_CONNECT_FAILED);
  CHECK(report == NULL && buffer.data == NULL);
  ezla_zla_free(zla);
  ezla_signer_free(signer);
  ezla_certificate_free(cert);
  ezla_private_key_free(key);
  ezla_zus_client_free(client);
}

static void test_zus_offline(void) {
  ezla_zus_config config = ezla_zus_config_default();
  ezla_zus_client *client = NULL;
  ezla_error *err = NULL;
  CHECK(config.endpoint == NULL && config.ca_pem == NULL && config.ca_pem_len == 0);
  CHECK(config.connect_timeout_ms == 0 && config.journal_path == NULL);
  /* No endpoint, no config, no output. */
  CHECK_RC(ezla_zus_client_new(&config, &client, &err), EZLA_RESULT_NULL_PARAMETER);
  CHECK(client == NULL);
  CHECK_CONTAINS(ezla_error_message(err), "config.endpoint");
  CHECK(ezla_error_zus_code(err) == NULL && ezla_error_zus_text(err) == NULL);
  ezla_error_free(err);
  err = NULL;
  CHECK(ezla_error_zus_code(NULL) == NULL && ezla_error_zus_text(NULL) == NULL);
  CHECK_RC(ezla_zus_client_new(NULL, &client, NULL), EZLA_RESULT_NULL_PARAMETER);
  /* Port 1 on loopback: nothing listens there. */
  config.endpoint = "https://127.0.0.1:1/ws/zus.channel.gabinetoweV4:zla";
  CHECK_RC(ezla_zus_client_new(&config, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  config.body_namespace = "zus.example";
  CHECK_RC(ezla_zus_client_new(&config, &client, NULL), EZLA_RESULT_INVALID_ARGUMENT);
  CHECK(client == NULL);
  config.body_namespace = "zus.gov.pl";
  config.ca_pem = (const uint8_t *)"not PEM";
  config.ca_pem_len = 7;
  CHECK(ezla_zus_client_new(&config, &client, NULL) != EZLA_RESULT_OK);
  CHECK(client == NULL);
  config.ca_pem = NULL;
  config.ca_pem_len = 0;
  config.connect_timeout_ms = 2000;
  config.response_timeout_ms = 2000;
  CHECK_RC(ezla_zus_client_new(&config, &client, NULL), EZLA_RESULT_OK);
  CHECK(!ezla_zus_client_is_logged_in(client));
  CHECK(!ezla_zus_client_is_logged_in(NULL));
  /* Not logged in: refused before any I/O. */
  ezla_buffer name = {NULL, 0};
  CHECK_RC(ezla_zus_client_doctor_name(client, &name, &err), EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_CONTAINS(ezla_error_message(err), "not logged in");
  ezla_error_free(err);
  err = NULL;
  CHECK(name.data == NULL);
  CHECK_RC(ezla_zus_client_doctor_name(NULL, &name, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_doctor_name(client, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_patient_name(client, "44051401359", &name, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_zus_client_patient_name(client, "12345678901", &name, &err),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_CONTAINS(ezla_error_message(err), "pesel");
  ezla_error_free(err);
  err = NULL;
  CHECK_RC(ezla_zus_client_patient_name(client, NULL, &name, NULL), EZLA_RESULT_NULL_PARAMETER);
  /* An empty journal has nothing to settle (the counts are written, each may be NULL). */
  size_t found = 9, resent = 9, refused = 9;
  CHECK_RC(ezla_zus_client_reconcile(client, &found, &resent, &refused, NULL), EZLA_RESULT_OK);
  CHECK(found == 0 && resent == 0 && refused == 0);
  CHECK_RC(ezla_zus_client_reconcile(client, NULL, NULL, NULL, NULL), EZLA_RESULT_OK);
  CHECK_RC(ezla_zus_client_reconcile(NULL, &found, NULL, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  /* Logging out when not logged in does nothing. */
  CHECK_RC(ezla_zus_client_logout(client, NULL), EZLA_RESULT_OK);
  CHECK_RC(ezla_zus_client_logout(NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  /* Logging in: the connection is refused (a transport error, not a ZUS one). */
  CHECK_RC(ezla_zus_client_login(client, doctor, &err), EZLA_RESULT_CONNECT_FAILED);
  CHECK(ezla_error_zus_code(err) == NULL);
  CHECK_CONTAINS(ezla_error_message(err), "127.0.0.1");
  ezla_error_free(err);
  err = NULL;
  CHECK(!ezla_zus_client_is_logged_in(client));
  CHECK_RC(ezla_zus_client_login(client, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_login(NULL, doctor, NULL), EZLA_RESULT_NULL_PARAMETER);
  /* Issuing: arguments first, then the same refused connection. */
  ezla_zla *zla = NULL;
  REQUIRE_OK(ezla_zla_from_json(ZLA_JSON(PESEL), &zla, NULL));
  ezla_zus_issue_report *report = NULL;
  CHECK_RC(ezla_zus_client_issue(client, zla, doctor, "1.12.2026", &report, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_zus_client_issue(client, zla, doctor, "2026-02-30", &report, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_zus_client_issue(client, NULL, doctor, NULL, &report, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_issue(client, zla, NULL, NULL, &report, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_issue(client, zla, doctor, "2026-12-01", NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_issue(NULL, zla, doctor, NULL, &report, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_issue(client, zla, doctor, "2026-12-01", &report, NULL),
           EZLA_RESULT_CONNECT_FAILED);
  /* Cancelling: arguments first (series/number, reason, date, output), then the refused
   * connection. */
  ezla_buffer azla_upp = {NULL, 0};
  CHECK_RC(ezla_zus_client_cancel(client, "Z1", "U", doctor, NULL, &azla_upp, &err),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_CONTAINS(ezla_error_message(err), "seria_numer");
  ezla_error_free(err);
  err = NULL;
  CHECK_RC(ezla_zus_client_cancel(client, "ZY0000001", "Q", doctor, NULL, &azla_upp, &err),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_CONTAINS(ezla_error_message(err), "reason");
  ezla_error_free(err);
  err = NULL;
  CHECK_RC(ezla_zus_client_cancel(client, "ZY0000001", "U", doctor, "2026-13-01", &azla_upp,
                                  NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_zus_client_cancel(client, "ZY0000001", "U", doctor, NULL, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_cancel(client, NULL, "U", doctor, NULL, &azla_upp, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_cancel(NULL, "ZY0000001", "U", doctor, NULL, &azla_upp, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_cancel(client, "ZY0000001", "U", doctor, NULL, &azla_upp, NULL),
           EZLA_RESULT_CONNECT_FAILED);
  CHECK(azla_upp.data == NULL && azla_upp.len == 0);
  /* A statement to sign elsewhere, and a login with one signed elsewhere. */
  ezla_buffer statement = {NULL, 0};
  CHECK_RC(ezla_zus_client_statement(client, &statement, NULL), EZLA_RESULT_CONNECT_FAILED);
  CHECK(statement.data == NULL);
  CHECK_RC(ezla_zus_client_statement(client, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_statement(NULL, &statement, NULL), EZLA_RESULT_NULL_PARAMETER);
  static const uint8_t signed_statement[] = "<Oswiadczenie/>";
  static const uint8_t not_utf8[] = {0xff, 0xfe};
  CHECK_RC(ezla_zus_client_login_signed(client, signed_statement, sizeof signed_statement - 1,
                                        "podpis", &err),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_CONTAINS(ezla_error_message(err), "method");
  ezla_error_free(err);
  err = NULL;
  CHECK_RC(ezla_zus_client_login_signed(client, not_utf8, sizeof not_utf8, "ePuap", NULL),
           EZLA_RESULT_INVALID_UTF8);
  CHECK_RC(ezla_zus_client_login_signed(client, NULL, 1, "ePuap", NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_login_signed(client, signed_statement, sizeof signed_statement - 1,
                                        NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_zus_client_login_signed(client, signed_statement, sizeof signed_statement - 1,
                                        "ePuap", NULL),
           EZLA_RESULT_CONNECT_FAILED);
  CHECK(report == NULL);
  ezla_zla_free(zla);
  /* The report's getters take NULL. */
  const uint8_t *data = NULL;
  size_t len = 0;
  CHECK(ezla_zus_issue_report_certificate_count(NULL) == 0);
  CHECK(ezla_zus_issue_report_document_count(NULL) == 0);
  CHECK(ezla_zus_issue_report_document_kind(NULL, 0) == NULL);
  CHECK(ezla_zus_issue_report_document_seria_numer(NULL, 0) == NULL);
  CHECK(!ezla_zus_issue_report_document_signed(NULL, 0, &data, &len));
  CHECK(!ezla_zus_issue_report_document_upp(NULL, 0, &data, &len));
  CHECK(data == NULL && len == 0);
  CHECK(ezla_zus_issue_report_warning_count(NULL) == 0);
  CHECK(ezla_zus_issue_report_warning(NULL, 0) == NULL);
  ezla_zus_issue_report_free(NULL);
  ezla_zus_client_free(client);
  ezla_zus_client_free(NULL);
  test_zus_offline_lookups(&config);
}

/* ---------------------------------------------------------------------------------------- */

/* login.gov.pl, sans-IO: a configuration, the signed AuthnRequest, an ArtifactResponse of the
 * core's emulator processed into an identity, and each refusal with its own code. */
static ezla_identity *wk_party(const char *surname) {
  ezla_identity *id = NULL;
  REQUIRE_OK(ezla_test_ca_issue_doctor(ca, "WK", surname, PESEL, EZLA_KEY_TYPE_P256, EZLA_NOW, 0,
                                       &id, NULL));
  return id;
}

static void test_wk(void) {
  const int64_t now = 1796119200; /* 2026-12-01T10:00:00Z */
  ezla_identity *sig = wk_party("Sig"), *enc = wk_party("Enc"), *wk = wk_party("Wk");
  ezla_certificate *sig_cert = NULL, *enc_cert = NULL, *wk_cert = NULL;
  ezla_private_key *sig_key = NULL, *enc_key = NULL, *wk_key = NULL;
  REQUIRE_OK(ezla_identity_certificate(sig, &sig_cert, NULL));
  REQUIRE_OK(ezla_identity_certificate(enc, &enc_cert, NULL));
  REQUIRE_OK(ezla_identity_certificate(wk, &wk_cert, NULL));
  REQUIRE_OK(ezla_identity_private_key(sig, &sig_key, NULL));
  REQUIRE_OK(ezla_identity_private_key(enc, &enc_key, NULL));
  REQUIRE_OK(ezla_identity_private_key(wk, &wk_key, NULL));
  const ezla_certificate *pinned[1] = {wk_cert};
  ezla_wk_config *config = NULL, *c = NULL;
  ezla_error *err = NULL;

  /* Arguments refused. */
  CHECK_RC(ezla_wk_config_new("staging", "sp", "https://sp/acs", sig_key, sig_cert, enc_key,
                              enc_cert, pinned, 1, NULL, NULL, NULL, NULL, &c, &err),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_CONTAINS(ezla_error_message(err), "staging");
  ezla_error_free(err);
  err = NULL;
  CHECK_RC(ezla_wk_config_new("integration", "sp", "https://sp/acs", sig_key, sig_cert, enc_key,
                              enc_cert, pinned, 0, NULL, NULL, NULL, NULL, &c, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_wk_config_new("integration", "sp", "https://sp/acs", sig_key, sig_cert, enc_key,
                              enc_cert, NULL, 1, NULL, NULL, NULL, NULL, &c, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_wk_config_new("integration", "sp", "https://sp/acs", sig_key, sig_cert, enc_key,
                              enc_cert, pinned, 1, NULL, "medium", NULL, NULL, &c, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_wk_config_new("integration", "sp", "https://sp/acs", enc_key, sig_cert, enc_key,
                              enc_cert, pinned, 1, NULL, NULL, NULL, NULL, &c, NULL),
           EZLA_RESULT_KEY_CERTIFICATE_MISMATCH);
  CHECK_RC(ezla_wk_config_new("integration", BAD_UTF8, "https://sp/acs", sig_key, sig_cert,
                              enc_key, enc_cert, pinned, 1, NULL, NULL, NULL, NULL, &c, NULL),
           EZLA_RESULT_INVALID_UTF8);
  CHECK(c == NULL);
  REQUIRE_OK(ezla_wk_config_new("integration", "https://sp.example/wk", "https://sp.example/acs",
                                sig_key, sig_cert, enc_key, enc_cert, pinned, 1, "sp_example",
                                "substantial", "http://127.0.0.1:8080/", "wk.localhost", &config,
                                NULL));

  ezla_buffer md = {0};
  CHECK_RC(ezla_wk_config_metadata(NULL, &md, NULL), EZLA_RESULT_NULL_PARAMETER);
  REQUIRE_OK(ezla_wk_config_metadata(config, &md, NULL));
  CHECK(buffer_contains(&md, "entityID=\"https://sp.example/wk\""));
  CHECK(buffer_contains(&md, "Location=\"https://sp.example/acs\""));
  ezla_buffer_free(&md);

  /* The AuthnRequest. */
  ezla_wk_authn_request *req = NULL;
  CHECK_RC(ezla_wk_authn_request_new(NULL, now, &req, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_wk_authn_request_new(config, now, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  REQUIRE_OK(ezla_wk_authn_request_new(config, now, &req, NULL));
  size_t xml_len = 0;
  const uint8_t *xml = ezla_wk_authn_request_xml(req, &xml_len);
  CHECK(xml != NULL && starts_with(xml, xml_len, "<saml2p:AuthnRequest"));
  CHECK(ezla_wk_authn_request_xml(NULL, &xml_len) == NULL && xml_len == 0);
  CHECK_STR(ezla_wk_authn_request_sso_url(req), "http://127.0.0.1:8080/login/SingleSignOnService");
  CHECK_CONTAINS(ezla_wk_authn_request_html_form(req), "name=\"SAMLRequest\"");
  CHECK_CONTAINS(ezla_wk_authn_request_html_form(req), ezla_wk_authn_request_relay_state(req));
  CHECK(ezla_wk_authn_request_id(req) != NULL && strlen(ezla_wk_authn_request_id(req)) > 3);
  CHECK(ezla_wk_authn_request_expires(req) == now + 900);
  CHECK(ezla_wk_authn_request_id(NULL) == NULL && ezla_wk_authn_request_relay_state(NULL) == NULL);
  CHECK(ezla_wk_authn_request_sso_url(NULL) == NULL && ezla_wk_authn_request_html_form(NULL) == NULL);
  CHECK(ezla_wk_authn_request_expires(NULL) == 0);

  /* The answer, from the emulator, processed. */
  const char *authn = ezla_wk_authn_request_id(req);
  ezla_buffer resp = {0};
  CHECK_RC(ezla_test_wk_artifact_response(config, NULL, wk_cert, authn, "ID-res", now, &resp, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  REQUIRE_OK(ezla_test_wk_artifact_response(config, wk_key, wk_cert, authn, "ID-res", now, &resp,
                                            NULL));
  ezla_wk_identity *person = NULL;
  REQUIRE_OK(ezla_wk_process_artifact_response(config, resp.data, resp.len, authn, "ID-res",
                                               now + 60, &person, NULL));
  CHECK_STR(ezla_wk_identity_pesel(person), "87022243734");
  CHECK_STR(ezla_wk_identity_given_name(person), "Roch");
  CHECK_STR(ezla_wk_identity_family_name(person), "Apitz");
  CHECK_STR(ezla_wk_identity_birth_date(person), "1987-02-22");
  CHECK_STR(ezla_wk_identity_loa(person), "http://eidas.europa.eu/LoA/substantial");
  CHECK(ezla_wk_identity_authority_count(person) == 1);
  CHECK_STR(ezla_wk_identity_authority(person, 0), "pz.gov.pl");
  CHECK(ezla_wk_identity_authority(person, 1) == NULL);
  CHECK_STR(ezla_wk_identity_name_id(person), "87022243734");
  CHECK(ezla_wk_identity_session_index(person) != NULL);
  CHECK(ezla_wk_identity_assertion_id(person) != NULL);
  CHECK(ezla_wk_identity_not_on_or_after(person) == now + 1800);
  CHECK(ezla_wk_identity_pesel(NULL) == NULL && ezla_wk_identity_given_name(NULL) == NULL);
  CHECK(ezla_wk_identity_family_name(NULL) == NULL && ezla_wk_identity_birth_date(NULL) == NULL);
  CHECK(ezla_wk_identity_loa(NULL) == NULL && ezla_wk_identity_name_id(NULL) == NULL);
  CHECK(ezla_wk_identity_session_index(NULL) == NULL);
  CHECK(ezla_wk_identity_assertion_id(NULL) == NULL);
  CHECK(ezla_wk_identity_authority_count(NULL) == 0 && ezla_wk_identity_authority(NULL, 0) == NULL);
  CHECK(ezla_wk_identity_not_on_or_after(NULL) == 0);
  ezla_wk_identity_free(person);
  person = NULL;

  /* Refusals: each with its own code, never OK, nothing written. */
  CHECK_RC(ezla_wk_process_artifact_response(config, resp.data, resp.len, "ID-other", "ID-res",
                                             now, &person, &err),
           EZLA_RESULT_SAML_IN_RESPONSE_TO_MISMATCH);
  CHECK_CONTAINS(ezla_error_message(err), "ID-other");
  ezla_error_free(err);
  err = NULL;
  CHECK_RC(ezla_wk_process_artifact_response(config, resp.data, resp.len, authn, "ID-other", now,
                                             &person, NULL),
           EZLA_RESULT_SAML_IN_RESPONSE_TO_MISMATCH);
  CHECK_RC(ezla_wk_process_artifact_response(config, resp.data, resp.len, authn, NULL,
                                             now + 3600, &person, NULL),
           EZLA_RESULT_SAML_EXPIRED);
  CHECK_RC(ezla_wk_process_artifact_response(config, resp.data, resp.len, NULL, NULL, now, &person,
                                             NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_wk_process_artifact_response(config, resp.data, resp.len, authn, NULL, now, NULL,
                                             NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_wk_process_artifact_response(config, (const uint8_t *)"<x/>", 4, authn, NULL, now,
                                             &person, NULL),
           EZLA_RESULT_SAML_MALFORMED);
  /* A response signed by a key that is not pinned. */
  ezla_buffer foreign = {0};
  REQUIRE_OK(ezla_test_wk_artifact_response(config, sig_key, sig_cert, authn, "ID-res", now,
                                            &foreign, NULL));
  CHECK_RC(ezla_wk_process_artifact_response(config, foreign.data, foreign.len, authn, NULL, now,
                                             &person, NULL),
           EZLA_RESULT_SIGNATURE_INVALID);
  CHECK(person == NULL);
  ezla_buffer_free(&foreign);
  ezla_buffer_free(&resp);
  ezla_wk_authn_request_free(req);
  ezla_wk_authn_request_free(NULL);
  ezla_wk_identity_free(NULL);
  ezla_wk_config_free(config);
  ezla_wk_config_free(NULL);
  ezla_private_key_free(sig_key);
  ezla_private_key_free(enc_key);
  ezla_private_key_free(wk_key);
  ezla_certificate_free(sig_cert);
  ezla_certificate_free(enc_cert);
  ezla_certificate_free(wk_cert);
  ezla_identity_free(sig);
  ezla_identity_free(enc);
  ezla_identity_free(wk);
}

/* ---------------------------------------------------------------------------------------- */
/* RFC 3161 time-stamps against a real TSA: the simulator's /tsa (ezla-sim serve --tls, whose
 * state directory scripts/test-c.sh passes as the second argument), over HTTPS with the
 * simulator's TLS CA; its TSA certificate is issued by SIM_DIR/ca/ca.crt. What the tests
 * write to FIXTURE_DIR (tsa-token.tst, tsa-data.bin, xades-t.xml, cades-t.p7s (DER),
 * cades-content.bin) is judged by openssl ts -verify, xmlsec1 and openssl cms -verify in
 * scripts/test-c.sh. */

static uint8_t *read_all(const char *dir, const char *name, size_t *len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 4096, n = 0;
  uint8_t *buf = malloc(cap + 1);
  while (buf != NULL) {
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap) break;
    uint8_t *bigger = realloc(buf, 2 * cap + 1);
    if (bigger == NULL) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = bigger;
    cap *= 2;
  }
  int bad = ferror(f);
  fclose(f);
  if (buf == NULL || bad) {
    free(buf);
    return NULL;
  }
  buf[n] = 0; /* text files may be used as C strings */
  *len = n;
  return buf;
}

static bool is_hex(const char *s) {
  if (s == NULL || *s == 0) return false;
  for (; *s; s++) {
    if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F')))
      return false;
  }
  return true;
}

static const uint8_t *find_bytes(const uint8_t *data, size_t len, const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; data != NULL && i + n <= len; i++) {
    if (memcmp(data + i, needle, n) == 0) return data + i;
  }
  return NULL;
}

/* Whether `stamped` is `original` with one <xades:UnsignedProperties> element added: the
 * signed bytes are untouched. */
static bool only_unsigned_added(const ezla_buffer *original, const ezla_buffer *stamped) {
  static const char open[] = "<xades:UnsignedProperties>";
  static const char close[] = "</xades:UnsignedProperties>";
  const uint8_t *start = find_bytes(stamped->data, stamped->len, open);
  const uint8_t *end = find_bytes(stamped->data, stamped->len, close);
  if (start == NULL || end == NULL || end < start) return false;
  end += strlen(close);
  size_t head = (size_t)(start - stamped->data);
  size_t tail = stamped->len - (size_t)(end - stamped->data);
  return head + tail == original->len && memcmp(original->data, stamped->data, head) == 0 &&
         memcmp(original->data + head, end, tail) == 0;
}

static void sleep_seconds(long s) {
  struct timespec t = {s, 0};
  thrd_sleep(&t, NULL);
}

/* A signature by a certificate that has expired since verifies only with a time-stamp of a
 * trusted TSA made while it was valid: a P-256 doctor whose certificate ends `margin`
 * seconds from now signs an e-ZLA (XAdES) and a printout (CMS), both are time-stamped, then
 * the certificate runs out. Returns false (and checks nothing) when the stamps came too late
 * for the margin (a slow run, e.g. under valgrind): the caller tries a wider one. */
static bool expired_after_stamp(ezla_tsa_client *client, ezla_trust_anchors *doc_trust,
                                ezla_trust_anchors *tsa_trust, int64_t margin) {
  static const uint8_t pdf[] = "a printout signed before the certificate ran out";
  const size_t pdf_len = sizeof pdf - 1;
  int64_t now = (int64_t)time(NULL);
  ezla_identity *id = NULL;
  ezla_certificate *cert = NULL;
  ezla_private_key *key = NULL;
  ezla_signer *signer = NULL;
  ezla_buffer xml = {NULL, 0}, xml_t = {NULL, 0}, p7 = {NULL, 0}, p7_t = {NULL, 0};
  REQUIRE_OK(ezla_test_ca_issue_doctor(ca, "Ewa", "Lis", PESEL, EZLA_KEY_TYPE_P256,
                                       now - DAY + margin, 1, &id, NULL));
  REQUIRE_OK(ezla_identity_certificate(id, &cert, NULL));
  int64_t not_after = ezla_certificate_not_after(cert);
  REQUIRE_OK(ezla_identity_private_key(id, &key, NULL));
  REQUIRE_OK(ezla_signer_from_private_key(key, &signer, NULL));
  REQUIRE_OK(ezla_xades_sign_with_identity((const uint8_t *)DOC, strlen(DOC), id, NULL, &xml,
                                           NULL));
  REQUIRE_OK(ezla_xades_add_timestamp(xml.data, xml.len, client, &xml_t, NULL));
  ezla_cms_sign_options co = ezla_cms_sign_options_default();
  co.detached = true;
  REQUIRE_OK(ezla_cms_sign(pdf, pdf_len, signer, cert, NULL, 0, &co, &p7, NULL));
  REQUIRE_OK(ezla_cms_add_timestamp(p7.data, p7.len, client, &p7_t, NULL));
  bool in_time = (int64_t)time(NULL) < not_after;
  if (in_time) {
    while ((int64_t)time(NULL) <= not_after + 1) sleep_seconds(1);
    ezla_verify_options vo = ezla_verify_options_default();
    vo.trust = doc_trust;
    ezla_report *report = NULL;
    ezla_error *err = NULL;
    /* Without the TSA's anchors the stamp is untrusted: judged now, expired. */
    CHECK_RC(ezla_xades_verify(xml_t.data, xml_t.len, &vo, &report, &err),
             EZLA_RESULT_CERTIFICATE_EXPIRED);
    CHECK(report == NULL);
    ezla_error_free(err);
    err = NULL;
    vo.tsa_trust = tsa_trust;
    CHECK_RC(ezla_xades_verify(xml_t.data, xml_t.len, &vo, &report, NULL), EZLA_RESULT_OK);
    CHECK_STR(ezla_report_trust(report), "chain");
    CHECK(ezla_report_timestamp_count(report) == 1);
    CHECK_STR(ezla_report_timestamp_trust(report, 0), "chain");
    CHECK(ezla_report_judged_at(report) == ezla_report_timestamp_time(report, 0));
    CHECK(ezla_report_judged_at(report) < not_after);
    ezla_report_free(report);
    /* The unstamped signature does not verify any more. */
    CHECK_RC(ezla_xades_verify(xml.data, xml.len, &vo, &report, NULL),
             EZLA_RESULT_CERTIFICATE_EXPIRED);

    /* CMS never judges by the signing time the signer claims (a stolen key can backdate
       it): without the TSA's anchors the stamp sets no instant, so it is judged now and has
       expired; with them, the stamp is the instant. */
    ezla_cms_report *cr = NULL;
    CHECK_RC(ezla_cms_verify(p7_t.data, p7_t.len, pdf, pdf_len, doc_trust, NULL, NULL, EZLA_NOW,
                             &cr, NULL),
             EZLA_RESULT_CERTIFICATE_EXPIRED);
    CHECK(cr == NULL);
    /* Judged now, it has expired. */
    CHECK_RC(ezla_cms_verify(p7_t.data, p7_t.len, pdf, pdf_len, doc_trust, tsa_trust, NULL,
                             (int64_t)time(NULL), &cr, NULL),
             EZLA_RESULT_CERTIFICATE_EXPIRED);
    CHECK_RC(ezla_cms_verify(p7_t.data, p7_t.len, pdf, pdf_len, doc_trust, tsa_trust, NULL,
                             EZLA_NOW, &cr, NULL),
             EZLA_RESULT_OK);
    CHECK_STR(ezla_cms_report_trust(cr), "chain");
    CHECK(ezla_cms_report_timestamp_count(cr) == 1 && ezla_cms_report_timestamp_valid(cr, 0));
    CHECK(ezla_cms_report_judged_at(cr) == ezla_cms_report_timestamp_time(cr, 0));
    CHECK(ezla_cms_report_judged_at(cr) < not_after);
    ezla_cms_report_free(cr);
  }
  ezla_buffer_free(&xml);
  ezla_buffer_free(&xml_t);
  ezla_buffer_free(&p7);
  ezla_buffer_free(&p7_t);
  ezla_signer_free(signer);
  ezla_private_key_free(key);
  ezla_certificate_free(cert);
  ezla_identity_free(id);
  return in_time;
}

static void test_timestamps(const char *sim, const char *out) {
  static const uint8_t data[] = "a PDF printout";
  const size_t data_len = sizeof data - 1;
  static const char SIM_POLICY[] = "1.3.6.1.4.1.32473.3161.1";
  size_t url_len = 0, tls_len = 0, tsa_ca_len = 0;
  uint8_t *url = read_all(sim, "url", &url_len);
  uint8_t *tls_ca = read_all(sim, "tls-ca.pem", &tls_len);
  uint8_t *tsa_ca = read_all(sim, "ca/ca.crt", &tsa_ca_len);
  const uint8_t *ws = url ? find_bytes(url, url_len, "/ws/") : NULL;
  CHECK(url != NULL && tls_ca != NULL && tsa_ca != NULL && ws != NULL);
  if (url == NULL || tls_ca == NULL || tsa_ca == NULL || ws == NULL) {
    free(url);
    free(tls_ca);
    free(tsa_ca);
    return;
  }
  char tsa_url[1024];
  snprintf(tsa_url, sizeof tsa_url, "%.*s/tsa", (int)(ws - url), (const char *)url);
  ezla_trust_anchors *tsa_trust = NULL, *doc_trust = NULL;
  ezla_buffer pem = {NULL, 0};
  REQUIRE_OK(ezla_trust_anchors_from_pem(tsa_ca, tsa_ca_len, &tsa_trust, NULL));
  REQUIRE_OK(ezla_certificate_to_pem(ca_cert, &pem, NULL));
  REQUIRE_OK(ezla_trust_anchors_from_pem(pem.data, pem.len, &doc_trust, NULL));
  ezla_buffer_free(&pem);
  ezla_error *err = NULL;

  /* The client: defaults, then the simulator's TLS CA and the TSA's anchors. */
  ezla_tsa_options o = ezla_tsa_options_default();
  CHECK(o.policy == NULL && o.digest_bits == 256 && o.trust == NULL && o.ca_pem == NULL &&
        o.ca_pem_len == 0 && o.connect_timeout_ms == 0 && o.response_timeout_ms == 0);
  o.ca_pem = tls_ca;
  o.ca_pem_len = tls_len;
  o.trust = tsa_trust;
  o.response_timeout_ms = 30000;
  ezla_tsa_client *client = NULL;
  REQUIRE_OK(ezla_tsa_client_new(tsa_url, &o, &client, NULL));

  /* A token for the data: what it proves, and the token verified again. */
  ezla_buffer token = {NULL, 0};
  ezla_timestamp *stamp = NULL, *again = NULL;
  REQUIRE_OK(ezla_tsa_client_stamp(client, data, data_len, &token, &stamp, NULL));
  CHECK(token.len > 100 && token.data[0] == 0x30);
  CHECK_STR(ezla_timestamp_trust(stamp), "chain");
  CHECK_STR(ezla_timestamp_digest(stamp), "SHA-256");
  CHECK_STR(ezla_timestamp_policy(stamp), SIM_POLICY);
  int64_t now = (int64_t)time(NULL);
  CHECK(ezla_timestamp_time(stamp) > now - 300 && ezla_timestamp_time(stamp) <= now + 300);
  CHECK(ezla_timestamp_time_millis(stamp) < 1000);
  CHECK(ezla_timestamp_accuracy_ms(stamp) == 1000); /* the simulator says one second */
  CHECK(is_hex(ezla_timestamp_serial(stamp)));
  const uint8_t *imprint = NULL, *nonce = NULL;
  size_t imprint_len = 0, nonce_len = 0;
  CHECK(ezla_timestamp_imprint(stamp, &imprint, &imprint_len) && imprint_len == 32);
  CHECK(ezla_timestamp_nonce(stamp, &nonce, &nonce_len) && nonce_len > 0);
  CHECK(!ezla_timestamp_imprint(stamp, NULL, &imprint_len));
  CHECK(!ezla_timestamp_nonce(stamp, &nonce, NULL));
  ezla_certificate *tsa_cert = NULL;
  REQUIRE_OK(ezla_timestamp_tsa_certificate(stamp, &tsa_cert, NULL));
  CHECK_CONTAINS(ezla_certificate_subject(tsa_cert), "CN=ezla-sim TSA");
  ezla_certificate_free(tsa_cert);
  CHECK_RC(ezla_timestamp_tsa_certificate(NULL, &tsa_cert, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_timestamp_tsa_certificate(stamp, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  if (out != NULL) {
    CHECK(write_file(out, "tsa-token.tst", token.data, token.len) == 0);
    CHECK(write_file(out, "tsa-data.bin", data, data_len) == 0);
  }

  REQUIRE_OK(ezla_timestamp_verify(token.data, token.len, data, data_len, tsa_trust, SIM_POLICY,
                                   &again, NULL));
  CHECK_STR(ezla_timestamp_serial(again), ezla_timestamp_serial(stamp));
  CHECK(ezla_timestamp_time(again) == ezla_timestamp_time(stamp));
  CHECK(ezla_timestamp_time_millis(again) == ezla_timestamp_time_millis(stamp));
  CHECK_STR(ezla_timestamp_trust(again), "chain");
  ezla_timestamp_free(again);
  again = NULL;
  /* By the hash (the imprint is SHA-256 of the data); no anchors: untrusted. */
  REQUIRE_OK(ezla_timestamp_verify_digest(token.data, token.len, imprint, imprint_len, 256, NULL,
                                          NULL, &again, NULL));
  CHECK_STR(ezla_timestamp_trust(again), "untrusted");
  ezla_timestamp_free(again);
  again = NULL;

  /* Refusals: other data, another hash, another policy, a TSA from another CA. */
  CHECK_RC(ezla_timestamp_verify(token.data, token.len, (const uint8_t *)"another printout", 16,
                                 NULL, NULL, &again, &err),
           EZLA_RESULT_TIMESTAMP_MISMATCH);
  CHECK_STR(ezla_result_name(ezla_error_code(err)), "TimestampMismatch");
  ezla_error_free(err);
  err = NULL;
  uint8_t other_hash[32];
  memcpy(other_hash, imprint, sizeof other_hash);
  other_hash[0] ^= 1;
  CHECK_RC(ezla_timestamp_verify_digest(token.data, token.len, other_hash, 32, 256, NULL, NULL,
                                        &again, NULL),
           EZLA_RESULT_TIMESTAMP_MISMATCH);
  CHECK_RC(ezla_timestamp_verify_digest(token.data, token.len, imprint, imprint_len, 384, NULL,
                                        NULL, &again, NULL),
           EZLA_RESULT_TIMESTAMP_MISMATCH);
  CHECK_RC(ezla_timestamp_verify(token.data, token.len, data, data_len, NULL, "1.2.3.4", &again,
                                 NULL),
           EZLA_RESULT_TIMESTAMP_MISMATCH);
  CHECK_RC(ezla_timestamp_verify(token.data, token.len, data, data_len, doc_trust, NULL, &again,
                                 &err),
           EZLA_RESULT_CERTIFICATE_UNTRUSTED);
  CHECK(ezla_result_is_certificate_error(ezla_error_code(err)));
  ezla_error_free(err);
  err = NULL;
  CHECK_RC(ezla_timestamp_verify((const uint8_t *)"\x30\x03\x02\x01\x01", 5, data, data_len,
                                 NULL, NULL, &again, NULL),
           EZLA_RESULT_DER_MALFORMED);
  /* Arguments. */
  CHECK_RC(ezla_timestamp_verify(token.data, token.len, data, data_len, NULL, "not an oid",
                                 &again, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_timestamp_verify(token.data, token.len, data, data_len, NULL, BAD_UTF8, &again,
                                 NULL),
           EZLA_RESULT_INVALID_UTF8);
  CHECK_RC(ezla_timestamp_verify_digest(token.data, token.len, imprint, imprint_len, 160, NULL,
                                        NULL, &again, NULL),
           EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_RC(ezla_timestamp_verify(NULL, token.len, data, data_len, NULL, NULL, &again, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_timestamp_verify(token.data, token.len, NULL, 3, NULL, NULL, &again, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_timestamp_verify(token.data, token.len, data, data_len, NULL, NULL, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_timestamp_verify_digest(token.data, token.len, NULL, 32, 256, NULL, NULL, &again,
                                        NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_timestamp_verify_digest(token.data, token.len, imprint, imprint_len, 256, NULL,
                                        NULL, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK(again == NULL);
  CHECK(ezla_timestamp_time(NULL) == EZLA_NOW && ezla_timestamp_time_millis(NULL) == 0);
  CHECK(ezla_timestamp_accuracy_ms(NULL) == -1 && ezla_timestamp_policy(NULL) == NULL);
  CHECK(ezla_timestamp_serial(NULL) == NULL && ezla_timestamp_digest(NULL) == NULL);
  CHECK(ezla_timestamp_trust(NULL) == NULL);
  CHECK(!ezla_timestamp_imprint(NULL, &imprint, &imprint_len));
  CHECK(!ezla_timestamp_nonce(NULL, &nonce, &nonce_len));
  ezla_timestamp_free(NULL);
  ezla_timestamp_free(stamp);
  stamp = NULL;
  ezla_buffer_free(&token);

  /* Client refusals and arguments. */
  ezla_tsa_options bad = o;
  bad.policy = "1.3.6.1.4.1.32473.3161.99";
  ezla_tsa_client *other = NULL;
  REQUIRE_OK(ezla_tsa_client_new(tsa_url, &bad, &other, NULL));
  CHECK_RC(ezla_tsa_client_stamp(other, data, data_len, &token, NULL, &err),
           EZLA_RESULT_TIMESTAMP_REJECTED);
  CHECK_CONTAINS(ezla_error_message(err), "unacceptedPolicy");
  ezla_error_free(err);
  err = NULL;
  ezla_tsa_client_free(other);
  other = NULL;
  bad = o;
  bad.trust = doc_trust; /* anchors that did not issue the TSA's certificate */
  REQUIRE_OK(ezla_tsa_client_new(tsa_url, &bad, &other, NULL));
  CHECK_RC(ezla_tsa_client_stamp(other, data, data_len, &token, NULL, NULL),
           EZLA_RESULT_CERTIFICATE_UNTRUSTED);
  ezla_tsa_client_free(other);
  other = NULL;
  /* The default options: the web PKI roots do not know the simulator's TLS certificate. */
  REQUIRE_OK(ezla_tsa_client_new(tsa_url, NULL, &other, NULL));
  CHECK_RC(ezla_tsa_client_stamp(other, data, data_len, &token, NULL, NULL),
           EZLA_RESULT_TLS_CERTIFICATE_UNTRUSTED);
  ezla_tsa_client_free(other);
  other = NULL;
  /* SHA-512, no TSA anchors, the token only. */
  bad = o;
  bad.digest_bits = 512;
  bad.trust = NULL;
  bad.policy = SIM_POLICY;
  REQUIRE_OK(ezla_tsa_client_new(tsa_url, &bad, &other, NULL));
  REQUIRE_OK(ezla_tsa_client_stamp(other, data, data_len, &token, NULL, NULL));
  REQUIRE_OK(ezla_timestamp_verify(token.data, token.len, data, data_len, tsa_trust, NULL,
                                   &stamp, NULL));
  CHECK_STR(ezla_timestamp_digest(stamp), "SHA-512");
  CHECK(ezla_timestamp_imprint(stamp, &imprint, &imprint_len) && imprint_len == 64);
  ezla_timestamp_free(stamp);
  stamp = NULL;
  ezla_buffer_free(&token);
  ezla_tsa_client_free(other);
  other = NULL;
  bad = o;
  bad.digest_bits = 160;
  CHECK_RC(ezla_tsa_client_new(tsa_url, &bad, &other, NULL), EZLA_RESULT_INVALID_ARGUMENT);
  bad = o;
  bad.policy = "not an oid";
  CHECK_RC(ezla_tsa_client_new(tsa_url, &bad, &other, &err), EZLA_RESULT_INVALID_ARGUMENT);
  CHECK_CONTAINS(ezla_error_message(err), "policy");
  ezla_error_free(err);
  err = NULL;
  bad = o;
  bad.ca_pem = NULL;
  bad.ca_pem_len = 10;
  CHECK_RC(ezla_tsa_client_new(tsa_url, &bad, &other, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_tsa_client_new(NULL, &o, &other, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_tsa_client_new(BAD_UTF8, &o, &other, NULL), EZLA_RESULT_INVALID_UTF8);
  CHECK_RC(ezla_tsa_client_new(tsa_url, &o, NULL, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK(other == NULL);
  CHECK_RC(ezla_tsa_client_stamp(NULL, data, data_len, &token, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_tsa_client_stamp(client, NULL, 4, &token, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_tsa_client_stamp(client, data, data_len, NULL, &stamp, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK(token.data == NULL && stamp == NULL);
  ezla_tsa_client_free(NULL);

  /* XAdES-T: a signature time-stamp added to a signed e-ZLA; the signed bytes stay. */
  ezla_buffer signed_doc = {NULL, 0}, stamped = {NULL, 0}, input = {NULL, 0};
  REQUIRE_OK(ezla_xades_sign_with_identity((const uint8_t *)DOC, strlen(DOC), doctor, NULL,
                                           &signed_doc, NULL));
  REQUIRE_OK(ezla_xades_add_timestamp(signed_doc.data, signed_doc.len, client, &stamped, NULL));
  CHECK(only_unsigned_added(&signed_doc, &stamped));
  CHECK(buffer_contains(&stamped, "SignatureTimeStamp"));
  if (out != NULL) CHECK(write_file(out, "xades-t.xml", stamped.data, stamped.len) == 0);
  ezla_verify_options vo = ezla_verify_options_default();
  CHECK(vo.tsa_trust == NULL);
  vo.trust = doc_trust;
  vo.tsa_trust = tsa_trust;
  ezla_report *report = NULL;
  REQUIRE_OK(ezla_xades_verify(stamped.data, stamped.len, &vo, &report, NULL));
  CHECK_STR(ezla_report_trust(report), "chain");
  CHECK(ezla_report_timestamp_count(report) == 1);
  CHECK(ezla_report_timestamp_valid(report, 0));
  CHECK(ezla_report_timestamp_error(report, 0) == NULL);
  CHECK_STR(ezla_report_timestamp_trust(report, 0), "chain");
  CHECK_CONTAINS(ezla_report_timestamp_tsa(report, 0), "CN=ezla-sim TSA");
  CHECK_STR(ezla_report_timestamp_policy(report, 0), SIM_POLICY);
  CHECK(is_hex(ezla_report_timestamp_serial(report, 0)));
  now = (int64_t)time(NULL);
  int64_t stamped_at = ezla_report_timestamp_time(report, 0);
  CHECK(stamped_at > now - 300 && stamped_at <= now + 300);
  /* The certificate is judged at the trusted stamp. */
  CHECK(ezla_report_judged_at(report) == stamped_at);
  CHECK(!ezla_report_timestamp_valid(report, 1) && ezla_report_timestamp_trust(report, 1) == NULL);
  CHECK(ezla_report_timestamp_time(report, 1) == EZLA_NOW);
  ezla_report_free(report);
  report = NULL;
  /* Without the TSA's anchors: reported untrusted, judged now. */
  vo.tsa_trust = NULL;
  REQUIRE_OK(ezla_xades_verify(stamped.data, stamped.len, &vo, &report, NULL));
  CHECK_STR(ezla_report_timestamp_trust(report, 0), "untrusted");
  CHECK(ezla_report_judged_at(report) >= now - 5);
  ezla_report_free(report);
  report = NULL;
  /* With the wrong anchors the stamp does not verify: reported, the signature still good. */
  vo.tsa_trust = doc_trust;
  REQUIRE_OK(ezla_xades_verify(stamped.data, stamped.len, &vo, &report, NULL));
  CHECK(ezla_report_timestamp_count(report) == 1 && !ezla_report_timestamp_valid(report, 0));
  CHECK_CONTAINS(ezla_report_timestamp_error(report, 0), "CertificateUntrusted");
  CHECK_STR(ezla_report_timestamp_trust(report, 0), "invalid");
  CHECK(ezla_report_timestamp_time(report, 0) == EZLA_NOW);
  CHECK(ezla_report_timestamp_tsa(report, 0) == NULL);
  ezla_report_free(report);
  report = NULL;
  /* An unstamped signature has none. */
  REQUIRE_OK(ezla_xades_verify(signed_doc.data, signed_doc.len, NULL, &report, NULL));
  CHECK(ezla_report_timestamp_count(report) == 0);
  CHECK(ezla_report_timestamp_policy(report, 0) == NULL);
  ezla_report_free(report);
  report = NULL;
  CHECK(ezla_report_timestamp_count(NULL) == 0 && !ezla_report_timestamp_valid(NULL, 0));
  CHECK(ezla_report_timestamp_error(NULL, 0) == NULL && ezla_report_timestamp_tsa(NULL, 0) == NULL);
  CHECK(ezla_report_timestamp_serial(NULL, 0) == NULL && ezla_report_judged_at(NULL) == EZLA_NOW);
  CHECK(ezla_report_timestamp_time(NULL, 0) == EZLA_NOW);
  ezla_buffer_free(&stamped);

  /* A ready token: the bytes to stamp, stamped, then added. */
  REQUIRE_OK(ezla_xades_timestamp_input(signed_doc.data, signed_doc.len, &input, NULL));
  CHECK(starts_with(input.data, input.len, "<ds:SignatureValue"));
  REQUIRE_OK(ezla_tsa_client_stamp(client, input.data, input.len, &token, NULL, NULL));
  REQUIRE_OK(ezla_xades_add_timestamp_token(signed_doc.data, signed_doc.len, token.data,
                                            token.len, &stamped, NULL));
  CHECK(only_unsigned_added(&signed_doc, &stamped));
  vo.tsa_trust = tsa_trust;
  REQUIRE_OK(ezla_xades_verify(stamped.data, stamped.len, &vo, &report, NULL));
  CHECK(ezla_report_timestamp_count(report) == 1 && ezla_report_timestamp_valid(report, 0));
  ezla_report_free(report);
  report = NULL;
  ezla_buffer_free(&stamped);
  ezla_buffer_free(&token);
  /* A token over something else is refused. */
  REQUIRE_OK(ezla_tsa_client_stamp(client, data, data_len, &token, NULL, NULL));
  CHECK_RC(ezla_xades_add_timestamp_token(signed_doc.data, signed_doc.len, token.data,
                                          token.len, &stamped, NULL),
           EZLA_RESULT_TIMESTAMP_MISMATCH);
  CHECK_RC(ezla_xades_add_timestamp((const uint8_t *)DOC, strlen(DOC), client, &stamped, NULL),
           EZLA_RESULT_SIGNATURE_MISSING);
  CHECK_RC(ezla_xades_timestamp_input((const uint8_t *)DOC, strlen(DOC), &input, NULL),
           EZLA_RESULT_SIGNATURE_MISSING);
  CHECK_RC(ezla_xades_add_timestamp(NULL, 4, client, &stamped, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_xades_add_timestamp(signed_doc.data, signed_doc.len, NULL, &stamped, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_xades_add_timestamp(signed_doc.data, signed_doc.len, client, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_xades_add_timestamp_token(signed_doc.data, signed_doc.len, NULL, 4, &stamped,
                                          NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_xades_timestamp_input(signed_doc.data, signed_doc.len, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK(stamped.data == NULL);
  ezla_buffer_free(&token);
  ezla_buffer_free(&input);
  ezla_buffer_free(&signed_doc);

  /* CAdES-T: a detached PEM CMS signature by the P-256 doctor, stamped (DER out). */
  ezla_private_key *key = NULL;
  ezla_certificate *cert = NULL;
  ezla_signer *signer = NULL;
  ezla_buffer sig = {NULL, 0}, cades = {NULL, 0};
  REQUIRE_OK(ezla_identity_private_key(doctor_ec, &key, NULL));
  REQUIRE_OK(ezla_identity_certificate(doctor_ec, &cert, NULL));
  REQUIRE_OK(ezla_signer_from_private_key(key, &signer, NULL));
  ezla_cms_sign_options co = ezla_cms_sign_options_default();
  co.detached = true;
  co.pem = true;
  REQUIRE_OK(ezla_cms_sign(data, data_len, signer, cert, NULL, 0, &co, &sig, NULL));
  REQUIRE_OK(ezla_cms_add_timestamp(sig.data, sig.len, client, &cades, NULL));
  CHECK(cades.len > sig.len / 2 && cades.data[0] == 0x30);
  if (out != NULL) {
    CHECK(write_file(out, "cades-t.p7s", cades.data, cades.len) == 0);
    CHECK(write_file(out, "cades-content.bin", data, data_len) == 0);
  }
  ezla_cms_report *cr = NULL;
  REQUIRE_OK(ezla_cms_verify(cades.data, cades.len, data, data_len, doc_trust, tsa_trust, NULL,
                             EZLA_NOW, &cr, NULL));
  CHECK_STR(ezla_cms_report_trust(cr), "chain");
  CHECK(ezla_cms_report_timestamp_count(cr) == 1 && ezla_cms_report_timestamp_valid(cr, 0));
  CHECK(ezla_cms_report_timestamp_error(cr, 0) == NULL);
  CHECK_STR(ezla_cms_report_timestamp_trust(cr, 0), "chain");
  CHECK_CONTAINS(ezla_cms_report_timestamp_tsa(cr, 0), "CN=ezla-sim TSA");
  CHECK_STR(ezla_cms_report_timestamp_policy(cr, 0), SIM_POLICY);
  CHECK(is_hex(ezla_cms_report_timestamp_serial(cr, 0)));
  CHECK(ezla_cms_report_judged_at(cr) == ezla_cms_report_timestamp_time(cr, 0));
  CHECK(ezla_cms_report_timestamp_time(cr, 0) >= now - 300);
  ezla_cms_report_free(cr);
  cr = NULL;
  /* The wrong TSA anchors: the stamp is reported invalid, the signature verifies, judged
     now (the certificate is valid). */
  REQUIRE_OK(ezla_cms_verify(cades.data, cades.len, data, data_len, doc_trust, doc_trust, NULL,
                             EZLA_NOW, &cr, NULL));
  CHECK(ezla_cms_report_timestamp_count(cr) == 1 && !ezla_cms_report_timestamp_valid(cr, 0));
  CHECK_CONTAINS(ezla_cms_report_timestamp_error(cr, 0), "CertificateUntrusted");
  CHECK_STR(ezla_cms_report_timestamp_trust(cr, 0), "invalid");
  CHECK(ezla_cms_report_timestamp_time(cr, 0) == EZLA_NOW);
  CHECK(ezla_cms_report_timestamp_tsa(cr, 0) == NULL);
  CHECK(ezla_cms_report_judged_at(cr) >= now - 300 &&
        ezla_cms_report_judged_at(cr) <= (int64_t)time(NULL) + 1);
  ezla_cms_report_free(cr);
  cr = NULL;
  /* The unstamped signature: no time-stamps. */
  REQUIRE_OK(ezla_cms_verify(sig.data, sig.len, data, data_len, NULL, tsa_trust, NULL, EZLA_NOW,
                             &cr, NULL));
  CHECK(ezla_cms_report_timestamp_count(cr) == 0);
  CHECK(ezla_cms_report_timestamp_serial(cr, 0) == NULL);
  ezla_cms_report_free(cr);
  cr = NULL;
  CHECK(ezla_cms_report_timestamp_count(NULL) == 0 && !ezla_cms_report_timestamp_valid(NULL, 0));
  CHECK(ezla_cms_report_timestamp_policy(NULL, 0) == NULL);
  CHECK(ezla_cms_report_judged_at(NULL) == EZLA_NOW);
  CHECK_RC(ezla_cms_add_timestamp((const uint8_t *)"not a signature", 15, client, &cades, NULL),
           EZLA_RESULT_DER_MALFORMED);
  CHECK_RC(ezla_cms_add_timestamp(NULL, 4, client, &cades, NULL), EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_cms_add_timestamp(sig.data, sig.len, NULL, &cades, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  CHECK_RC(ezla_cms_add_timestamp(sig.data, sig.len, client, NULL, NULL),
           EZLA_RESULT_NULL_PARAMETER);
  ezla_buffer_free(&cades);
  ezla_buffer_free(&sig);
  ezla_signer_free(signer);
  ezla_certificate_free(cert);
  ezla_private_key_free(key);

  /* The expired certificate, with a wider margin when the first stamps came too late. */
  bool judged = false;
  for (int64_t margin = 8; margin <= 128 && !judged; margin *= 4) {
    judged = expired_after_stamp(client, doc_trust, tsa_trust, margin);
  }
  CHECK(judged);

  ezla_tsa_client_free(client);
  ezla_trust_anchors_free(doc_trust);
  ezla_trust_anchors_free(tsa_trust);
  free(url);
  free(tls_ca);
  free(tsa_ca);
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : NULL;
  const char *sim = argc > 2 ? argv[2] : NULL;
  test_version();
  test_results();
  test_errors_and_buffers();
  test_test_ca();
  test_certificate();
  test_expiry();
  test_cert_summary();
  test_identity();
  test_private_key();
  test_csr_and_bundle();
  test_callback_signer();
  test_pkcs11_signer();
  test_trust_anchors();
  test_cms();
  test_xades();
  test_revocation(dir);
  test_cert_summary_revocation();
  test_hostile_input();
  test_kedu();
  test_azla();
  test_plan();
  test_vector_sample();
  test_threads();
  test_zus_offline();
  test_wk();
  if (sim != NULL) {
    test_timestamps(sim, dir);
  } else {
    fprintf(stderr, "note: no SIM_DIR given; the time-stamp tests are skipped\n");
  }
  if (dir != NULL) {
    test_pkcs12(dir);
    write_fixtures(dir);
    test_cert_summary_files(dir);
  } else {
    fprintf(stderr, "note: no FIXTURE_DIR given; the .pfx file tests are skipped\n");
  }

  ezla_identity_free(doctor);
  ezla_identity_free(renewal);
  ezla_identity_free(expiring);
  ezla_identity_free(expired);
  ezla_identity_free(future);
  ezla_identity_free(doctor_ec);
  ezla_certificate_free(ca_cert);
  ezla_test_ca_free(ca);
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
