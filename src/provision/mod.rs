//! Just-in-time provisioning: from a verified [`Identity`] and the host's record of that user
//! to a [`Plan`] of what must change. Pure logic, no I/O: the host applies the plan to its own
//! user directory (Java: `io.albauth.provision.PlanApplier`).
//!
//! Rules, in the order they are applied:
//! 1. `required_groups_for_login`: without one of those IdP groups the login is `not_allowed`.
//! 2. Matching: the host looks the user up by stored IdP id first, then by username, and
//!    passes what it found. A record whose `idp_id` differs from the token's (or that has one
//!    the token cannot match) is `record_mismatch`, as is a record matching neither id nor
//!    username. A record found by id with another username is a rename: `update_user` of the
//!    same account, never a second account. Usernames compare case-insensitively, other
//!    attributes exactly.
//! 3. A deactivated record is reactivated (`reactivate_users`) or refused `user_inactive`; no
//!    record is created (`create_users`) or refused `unknown_user`.
//! 4. Groups: wanted = `default_groups` plus the mapped names of the IdP groups that
//!    `group_filter` admits (all of them without a filter). Missing wanted groups are added;
//!    a group the user has is removed only when it is managed (see
//!    [`ProvisioningConfig::manages`]) and no longer wanted.

mod cache;
mod config;
mod lookup;
mod plan;
mod record;

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::Value;

pub use cache::{LookupCache, WarnHook};
pub use config::{GroupFilter, LookupFailure, ProvisioningConfig, Source};
pub use lookup::{lookup_value, plan_login_looked_up, Lookup};
pub use plan::{Action, Change, Plan, Refusal};
pub use record::UserRecord;

use crate::verify::Identity;

/// The attributes a login brings, resolved from the identity and the fallbacks.
struct Wanted<'a> {
    username: &'a str,
    display_name: Option<String>,
    email: Option<String>,
    idp_id: Option<&'a str>,
    /// Wanted host groups, each with why.
    groups: Vec<(&'a str, &'static str)>,
}

/// Plans one login. `current` is the host's record of the user (`None`: it has none).
pub fn plan_login(
    identity: &Identity,
    current: Option<&UserRecord>,
    config: &ProvisioningConfig,
) -> Plan {
    if let Some(required) = &config.required_groups_for_login {
        if !identity.groups().iter().any(|g| required.contains(g)) {
            return Plan::refuse(
                Refusal::NotAllowed,
                "the user is in none of required_groups_for_login",
            );
        }
    }
    let wanted = wanted(identity, config);
    match current {
        None => create(&wanted, config),
        Some(record) => update(&wanted, record, config),
    }
}

fn wanted<'a>(identity: &'a Identity, config: &'a ProvisioningConfig) -> Wanted<'a> {
    let claims = identity.claims();
    let idp_id = idp_id(identity, config);
    let mut groups: Vec<(&str, &'static str)> = Vec::new();
    for g in config.default_groups.iter() {
        push_group(
            &mut groups,
            g,
            "default group (provisioning.default_groups)",
        );
    }
    for idp in identity.groups() {
        if config.group_filter.as_ref().is_some_and(|f| !f.admits(idp)) {
            continue;
        }
        let host = config.host_group(idp);
        let reason = match (host == idp, config.group_filter.is_some()) {
            (true, true) => "IdP group admitted by group_filter",
            (true, false) => "IdP group (no group_filter: every IdP group is added)",
            (false, true) => "IdP group admitted by group_filter, named by group_mapping",
            (false, false) => "IdP group named by group_mapping",
        };
        push_group(&mut groups, host, reason);
    }
    Wanted {
        username: identity.username(),
        display_name: identity
            .display_name()
            .map(str::to_string)
            .or_else(|| fallback(claims, config.attribute_fallbacks.get("display_name"))),
        email: identity
            .email()
            .map(str::to_string)
            .or_else(|| fallback(claims, config.attribute_fallbacks.get("email"))),
        idp_id,
        groups,
    }
}

/// The IdP id a login brings (`provisioning.idp_id_claim`): what the host looks the user up by
/// first. `None` when the configured claim is absent.
pub fn idp_id<'a>(identity: &'a Identity, config: &ProvisioningConfig) -> Option<&'a str> {
    match config.idp_id_claim.as_str() {
        "sub" => Some(identity.sub()),
        claim => identity
            .claims()
            .get(claim)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty()),
    }
}

/// A digest (SHA-256, hex) of everything a login's plan takes from the identity and the
/// settings: the wanted username, attributes (after fallbacks), IdP id and groups (after filter
/// and mapping), and the IdP groups (`required_groups_for_login` reads those). Equal keys plan
/// alike against the same record, so a host provisions again only when this changes. Not the
/// claims themselves: the ALB re-signs the token for every request with a new `exp`.
pub fn login_key(identity: &Identity, config: &ProvisioningConfig) -> String {
    use sha2::Digest;
    let w = wanted(identity, config);
    let mut h = sha2::Sha256::new();
    let mut field = |tag: u8, s: Option<&str>| {
        h.update([tag]);
        if let Some(s) = s {
            h.update((s.len() as u64).to_be_bytes());
            h.update(s.as_bytes());
        }
    };
    field(b'u', Some(w.username));
    field(b'n', w.display_name.as_deref());
    field(b'e', w.email.as_deref());
    field(b'i', w.idp_id);
    for (g, _) in &w.groups {
        field(b'g', Some(g));
    }
    for g in identity.groups() {
        field(b'r', Some(g));
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn push_group<'a>(groups: &mut Vec<(&'a str, &'static str)>, group: &'a str, reason: &'static str) {
    if !groups.iter().any(|(g, _)| *g == group) {
        groups.push((group, reason));
    }
}

/// Case-insensitive equality without allocating.
fn same_username(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// The first expression whose claims are all non-empty strings, joined with one blank.
fn fallback(
    claims: &serde_json::Map<String, Value>,
    exprs: Option<&Vec<Vec<String>>>,
) -> Option<String> {
    exprs?.iter().find_map(|expr| {
        let parts: Option<Vec<&str>> = expr
            .iter()
            .map(|c| {
                claims
                    .get(c)
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
            })
            .collect();
        parts.map(|p| p.join(" "))
    })
}

fn create(w: &Wanted, config: &ProvisioningConfig) -> Plan {
    if !config.create_users {
        return Plan::refuse(
            Refusal::UnknownUser,
            "no host account for this user and provisioning.create_users is false",
        );
    }
    let mut actions = vec![Action::CreateUser {
        username: w.username.to_string(),
        display_name: w.display_name.clone(),
        email: w.email.clone(),
        idp_id: w.idp_id.map(str::to_string),
        reason: "no host account for this IdP user (provisioning.create_users)".into(),
    }];
    for (group, reason) in &w.groups {
        actions.push(Action::AddToGroup {
            username: w.username.to_string(),
            group: group.to_string(),
            reason: Cow::Borrowed(reason),
        });
    }
    Plan {
        actions,
        refused: None,
        detail: None,
    }
}

fn update(w: &Wanted, r: &UserRecord, config: &ProvisioningConfig) -> Plan {
    let same_name = same_username(&r.username, w.username);
    match (r.idp_id(), w.idp_id) {
        (Some(stored), Some(token)) if stored == token => {}
        (Some(_), _) => {
            return Plan::refuse(
                Refusal::RecordMismatch,
                "the host record's attributes.idp_id is not this user's IdP id",
            )
        }
        (None, _) if !same_name => {
            return Plan::refuse(
                Refusal::RecordMismatch,
                "the host record matches neither this user's IdP id nor the username",
            )
        }
        (None, _) => {}
    }
    let mut actions = Vec::new();
    if !r.active {
        if !config.reactivate_users {
            return Plan::refuse(
                Refusal::UserInactive,
                "the host account is deactivated and provisioning.reactivate_users is false",
            );
        }
        actions.push(Action::ReactivateUser {
            username: r.username.clone(),
            reason:
                "deactivated on the host; the IdP let the user in (provisioning.reactivate_users)"
                    .into(),
        });
    }

    let mut changes = BTreeMap::new();
    if !same_name {
        changes.insert("username", change(Some(&r.username), Some(w.username)));
    }
    if r.display_name.as_deref() != w.display_name.as_deref() && w.display_name.is_some() {
        changes.insert(
            "display_name",
            change(r.display_name.as_deref(), w.display_name.as_deref()),
        );
    }
    if r.email.as_deref() != w.email.as_deref() && w.email.is_some() {
        changes.insert("email", change(r.email.as_deref(), w.email.as_deref()));
    }
    if r.idp_id().is_none() && w.idp_id.is_some() {
        changes.insert("idp_id", change(None, w.idp_id));
    }
    if !changes.is_empty() {
        let fields: Vec<&str> = changes.keys().copied().collect();
        let reason = match (
            changes.contains_key("username"),
            changes.contains_key("idp_id"),
        ) {
            (true, _) => format!(
                "renamed in the IdP (same IdP id); changed: {}",
                fields.join(", ")
            ),
            (false, true) => format!(
                "stores the IdP id of an existing account; changed: {}",
                fields.join(", ")
            ),
            _ => format!("changed in the IdP: {}", fields.join(", ")),
        }
        .into();
        actions.push(Action::UpdateUser {
            username: r.username.clone(),
            changes,
            reason,
        });
    }

    for (group, reason) in &w.groups {
        if !r.groups.iter().any(|g| g == group) {
            actions.push(Action::AddToGroup {
                username: r.username.clone(),
                group: group.to_string(),
                reason: Cow::Borrowed(reason),
            });
        }
    }
    for group in &r.groups {
        if !w.groups.iter().any(|(g, _)| g == group) && config.manages(group) {
            actions.push(Action::RemoveFromGroup {
                username: r.username.clone(),
                group: group.clone(),
                reason: "managed group (group_filter) no longer among the user's IdP groups".into(),
            });
        }
    }
    Plan {
        actions,
        refused: None,
        detail: None,
    }
}

fn change(old: Option<&str>, new: Option<&str>) -> Change {
    Change {
        old: old.map(str::to_string),
        new: new.map(str::to_string),
    }
}

impl crate::Verifier {
    /// Plans a login with this verifier's `provisioning` settings (see [`plan_login`]). With
    /// `provisioning.source: directory`, the IdP's directory is asked first (through the
    /// verifier's [`LookupCache`]: one lookup per user per `lookup_cache_secs`), and the plan
    /// is the merged one ([`plan_login_looked_up`]). Called once per login, never per request.
    pub fn plan_login(&self, identity: &Identity, current: Option<&UserRecord>) -> Plan {
        let config = self.config().provisioning();
        match self.lookups() {
            Some(Ok(cache)) => cache.plan_login(identity, current, config),
            // A connector that cannot be built (a key that does not parse) is a directory that
            // cannot be asked: `lookup_failure` decides, as for an IdP that is down.
            Some(Err(why)) => {
                plan_login_looked_up(identity, &Lookup::Unavailable(why), current, config)
            }
            None => plan_login(identity, current, config),
        }
    }

    /// The lookup cache of `provisioning.source: directory`; `None` for claims.
    fn lookups(&self) -> Option<std::result::Result<&LookupCache, String>> {
        let config = self.config();
        if config.provisioning().source != Source::Directory {
            return None;
        }
        let built = self.lookups.get_or_init(|| {
            let sync = config.directory_sync()?;
            let directory = crate::directory::connect(
                &sync.connector,
                config.username_transforms(),
                crate::directory::ConnectOptions::default(),
            )
            .ok()?;
            let attribute = config.lookup_attribute().unwrap_or("email");
            let ttl = std::time::Duration::from_secs(config.provisioning().lookup_cache_secs);
            Some(LookupCache::new(directory, attribute, ttl))
        });
        Some(
            built
                .as_ref()
                .ok_or_else(|| "the directory connector could not be set up".to_string()),
        )
    }
}
