//! One IdP user, as each IdP's API returns it, mapped to the shape of a host record (Step 6's
//! `{"username", "display_name", "email", "active", "groups", "attributes": {"idp_id"}}`).
//! Pure: the connectors hand in the JSON they fetched; nothing here does I/O.
//!
//! | IdP | idp_id | username (default) | disabled when |
//! |---|---|---|---|
//! | Graph | `id` | `userPrincipalName` | `accountEnabled: false` |
//! | Okta | `id` | `profile.email` | `status` `SUSPENDED` or `DEPROVISIONED` |
//! | Google | `id` | `primaryEmail` | `suspended` or `archived` true |
//! | Cognito | attribute `sub` | attribute `email` | `Enabled: false` |
//! | Keycloak | `id` | `email` | `enabled: false` |
//!
//! The active flag is required where the API always sends it (Graph with `$select`, Cognito,
//! Keycloak): a user whose state is unknown is not treated as active (fail closed). Errors
//! name the field, never a value.

use serde_json::{Map, Value};

use super::config::ConnectorKind;
use crate::verify::claims::{apply_transforms, Transform};

/// An IdP response without the shape its API documents: names the connector and the field,
/// never a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct ResponseError {
    detail: String,
}

impl ResponseError {
    /// What is wrong, e.g. ``okta user: `status` is missing``.
    pub fn detail(&self) -> &str {
        &self.detail
    }
}

type Result<T> = std::result::Result<T, ResponseError>;

/// An IdP user as the host would record them. `groups` are the IdP's group names as they
/// come (the `provisioning` filter and mapping apply later, as for a token's groups).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdpUser {
    /// The IdP's immutable id (stored on the host as `attributes.idp_id`).
    pub idp_id: String,
    /// The username after `username_attribute` and `username_transforms`.
    pub username: String,
    /// Display name, if the IdP has one.
    pub display_name: Option<String>,
    /// E-mail, if the IdP has one.
    pub email: Option<String>,
    /// Whether the IdP lets the person sign in.
    pub active: bool,
    /// Group names, as the IdP names them.
    pub groups: Vec<String>,
}

impl IdpUser {
    /// The host-record JSON of Step 6 (`groups` as given: map them first when the host's
    /// names are wanted).
    pub fn to_record_json(&self) -> Value {
        serde_json::json!({
            "username": self.username,
            "display_name": self.display_name,
            "email": self.email,
            "active": self.active,
            "groups": self.groups,
            "attributes": {"idp_id": self.idp_id},
        })
    }
}

fn bad(kind: ConnectorKind, field: &str, why: &str) -> ResponseError {
    let field: String = field.chars().take(64).collect();
    ResponseError {
        detail: format!("{} response: `{field}` {why}", kind.name()),
    }
}

/// The value at a dotted path (`profile.login`).
fn at<'a>(user: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(user, |v, key| v.get(key))
}

/// A non-empty string at `path`; `None` when absent or null; an error for another type.
fn text(kind: ConnectorKind, user: &Value, path: &str) -> Result<Option<String>> {
    match at(user, path) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(bad(kind, path, "is not a string")),
    }
}

fn required_text(kind: ConnectorKind, user: &Value, path: &str) -> Result<String> {
    text(kind, user, path)?.ok_or_else(|| bad(kind, path, "is missing"))
}

fn flag(kind: ConnectorKind, user: &Value, path: &str) -> Result<Option<bool>> {
    match at(user, path) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(bad(kind, path, "is not true or false")),
    }
}

/// `"given family"`, either part alone, or none.
fn joined(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(format!("{a} {b}")),
        (a, b) => a.or(b),
    }
}

/// Cognito's attribute list (`Attributes` from `ListUsers`, `UserAttributes` from
/// `AdminGetUser`) as a map; every value is a string.
fn cognito_attributes(user: &Value) -> Result<Map<String, Value>> {
    let kind = ConnectorKind::Cognito;
    let list = user
        .get("Attributes")
        .or_else(|| user.get("UserAttributes"))
        .ok_or_else(|| bad(kind, "Attributes", "is missing"))?;
    let Value::Array(list) = list else {
        return Err(bad(kind, "Attributes", "is not a list"));
    };
    let mut out = Map::new();
    for a in list {
        let (Some(Value::String(name)), Some(value)) = (a.get("Name"), a.get("Value")) else {
            return Err(bad(
                kind,
                "Attributes",
                "has an entry without Name and Value",
            ));
        };
        out.insert(name.clone(), value.clone());
    }
    Ok(out)
}

/// Maps one user of `kind`'s API. `username_attribute` (a dotted path; for Cognito also an
/// attribute name) overrides the username field; `transforms` then apply, as for a token.
/// `groups` are the user's group names, fetched separately by the connector.
pub fn map_user(
    kind: ConnectorKind,
    user: &Value,
    username_attribute: Option<&str>,
    transforms: &[Transform],
    groups: Vec<String>,
) -> Result<IdpUser> {
    if !user.is_object() {
        return Err(bad(kind, "user", "is not a JSON object"));
    }
    let (idp_id, username, display_name, email, active);
    match kind {
        ConnectorKind::Graph => {
            idp_id = required_text(kind, user, "id")?;
            username = text(
                kind,
                user,
                username_attribute.unwrap_or("userPrincipalName"),
            )?;
            display_name = text(kind, user, "displayName")?.or(joined(
                text(kind, user, "givenName")?,
                text(kind, user, "surname")?,
            ));
            email = text(kind, user, "mail")?;
            active = flag(kind, user, "accountEnabled")?
                .ok_or_else(|| bad(kind, "accountEnabled", "is missing"))?;
        }
        ConnectorKind::Okta => {
            idp_id = required_text(kind, user, "id")?;
            username = text(kind, user, username_attribute.unwrap_or("profile.email"))?;
            display_name = text(kind, user, "profile.displayName")?.or(joined(
                text(kind, user, "profile.firstName")?,
                text(kind, user, "profile.lastName")?,
            ));
            email = text(kind, user, "profile.email")?;
            let status = required_text(kind, user, "status")?;
            active = !matches!(status.as_str(), "SUSPENDED" | "DEPROVISIONED");
        }
        ConnectorKind::Google => {
            idp_id = required_text(kind, user, "id")?;
            username = text(kind, user, username_attribute.unwrap_or("primaryEmail"))?;
            display_name = text(kind, user, "name.fullName")?.or(joined(
                text(kind, user, "name.givenName")?,
                text(kind, user, "name.familyName")?,
            ));
            email = text(kind, user, "primaryEmail")?;
            let suspended = flag(kind, user, "suspended")?.unwrap_or(false);
            let archived = flag(kind, user, "archived")?.unwrap_or(false);
            active = !suspended && !archived;
        }
        ConnectorKind::Cognito => {
            let attrs = Value::Object(cognito_attributes(user)?);
            idp_id = required_text(kind, &attrs, "sub")?;
            username = match username_attribute {
                None => text(kind, &attrs, "email")?,
                Some(path) => match at(user, path) {
                    Some(_) => text(kind, user, path)?,
                    None => text(kind, &attrs, path)?,
                },
            };
            display_name = text(kind, &attrs, "name")?.or(joined(
                text(kind, &attrs, "given_name")?,
                text(kind, &attrs, "family_name")?,
            ));
            email = text(kind, &attrs, "email")?;
            active =
                flag(kind, user, "Enabled")?.ok_or_else(|| bad(kind, "Enabled", "is missing"))?;
        }
        ConnectorKind::Keycloak => {
            idp_id = required_text(kind, user, "id")?;
            username = text(kind, user, username_attribute.unwrap_or("email"))?;
            display_name = joined(
                text(kind, user, "firstName")?,
                text(kind, user, "lastName")?,
            );
            email = text(kind, user, "email")?;
            active =
                flag(kind, user, "enabled")?.ok_or_else(|| bad(kind, "enabled", "is missing"))?;
        }
    }
    let field = username_attribute.unwrap_or(default_username_field(kind));
    let username = username.ok_or_else(|| bad(kind, field, "is missing"))?;
    let username = apply_transforms(transforms, &username);
    if username.is_empty() {
        return Err(bad(kind, field, "is empty after username_transforms"));
    }
    Ok(IdpUser {
        idp_id,
        username,
        display_name,
        email,
        active,
        groups,
    })
}

/// The username field a connector reads unless `username_attribute` says otherwise.
pub fn default_username_field(kind: ConnectorKind) -> &'static str {
    match kind {
        ConnectorKind::Graph => "userPrincipalName",
        ConnectorKind::Okta => "profile.email",
        ConnectorKind::Google => "primaryEmail",
        ConnectorKind::Cognito => "email",
        ConnectorKind::Keycloak => "email",
    }
}

/// A group's name as `kind`'s API returns the group: Graph `displayName`, Okta
/// `profile.name`, Google `email`, Cognito `GroupName`, Keycloak `name`.
pub fn group_name(kind: ConnectorKind, group: &Value) -> Result<String> {
    let field = match kind {
        ConnectorKind::Graph => "displayName",
        ConnectorKind::Okta => "profile.name",
        ConnectorKind::Google => "email",
        ConnectorKind::Cognito => "GroupName",
        ConnectorKind::Keycloak => "name",
    };
    required_text(kind, group, field)
}
