/*
 * Build an e-ZLA from JSON, validate it, write the ORYGINAŁ and the KOPIA, sign both with
 * the doctor's .pfx (XAdES-BES, the ZUS profile), verify them against the certificate's
 * issuer, and show that a changed byte is refused.
 *
 *   EZLA_PFX_PASSWORD=... sign_and_verify DOCTOR.pfx [ZLA.json [OUT_PREFIX]]
 *
 * Without ZLA.json a sample certificate issued today (for the test PESEL 44051401359) is
 * used. With OUT_PREFIX the signed documents are written to OUT_PREFIX-oryginal.xml and
 * OUT_PREFIX-kopia.xml. The trust anchor here is the top certificate of the .pfx's own
 * chain, which suits a demonstration; a real verifier uses the CA certificates it trusts.
 */
#define _POSIX_C_SOURCE 200809L /* gmtime_r */
#include "ezla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int passed, failed;

static int result(const char *what, int ok) {
  printf("  %-46s %s\n", what, ok ? "ok" : "FAILED");
  if (ok) passed++; else failed++;
  return ok;
}

static void print_error(const char *what, ezla_result rc, ezla_error *err) {
  fprintf(stderr, "%s: %s (%s)\n", what,
          err ? ezla_error_message(err) : ezla_result_description(rc), ezla_result_name(rc));
  ezla_error_free(err);
}

static char *read_text(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  char *text = malloc(1 << 20); /* an e-ZLA's JSON is a few kilobytes */
  size_t n = text ? fread(text, 1, (1 << 20) - 1, f) : 0;
  fclose(f);
  if (text) text[n] = '\0';
  return text;
}

/* A sample certificate: incapacity from today for a week, issued today. */
static char *sample_json(void) {
  char today[16], until[16];
  time_t now = time(NULL), later = now + 6 * 86400;
  struct tm a, b;
  if (gmtime_r(&now, &a) == NULL || gmtime_r(&later, &b) == NULL) return NULL;
  strftime(today, sizeof today, "%Y-%m-%d", &a);
  strftime(until, sizeof until, "%Y-%m-%d", &b);
  const char *template =
      "{\n"
      "  \"ubezpieczony\": { \"pesel\": \"44051401359\", \"imie\": \"Jan\",\n"
      "                    \"nazwisko\": \"Kowalski\", \"kod_ubezpieczenia\": \"zus\" },\n"
      "  \"adres\": { \"kod_pocztowy\": \"25001\", \"miejscowosc\": \"Kielce\",\n"
      "             \"ulica\": \"Sienkiewicza\", \"nr_domu\": \"5\" },\n"
      "  \"niezdolnosc\": { \"okres\": { \"od\": \"%s\", \"do\": \"%s\" },\n"
      "                   \"wskazanie\": \"moze_chodzic\", \"kod_choroby\": \"J06\" },\n"
      "  \"platnik\": { \"rodzaj\": \"nip\", \"identyfikator\": \"1234563218\" },\n"
      "  \"placowka\": { \"nazwa\": \"Przychodnia\", \"kod_pocztowy\": \"25001\",\n"
      "                \"miejscowosc\": \"Kielce\", \"nr_domu\": \"1\" },\n"
      "  \"lekarz\": { \"npwz\": \"5425740\", \"imie\": \"Anna\", \"nazwisko\": \"Nowak\" },\n"
      "  \"wystawienie\": { \"data_wystawienia\": \"%s\" }\n"
      "}\n";
  size_t cap = strlen(template) + 64;
  char *json = malloc(cap);
  if (json != NULL) snprintf(json, cap, template, today, until, today);
  return json;
}

/* Whether `needle` occurs inside the first `<open>...</close>` section of the document: the
 * ICD-10 code is `IV/p8`, while other sections (`VIII/p8`, say) have a `p8` of their own. */
static int section_contains(const ezla_buffer *b, const char *open, const char *close,
                            const char *needle) {
  size_t no = strlen(open), nc = strlen(close), nn = strlen(needle);
  for (size_t i = 0; b->data != NULL && i + no <= b->len; i++) {
    if (memcmp(b->data + i, open, no) != 0) continue;
    for (size_t j = i + no; j + nc <= b->len; j++) {
      if (memcmp(b->data + j, close, nc) == 0) return 0;
      if (j + nn <= b->len && memcmp(b->data + j, needle, nn) == 0) return 1;
    }
    return 0;
  }
  return 0;
}

static int write_out(const char *prefix, const char *suffix, const ezla_buffer *b) {
  char path[4096];
  snprintf(path, sizeof path, "%s-%s", prefix, suffix);
  FILE *f = fopen(path, "wb");
  int ok = f != NULL && fwrite(b->data, 1, b->len, f) == b->len;
  if (f != NULL && fclose(f) != 0) ok = 0;
  return ok;
}

/* Verifies a signed document against `trust`; prints the report. */
static int verify(const char *what, const ezla_buffer *doc, const ezla_trust_anchors *trust) {
  ezla_report *report = NULL;
  ezla_error *err = NULL;
  ezla_verify_options vo = ezla_verify_options_default();
  vo.trust = trust;
  ezla_result rc = ezla_xades_verify(doc->data, doc->len, &vo, &report, &err);
  if (rc != EZLA_RESULT_OK) {
    print_error(what, rc, err);
    return 0;
  }
  const char *pesel = ezla_report_signer_pesel(report);
  printf("    signer %s (PESEL %s), trust %s, %s %s, signed %s\n",
         ezla_report_signer_subject(report), pesel ? pesel : "-", ezla_report_trust(report),
         ezla_profile_name(ezla_report_profile(report)), ezla_report_signature_algorithm(report),
         ezla_report_signing_time(report) ? ezla_report_signing_time(report) : "-");
  int ok = strcmp(ezla_report_trust(report), trust ? "chain" : "untrusted") == 0;
  ezla_report_free(report);
  return ok;
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 4) {
    fprintf(stderr, "usage: EZLA_PFX_PASSWORD=... %s DOCTOR.pfx [ZLA.json [OUT_PREFIX]]\n", argv[0]);
    return 2;
  }
  ezla_identity *id = NULL;
  ezla_zla *zla = NULL;
  ezla_validation *validation = NULL;
  ezla_certificate *anchor = NULL;
  ezla_trust_anchors *trust = NULL;
  ezla_buffer oryginal = {NULL, 0}, kopia = {NULL, 0};
  ezla_buffer signed_o = {NULL, 0}, signed_k = {NULL, 0};
  ezla_error *err = NULL;
  ezla_result rc;

  char *json = argc > 2 ? read_text(argv[2]) : sample_json();
  if (json == NULL) {
    perror(argc > 2 ? argv[2] : "sample");
    return 2;
  }
  rc = ezla_identity_from_pkcs12_file(argv[1], getenv("EZLA_PFX_PASSWORD"), 0, &id, &err);
  if (rc != EZLA_RESULT_OK) {
    print_error(argv[1], rc, err);
    free(json);
    printf("sign_and_verify: 0 passed, 1 failed\n");
    return 1;
  }

  /* 1. The model from JSON, validated: every problem at once, with its field. */
  err = NULL;
  rc = ezla_zla_from_json(json, &zla, &err);
  if (rc != EZLA_RESULT_OK) print_error("JSON", rc, err);
  if (result("e-ZLA read from JSON", rc == EZLA_RESULT_OK) &&
      ezla_zla_validate(zla, EZLA_NOW, &validation, NULL) == EZLA_RESULT_OK) {
    for (size_t i = 0; i < ezla_validation_problem_count(validation); i++)
      printf("    %s: %s (%s): %s\n",
             ezla_validation_problem_severity(validation, i) == EZLA_SEVERITY_ERROR ? "error"
                                                                                   : "warning",
             ezla_validation_problem_path(validation, i),
             ezla_validation_problem_element(validation, i),
             ezla_validation_problem_message(validation, i));
    result("validated (no errors)", ezla_validation_is_valid(validation));
  }

  /* 2. The pair: the ORYGINAŁ for ZUS, the KOPIA for the payer (no ICD-10 code). */
  if (validation != NULL && ezla_validation_is_valid(validation)) {
    ezla_write_options wo = ezla_write_options_default();
    wo.producent = "ezla C example";
    err = NULL;
    rc = ezla_zla_to_xml(zla, EZLA_WARIANT_ORYGINAL, &wo, &oryginal, &err);
    if (rc == EZLA_RESULT_OK) rc = ezla_zla_to_xml(zla, EZLA_WARIANT_KOPIA, &wo, &kopia, &err);
    if (rc != EZLA_RESULT_OK) print_error("XML", rc, err);
    result("ORYGINAŁ and KOPIA written", rc == EZLA_RESULT_OK);
    result("the KOPIA carries no ICD-10 code (IV/p8)",
           rc == EZLA_RESULT_OK && section_contains(&oryginal, "<IV>", "</IV>", "<p8>") &&
               !section_contains(&kopia, "<IV>", "</IV>", "<p8>"));
  }

  /* 3. Both signed (profile zus: RSA-SHA256 and SigningCertificate, as ZUS accepts). */
  if (oryginal.data != NULL && kopia.data != NULL) {
    ezla_sign_options so = ezla_sign_options_default();
    so.profile = EZLA_PROFILE_ZUS;
    err = NULL;
    rc = ezla_xades_sign_with_identity(oryginal.data, oryginal.len, id, &so, &signed_o, &err);
    if (rc == EZLA_RESULT_OK)
      rc = ezla_xades_sign_with_identity(kopia.data, kopia.len, id, &so, &signed_k, &err);
    if (rc != EZLA_RESULT_OK) print_error("sign", rc, err);
    result("both signed (XAdES-BES, profile zus)", rc == EZLA_RESULT_OK);
    if (rc == EZLA_RESULT_OK && argc == 4)
      result("written", write_out(argv[3], "oryginal.xml", &signed_o) &&
                            write_out(argv[3], "kopia.xml", &signed_k));
  }

  /* 4. Verified against the issuer at the top of the .pfx's chain. */
  if (signed_o.data != NULL) {
    size_t chain = ezla_identity_chain_len(id);
    if (ezla_trust_anchors_new(&trust, NULL) == EZLA_RESULT_OK && chain > 0 &&
        ezla_identity_chain_get(id, chain - 1, &anchor, NULL) == EZLA_RESULT_OK)
      ezla_trust_anchors_add(trust, anchor, NULL);
    const ezla_trust_anchors *t = anchor != NULL ? trust : NULL;
    result("ORYGINAŁ verified", verify("verify ORYGINAŁ", &signed_o, t));
    result("KOPIA verified", verify("verify KOPIA", &signed_k, t));

    /* 5. A changed byte of the signed content is refused (never EZLA_RESULT_OK). */
    uint8_t *copy = malloc(signed_o.len);
    if (copy != NULL) {
      ezla_report *bad = NULL;
      memcpy(copy, signed_o.data, signed_o.len);
      const char *needle = "<p1>44051401359</p1>";
      size_t n = strlen(needle), at = 0;
      for (size_t i = 0; i + n <= signed_o.len; i++)
        if (memcmp(copy + i, needle, n) == 0) { at = i + 4; break; }
      if (at > 0) copy[at] = '5'; /* another PESEL */
      ezla_result vr = ezla_xades_verify(copy, signed_o.len, NULL, &bad, NULL);
      printf("    changed PESEL: %s\n", ezla_result_name(vr));
      result("a changed copy is refused",
             at > 0 && vr != EZLA_RESULT_OK && ezla_result_is_signature_error(vr));
      ezla_report_free(bad);
      free(copy);
    }
  }

  ezla_buffer_free(&signed_o);
  ezla_buffer_free(&signed_k);
  ezla_buffer_free(&oryginal);
  ezla_buffer_free(&kopia);
  ezla_trust_anchors_free(trust);
  ezla_certificate_free(anchor);
  ezla_validation_free(validation);
  ezla_zla_free(zla);
  ezla_identity_free(id);
  free(json);
  int steps = 8 + (argc == 4);
  if (passed + failed < steps) failed += steps - (passed + failed); /* steps that never ran */
  printf("sign_and_verify: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
