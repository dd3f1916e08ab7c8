/*
 * albauth from C: verify one request's ALB token and print who it is.
 *
 *   cargo build --release
 *   cc -std=c11 -I include examples/verify.c -L target/release -lalbauth -Wl,-rpath,'$ORIGIN' -o target/release/verify
 *   target/release/verify config.json "$TOKEN" [NOW]
 *
 * The program lands next to libalbauth.so, and the rpath `$ORIGIN` makes it find the library
 * there: no LD_LIBRARY_PATH, and the pair can be copied anywhere together.
 *
 * A real embedder builds the verifier once at start-up, shares it across all request
 * threads, and passes each request's x-amzn-oidc-* headers to albauth_verify.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "albauth.h"

/* Reads a whole file into a NUL-terminated buffer (caller frees), or NULL. */
static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  rewind(f);
  char *text = len >= 0 ? malloc((size_t)len + 1) : NULL;
  if (text != NULL && fread(text, 1, (size_t)len, f) == (size_t)len) {
    text[len] = '\0';
  } else {
    free(text);
    text = NULL;
  }
  fclose(f);
  return text;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s CONFIG.json TOKEN [NOW]\n", argv[0]);
    return 2;
  }
  if (albauth_abi_version() != ALBAUTH_ABI_VERSION) {
    fprintf(stderr, "albauth.h does not match the loaded library\n");
    return 2;
  }

  /* 1. Build a verifier from the JSON configuration (once, at start-up). */
  char *config = read_file(argv[1]);
  if (config == NULL) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  albauth_str config_json = {config, strlen(config)};
  albauth_verifier *verifier = NULL;
  albauth_error err;
  albauth_status status = albauth_verifier_new(config_json, &verifier, &err);
  free(config);
  if (status != ALBAUTH_OK) {
    fprintf(stderr, "bad configuration: %s\n", err.message);
    return 2;
  }

  /* 2. Verify a request: pass its x-amzn-oidc-* headers (here just the token). */
  const char *token = argv[2];
  albauth_header headers[] = {
      {{"x-amzn-oidc-data", strlen("x-amzn-oidc-data")}, {token, strlen(token)}},
  };
  long long now = argc > 3 ? atoll(argv[3]) : 0; /* 0: the system clock */
  albauth_identity *identity = NULL;
  status = albauth_verify(verifier, headers, 1, now, &identity, &err);

  /* 3. Act on the outcome: only ALBAUTH_OK lets the user in. */
  int exit_code = 1;
  if (status == ALBAUTH_OK) {
    albauth_str user = albauth_identity_username(identity);
    printf("authenticated as %.*s\n", (int)user.len, user.ptr);
    albauth_identity_free(identity);
    exit_code = 0;
  } else if (status == ALBAUTH_ANONYMOUS) {
    printf("anonymous request\n");
  } else {
    /* The message never holds the token or personal data: safe to log. */
    printf("rejected (%s): %s\n", albauth_status_name(status), err.message);
  }

  albauth_verifier_free(verifier);
  return exit_code;
}
