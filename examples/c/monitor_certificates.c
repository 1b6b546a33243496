/*
 * Watch a folder of doctors' certificates: open every .pfx/.p12 (with the password in
 * $EZLA_PFX_PASSWORD) and every certificate file (.pem/.crt/.cer/.der), and report each
 * against the ZUS expiry policy, for a nightly job or a monitoring check.
 *
 *   EZLA_PFX_PASSWORD=... monitor_certificates DIR
 *
 * Exit status (as `ezla cert check`, docs/cli.md: the monitoring plugins' OK, WARNING,
 * CRITICAL, UNKNOWN): 0 when all are valid, 1 when any is in the renewal window or expiring,
 * 2 when any is expired or not yet valid, 3 when any is unreadable (2 wins over 3, 3 over 1);
 * 64 on a wrong command line.
 */
#define _POSIX_C_SOURCE 200809L /* opendir, strdup */
#include "ezla.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How urgent an exit status is: CRITICAL (2) before UNKNOWN (3) before WARNING (1). */
static int urgency(int status) {
  return status == 2 ? 3 : status == 3 ? 2 : status;
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static uint8_t *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  uint8_t *data = malloc(1 << 20); /* certificates are a few kilobytes */
  size_t n = data ? fread(data, 1, 1 << 20, f) : 0;
  fclose(f);
  *len = n;
  return data;
}

/* Opens one file; returns its certificate or NULL (with the reason printed). Sets *legacy
 * for a .pfx in a legacy format (RC2/3DES, SHA-1 MAC), which is worth rewriting. */
static ezla_certificate *open_certificate(const char *path, int is_pfx, int *legacy) {
  ezla_certificate *cert = NULL;
  ezla_error *err = NULL;
  ezla_result rc;
  size_t len = 0;
  uint8_t *data = read_file(path, &len);
  *legacy = 0;
  if (data == NULL) {
    rc = EZLA_RESULT_IO;
  } else if (is_pfx) {
    const char *password = getenv("EZLA_PFX_PASSWORD");
    ezla_pkcs12_info info;
    ezla_identity *id = NULL;
    rc = ezla_pkcs12_inspect(data, len, password, 0, &info, &err);
    if (rc == EZLA_RESULT_OK) {
      *legacy = info.legacy;
      rc = ezla_identity_from_pkcs12(data, len, password, 0, &id, &err);
    }
    if (rc == EZLA_RESULT_OK) rc = ezla_identity_certificate(id, &cert, &err);
    ezla_identity_free(id);
  } else {
    rc = ezla_certificate_from_bytes(data, len, &cert, &err);
  }
  free(data);
  if (rc != EZLA_RESULT_OK) {
    printf("%-28s %-15s %s\n", path, "unreadable", err ? ezla_error_message(err) : ezla_result_description(rc));
    ezla_error_free(err);
    return NULL;
  }
  return cert;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: EZLA_PFX_PASSWORD=... %s DIR\n", argv[0]);
    return 64;
  }
  DIR *dir = opendir(argv[1]);
  if (dir == NULL) {
    perror(argv[1]);
    return 3;
  }
  char **names = NULL;
  size_t count = 0, cap = 0;
  for (struct dirent *e; (e = readdir(dir)) != NULL;) {
    const char *n = e->d_name;
    if (!(ends_with(n, ".pfx") || ends_with(n, ".p12") || ends_with(n, ".pem") ||
          ends_with(n, ".crt") || ends_with(n, ".cer") || ends_with(n, ".der")))
      continue;
    if (count == cap) {
      cap = cap ? cap * 2 : 16;
      char **bigger = realloc(names, cap * sizeof *names);
      if (bigger == NULL) break;
      names = bigger;
    }
    names[count] = strdup(n);
    if (names[count] != NULL) count++;
  }
  closedir(dir);
  if (count > 0) qsort(names, count, sizeof *names, by_name);

  int tally[5] = {0, 0, 0, 0, 0}, unreadable = 0, worst = 0;
  ezla_expiry_policy policy = ezla_expiry_policy_zus();
  for (size_t i = 0; i < count; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", argv[1], names[i]);
    int legacy = 0;
    ezla_certificate *cert = open_certificate(
        path, ends_with(names[i], ".pfx") || ends_with(names[i], ".p12"), &legacy);
    ezla_expiry x;
    if (cert == NULL || ezla_certificate_expiry(cert, EZLA_NOW, &policy, &x, NULL) != EZLA_RESULT_OK) {
      if (cert != NULL) printf("%-28s %-15s\n", path, "unreadable");
      unreadable++;
      if (urgency(3) > urgency(worst)) worst = 3;
    } else {
      const char *who = ezla_certificate_common_name(cert);
      printf("%-28s %-15s %5lld days  %s%s\n", path, ezla_expiry_state_name(x.state),
             (long long)x.days_left, who ? who : ezla_certificate_subject(cert),
             legacy ? "  (legacy .pfx: rewrite it in the modern format)" : "");
      if (x.state <= EZLA_EXPIRY_STATE_EXPIRED) tally[x.state]++;
      int level = x.state == EZLA_EXPIRY_STATE_VALID ? 0
                  : (x.state == EZLA_EXPIRY_STATE_RENEWAL_WINDOW || x.state == EZLA_EXPIRY_STATE_EXPIRING) ? 1
                                                                                                           : 2;
      if (urgency(level) > urgency(worst)) worst = level;
    }
    ezla_certificate_free(cert);
    free(names[i]);
  }
  free(names);
  printf("monitor_certificates: %zu checked: %d valid, %d renewal-window, %d expiring, %d expired, "
         "%d not-yet-valid, %d unreadable\n",
         count, tally[EZLA_EXPIRY_STATE_VALID], tally[EZLA_EXPIRY_STATE_RENEWAL_WINDOW],
         tally[EZLA_EXPIRY_STATE_EXPIRING], tally[EZLA_EXPIRY_STATE_EXPIRED],
         tally[EZLA_EXPIRY_STATE_NOT_YET_VALID], unreadable);
  return worst;
}
