/*
 * Verifiers and identities created and freed in a loop leak nothing: LeakSanitizer checks
 * at exit. With the argument "leak" one identity is deliberately not freed, so that the
 * harness can show LeakSanitizer really is watching (that run must fail).
 */
#include <stdint.h>

#include "check.h"

#define ROUNDS 200

static int deliberate_leak = 0;

static void create_verify_free_in_a_loop(void) {
  int64_t now = strtoll(fixture("now"), NULL, 10);
  albauth_header ok[] = {hdr("x-amzn-oidc-data", fixture("token_valid"))};
  albauth_header bad[] = {hdr("x-amzn-oidc-data", fixture("token_expired"))};
  for (int i = 0; i < ROUNDS; i++) {
    albauth_verifier *v = verifier_from("config_pinned.json");
    albauth_identity *id = NULL, *hit = NULL;
    albauth_error err;
    CHECK_STATUS(albauth_verify(v, ok, 1, now, &id, &err), ALBAUTH_OK);
    CHECK_STATUS(albauth_verify(v, ok, 1, now, &hit, &err), ALBAUTH_OK); /* cache hit */
    albauth_identity_free(hit);
    CHECK_STATUS(albauth_verify(v, bad, 1, now, &hit, &err), ALBAUTH_EXPIRED);
    CHECK(hit == NULL);
    char report[512];
    albauth_verify_explained(v, ok, 1, now, report, sizeof report, NULL);
    albauth_stats st;
    albauth_verifier_stats(v, &st);
    albauth_verifier_free(v); /* before the identity: it outlives its verifier */
    if (!(deliberate_leak && i == 0)) albauth_identity_free(id);
  }
}

static void failed_creations_leak_nothing(void) {
  for (int i = 0; i < ROUNDS; i++) {
    albauth_verifier *v = NULL;
    albauth_error err;
    CHECK_STATUS(albauth_verifier_new(str_of("{\"trusted_albs\": [\"arn:x\"]}"), &v, &err),
                 ALBAUTH_CONFIG_INVALID);
    CHECK(v == NULL);
  }
}

int main(int argc, char **argv) {
  start(argc, argv);
  deliberate_leak = argc > 2 && strcmp(argv[2], "leak") == 0;
  RUN(create_verify_free_in_a_loop);
  RUN(failed_creations_leak_nothing);
  return finish();
}
