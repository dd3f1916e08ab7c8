/*
 * 8 threads x 10,000 verifications share one verifier, each checking that every result is
 * the right one for its request (user, rejection or anonymous), and the verifier's counters
 * add up to what the threads saw.
 */
#include <pthread.h>
#include <stdint.h>

#include "check.h"

#define THREADS 8
#define ITERATIONS 10000
#define USERS 4

static albauth_verifier *shared;
static int64_t now;
static const char *user_token[USERS];
static const char *expired_token;
static const char *user_email[USERS] = {"user0@example.com", "user1@example.com",
                                        "user2@example.com", "user3@example.com"};

struct tally {
  int index;
  uint64_t ok, anonymous, rejected, wrong;
};

static void *worker(void *arg) {
  struct tally *t = arg;
  for (int i = 0; i < ITERATIONS; i++) {
    int n = (i + t->index) % 10;
    albauth_identity *id = NULL;
    albauth_error err;
    albauth_status s;
    if (n < USERS * 2) { /* a user, with or without the matching identity header */
      int u = n % USERS;
      albauth_header h[2] = {hdr("x-amzn-oidc-data", user_token[u]),
                             hdr("x-amzn-oidc-identity", "sub-of-user")};
      s = albauth_verify(shared, h, n < USERS ? 1 : 2, now, &id, &err);
      if (n < USERS) {
        if (s == ALBAUTH_OK && str_eq(albauth_identity_username(id), user_email[u])) t->ok++;
        else t->wrong++;
      } else {
        if (s == ALBAUTH_IDENTITY_MISMATCH && id == NULL) t->rejected++;
        else t->wrong++;
      }
    } else if (n == 8) {
      /* Expired: not cached, so a full verification; only every 50th time (cost). */
      albauth_header h[1] = {hdr("x-amzn-oidc-data", i % 50 < 10 ? expired_token : "abc")};
      s = albauth_verify(shared, h, 1, now, &id, &err);
      if ((s == ALBAUTH_EXPIRED || s == ALBAUTH_MALFORMED_TOKEN) && id == NULL && err.status == (int32_t)s)
        t->rejected++;
      else t->wrong++;
    } else {
      s = albauth_verify(shared, NULL, 0, now, &id, &err);
      if (s == ALBAUTH_ANONYMOUS && id == NULL) t->anonymous++;
      else t->wrong++;
    }
    albauth_identity_free(id);
  }
  return NULL;
}

static void eight_threads_share_one_verifier(void) {
  shared = verifier_from("config_pinned.json");
  now = strtoll(fixture("now"), NULL, 10);
  static const char *names[USERS] = {"token_user0", "token_user1", "token_user2", "token_user3"};
  for (int u = 0; u < USERS; u++) user_token[u] = fixture(names[u]);
  expired_token = fixture("token_expired");

  pthread_t threads[THREADS];
  struct tally tallies[THREADS];
  for (int t = 0; t < THREADS; t++) {
    memset(&tallies[t], 0, sizeof tallies[t]);
    tallies[t].index = t;
    CHECK(pthread_create(&threads[t], NULL, worker, &tallies[t]) == 0);
  }
  struct tally total = {0, 0, 0, 0, 0};
  for (int t = 0; t < THREADS; t++) {
    CHECK(pthread_join(threads[t], NULL) == 0);
    total.ok += tallies[t].ok;
    total.anonymous += tallies[t].anonymous;
    total.rejected += tallies[t].rejected;
    total.wrong += tallies[t].wrong;
  }
  CHECK(total.wrong == 0);
  CHECK(total.ok + total.anonymous + total.rejected == (uint64_t)THREADS * ITERATIONS);
  CHECK(total.ok == (uint64_t)THREADS * ITERATIONS * 4 / 10);

  albauth_stats st;
  CHECK_STATUS(albauth_verifier_stats(shared, &st), ALBAUTH_OK);
  CHECK(st.authenticated == total.ok);
  CHECK(st.anonymous == total.anonymous);
  CHECK(st.rejected == total.rejected);
  printf("# %llu authenticated, %llu anonymous, %llu rejected, %llu cache hits\n",
         (unsigned long long)st.authenticated, (unsigned long long)st.anonymous,
         (unsigned long long)st.rejected, (unsigned long long)st.token_cache_hits);
  albauth_verifier_free(shared);
}

int main(int argc, char **argv) {
  start(argc, argv);
  RUN(eight_threads_share_one_verifier);
  return finish();
}
