package com.atlassian.sal.api.auth;

import java.security.Principal;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Stub of SAL 4.x/5.x {@code Authenticator} and its {@code Result} classes (sal-api 4.4, Jira
 * 9.12, Confluence 8.5). Only {@code Result.Success(Principal)} is constructed by the app; the
 * {@code Message} overloads of the real API are left out.
 */
public interface Authenticator {
    Result authenticate(HttpServletRequest request, HttpServletResponse response);

    /** The outcome of an authentication attempt. */
    class Result {
        private final Status status;
        private final String message;
        private final Principal principal;

        Result(Status status, String message, Principal principal) {
            this.status = status;
            this.message = message;
            this.principal = principal;
        }

        public Status getStatus() {
            return status;
        }

        public String getMessage() {
            return message;
        }

        public Principal getPrincipal() {
            return principal;
        }

        /** Result kinds. */
        public static final class Status {
            public static final Status SUCCESS = new Status("success");
            public static final Status FAILED = new Status("failed");
            public static final Status ERROR = new Status("error");
            public static final Status NO_ATTEMPT = new Status("no attempt");
            private final String name;

            private Status(String name) {
                this.name = name;
            }

            @Override
            public String toString() {
                return name;
            }
        }

        /** A successful authentication of {@code principal}. */
        public static final class Success extends Result {
            public Success(Principal principal) {
                super(Status.SUCCESS, null, principal);
            }
        }

        /** A failed authentication. */
        public static final class Failure extends Result {
            public Failure(String message) {
                super(Status.FAILED, message, null);
            }
        }
    }
}
