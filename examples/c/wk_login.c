/*
 * A login through login.gov.pl (Węzeł Krajowy), sans-IO: build the signed AuthnRequest to send
 * the browser, then check an ArtifactResponse into the person's identity.
 *
 *   wk_login DIR
 *
 * DIR holds COI's 2018 simulator sample (../shared/vectors/wk/symulator-2018): the SP's
 * published encryption key and certificate, login.gov.pl's signing certificate, and the
 * ArtifactResponse, compact (valid) and pretty-printed (whitespace added after signing, so its
 * signatures fail). The signing key is a throw-away one from the test CA. A real service
 * provider POSTs the ArtifactResolve itself and records the artifact and the assertion ID
 * against replay. Exit status: 0 when every step went as expected, 1 otherwise.
 */
#include "ezla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The instant the sample was valid at (2018-09-13T13:30:00Z) and its request IDs. */
#define SAMPLE_TIME 1536845400LL
#define AUTHN_ID "ID-d136a4ee-a3a3-4392-a055-2e95d44165bc"
#define RESOLVE_ID "ID-09a2e477-dd85-4ce2-9420-0d9cc27244df"

static int passed, failed;

static unsigned char *read_all(const char *dir, const char *name, size_t *len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  unsigned char *data = NULL;
  size_t used = 0, cap = 0, n;
  unsigned char chunk[4096];
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (used + n > cap) {
      cap = (used + n) * 2;
      unsigned char *grown = realloc(data, cap);
      if (grown == NULL) {
        free(data);
        fclose(f);
        return NULL;
      }
      data = grown;
    }
    memcpy(data + used, chunk, n);
    used += n;
  }
  fclose(f);
  *len = used;
  return data;
}

static void report(const char *step, ezla_result rc, ezla_error *err) {
  fprintf(stderr, "%s: %s: %s\n", step, ezla_result_name(rc), err ? ezla_error_message(err) : "");
  ezla_error_free(err);
  failed++;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s DIR (../shared/vectors/wk/symulator-2018)\n", argv[0]);
    return 1;
  }
  const char *dir = argv[1];
  size_t key_len = 0, enc_len = 0, wk_len = 0, compact_len = 0, pretty_len = 0;
  unsigned char *key_pem = read_all(dir, "sp-enc-key.du_enc_ec.key.pem", &key_len);
  unsigned char *enc_pem = read_all(dir, "sp-enc-cert.du_enc_ec.pem", &enc_len);
  unsigned char *wk_pem = read_all(dir, "wk-sig-cert.pem", &wk_len);
  unsigned char *compact = read_all(dir, "artifact-response.compact.xml", &compact_len);
  unsigned char *pretty = read_all(dir, "artifact-response.pretty.xml", &pretty_len);
  ezla_test_ca *ca = NULL;
  ezla_identity *sp = NULL;
  ezla_certificate *sig_cert = NULL, *enc_cert = NULL, *wk_cert = NULL;
  ezla_private_key *sig_key = NULL, *enc_key = NULL;
  ezla_wk_config *config = NULL;
  ezla_wk_authn_request *request = NULL;
  ezla_wk_identity *person = NULL;
  ezla_error *err = NULL;
  ezla_result rc;

  if (!key_pem || !enc_pem || !wk_pem || !compact || !pretty) {
    fprintf(stderr, "%s: the simulator sample files are missing\n", dir);
    failed++;
    goto done;
  }
  /* Our keys: the sample's encryption key; a throw-away signing key (P-256). */
  if ((rc = ezla_test_ca_new("wk_login demo CA", EZLA_NOW, 30, &ca, &err)) != EZLA_RESULT_OK ||
      (rc = ezla_test_ca_issue_doctor(ca, "Demo", "Sp", "44051401359", EZLA_KEY_TYPE_P256,
                                      EZLA_NOW, 30, &sp, &err)) != EZLA_RESULT_OK ||
      (rc = ezla_identity_certificate(sp, &sig_cert, &err)) != EZLA_RESULT_OK ||
      (rc = ezla_identity_private_key(sp, &sig_key, &err)) != EZLA_RESULT_OK ||
      (rc = ezla_private_key_from_bytes(key_pem, key_len, NULL, &enc_key, &err)) !=
          EZLA_RESULT_OK ||
      (rc = ezla_certificate_from_bytes(enc_pem, enc_len, &enc_cert, &err)) != EZLA_RESULT_OK ||
      (rc = ezla_certificate_from_bytes(wk_pem, wk_len, &wk_cert, &err)) != EZLA_RESULT_OK) {
    report("keys", rc, err);
    goto done;
  }
  const ezla_certificate *pinned[1] = {wk_cert};
  rc = ezla_wk_config_new("simulator", "http://localhost.sp.pl",
                          "http://localhost:11080/saml-emulator/context", sig_key, sig_cert,
                          enc_key, enc_cert, pinned, 1, NULL, "substantial", NULL, NULL, &config,
                          &err);
  if (rc != EZLA_RESULT_OK) {
    report("configuration", rc, err);
    goto done;
  }

  /* 1. The login: the page to send the browser, and the pending request to keep. */
  rc = ezla_wk_authn_request_new(config, EZLA_NOW, &request, &err);
  if (rc != EZLA_RESULT_OK) {
    report("AuthnRequest", rc, err);
  } else {
    size_t xml_len = 0;
    ezla_wk_authn_request_xml(request, &xml_len);
    printf("AuthnRequest %s: %zu bytes of signed XML, POSTed to %s with RelayState %s\n",
           ezla_wk_authn_request_id(request), xml_len, ezla_wk_authn_request_sso_url(request),
           ezla_wk_authn_request_relay_state(request));
    passed++;
  }

  /* 2. The sample's answer, checked at its own time: the identity. */
  rc = ezla_wk_process_artifact_response(config, compact, compact_len, AUTHN_ID, RESOLVE_ID,
                                         SAMPLE_TIME, &person, &err);
  if (rc != EZLA_RESULT_OK) {
    report("ArtifactResponse", rc, err);
  } else {
    printf("logged in: %s %s, PESEL %s, born %s, %s via %s\n", ezla_wk_identity_given_name(person),
           ezla_wk_identity_family_name(person), ezla_wk_identity_pesel(person),
           ezla_wk_identity_birth_date(person), ezla_wk_identity_loa(person),
           ezla_wk_identity_authority_count(person) > 0 ? ezla_wk_identity_authority(person, 0)
                                                        : "?");
    printf("record against replay: assertion %s until %lld\n", ezla_wk_identity_assertion_id(person),
           (long long)ezla_wk_identity_not_on_or_after(person));
    passed++;
  }

  /* 3. The pretty-printed copy: its signatures no longer verify, and it is refused. */
  ezla_wk_identity *forged = NULL;
  rc = ezla_wk_process_artifact_response(config, pretty, pretty_len, AUTHN_ID, RESOLVE_ID,
                                         SAMPLE_TIME, &forged, &err);
  if (rc == EZLA_RESULT_OK || forged != NULL) {
    fprintf(stderr, "the pretty-printed copy was accepted\n");
    ezla_wk_identity_free(forged);
    failed++;
  } else {
    printf("pretty-printed copy refused: %s\n", ezla_result_name(rc));
    ezla_error_free(err);
    err = NULL;
    passed++;
  }

done:
  ezla_wk_identity_free(person);
  ezla_wk_authn_request_free(request);
  ezla_wk_config_free(config);
  ezla_private_key_free(sig_key);
  ezla_private_key_free(enc_key);
  ezla_certificate_free(sig_cert);
  ezla_certificate_free(enc_cert);
  ezla_certificate_free(wk_cert);
  ezla_identity_free(sp);
  ezla_test_ca_free(ca);
  free(key_pem);
  free(enc_pem);
  free(wk_pem);
  free(compact);
  free(pretty);
  printf("wk_login: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
