/*
 * Issue an e-ZLA to ZUS (or to the simulator) and print each document's series/number and
 * the size of ZUS's receipt (UPP).
 *
 *   EZLA_PFX_PASSWORD=... issue_zla URL CA.pem DOCTOR.pfx ZLA.json [YYYY-MM-DD [JOURNAL]]
 *
 * URL is the channel's endpoint (EZLA_ZUS_ENDPOINT when given as "-"); CA.pem the CA the
 * server's TLS certificate chains to ("-": Mozilla's roots), e.g. the simulator's
 * DIR/tls-ca.pem after `ezla-sim serve --state DIR --tls`; DOCTOR.pfx the doctor's key
 * (`ezla-sim doctor add`); ZLA.json the certificate in the model's JSON form (e.g.
 * crates/ezla-cli/examples/zla.json). The day defaults to today in Poland, the journal to
 * memory. Exit status: 0 issued, 1 refused by ZUS (its code and words printed), 2 otherwise.
 */
#include "ezla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads a whole file; NULL on failure. The caller frees the result. */
static char *read_file(const char *path, size_t *len_out) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 4096, len = 0;
  char *data = malloc(cap + 1);
  while (data != NULL) {
    size_t n = fread(data + len, 1, cap - len, f);
    len += n;
    if (len < cap) break;
    char *bigger = realloc(data, 2 * cap + 1);
    if (bigger == NULL) {
      free(data);
      data = NULL;
      break;
    }
    data = bigger;
    cap *= 2;
  }
  if (data != NULL && ferror(f)) {
    free(data);
    data = NULL;
  }
  fclose(f);
  if (data != NULL) {
    data[len] = '\0';
    if (len_out != NULL) *len_out = len;
  }
  return data;
}

/* Prints a failure with ZUS's own code and text when it sent them; returns the exit status. */
static int report_error(const char *what, ezla_result rc, ezla_error *err) {
  fprintf(stderr, "%s: %s: %s\n", what, ezla_result_name(rc),
          err ? ezla_error_message(err) : ezla_result_description(rc));
  if (ezla_error_zus_code(err) != NULL)
    fprintf(stderr, "  ZUS: %s %s\n", ezla_error_zus_code(err), ezla_error_zus_text(err));
  int status = ezla_result_family(rc) == EZLA_ERROR_FAMILY_ZUS ? 1 : 2;
  ezla_error_free(err);
  return status;
}

int main(int argc, char **argv) {
  if (argc < 5 || argc > 7) {
    fprintf(stderr, "usage: EZLA_PFX_PASSWORD=... %s URL CA.pem DOCTOR.pfx ZLA.json "
                    "[YYYY-MM-DD [JOURNAL]]\n", argv[0]);
    return 2;
  }
  const char *url = strcmp(argv[1], "-") == 0 ? getenv("EZLA_ZUS_ENDPOINT") : argv[1];
  const char *today = argc > 5 ? argv[5] : NULL;
  int status = 2;
  size_t ca_len = 0;
  char *ca = NULL, *json = NULL;
  ezla_identity *doctor = NULL;
  ezla_zla *zla = NULL;
  ezla_zus_client *zus = NULL;
  ezla_zus_issue_report *report = NULL;
  ezla_error *err = NULL;
  ezla_result rc;

  if (url == NULL) {
    fprintf(stderr, "no endpoint: give URL or set EZLA_ZUS_ENDPOINT\n");
    goto done;
  }
  if (strcmp(argv[2], "-") != 0 && (ca = read_file(argv[2], &ca_len)) == NULL) {
    perror(argv[2]);
    goto done;
  }
  if ((json = read_file(argv[4], NULL)) == NULL) {
    perror(argv[4]);
    goto done;
  }
  rc = ezla_identity_from_pkcs12_file(argv[3], getenv("EZLA_PFX_PASSWORD"), 0, &doctor, &err);
  if (rc != EZLA_RESULT_OK) {
    status = report_error(argv[3], rc, err);
    goto done;
  }
  rc = ezla_zla_from_json(json, &zla, &err);
  if (rc != EZLA_RESULT_OK) {
    status = report_error(argv[4], rc, err);
    goto done;
  }

  ezla_zus_config config = ezla_zus_config_default();
  config.endpoint = url;
  config.ca_pem = (const uint8_t *)ca;
  config.ca_pem_len = ca_len;
  config.journal_path = argc > 6 ? argv[6] : NULL;
  rc = ezla_zus_client_new(&config, &zus, &err);
  if (rc != EZLA_RESULT_OK) {
    status = report_error("client", rc, err);
    goto done;
  }
  /* The login happens inside issue when needed; doing it first shows who ZUS sees. */
  rc = ezla_zus_client_login(zus, doctor, &err);
  if (rc != EZLA_RESULT_OK) {
    status = report_error("login", rc, err);
    goto done;
  }
  ezla_buffer name = {NULL, 0};
  rc = ezla_zus_client_doctor_name(zus, &name, &err);
  if (rc != EZLA_RESULT_OK) {
    status = report_error("doctor", rc, err);
    goto done;
  }
  printf("logged in as %.*s\n", (int)name.len, (const char *)name.data);
  ezla_buffer_free(&name);

  rc = ezla_zus_client_issue(zus, zla, doctor, today, &report, &err);
  if (rc != EZLA_RESULT_OK) {
    status = report_error("issue", rc, err);
    goto done;
  }
  size_t documents = ezla_zus_issue_report_document_count(report);
  for (size_t i = 0; i < documents; i++) {
    const uint8_t *upp = NULL;
    size_t upp_len = 0;
    if (!ezla_zus_issue_report_document_upp(report, i, &upp, &upp_len) || upp_len == 0) {
      fprintf(stderr, "document %zu has no receipt\n", i);
      goto done;
    }
    printf("%s %s: UPP %zu bytes\n", ezla_zus_issue_report_document_kind(report, i),
           ezla_zus_issue_report_document_seria_numer(report, i), upp_len);
  }
  for (size_t i = 0; i < ezla_zus_issue_report_warning_count(report); i++)
    printf("warning: %s\n", ezla_zus_issue_report_warning(report, i));
  rc = ezla_zus_client_logout(zus, &err);
  if (rc != EZLA_RESULT_OK) {
    status = report_error("logout", rc, err);
    goto done;
  }
  printf("issue_zla: %zu certificate(s), %zu document(s) receipted\n",
         ezla_zus_issue_report_certificate_count(report), documents);
  /* EZLA_CANCEL_REASON=U (a code of ZUS's dictionary): cancel the first certificate again
   * with a signed AZLA, as a doctor does who finds a mistake (logging in again). */
  const char *reason = getenv("EZLA_CANCEL_REASON");
  if (reason != NULL && documents > 0) {
    const char *seria_numer = ezla_zus_issue_report_document_seria_numer(report, 0);
    ezla_buffer azla_upp = {NULL, 0};
    rc = ezla_zus_client_cancel(zus, seria_numer, reason, doctor, today, &azla_upp, &err);
    if (rc != EZLA_RESULT_OK) {
      status = report_error("cancel", rc, err);
      goto done;
    }
    printf("cancelled %s: UPP %zu bytes\n", seria_numer, azla_upp.len);
    ezla_buffer_free(&azla_upp);
  }
  status = 0;

done:
  ezla_zus_issue_report_free(report);
  ezla_zus_client_free(zus); /* logs out if still logged in */
  ezla_zla_free(zla);
  ezla_identity_free(doctor);
  free(json);
  free(ca);
  return status;
}
