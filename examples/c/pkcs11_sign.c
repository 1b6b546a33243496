/*
 * Sign an e-ZLA document with a key on a PKCS#11 token (a smart card, an HSM, SoftHSM) and
 * verify the signature with the token's certificate.
 *
 *   EZLA_PIN=... pkcs11_sign MODULE.so TOKEN_LABEL KEY [DOCUMENT.xml [OUT.xml]]
 *
 * KEY is the key's label, or id: and its CKA_ID in hex. Without DOCUMENT a small KEDU
 * document is signed. The PIN comes from the environment variable EZLA_PIN (unset: no login).
 * The last line is "pkcs11_sign: N passed, M failed"; the exit status is 0 when all passed.
 */
#include "ezla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const char SAMPLE[] =
    "<KEDU xmlns=\"http://www.zus.pl/2015/KED_ZLA_1\" wersja_schematu=\"1\">"
    "<ZUSZLA id_dokumentu=\"1\" kolejnosc=\"0\"><II><p1>44051401359</p1></II></ZUSZLA></KEDU>";

static unsigned char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  unsigned char *data = malloc(1 << 20);
  *len = data ? fread(data, 1, 1 << 20, f) : 0;
  fclose(f);
  return data;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s MODULE.so TOKEN_LABEL KEY [DOCUMENT.xml [OUT.xml]]\n", argv[0]);
    return 64;
  }
  const char *pin = getenv("EZLA_PIN");
  ezla_signer *signer = NULL;
  ezla_certificate *cert = NULL;
  ezla_error *err = NULL;
  ezla_result rc = ezla_signer_from_pkcs11(argv[1], argv[2], argv[3], pin, &signer, &cert, &err);
  if (rc != EZLA_RESULT_OK) {
    print_error("opening the token key", rc, err);
    printf("pkcs11_sign: 0 passed, 1 failed\n");
    return 3;
  }
  result("token key and its certificate", signer != NULL && cert != NULL);
  printf("  signer: %s\n", ezla_certificate_subject(cert));

  unsigned char *document = (unsigned char *)SAMPLE;
  size_t len = sizeof SAMPLE - 1;
  unsigned char *owned = NULL;
  if (argc > 4) {
    owned = read_file(argv[4], &len);
    if (owned == NULL) {
      fprintf(stderr, "cannot read %s\n", argv[4]);
      return 3;
    }
    document = owned;
  }

  ezla_buffer signed_doc = {0};
  rc = ezla_xades_sign(document, len, signer, cert, NULL, 0, NULL, &signed_doc, &err);
  if (!result("XAdES-BES signature on the token", rc == EZLA_RESULT_OK)) {
    print_error("signing", rc, err);
  } else {
    ezla_verify_options vo = ezla_verify_options_default();
    vo.signer_certificate = cert;
    ezla_report *report = NULL;
    rc = ezla_xades_verify(signed_doc.data, signed_doc.len, &vo, &report, &err);
    if (!result("verifies with the token's certificate", rc == EZLA_RESULT_OK)) {
      print_error("verifying", rc, err);
    }
    ezla_report_free(report);
    if (argc > 5) {
      FILE *out = fopen(argv[5], "wb");
      result("written", out != NULL && fwrite(signed_doc.data, 1, signed_doc.len, out) == signed_doc.len);
      if (out) fclose(out);
    }
  }
  ezla_buffer_free(&signed_doc);
  free(owned);
  ezla_certificate_free(cert);
  ezla_signer_free(signer);
  printf("pkcs11_sign: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
