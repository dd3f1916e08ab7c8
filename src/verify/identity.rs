//! What a verification yields: an [`Outcome`], and for an authenticated request an [`Identity`].

use std::sync::Arc;

use crate::error::Error;

/// The result of verifying one request's headers.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Every check passed; the identity is shared with the verified-token cache.
    Authenticated(Arc<Identity>),
    /// No `x-amzn-oidc-data` header (ALB rule with `OnUnauthenticatedRequest=allow`).
    Anonymous,
    /// A check failed; [`Error::kind`] says which.
    Rejected(Error),
}

impl Outcome {
    /// `"authenticated"`, `"anonymous"` or `"rejected"`.
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Authenticated(_) => "authenticated",
            Outcome::Anonymous => "anonymous",
            Outcome::Rejected(_) => "rejected",
        }
    }

    /// The identity, when authenticated.
    pub fn identity(&self) -> Option<&Identity> {
        match self {
            Outcome::Authenticated(id) => Some(id),
            _ => None,
        }
    }

    /// The error, when rejected.
    pub fn error(&self) -> Option<&Error> {
        match self {
            Outcome::Rejected(e) => Some(e),
            _ => None,
        }
    }
}

/// A verified user, mapped from the token's claims by the configured template.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    pub(crate) username: String,
    pub(crate) display_name: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) groups: Vec<String>,
    pub(crate) sub: String,
    pub(crate) issuer: Option<String>,
    pub(crate) claims: serde_json::Map<String, serde_json::Value>,
    pub(crate) claims_json: String,
    pub(crate) expires_at: i64,
    /// With `provisioning.enabled`: [`crate::provision::login_key`], computed once when the
    /// token is verified and cached with the identity, so that a host asks whether to
    /// provision again without a second call per request. `None` when provisioning is off.
    pub(crate) login_key: Option<String>,
}

impl Identity {
    /// An identity rebuilt from the fields a binding handed out (the JNI glue plans a login
    /// from a Java `Decision`, which carries these and nothing else). `issuer` is unknown and
    /// `expires_at` 0: planning reads neither.
    pub(crate) fn from_parts(
        username: String,
        display_name: Option<String>,
        email: Option<String>,
        groups: Vec<String>,
        sub: String,
        claims: serde_json::Map<String, serde_json::Value>,
        claims_json: String,
    ) -> Identity {
        Identity {
            username,
            display_name,
            email,
            groups,
            sub,
            issuer: None,
            claims,
            claims_json,
            expires_at: 0,
            login_key: None,
        }
    }

    /// The username after `username_transforms`: what the host logs in.
    pub fn username(&self) -> &str {
        &self.username
    }
    /// The display-name claim, if present.
    pub fn display_name(&self) -> Option<&str> {
        self.display_name.as_deref()
    }
    /// The e-mail claim, if present.
    pub fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }
    /// The groups claim (empty when absent or not configured).
    pub fn groups(&self) -> &[String] {
        &self.groups
    }
    /// The verified `sub` of the ALB data token.
    pub fn sub(&self) -> &str {
        &self.sub
    }
    /// The verified `iss` from the token header.
    pub fn issuer(&self) -> Option<&str> {
        self.issuer.as_deref()
    }
    /// Every claim of the token the username was read from.
    pub fn claims(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.claims
    }
    /// The same claims as compact JSON.
    pub fn claims_json(&self) -> &str {
        &self.claims_json
    }
    /// Unix time after which (plus clock skew) the token is no longer valid.
    pub fn expires_at(&self) -> i64 {
        self.expires_at
    }
    /// The provisioning key of this login ([`crate::provision::login_key`] with the verifier's
    /// `provisioning` settings), when `provisioning.enabled`; else `None`.
    pub fn login_key(&self) -> Option<&str> {
        self.login_key.as_deref()
    }
}
