package io.albauth.servlet;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The sentence a refused user reads: one for every provisioning code, none for the others. */
class ResponsesTest {
    @Test
    void everyProvisioningRefusalHasASentenceForTheUser() {
        for (String code : new String[] {"user_inactive", "unknown_user", "not_allowed", "record_mismatch",
                "directory_unavailable", "no_seat_available", "provisioning_failed"}) {
            assertNotNull(Responses.explanation(code), code);
        }
    }

    @Test
    void aVerificationCodeHasNone() {
        assertNull(Responses.explanation("expired"));
    }
}
