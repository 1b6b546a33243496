/*
 * Sign an e-ZLA document with the doctor's .pfx (XAdES-BES, the ZUS profile), verify the
 * signature against the certificate's issuer, and show that a changed byte is refused.
 *
 *   EZLA_PASSWORD=... sign_and_verify doctor.pfx document.xml [signed.xml]
 *
 * The trust anchor here is the top certificate of the .pfx's own chain, which suits a
 * demonstration; a real verifier uses the CA certificates it trusts (ZUS's).
 */
#include "ezla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

static void result(const char *what, int ok) {
  printf("  %-44s %s\n", what, ok ? "ok" : "FAILED");
  if (ok) passed++; else failed++;
}

static uint8_t *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 1 << 16, n = 0;
  uint8_t *data = malloc(cap);
  while (data != NULL) {
    n += fread(data + n, 1, cap - n, f);
    if (n < cap) break;
    uint8_t *bigger = realloc(data, cap * 2);
    if (bigger == NULL) { free(data); data = NULL; break; }
    data = bigger;
    cap *= 2;
  }
  if (ferror(f)) { free(data); data = NULL; }
  fclose(f);
  *len = n;
  return data;
}

static void print_error(const char *what, ezla_result rc, ezla_error *err) {
  fprintf(stderr, "%s: %s (%s)\n", what, err ? ezla_error_message(err) : ezla_result_description(rc),
          ezla_result_name(rc));
  ezla_error_free(err);
}

int main(int argc, char **argv) {
  if (argc < 3 || argc > 4) {
    fprintf(stderr, "usage: EZLA_PASSWORD=... %s DOCTOR.pfx DOCUMENT.xml [SIGNED.xml]\n", argv[0]);
    return 2;
  }
  ezla_identity *id = NULL;
  ezla_certificate *anchor = NULL;
  ezla_trust_anchors *trust = NULL;
  ezla_buffer signed_doc = {NULL, 0};
  ezla_report *report = NULL;
  ezla_error *err = NULL;
  size_t doc_len = 0;
  uint8_t *doc = read_file(argv[2], &doc_len);
  if (doc == NULL) {
    perror(argv[2]);
    return 2;
  }

  ezla_result rc = ezla_identity_from_pkcs12_file(argv[1], getenv("EZLA_PASSWORD"), 0, &id, &err);
  if (rc != EZLA_RESULT_OK) {
    print_error(argv[1], rc, err);
    free(doc);
    printf("sign_and_verify: 0 passed, 1 failed\n");
    return 1;
  }

  /* 1. Sign (profile zus: RSA-SHA256, SigningCertificate, the shape ZUS accepts). */
  ezla_sign_options options = ezla_sign_options_default();
  options.profile = EZLA_PROFILE_ZUS;
  rc = ezla_xades_sign_with_identity(doc, doc_len, id, &options, &signed_doc, &err);
  if (rc != EZLA_RESULT_OK) print_error("sign", rc, err);
  result("signed (XAdES-BES, profile zus)", rc == EZLA_RESULT_OK);
  if (rc == EZLA_RESULT_OK && argc == 4) {
    FILE *f = fopen(argv[3], "wb");
    int ok = f != NULL && fwrite(signed_doc.data, 1, signed_doc.len, f) == signed_doc.len;
    if (f != NULL && fclose(f) != 0) ok = 0;
    result("written", ok);
  }

  /* 2. Verify against the issuer at the top of the .pfx's chain. */
  size_t chain = ezla_identity_chain_len(id);
  err = NULL;
  if (rc == EZLA_RESULT_OK) rc = ezla_trust_anchors_new(&trust, NULL);
  if (rc == EZLA_RESULT_OK && chain > 0) rc = ezla_identity_chain_get(id, chain - 1, &anchor, NULL);
  if (rc == EZLA_RESULT_OK && anchor != NULL) rc = ezla_trust_anchors_add(trust, anchor, NULL);
  if (rc == EZLA_RESULT_OK) {
    ezla_verify_options vo = ezla_verify_options_default();
    vo.trust = anchor != NULL ? trust : NULL;
    rc = ezla_xades_verify(signed_doc.data, signed_doc.len, &vo, &report, &err);
    if (rc != EZLA_RESULT_OK) print_error("verify", rc, err);
  }
  result("verified", rc == EZLA_RESULT_OK);
  if (rc == EZLA_RESULT_OK) {
    const char *pesel = ezla_report_signer_pesel(report);
    printf("    signer   %s\n", ezla_report_signer_subject(report));
    printf("    PESEL    %s\n", pesel ? pesel : "(none)");
    printf("    trust    %s\n", ezla_report_trust(report));
    printf("    profile  %s, %s\n", ezla_profile_name(ezla_report_profile(report)),
           ezla_report_signature_algorithm(report));
    printf("    time     %s\n", ezla_report_signing_time(report) ? ezla_report_signing_time(report) : "-");
    for (size_t i = 0; i < ezla_report_reference_count(report); i++)
      printf("    covers   %s\n", ezla_report_reference_covers(report, i));
  }

  /* 3. A changed byte in the signed content is refused (never EZLA_RESULT_OK). */
  if (signed_doc.data != NULL) {
    uint8_t *copy = malloc(signed_doc.len);
    const char *needle = "<ZUSZLA";
    size_t n = strlen(needle), at = 0;
    for (size_t i = 0; copy != NULL && i + n <= signed_doc.len; i++)
      if (memcmp(signed_doc.data + i, needle, n) == 0) { at = i + n + 2; break; }
    if (copy != NULL && at > 0) {
      ezla_report *bad = NULL;
      memcpy(copy, signed_doc.data, signed_doc.len);
      while (at < signed_doc.len && !(copy[at] >= '0' && copy[at] <= '9')) at++;
      copy[at] = copy[at] == '9' ? '8' : (uint8_t)(copy[at] + 1);
      ezla_result vr = ezla_xades_verify(copy, signed_doc.len, NULL, &bad, NULL);
      printf("    tampered copy: %s\n", ezla_result_name(vr));
      result("tampered copy refused", vr != EZLA_RESULT_OK && ezla_result_is_signature_error(vr));
      ezla_report_free(bad);
    } else {
      result("tampered copy refused (no <ZUSZLA> to change)", 0);
    }
    free(copy);
  }

  ezla_report_free(report);
  ezla_trust_anchors_free(trust);
  ezla_certificate_free(anchor);
  ezla_buffer_free(&signed_doc);
  ezla_identity_free(id);
  free(doc);
  printf("sign_and_verify: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
