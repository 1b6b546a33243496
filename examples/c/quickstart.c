/* Sign an e-ZLA with the doctor's .pfx and verify it against the ZUS CA (the README's C
 * program). Usage: EZLA_PFX_PASSWORD=... quickstart doctor.pfx zus-ca.pem zla.xml signed.xml */
#include <ezla.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  unsigned char *data = NULL;
  long size = -1;
  if (f != NULL && fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0)
    data = malloc(size > 0 ? (size_t)size : 1);
  *len = data != NULL ? fread(data, 1, (size_t)size, f) : 0;
  if (f != NULL) fclose(f);
  return data;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: EZLA_PFX_PASSWORD=... %s DOCTOR.pfx CA.pem ZLA.xml OUT.xml\n", argv[0]);
    return 64;
  }
  size_t ca_len = 0, xml_len = 0;
  unsigned char *ca = slurp(argv[2], &ca_len), *xml = slurp(argv[3], &xml_len);
  ezla_identity *doctor = NULL;
  ezla_trust_anchors *anchors = NULL;
  ezla_report *report = NULL;
  ezla_error *err = NULL;
  ezla_buffer signed_xml = {NULL, 0};

  ezla_result rc = ca && xml ? EZLA_RESULT_OK : EZLA_RESULT_IO;
  if (rc == EZLA_RESULT_OK) /* a legacy (RC2/3DES) or modern .pfx */
    rc = ezla_identity_from_pkcs12_file(argv[1], getenv("EZLA_PFX_PASSWORD"), 0, &doctor, &err);
  if (rc == EZLA_RESULT_OK) /* XAdES-BES, profile "zus": the signature is the last child of <KEDU> */
    rc = ezla_xades_sign_with_identity(xml, xml_len, doctor, NULL, &signed_xml, &err);
  if (rc == EZLA_RESULT_OK)
    rc = ezla_trust_anchors_from_pem(ca, ca_len, &anchors, &err);
  if (rc == EZLA_RESULT_OK) { /* strict: one signature over the whole document, chained to the CA */
    ezla_verify_options options = ezla_verify_options_default();
    options.trust = anchors;
    rc = ezla_xades_verify(signed_xml.data, signed_xml.len, &options, &report, &err);
  }
  if (rc == EZLA_RESULT_OK) {
    const char *pesel = ezla_report_signer_pesel(report), *at = ezla_report_signing_time(report);
    printf("signed by %s (PESEL %s) at %s; trust: %s\n", ezla_report_signer_subject(report),
           pesel ? pesel : "none", at ? at : "an unknown time", ezla_report_trust(report));
    FILE *out = fopen(argv[4], "wb");
    if (out == NULL || fwrite(signed_xml.data, 1, signed_xml.len, out) != signed_xml.len) rc = EZLA_RESULT_IO;
    if (out != NULL && fclose(out) != 0) rc = EZLA_RESULT_IO;
  } else {
    fprintf(stderr, "%s: %s\n", ezla_result_name(rc), err ? ezla_error_message(err) : "cannot read the input");
  }
  ezla_error_free(err);
  ezla_report_free(report);
  ezla_trust_anchors_free(anchors);
  ezla_buffer_free(&signed_xml);
  ezla_identity_free(doctor);
  free(ca);
  free(xml);
  return rc == EZLA_RESULT_OK ? 0 : 3;
}
