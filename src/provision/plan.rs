//! A provisioning plan: what must change on the host, each action with why. The shape is
//! shared with directory sync (Step 9), which plans a whole directory as a list of these.
//!
//! ```json
//! {"actions": [
//!   {"action": "create_user", "username": "jdoe", "display_name": "Jane Doe",
//!    "email": "jane@example.com", "idp_id": "00u1", "reason": "..."},
//!   {"action": "add_to_group", "username": "jdoe", "group": "jira-software-users", "reason": "..."}],
//!  "refused": null}
//! ```
//!
//! Every action names the host `username` it applies to (for `update_user`, the username the
//! host has now, before a rename).

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

/// One field's change in an `update_user`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The host's value.
    pub old: Option<String>,
    /// The IdP's value.
    pub new: Option<String>,
}

/// One state change on the host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Create the account (its groups follow as `add_to_group` actions).
    CreateUser {
        /// The username to create.
        username: String,
        /// Full name, if the IdP has one.
        display_name: Option<String>,
        /// E-mail, if the IdP has one.
        email: Option<String>,
        /// The IdP's immutable id, stored as `attributes.idp_id`.
        idp_id: Option<String>,
        /// Why.
        reason: Cow<'static, str>,
    },
    /// Change exactly the listed fields (`username`, `display_name`, `email`, `idp_id`).
    UpdateUser {
        /// The host's current username.
        username: String,
        /// Field name to old and new value; only changed fields.
        changes: BTreeMap<&'static str, Change>,
        /// Why.
        reason: Cow<'static, str>,
    },
    /// Reactivate an account the host deactivated.
    ReactivateUser {
        /// The host's current username.
        username: String,
        /// Why.
        reason: Cow<'static, str>,
    },
    /// Add the user to a host group.
    AddToGroup {
        /// The host's current username.
        username: String,
        /// The host group.
        group: String,
        /// Why.
        reason: Cow<'static, str>,
    },
    /// Remove the user from a (managed) host group.
    RemoveFromGroup {
        /// The host's current username.
        username: String,
        /// The host group.
        group: String,
        /// Why.
        reason: Cow<'static, str>,
    },
}

impl Action {
    /// `create_user`, `update_user`, ...
    pub fn name(&self) -> &'static str {
        match self {
            Action::CreateUser { .. } => "create_user",
            Action::UpdateUser { .. } => "update_user",
            Action::ReactivateUser { .. } => "reactivate_user",
            Action::AddToGroup { .. } => "add_to_group",
            Action::RemoveFromGroup { .. } => "remove_from_group",
        }
    }

    /// Why it was planned (never empty).
    pub fn reason(&self) -> &str {
        match self {
            Action::CreateUser { reason, .. }
            | Action::UpdateUser { reason, .. }
            | Action::ReactivateUser { reason, .. }
            | Action::AddToGroup { reason, .. }
            | Action::RemoveFromGroup { reason, .. } => reason,
        }
    }
}

/// Why a login is refused instead of planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Refusal {
    /// The host deactivated the account and `reactivate_users` is off.
    UserInactive,
    /// No host account, and `create_users` is off.
    UnknownUser,
    /// The group policy denies login (`required_groups_for_login`).
    NotAllowed,
    /// The host record is not this IdP user's: its stored `idp_id` differs from (or cannot be
    /// compared with) the token's, or neither the id nor the username matches. A recycled
    /// username never takes over someone else's account.
    RecordMismatch,
    /// `provisioning.source` is `directory`, the IdP's directory could not be asked, and
    /// `lookup_failure` is `refuse`.
    DirectoryUnavailable,
}

impl Refusal {
    /// The stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::UserInactive => "user_inactive",
            Refusal::UnknownUser => "unknown_user",
            Refusal::NotAllowed => "not_allowed",
            Refusal::RecordMismatch => "record_mismatch",
            Refusal::DirectoryUnavailable => "directory_unavailable",
        }
    }
}

/// What a login must change on the host, or why it is refused. A refused plan has no
/// actions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// In order: `create_user` or `reactivate_user` / `update_user`, then group additions,
    /// then removals.
    pub actions: Vec<Action>,
    /// `None`, or why the login is refused.
    pub refused: Option<Refusal>,
    /// For a refusal, why, for an admin (configuration names only, no personal data).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Plan {
    pub(crate) fn refuse(why: Refusal, detail: impl Into<String>) -> Plan {
        Plan {
            actions: Vec::new(),
            refused: Some(why),
            detail: Some(detail.into()),
        }
    }

    /// Whether the login may proceed (nothing refused).
    pub fn is_allowed(&self) -> bool {
        self.refused.is_none()
    }

    /// The plan as JSON (the C and Java faces return exactly this).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
