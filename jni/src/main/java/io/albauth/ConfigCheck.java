package io.albauth;

import java.util.List;

/**
 * The verdict on a configuration ({@link AlbAuth#checkConfig}), without building a verifier: what a
 * setup page shows before anything is stored.
 *
 * @param ok whether the configuration would be accepted
 * @param field the config field the error names ({@code trusted_albs[0]},
 *     {@code provisioning.group_filter}, or an unknown field's name), null when accepted or when the
 *     error names no field (the JSON itself is broken)
 * @param message why it is refused (names the field, never a secret); null when accepted
 * @param warnings the disabled checks and risky settings of an accepted configuration (empty when
 *     refused)
 */
public record ConfigCheck(boolean ok, String field, String message, List<String> warnings) {
    public ConfigCheck {
        warnings = List.copyOf(warnings);
    }
}
