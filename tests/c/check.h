/*
 * Tiny test support for the C tests: checks that report and continue, TAP-like output
 * ("ok - name" / "not ok - name"), and fixtures read from the directory given as argv[1]
 * (written by tests/c_abi.rs: configs and tokens minted with tests/common).
 */
#ifndef ALBAUTH_TEST_CHECK_H
#define ALBAUTH_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "albauth.h"

static int failures = 0;

#define CHECK(cond)                                                              \
  do {                                                                           \
    if (!(cond)) {                                                               \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
      failures++;                                                                \
    }                                                                            \
  } while (0)

#define CHECK_STATUS(got, want)                                                  \
  do {                                                                           \
    albauth_status got_ = (got), want_ = (want);                                 \
    if (got_ != want_) {                                                         \
      fprintf(stderr, "%s:%d: status %s (%d), want %s (%d)\n", __FILE__,         \
              __LINE__, albauth_status_name(got_), (int)got_,                    \
              albauth_status_name(want_), (int)want_);                           \
      failures++;                                                                \
    }                                                                            \
  } while (0)

/* An albauth_str equals a C string ({NULL, 0} equals only NULL). */
static inline int str_eq(albauth_str s, const char *want) {
  if (want == NULL) return s.ptr == NULL && s.len == 0;
  return s.ptr != NULL && s.len == strlen(want) && memcmp(s.ptr, want, s.len) == 0;
}

#define CHECK_STR(got, want)                                                     \
  do {                                                                           \
    albauth_str got_ = (got);                                                    \
    const char *want_ = (want);                                                  \
    if (!str_eq(got_, want_)) {                                                  \
      fprintf(stderr, "%s:%d: string \"%.*s\", want \"%s\"\n", __FILE__,         \
              __LINE__, (int)got_.len, got_.ptr ? got_.ptr : "(null)",           \
              want_ ? want_ : "(null)");                                         \
      failures++;                                                                \
    }                                                                            \
  } while (0)

/* Runs one test function and prints its TAP-like line. */
#define RUN(test)                                                                \
  do {                                                                           \
    int before_ = failures;                                                      \
    test();                                                                      \
    printf("%s - %s\n", failures == before_ ? "ok" : "not ok", #test);           \
    fflush(stdout);                                                              \
  } while (0)

static inline albauth_str str_of(const char *s) {
  albauth_str r = {s, strlen(s)};
  return r;
}

static inline albauth_header hdr(const char *name, const char *value) {
  albauth_header h = {str_of(name), str_of(value)};
  return h;
}

/* Fixtures: files in one directory, loaded once, freed by fixtures_free(). */
#define MAX_FIXTURES 64
static const char *fixture_dir = NULL;
static struct {
  const char *name;
  char *text;
} fixtures[MAX_FIXTURES];
static int n_fixtures = 0;

/* The content of fixture `name` (NUL-terminated); exits if it is missing. */
static inline const char *fixture(const char *name) {
  for (int i = 0; i < n_fixtures; i++)
    if (strcmp(fixtures[i].name, name) == 0) return fixtures[i].text;
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", fixture_dir, name);
  FILE *f = fopen(path, "rb");
  if (f == NULL || n_fixtures == MAX_FIXTURES) {
    fprintf(stderr, "cannot read fixture %s\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *text = malloc((size_t)len + 1);
  if (text == NULL || fread(text, 1, (size_t)len, f) != (size_t)len) {
    fprintf(stderr, "cannot read fixture %s\n", path);
    exit(2);
  }
  text[len] = '\0';
  fclose(f);
  fixtures[n_fixtures].name = name;
  fixtures[n_fixtures].text = text;
  n_fixtures++;
  return text;
}

static inline void fixtures_free(void) {
  for (int i = 0; i < n_fixtures; i++) free(fixtures[i].text);
  n_fixtures = 0;
}

/* A verifier from fixture `config_name`; exits if it cannot be built. */
static inline albauth_verifier *verifier_from(const char *config_name) {
  albauth_verifier *v = NULL;
  albauth_error err;
  albauth_status s = albauth_verifier_new(str_of(fixture(config_name)), &v, &err);
  if (s != ALBAUTH_OK) {
    fprintf(stderr, "albauth_verifier_new(%s): %s\n", config_name, err.message);
    exit(2);
  }
  return v;
}

/* Common start: argv[1] is the fixture directory. */
static inline void start(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s FIXTURE_DIR\n", argv[0]);
    exit(2);
  }
  fixture_dir = argv[1];
}

/* Common end: frees fixtures, prints the summary, returns the exit code. */
static inline int finish(void) {
  fixtures_free();
  printf("%s: %d failed check(s)\n", failures ? "FAIL" : "PASS", failures);
  fflush(stdout);
  return failures ? 1 : 0;
}

#endif /* ALBAUTH_TEST_CHECK_H */
