/*
 * The ZUS client beyond `issue`: a login through a signing callback (as with a smart card
 * or an HSM), a session resumed by a second client, every look-up, ZUS's validation
 * findings, the journaled send, the documents and receipts ZUS keeps, and a cancellation.
 *
 *   EZLA_PFX_PASSWORD=... zus_lookups URL CA.pem DOCTOR.pfx PESEL ZLA.json YYYY-MM-DD
 *
 * URL, CA.pem, DOCTOR.pfx and ZLA.json as for issue_zla; PESEL the patient's (the one in
 * ZLA.json); the day is the one the certificate is judged on. Each step prints one line.
 * Exit status: 0 when every step did what it should, 1 when ZUS refused something it
 * should not have, 2 otherwise.
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

/* The signing callback: here a software key stands in for the card or HSM the key would
 * live on. ezla hands it the whole message; the callback hashes and signs it. */
static uint32_t sign_on_token(void *userdata, uint32_t algorithm, const uint8_t *data,
                              size_t len, uint8_t *sig_out, size_t sig_cap, size_t *sig_len) {
  const ezla_private_key *key = userdata;
  ezla_buffer sig = {NULL, 0};
  ezla_result rc = ezla_private_key_sign(key, algorithm, data, len, &sig, NULL);
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

/* Prints records, one line each: "label: name=value name=value ...". */
static void print_records(const char *label, const ezla_zus_records *records) {
  size_t n = ezla_zus_records_count(records);
  if (n == 0) printf("%s: none\n", label);
  for (size_t i = 0; i < n; i++) {
    printf("%s:", label);
    for (size_t k = 0; k < ezla_zus_records_field_count(records, i); k++)
      printf(" %s=%s", ezla_zus_records_field_name(records, i, k),
             ezla_zus_records_field_value(records, i, k));
    printf("\n");
  }
}

/* Calls a function of the client; on failure reports it and leaves main. */
#define STEP(what, call)                        \
  do {                                          \
    rc = (call);                                \
    if (rc != EZLA_RESULT_OK) {                 \
      status = report_error((what), rc, err);   \
      err = NULL;                               \
      goto done;                                \
    }                                           \
  } while (0)

int main(int argc, char **argv) {
  if (argc != 7) {
    fprintf(stderr, "usage: EZLA_PFX_PASSWORD=... %s URL CA.pem DOCTOR.pfx PESEL ZLA.json "
                    "YYYY-MM-DD\n", argv[0]);
    return 2;
  }
  const char *url = argv[1], *pesel = argv[4], *day = argv[6];
  int status = 2;
  size_t ca_len = 0;
  char *ca = NULL, *json = NULL;
  ezla_identity *doctor = NULL;
  ezla_private_key *key = NULL;
  ezla_certificate *cert = NULL;
  ezla_signer *token = NULL;
  ezla_zla *zla = NULL;
  ezla_zus_client *zus = NULL, *second = NULL;
  ezla_zus_records *records = NULL;
  ezla_zus_issue_report *report = NULL;
  ezla_buffer session = {NULL, 0}, xml = {NULL, 0}, signed_doc = {NULL, 0};
  ezla_buffer kept = {NULL, 0}, upp = {NULL, 0};
  ezla_error *err = NULL;
  ezla_result rc;

  if (strcmp(argv[2], "-") != 0 && (ca = read_file(argv[2], &ca_len)) == NULL) {
    perror(argv[2]);
    goto done;
  }
  if ((json = read_file(argv[5], NULL)) == NULL) {
    perror(argv[5]);
    goto done;
  }
  STEP(argv[3], ezla_identity_from_pkcs12_file(argv[3], getenv("EZLA_PFX_PASSWORD"), 0,
                                                &doctor, &err));
  STEP("key", ezla_identity_private_key(doctor, &key, &err));
  STEP("certificate", ezla_identity_certificate(doctor, &cert, &err));
  STEP("signer", ezla_signer_from_callback(cert, sign_on_token, key, &token, &err));
  STEP(argv[5], ezla_zla_from_json(json, &zla, &err));

  ezla_zus_config config = ezla_zus_config_default();
  config.endpoint = url;
  config.ca_pem = (const uint8_t *)ca;
  config.ca_pem_len = ca_len;
  config.retry_attempts = 2;       /* one retry for look-ups and validation */
  config.retry_base_delay_ms = 50;
  STEP("client", ezla_zus_client_new(&config, &zus, &err));
  STEP("login", ezla_zus_client_login_with_signer(zus, token, cert, &err));
  printf("logged in with the signing callback\n");

  /* A second client (another worker of a web application, say) takes the session over. */
  STEP("session id", ezla_zus_client_session_id(zus, &session, &err));
  char *id = calloc(session.len + 1, 1);
  if (id == NULL) goto done;
  memcpy(id, session.data, session.len);
  STEP("client", ezla_zus_client_new(&config, &second, &err));
  rc = ezla_zus_client_resume(second, id, &err);
  free(id);
  if (rc != EZLA_RESULT_OK) {
    status = report_error("resume", rc, err);
    goto done;
  }
  STEP("doctor", ezla_zus_client_doctor(second, &records, &err));
  print_records("doctor (resumed session)", records);
  ezla_zus_records_free(records);
  records = NULL;

  STEP("places of work", ezla_zus_client_places_of_work(zus, &records, &err));
  print_records("place of work", records);
  ezla_zus_records_free(records);
  records = NULL;
  int may = -1;
  STEP("permission", ezla_zus_client_may_issue_on(zus, day, &may, &err));
  printf("may issue on %s: %s\n", day, may == 1 ? "yes" : may == 0 ? "no" : "ZUS does not say");
  STEP("patient", ezla_zus_client_patient(zus, pesel, NULL, &records, &err));
  print_records("patient", records);
  ezla_zus_records_free(records);
  records = NULL;
  STEP("payers", ezla_zus_client_payers(zus, pesel, &records, &err));
  print_records("payer", records);
  ezla_zus_records_free(records);
  records = NULL;
  STEP("family", ezla_zus_client_family(zus, pesel, NULL, &records, &err));
  print_records("family member", records);
  ezla_zus_records_free(records);
  records = NULL;
  STEP("letter codes", ezla_zus_client_letter_codes(zus, pesel, day, "J06", &records, &err));
  print_records("letter codes", records);
  ezla_zus_records_free(records);
  records = NULL;
  const char *dictionaries[] = {"cancellation", "invalidation", "kinship"};
  for (size_t i = 0; i < 3; i++) {
    STEP(dictionaries[i], ezla_zus_client_dictionary(zus, dictionaries[i], &records, &err));
    printf("dictionary %s: %zu entries, first %s\n", dictionaries[i],
           ezla_zus_records_count(records), ezla_zus_records_get(records, 0, "kod"));
    ezla_zus_records_free(records);
    records = NULL;
  }
  STEP("number", ezla_zus_client_reserve_number(zus, &records, &err));
  printf("reserved %s (ORYGINAL %s, KOPIA %s)\n", ezla_zus_records_get(records, 0, "seria_numer"),
         ezla_zus_records_get(records, 0, "id_oryginal"),
         ezla_zus_records_get(records, 0, "id_kopia"));
  ezla_zus_records_free(records);
  records = NULL;

  /* The template's own number (ZX0000001) was never reserved: ZUS's validation refuses it,
   * and the error carries every finding. */
  STEP("ORYGINAL", ezla_zla_to_xml(zla, EZLA_WARIANT_ORYGINAL, NULL, &xml, &err));
  STEP("sign", ezla_xades_sign(xml.data, xml.len, token, cert, NULL, 0, NULL, &signed_doc, &err));
  ezla_zus_document unreserved = {signed_doc.data, signed_doc.len, "template", NULL, NULL};
  rc = ezla_zus_client_validate(zus, &unreserved, 1, &records, &err);
  if (rc != EZLA_RESULT_ZUS_VALIDATION_REFUSED) {
    fprintf(stderr, "validation of an unreserved number: %s, not refused\n", ezla_result_name(rc));
    goto done;
  }
  const ezla_zus_records *findings = ezla_error_zus_findings(err);
  for (size_t i = 0; i < ezla_zus_records_count(findings); i++)
    printf("refused: %s %s (%s) at %s\n", ezla_zus_records_get(findings, i, "rodzaj"),
           ezla_zus_records_get(findings, i, "kod"), ezla_zus_records_get(findings, i, "nr_ref"),
           ezla_zus_records_get(findings, i, "lokalizacja"));
  ezla_error_free(err);
  err = NULL;

  /* The whole flow, signed through the callback; then the documents ZUS keeps. */
  STEP("issue", ezla_zus_client_issue_with_signer(zus, zla, token, cert, day, &report, &err));
  const char *sn = ezla_zus_issue_report_document_seria_numer(report, 0);
  const uint8_t *sent_upp = NULL, *oryginal = NULL, *kopia = NULL;
  size_t sent_upp_len = 0, oryginal_len = 0, kopia_len = 0;
  if (sn == NULL || !ezla_zus_issue_report_document_upp(report, 0, &sent_upp, &sent_upp_len) ||
      !ezla_zus_issue_report_document_signed(report, 0, &oryginal, &oryginal_len) ||
      !ezla_zus_issue_report_document_signed(report, 1, &kopia, &kopia_len)) {
    fprintf(stderr, "the issue report has no pair\n");
    goto done;
  }
  printf("issued %s\n", sn);
  ezla_zus_document again[2] = {{oryginal, oryginal_len, NULL, NULL, NULL},
                                {kopia, kopia_len, NULL, NULL, NULL}};
  STEP("validate", ezla_zus_client_validate(zus, again, 2, &records, &err));
  printf("validated the pair again: %zu warning(s)\n", ezla_zus_records_count(records));
  ezla_zus_records_free(records);
  records = NULL;
  STEP("document", ezla_zus_client_document(zus, "ORYGINAL", sn, &kept, &err));
  printf("ZUS keeps %s: %s\n", sn,
         kept.len == oryginal_len && memcmp(kept.data, oryginal, kept.len) == 0
             ? "the bytes as signed" : "OTHER BYTES");
  STEP("receipt", ezla_zus_client_receipt(zus, "ORYGINAL", sn, &upp, &err));
  printf("receipt of %s: %s\n", sn,
         upp.len == sent_upp_len && memcmp(upp.data, sent_upp, upp.len) == 0
             ? "the one the send returned" : "ANOTHER ONE");
  /* A second send of the pair: the journal has both as sent, so nothing leaves again and
   * the receipts come back from the journal. */
  again[0].kind = "ORYGINAL";
  again[0].seria_numer = sn;
  again[1].kind = "KOPIA";
  again[1].seria_numer = sn;
  STEP("send", ezla_zus_client_send(zus, again, 2, &records, &err));
  const char *first_upp = ezla_zus_records_get(records, 0, "upp");
  printf("sent again: %zu receipt(s), %s\n", ezla_zus_records_count(records),
         first_upp != NULL && strlen(first_upp) == sent_upp_len &&
                 memcmp(first_upp, sent_upp, sent_upp_len) == 0
             ? "from the journal" : "NEW ONES");
  ezla_zus_records_free(records);
  records = NULL;
  ezla_buffer_free(&upp);
  STEP("cancel", ezla_zus_client_cancel_with_signer(zus, sn, "U", token, cert, day, &upp, &err));
  printf("cancelled %s: UPP %zu bytes\n", sn, upp.len);

  STEP("logout", ezla_zus_client_logout(zus, &err));
  printf("zus_lookups: every step answered\n");
  status = 0;

done:
  ezla_buffer_free(&upp);
  ezla_buffer_free(&kept);
  ezla_buffer_free(&signed_doc);
  ezla_buffer_free(&xml);
  ezla_buffer_free(&session);
  ezla_zus_records_free(records);
  ezla_zus_issue_report_free(report);
  ezla_zus_client_free(second);
  ezla_zus_client_free(zus);
  ezla_zla_free(zla);
  ezla_signer_free(token);
  ezla_certificate_free(cert);
  ezla_private_key_free(key);
  ezla_identity_free(doctor);
  free(json);
  free(ca);
  return status;
}
