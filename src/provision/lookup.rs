//! Lookup at login (`provisioning.source: "directory"`): the IdP's directory is asked for the
//! user, and its answer decides. Pure: the host (or the check tool) asks through the connector
//! and hands the answer in; this module plans from it.
//!
//! - Found and enabled: the IdP's display name, e-mail and groups win over the claims, and its
//!   id is the login's IdP id (so logins and full syncs store the same id). The username stays
//!   the verified token's: it is who logs in.
//! - Found but disabled, or not found: `not_allowed`, with a reason saying which. This is what
//!   stops a leaver whose ALB session is still alive.
//! - The directory could not be asked: `lookup_failure` decides: plan from the claims
//!   (`claims`, the default) or refuse (`directory_unavailable`).

use serde_json::Value;

use super::{plan_login, LookupFailure, Plan, ProvisioningConfig, Refusal, UserRecord};
use crate::directory::IdpUser;
use crate::verify::Identity;

/// What the directory answered for one login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The IdP's record of the user (mapped as a full sync maps it).
    Found(IdpUser),
    /// The IdP does not know the lookup value.
    NotFound,
    /// The directory could not be asked (a connector error; the detail names no secret).
    Unavailable(String),
}

/// The value the directory is asked by, from the verified identity: `upn` and `oid` are
/// claims; `email` is the identity's e-mail (the configured `email_claim`). `None` when the
/// identity lacks it.
pub fn lookup_value<'a>(identity: &'a Identity, attribute: &str) -> Option<&'a str> {
    match attribute {
        "email" => identity.email(),
        claim => identity
            .claims()
            .get(claim)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty()),
    }
}

/// The identity as the directory describes the user: its attributes and groups instead of the
/// claims', its id as the login's IdP id.
fn merged(identity: &Identity, user: &IdpUser, config: &ProvisioningConfig) -> Identity {
    let mut id = identity.clone();
    if user.display_name.is_some() {
        id.display_name = user.display_name.clone();
    }
    if user.email.is_some() {
        id.email = user.email.clone();
    }
    id.groups = user.groups.clone();
    match config.idp_id_claim.as_str() {
        "sub" => id.sub = user.idp_id.clone(),
        claim => {
            id.claims
                .insert(claim.to_string(), Value::String(user.idp_id.clone()));
        }
    }
    id
}

/// Plans a login with the directory's answer (see the module doc).
pub fn plan_login_looked_up(
    identity: &Identity,
    lookup: &Lookup,
    current: Option<&UserRecord>,
    config: &ProvisioningConfig,
) -> Plan {
    match lookup {
        Lookup::Found(user) if user.active => {
            plan_login(&merged(identity, user, config), current, config)
        }
        Lookup::Found(_) => Plan::refuse(
            Refusal::NotAllowed,
            "the IdP's directory reports the user disabled",
        ),
        Lookup::NotFound => Plan::refuse(
            Refusal::NotAllowed,
            "the IdP's directory does not know the user (provisioning.lookup_attribute)",
        ),
        Lookup::Unavailable(why) => match config.lookup_failure {
            LookupFailure::Claims => plan_login(identity, current, config),
            LookupFailure::Refuse => Plan::refuse(
                Refusal::DirectoryUnavailable,
                format!(
                    "the IdP's directory could not be asked ({why}) and lookup_failure is refuse"
                ),
            ),
        },
    }
}
