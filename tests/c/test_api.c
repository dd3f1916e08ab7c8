/*
 * The C API as a C caller sees it: the happy path, every status, anonymous requests, NULL
 * arguments, invalid UTF-8, a missing err, counters and ownership. Built with
 * -std=c11 -Wall -Wextra -Werror -fsanitize=address,undefined by tests/c_abi.rs.
 */
#include <stdint.h>

#include "check.h"

static int64_t now(void) { return strtoll(fixture("now"), NULL, 10); }

/* One verification of a request carrying `token` (and nothing else). */
static albauth_status verify_token(const albauth_verifier *v, const char *token,
                                   albauth_identity **out, albauth_error *err) {
  albauth_header h[] = {hdr("x-amzn-oidc-data", token)};
  return albauth_verify(v, h, 1, now(), out, err);
}

/* The message starts with "<status name>: ". */
static int message_names(const albauth_error *err, albauth_status s) {
  const char *name = albauth_status_name(s);
  size_t n = strlen(name);
  return strncmp(err->message, name, n) == 0 && err->message[n] == ':' &&
         err->message[n + 1] == ' ';
}

static void versions_match_the_header(void) {
  CHECK(albauth_abi_version() == ALBAUTH_ABI_VERSION);
  CHECK(strncmp(albauth_version(), "albauth ", 8) == 0);
}

static void status_names_are_the_codes(void) {
  CHECK(strcmp(albauth_status_name(ALBAUTH_OK), "ok") == 0);
  CHECK(strcmp(albauth_status_name(ALBAUTH_ANONYMOUS), "anonymous") == 0);
  CHECK(strcmp(albauth_status_name(ALBAUTH_SIGNER_NOT_TRUSTED), "signer_not_trusted") == 0);
  CHECK(strcmp(albauth_status_name(ALBAUTH_EXPIRED), "expired") == 0);
  CHECK(strcmp(albauth_status_name(ALBAUTH_CONFIG_INVALID), "config_invalid") == 0);
  CHECK(strcmp(albauth_status_name(ALBAUTH_NULL_ARGUMENT), "null_argument") == 0);
  CHECK(strcmp(albauth_status_name(ALBAUTH_INVALID_ARGUMENT), "invalid_argument") == 0);
  /* A panic cannot be provoked from C; tests/ffi.rs provokes one through Rust. */
  CHECK(strcmp(albauth_status_name(ALBAUTH_PANIC), "panic") == 0);
  CHECK(strcmp(albauth_status_name((albauth_status)2), "unknown") == 0);
  CHECK(strcmp(albauth_status_name((albauth_status)999), "unknown") == 0);
  CHECK(strcmp(albauth_status_name((albauth_status)-1), "unknown") == 0);
}

static void valid_token_authenticates_with_every_field(void) {
  albauth_verifier *v = verifier_from("config_pinned.json");
  albauth_identity *id = NULL;
  albauth_error err;
  CHECK_STATUS(verify_token(v, fixture("token_valid"), &id, &err), ALBAUTH_OK);
  CHECK(err.status == ALBAUTH_OK && err.message[0] == '\0');
  CHECK(id != NULL);
  CHECK_STR(albauth_identity_username(id), "Jane.Doe@Example.com");
  CHECK_STR(albauth_identity_display_name(id), "Jane Doe");
  CHECK_STR(albauth_identity_email(id), "Jane.Doe@Example.com");
  CHECK_STR(albauth_identity_sub(id), "a1b2c3d4-0000-4000-8000-000000000001");
  CHECK(albauth_identity_group_count(id) == 2);
  CHECK_STR(albauth_identity_group(id, 0), "jira-users");
  CHECK_STR(albauth_identity_group(id, 1), "ops");
  CHECK_STR(albauth_identity_group(id, 2), NULL);
  CHECK_STR(albauth_identity_group(id, SIZE_MAX), NULL);
  albauth_str claims = albauth_identity_claims_json(id);
  CHECK(claims.len > 2 && claims.ptr[0] == '{' && claims.ptr[claims.len - 1] == '}');
  CHECK(albauth_identity_expires_at(id) == now() + 120);
  albauth_identity_free(id);
  albauth_verifier_free(v);
}

/* Every status albauth_verify can return from C, each from a request made for it. */
static void every_status_is_returned_with_its_message(void) {
  static const struct {
    const char *fixture;
    albauth_status want;
  } cases[] = {
      {"token_malformed_token", ALBAUTH_MALFORMED_TOKEN},
      {"token_unsupported_algorithm", ALBAUTH_UNSUPPORTED_ALGORITHM},
      {"token_invalid_key_id", ALBAUTH_INVALID_KEY_ID},
      {"token_signer_not_trusted", ALBAUTH_SIGNER_NOT_TRUSTED},
      {"token_issuer_mismatch", ALBAUTH_ISSUER_MISMATCH},
      {"token_client_mismatch", ALBAUTH_CLIENT_MISMATCH},
      {"token_expired", ALBAUTH_EXPIRED},
      {"token_invalid_signature", ALBAUTH_INVALID_SIGNATURE},
      {"token_key_unavailable", ALBAUTH_KEY_UNAVAILABLE},
      {"token_claim_missing", ALBAUTH_CLAIM_MISSING},
  };
  albauth_verifier *v = verifier_from("config_pinned.json");
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    albauth_identity *id = (albauth_identity *)&cases; /* not NULL: must be reset */
    albauth_error err;
    albauth_status s = verify_token(v, fixture(cases[i].fixture), &id, &err);
    CHECK_STATUS(s, cases[i].want);
    CHECK(err.status == (int32_t)cases[i].want);
    CHECK(message_names(&err, cases[i].want));
    CHECK(id == NULL);
    CHECK(albauth_verifier_rejections(v, cases[i].want) == 1);
  }

  /* header_too_large: a 17 KiB token header. */
  size_t big_len = 17 * 1024;
  char *big = malloc(big_len + 1);
  memset(big, 'a', big_len);
  big[big_len] = '\0';
  albauth_identity *id = NULL;
  albauth_error err;
  CHECK_STATUS(verify_token(v, big, &id, &err), ALBAUTH_HEADER_TOO_LARGE);
  CHECK(message_names(&err, ALBAUTH_HEADER_TOO_LARGE));
  free(big);

  /* identity_mismatch: a valid token with someone else's x-amzn-oidc-identity. */
  albauth_header mismatch[] = {hdr("x-amzn-oidc-data", fixture("token_valid")),
                               hdr("x-amzn-oidc-identity", "someone-else")};
  CHECK_STATUS(albauth_verify(v, mismatch, 2, now(), &id, &err), ALBAUTH_IDENTITY_MISMATCH);
  CHECK(message_names(&err, ALBAUTH_IDENTITY_MISMATCH) && id == NULL);

  /* null_argument and invalid_argument. */
  CHECK_STATUS(albauth_verify(NULL, NULL, 0, now(), &id, &err), ALBAUTH_NULL_ARGUMENT);
  CHECK(message_names(&err, ALBAUTH_NULL_ARGUMENT));
  albauth_header bad[] = {hdr("x-amzn-oidc-data", "caf\xe9")};
  CHECK_STATUS(albauth_verify(v, bad, 1, now(), &id, &err), ALBAUTH_INVALID_ARGUMENT);
  CHECK(message_names(&err, ALBAUTH_INVALID_ARGUMENT));

  albauth_stats st;
  CHECK_STATUS(albauth_verifier_stats(v, &st), ALBAUTH_OK);
  CHECK(st.rejected == 12 && st.authenticated == 0 && st.anonymous == 0);
  albauth_verifier_free(v);

  /* access_token_invalid: an azure config needs the access token header. */
  albauth_verifier *azure = verifier_from("config_azure.json");
  CHECK_STATUS(verify_token(azure, fixture("token_azure"), &id, &err),
               ALBAUTH_ACCESS_TOKEN_INVALID);
  CHECK(message_names(&err, ALBAUTH_ACCESS_TOKEN_INVALID) && id == NULL);
  albauth_verifier_free(azure);

  /* config_invalid: a config that is not JSON; *out is left as it was. */
  albauth_verifier *untouched = (albauth_verifier *)&cases;
  CHECK_STATUS(albauth_verifier_new(str_of("{not json"), &untouched, &err), ALBAUTH_CONFIG_INVALID);
  CHECK(message_names(&err, ALBAUTH_CONFIG_INVALID));
  CHECK(untouched == (albauth_verifier *)&cases);
}

static void requests_without_a_token_are_anonymous(void) {
  albauth_verifier *v = verifier_from("config_pinned.json");
  albauth_identity *id = NULL;
  albauth_error err;
  albauth_header h[] = {hdr("accept", "text/html"), hdr("x-amzn-oidc-identity", "someone")};
  CHECK_STATUS(albauth_verify(v, h, 2, now(), &id, &err), ALBAUTH_ANONYMOUS);
  CHECK(id == NULL && err.status == ALBAUTH_ANONYMOUS && err.message[0] == '\0');
  CHECK_STATUS(albauth_verify(v, NULL, 0, now(), &id, &err), ALBAUTH_ANONYMOUS);
  CHECK(id == NULL);
  albauth_stats st;
  CHECK_STATUS(albauth_verifier_stats(v, &st), ALBAUTH_OK);
  CHECK(st.anonymous == 2);
  albauth_verifier_free(v);
}

static void null_arguments_are_refused(void) {
  albauth_verifier *v = verifier_from("config_pinned.json");
  albauth_identity *id = NULL;
  albauth_verifier *nv = NULL;
  albauth_error err;
  albauth_header h[] = {hdr("x-amzn-oidc-data", fixture("token_valid"))};
  CHECK_STATUS(albauth_verify(v, h, 1, now(), NULL, &err), ALBAUTH_NULL_ARGUMENT);
  CHECK(strcmp(err.message, "null_argument: `out` is NULL") == 0);
  CHECK_STATUS(albauth_verify(v, NULL, 1, now(), &id, &err), ALBAUTH_NULL_ARGUMENT);
  albauth_header null_value[] = {{str_of("x-amzn-oidc-data"), {NULL, 5}}};
  CHECK_STATUS(albauth_verify(v, null_value, 1, now(), &id, &err), ALBAUTH_NULL_ARGUMENT);
  albauth_str null_config = {NULL, 3};
  CHECK_STATUS(albauth_verifier_new(null_config, &nv, &err), ALBAUTH_NULL_ARGUMENT);
  CHECK(nv == NULL);
  CHECK_STATUS(albauth_verifier_new(str_of(fixture("config_pinned.json")), NULL, &err),
               ALBAUTH_NULL_ARGUMENT);
  CHECK_STATUS(albauth_verifier_stats(NULL, NULL), ALBAUTH_NULL_ARGUMENT);
  CHECK_STATUS(albauth_verifier_prefetch(NULL, NULL, 0, NULL, NULL), ALBAUTH_NULL_ARGUMENT);
  CHECK(albauth_verifier_rejections(NULL, ALBAUTH_EXPIRED) == 0);
  CHECK_STR(albauth_identity_username(NULL), NULL);
  CHECK_STR(albauth_identity_claims_json(NULL), NULL);
  CHECK(albauth_identity_group_count(NULL) == 0);
  CHECK_STR(albauth_identity_group(NULL, 0), NULL);
  albauth_identity_free(NULL);
  albauth_verifier_free(NULL);
  albauth_verifier_free(v);
}

static void invalid_utf8_is_invalid_argument(void) {
  albauth_verifier *v = verifier_from("config_pinned.json");
  albauth_identity *id = NULL;
  albauth_error err;
  /* In an unrelated header too: everything passed must be UTF-8. */
  albauth_header in_other[] = {hdr("x-amzn-oidc-data", fixture("token_valid")),
                               hdr("user-agent", "caf\xe9")};
  CHECK_STATUS(albauth_verify(v, in_other, 2, now(), &id, &err), ALBAUTH_INVALID_ARGUMENT);
  CHECK(strcmp(err.message, "invalid_argument: headers[1].value is not valid UTF-8") == 0);
  CHECK(id == NULL);
  albauth_header in_name[] = {hdr("x-amzn-oidc-\xc3", "x")};
  CHECK_STATUS(albauth_verify(v, in_name, 1, now(), &id, &err), ALBAUTH_INVALID_ARGUMENT);
  albauth_verifier *nv = NULL;
  CHECK_STATUS(albauth_verifier_new(str_of("{\"trusted_albs\": [\"\xff\"]}"), &nv, &err),
               ALBAUTH_INVALID_ARGUMENT);
  CHECK(nv == NULL);
  albauth_verifier_free(v);
}

static void missing_err_is_fine(void) {
  albauth_verifier *v = verifier_from("config_pinned.json");
  albauth_identity *id = NULL;
  CHECK_STATUS(verify_token(v, fixture("token_valid"), &id, NULL), ALBAUTH_OK);
  CHECK_STR(albauth_identity_username(id), "Jane.Doe@Example.com");
  albauth_identity_free(id);
  CHECK_STATUS(verify_token(v, fixture("token_expired"), &id, NULL), ALBAUTH_EXPIRED);
  CHECK(id == NULL);
  albauth_verifier *nv = NULL;
  CHECK_STATUS(albauth_verifier_new(str_of("[]"), &nv, NULL), ALBAUTH_CONFIG_INVALID);
  albauth_verifier_free(v);
}

static void cache_hits_and_identities_are_independent(void) {
  albauth_verifier *v = verifier_from("config_pinned.json");
  albauth_identity *first = NULL, *second = NULL;
  CHECK_STATUS(verify_token(v, fixture("token_valid"), &first, NULL), ALBAUTH_OK);
  CHECK_STATUS(verify_token(v, fixture("token_valid"), &second, NULL), ALBAUTH_OK);
  albauth_identity_free(first);
  albauth_verifier_free(v); /* identities outlive their verifier */
  CHECK_STR(albauth_identity_username(second), "Jane.Doe@Example.com");
  albauth_identity_free(second);
}

static void counters_add_up(void) {
  albauth_verifier *v = verifier_from("config_pinned.json");
  albauth_identity *id = NULL;
  for (int i = 0; i < 3; i++) {
    CHECK_STATUS(verify_token(v, fixture("token_valid"), &id, NULL), ALBAUTH_OK);
    albauth_identity_free(id);
  }
  CHECK_STATUS(verify_token(v, fixture("token_expired"), &id, NULL), ALBAUTH_EXPIRED);
  CHECK_STATUS(albauth_verify(v, NULL, 0, now(), &id, NULL), ALBAUTH_ANONYMOUS);
  albauth_stats st;
  CHECK_STATUS(albauth_verifier_stats(v, &st), ALBAUTH_OK);
  CHECK(st.authenticated == 3 && st.rejected == 1 && st.anonymous == 1);
  CHECK(st.token_cache_hits == 2 && st.token_cache_misses == 2 && st.cached_tokens == 1);
  CHECK(st.key_fetches == 0);
  CHECK(albauth_verifier_rejections(v, ALBAUTH_EXPIRED) == 1);
  CHECK(albauth_verifier_rejections(v, ALBAUTH_INVALID_SIGNATURE) == 0);
  albauth_verifier_free(v);
}

static void explained_rejection_names_the_failed_check(void) {
  albauth_verifier *v = verifier_from("config_pinned.json");
  albauth_header h[] = {hdr("x-amzn-oidc-data", fixture("token_signer_not_trusted"))};
  char report[4096];
  albauth_error err;
  CHECK_STATUS(albauth_verify_explained(v, h, 1, now(), report, sizeof report, &err),
               ALBAUTH_SIGNER_NOT_TRUSTED);
  CHECK(strstr(report, "FAIL     signer ") != NULL);
  CHECK(strstr(report, "outcome  rejected") != NULL);
  albauth_verifier_free(v);
}

/* Reload: build the new verifier while the old one serves; keep the old one on failure. */
static void reload_keeps_the_old_verifier_when_the_new_config_is_bad(void) {
  albauth_verifier *current = verifier_from("config_pinned.json");
  albauth_verifier *next = NULL;
  albauth_error err;
  CHECK_STATUS(albauth_verifier_new(str_of("{\"trusted_albs\": []}"), &next, &err),
               ALBAUTH_CONFIG_INVALID);
  CHECK(next == NULL); /* keep serving with `current` */
  albauth_identity *id = NULL;
  CHECK_STATUS(verify_token(current, fixture("token_valid"), &id, NULL), ALBAUTH_OK);
  CHECK_STATUS(albauth_verifier_new(str_of(fixture("config_pinned.json")), &next, &err), ALBAUTH_OK);
  albauth_verifier *old = current;
  current = next; /* publish, then free the old one once no call is using it */
  albauth_verifier_free(old);
  CHECK_STR(albauth_identity_username(id), "Jane.Doe@Example.com");
  albauth_identity_free(id);
  CHECK_STATUS(verify_token(current, fixture("token_valid"), &id, NULL), ALBAUTH_OK);
  albauth_identity_free(id);
  albauth_verifier_free(current);
}

/* Provisioning: a login without a host record plans create_user; a host record that is not
 * valid JSON is refused as an argument; the plan string is released once. */
static void provision_plan_creates_an_unknown_user(void) {
  albauth_verifier *v = verifier_from("config_pinned.json");
  albauth_identity *id = NULL;
  albauth_error err;
  CHECK_STATUS(verify_token(v, fixture("token_valid"), &id, &err), ALBAUTH_OK);
  char *plan = NULL;
  CHECK_STATUS(albauth_provision_plan(v, id, (albauth_str){NULL, 0}, &plan, &err), ALBAUTH_OK);
  CHECK(plan != NULL && strstr(plan, "\"action\":\"create_user\"") != NULL);
  CHECK(plan != NULL && strstr(plan, "\"refused\":null") != NULL);
  albauth_string_free(plan);

  const char *active = "{\"username\":\"someone-else\",\"active\":true}";
  plan = NULL;
  CHECK_STATUS(albauth_provision_plan(v, id, (albauth_str){active, strlen(active)}, &plan, &err),
               ALBAUTH_OK);
  CHECK(plan != NULL && strstr(plan, "\"refused\":\"record_mismatch\"") != NULL);
  albauth_string_free(plan);

  const char *bad = "{\"username\":\"x\"}";
  char *untouched = (char *)"sentinel";
  CHECK_STATUS(albauth_provision_plan(v, id, (albauth_str){bad, strlen(bad)}, &untouched, &err),
               ALBAUTH_INVALID_ARGUMENT);
  CHECK(strcmp(untouched, "sentinel") == 0);
  CHECK(strstr(err.message, "active") != NULL);
  CHECK_STATUS(albauth_provision_plan(v, NULL, (albauth_str){NULL, 0}, &plan, &err),
               ALBAUTH_NULL_ARGUMENT);
  albauth_string_free(NULL);
  albauth_identity_free(id);
  albauth_verifier_free(v);
}

/* Directory sync: what can be judged without listing anything (no network here). */
static void sync_plan_refuses_before_listing(void) {
  const char *no_sync =
      "{\"trusted_albs\":[\"arn:aws:elasticloadbalancing:us-east-1:123456789012:"
      "loadbalancer/app/jira/50dc6c495c0c9188\"],\"issuer\":null,\"client_id\":null}";
  const char *snap = "{\"username\":\"a\",\"active\":true}\n";
  albauth_str config = {no_sync, strlen(no_sync)};
  albauth_str snapshot = {snap, strlen(snap)};
  albauth_error err;
  char *untouched = (char *)"sentinel";
  CHECK_STATUS(albauth_sync_plan(config, snapshot, 0, &untouched, &err), ALBAUTH_CONFIG_INVALID);
  CHECK(strstr(err.message, "directory_sync") != NULL);
  CHECK_STATUS(albauth_sync_plan(config, snapshot, 8, &untouched, &err), ALBAUTH_INVALID_ARGUMENT);
  CHECK_STATUS(albauth_sync_plan(config, snapshot, ALBAUTH_SYNC_FORCE, NULL, &err),
               ALBAUTH_NULL_ARGUMENT);
  CHECK(strcmp(untouched, "sentinel") == 0);
  CHECK(strcmp(albauth_status_name(ALBAUTH_DIRECTORY_FAILED), "directory_failed") == 0);
}

int main(int argc, char **argv) {
  start(argc, argv);
  RUN(versions_match_the_header);
  RUN(status_names_are_the_codes);
  RUN(valid_token_authenticates_with_every_field);
  RUN(every_status_is_returned_with_its_message);
  RUN(requests_without_a_token_are_anonymous);
  RUN(null_arguments_are_refused);
  RUN(sync_plan_refuses_before_listing);
  RUN(invalid_utf8_is_invalid_argument);
  RUN(missing_err_is_fine);
  RUN(cache_hits_and_identities_are_independent);
  RUN(counters_add_up);
  RUN(explained_rejection_names_the_failed_check);
  RUN(reload_keeps_the_old_verifier_when_the_new_config_is_bad);
  RUN(provision_plan_creates_an_unknown_user);
  return finish();
}
