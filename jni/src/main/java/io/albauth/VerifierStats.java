package io.albauth;

import java.util.Map;

/**
 * A verifier's counters since it was created ({@link AlbAuth#stats}): a {@link AlbAuth#reload}
 * starts them again, with the new configuration.
 *
 * @param authenticated requests that authenticated
 * @param anonymous requests without a token header
 * @param rejected requests rejected, all codes
 * @param tokenCacheHits verified-token cache hits
 * @param tokenCacheMisses verified-token cache misses (full verifications)
 * @param keyFetches outbound key fetches attempted (ALB keys and access-token key sets)
 * @param keyFetchFailures key fetches that failed
 * @param keyFetchesSuppressed key lookups refused without a fetch (negative cache or rate limit)
 * @param rejectedByCode rejections per error code ({@code "expired"}, ...), every code present
 */
public record VerifierStats(
        long authenticated,
        long anonymous,
        long rejected,
        long tokenCacheHits,
        long tokenCacheMisses,
        long keyFetches,
        long keyFetchFailures,
        long keyFetchesSuppressed,
        Map<String, Long> rejectedByCode) {
    public VerifierStats {
        rejectedByCode = Map.copyOf(rejectedByCode);
    }
}
