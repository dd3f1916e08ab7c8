package io.albauth;

/**
 * One request run through every check ({@link AlbAuth#explain}): the decision, and the trace an admin
 * reads, one line per check in order ({@code pass}/{@code FAIL}, the check's name, why), the same text
 * as {@code albauth check --explain}. The trace never holds a token; it quotes configured values and,
 * where a check compares, the value the token carried (issuer, client, signer).
 *
 * @param decision what the request's verification decided
 * @param trace the rendered trace, lines separated by {@code \n}
 */
public record Explanation(Decision decision, String trace) {}
