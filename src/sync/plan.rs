//! The sync plan: a complete IdP listing against the host's snapshot.
//!
//! Rules (the README's "Full directory sync" says the same for admins):
//! - Host users are matched by `attributes.idp_id`. A host user without one whose username
//!   equals (case-insensitively) exactly one IdP user's, and that IdP user matched by no one
//!   else, is linked: an `update_user` storing the id. Two candidates: nothing is linked and
//!   the conflict is reported. Every other host user without an id (local admins, service
//!   accounts) is never touched.
//! - A host user whose `attributes.managed_by` is set (the host lists a user another directory
//!   holds, such as LDAP, under that directory's name) is never touched, matched or linked; an
//!   IdP user of that username is reported as a conflict and not created, so a second account
//!   never shadows theirs and the plan does not propose, run after run, what the host skips.
//! - An IdP-disabled user is deactivated if the host has them active (whatever `on_missing`
//!   says) and never created.
//! - A host user with an id the listing lacks (gone, or out of `required_groups`) gets
//!   `on_missing`: deactivate (when active), delete, anonymize (unless already anonymized and
//!   inactive) or keep.
//! - `remove_groups_on_cleanup` adds a `remove_from_group` per managed group for every removed
//!   or IdP-disabled user.
//! - Groups: the IdP groups under `provisioning.group_filter`, after `group_mapping`, are
//!   managed: added when the IdP lists the user in them, removed when it no longer does.
//!   Without a `group_filter` every IdP group is added and none is removed (as at login); a
//!   `default_group` is always added and never removed.
//! - An attribute the IdP does not send is left as the host has it; usernames compare
//!   case-insensitively, everything else exactly.
//! - The brake counts removals (deactivations, deletions, anonymizations, IdP-disabled
//!   deactivations included) against the host users that carry an `idp_id`, and refuses a plan
//!   with more than `brake_percent` percent or more than `brake_count`: exactly the limit passes.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::directory::{DirectorySyncConfig, IdpUser, OnMissing};
use crate::provision::{Change, ProvisioningConfig, UserRecord};

/// What an action does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncKind {
    /// Create the account (its groups follow as `add_to_group`).
    CreateUser,
    /// Change exactly the fields in `changes`.
    UpdateUser,
    /// Reactivate; for a returning anonymized user, `changes` restores the attributes.
    ReactivateUser,
    /// Deactivate.
    DeactivateUser,
    /// Delete the account.
    DeleteUser,
    /// Replace username, display name and e-mail with the pseudonym (`changes`), deactivate.
    AnonymizeUser,
    /// Add to `group`.
    AddToGroup,
    /// Remove from `group`.
    RemoveFromGroup,
}

/// One action of a sync plan. `username` is the host's username before the plan (the new
/// one for `create_user`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncAction {
    /// What to do.
    pub action: SyncKind,
    /// Whom.
    pub username: String,
    /// The IdP id of the user (absent only for a host user the IdP never knew).
    pub idp_id: Option<String>,
    /// `create_user`: the display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// `create_user`: the e-mail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// `update_user`, `anonymize_user` and a restoring `reactivate_user`: field to old/new.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub changes: BTreeMap<&'static str, Change>,
    /// `add_to_group` / `remove_from_group`: the host group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Why (never empty).
    pub reason: Cow<'static, str>,
}

/// Counts per action, as the report prints them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// `create_user` actions.
    pub create: usize,
    /// `update_user` actions.
    pub update: usize,
    /// `reactivate_user` actions.
    pub reactivate: usize,
    /// `deactivate_user` actions.
    pub deactivate: usize,
    /// `delete_user` actions.
    pub delete: usize,
    /// `anonymize_user` actions.
    pub anonymize: usize,
    /// `add_to_group` actions.
    pub group_add: usize,
    /// `remove_from_group` actions.
    pub group_remove: usize,
}

impl Summary {
    fn count(&mut self, k: SyncKind) {
        let slot = match k {
            SyncKind::CreateUser => &mut self.create,
            SyncKind::UpdateUser => &mut self.update,
            SyncKind::ReactivateUser => &mut self.reactivate,
            SyncKind::DeactivateUser => &mut self.deactivate,
            SyncKind::DeleteUser => &mut self.delete,
            SyncKind::AnonymizeUser => &mut self.anonymize,
            SyncKind::AddToGroup => &mut self.group_add,
            SyncKind::RemoveFromGroup => &mut self.group_remove,
        };
        *slot += 1;
    }

    /// Removals, as the brake counts them.
    pub fn removals(&self) -> usize {
        self.deactivate + self.delete + self.anonymize
    }
}

/// The plan of one sync run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncPlan {
    /// Counts per action.
    pub summary: Summary,
    /// Every action, users in IdP-id order, each user's own actions together.
    pub actions: Vec<SyncAction>,
    /// `"brake"` when the brake refused the plan (and `force` was not given); else null.
    pub refused: Option<&'static str>,
    /// Why the brake refused (counts and limits), or null.
    pub detail: Option<String>,
    /// Host usernames that two IdP users would link to: nothing was linked.
    pub conflicts: Vec<String>,
}

/// `user-<first 12 hex digits of sha256(idp_id)>`: an anonymized user's username and display
/// name (e-mail: the same `@anonymized.invalid`). Stable, so a second run sees it done.
pub fn pseudonym(idp_id: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(idp_id.as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("user-{hex}")
}

fn anonymized_email(pseudonym: &str) -> String {
    format!("{pseudonym}@anonymized.invalid")
}

struct Planner<'a> {
    provisioning: &'a ProvisioningConfig,
    sync: &'a DirectorySyncConfig,
    managed: HashSet<String>,
    /// Every host username (lower case): a creation or rename to one of them would give the
    /// host two accounts of one name, so it is reported, not planned.
    taken: HashSet<String>,
    conflicts: Vec<String>,
    actions: Vec<SyncAction>,
    summary: Summary,
}

impl Planner<'_> {
    fn push(&mut self, a: SyncAction) {
        self.summary.count(a.action);
        self.actions.push(a);
    }

    /// An action on one user with no fields of its own.
    fn bare(
        action: SyncKind,
        username: &str,
        idp_id: &str,
        reason: impl Into<Cow<'static, str>>,
    ) -> SyncAction {
        SyncAction {
            action,
            username: username.to_string(),
            idp_id: Some(idp_id.to_string()),
            display_name: None,
            email: None,
            changes: BTreeMap::new(),
            group: None,
            reason: reason.into(),
        }
    }

    fn simple(
        &mut self,
        action: SyncKind,
        username: &str,
        idp_id: &str,
        reason: impl Into<Cow<'static, str>>,
    ) {
        self.push(Self::bare(action, username, idp_id, reason));
    }

    fn group(&mut self, action: SyncKind, username: &str, idp_id: &str, group: &str, why: &str) {
        self.push(SyncAction {
            group: Some(group.to_string()),
            ..Self::bare(action, username, idp_id, why.to_string())
        });
    }

    /// The host groups the IdP user should be in, with why: default groups, then the IdP's
    /// (filtered, mapped).
    fn wanted(&self, user: &IdpUser) -> Vec<(String, &'static str)> {
        let p = self.provisioning;
        let mut out: Vec<(String, &'static str)> = Vec::new();
        let mut add = |g: &str, why: &'static str| {
            if !out.iter().any(|(h, _)| h == g) {
                out.push((g.to_string(), why));
            }
        };
        for g in &p.default_groups {
            add(g, "default group (provisioning.default_groups)");
        }
        for g in &user.groups {
            if p.group_filter.as_ref().is_some_and(|f| !f.admits(g)) {
                continue;
            }
            add(
                p.host_group(g),
                "the IdP lists the user in this group (after group_filter and group_mapping)",
            );
        }
        out
    }

    /// The managed host groups the user is in: what cleanup removes.
    fn managed_of<'r>(&self, host: &'r UserRecord) -> Vec<&'r str> {
        host.groups
            .iter()
            .filter(|g| self.managed.contains(g.as_str()))
            .map(String::as_str)
            .collect()
    }

    fn cleanup_groups(&mut self, host: &UserRecord, idp_id: &str) {
        if !self.sync.remove_groups_on_cleanup {
            return;
        }
        for g in self.managed_of(host) {
            self.group(
                SyncKind::RemoveFromGroup,
                &host.username,
                idp_id,
                g,
                "remove_groups_on_cleanup: a removed user leaves every managed group",
            );
        }
    }

    /// An IdP user with no host account.
    fn create(&mut self, user: &IdpUser) {
        if !user.active {
            return; // never created
        }
        if self.taken.contains(&user.username.to_lowercase()) {
            // A host account of that name belongs to another IdP identity (a recycled name):
            // never a second account, never a takeover.
            self.conflicts.push(user.username.clone());
            return;
        }
        self.push(SyncAction {
            action: SyncKind::CreateUser,
            username: user.username.clone(),
            idp_id: Some(user.idp_id.clone()),
            display_name: user.display_name.clone(),
            email: user.email.clone(),
            changes: BTreeMap::new(),
            group: None,
            reason: "listed by the IdP, no host account".into(),
        });
        for (g, why) in self.wanted(user) {
            self.group(SyncKind::AddToGroup, &user.username, &user.idp_id, &g, why);
        }
    }

    /// An IdP user and their host account (`linking`: matched by username, id not yet stored).
    fn update(&mut self, user: &IdpUser, host: &UserRecord, linking: bool) {
        let id = user.idp_id.as_str();
        if !user.active {
            if host.active {
                self.simple(
                    SyncKind::DeactivateUser,
                    &host.username,
                    id,
                    "disabled in the IdP",
                );
            }
            self.cleanup_groups(host, id);
            return;
        }
        let mut changes = BTreeMap::new();
        let renamed = host.username.to_lowercase() != user.username.to_lowercase();
        if renamed && self.taken.contains(&user.username.to_lowercase()) {
            self.conflicts.push(user.username.clone()); // the new name is another account's
        } else if renamed {
            changes.insert(
                "username",
                change(Some(&host.username), Some(&user.username)),
            );
        }
        for (field, idp, have) in [
            (
                "display_name",
                user.display_name.as_deref(),
                host.display_name.as_deref(),
            ),
            ("email", user.email.as_deref(), host.email.as_deref()),
        ] {
            if let Some(new) = idp {
                if have != Some(new) {
                    changes.insert(field, change(have, Some(new)));
                }
            }
        }
        if linking {
            changes.insert("idp_id", change(None, Some(id)));
        }
        let pseudo = pseudonym(id);
        let anonymized = !host.active && host.username == pseudo;
        if anonymized {
            // The person is back: one reactivation restores what anonymizing replaced.
            self.push(SyncAction {
                changes,
                ..Self::bare(
                    SyncKind::ReactivateUser,
                    &host.username,
                    id,
                    "listed by the IdP again: reactivated, attributes restored",
                )
            });
        } else {
            if !host.active {
                self.simple(
                    SyncKind::ReactivateUser,
                    &host.username,
                    id,
                    "listed by the IdP as enabled, inactive on the host",
                );
            }
            if !changes.is_empty() {
                let reason = if linking {
                    "a host user of the same username without an IdP id: linked"
                } else {
                    "attributes differ from the IdP's"
                };
                self.push(SyncAction {
                    changes,
                    ..Self::bare(SyncKind::UpdateUser, &host.username, id, reason)
                });
            }
        }
        let wanted = self.wanted(user);
        for (g, why) in &wanted {
            if !host.groups.iter().any(|h| h == g) {
                self.group(SyncKind::AddToGroup, &host.username, id, g, why);
            }
        }
        for g in self.managed_of(host) {
            if !wanted.iter().any(|(w, _)| w == g) {
                self.group(
                    SyncKind::RemoveFromGroup,
                    &host.username,
                    id,
                    g,
                    "a managed group the IdP no longer lists the user in",
                );
            }
        }
    }

    /// A host user with an IdP id the listing lacks.
    fn missing(&mut self, host: &UserRecord, id: &str) {
        let removed = match self.sync.on_missing {
            OnMissing::Keep => false,
            OnMissing::Deactivate => {
                if host.active {
                    self.simple(
                        SyncKind::DeactivateUser,
                        &host.username,
                        id,
                        "not in the IdP's listing (gone, or out of required_groups): on_missing is deactivate",
                    );
                }
                true
            }
            OnMissing::Delete => {
                self.simple(
                    SyncKind::DeleteUser,
                    &host.username,
                    id,
                    "not in the IdP's listing (gone, or out of required_groups): on_missing is delete",
                );
                true
            }
            OnMissing::Anonymize => {
                let pseudo = pseudonym(id);
                let already = host.username == pseudo && !host.active;
                if !already {
                    let mut changes = BTreeMap::new();
                    changes.insert("username", change(Some(&host.username), Some(&pseudo)));
                    changes.insert(
                        "display_name",
                        change(host.display_name.as_deref(), Some(&pseudo)),
                    );
                    changes.insert(
                        "email",
                        change(host.email.as_deref(), Some(&anonymized_email(&pseudo))),
                    );
                    changes.retain(|_, c| c.old != c.new);
                    self.push(SyncAction {
                        changes,
                        ..Self::bare(
                            SyncKind::AnonymizeUser,
                            &host.username,
                            id,
                            "not in the IdP's listing (gone, or out of required_groups): on_missing is anonymize",
                        )
                    });
                }
                true
            }
        };
        if removed {
            self.cleanup_groups(host, id);
        }
    }
}

fn change(old: Option<&str>, new: Option<&str>) -> Change {
    Change {
        old: old.map(str::to_string),
        new: new.map(str::to_string),
    }
}

/// The snapshot attribute naming the directory that manages a host user albauth must not
/// touch (`{"attributes": {"managed_by": "Corporate LDAP"}}`).
pub const MANAGED_BY: &str = "managed_by";

/// Whether `r` belongs to another directory (`attributes.managed_by` set and not null).
fn is_managed_elsewhere(r: &UserRecord) -> bool {
    r.attributes.get(MANAGED_BY).is_some_and(|v| !v.is_null())
}

/// Plans a sync: `idp_users` is the complete listing of the users in scope (active or not),
/// `idp_groups` the names of every IdP group (what may be managed), `host` the snapshot.
/// With `force`, a plan over the brake is returned unrefused.
pub fn plan_sync(
    idp_users: &[IdpUser],
    idp_groups: &[String],
    host: &[UserRecord],
    provisioning: &ProvisioningConfig,
    sync: &DirectorySyncConfig,
    force: bool,
) -> SyncPlan {
    let managed: HashSet<String> = match &provisioning.group_filter {
        None => HashSet::new(),
        Some(filter) => idp_groups
            .iter()
            .filter(|g| filter.admits(g))
            .map(|g| provisioning.host_group(g).to_string())
            .filter(|h| !provisioning.default_groups.contains(h))
            .collect(),
    };
    let mut p = Planner {
        provisioning,
        sync,
        managed,
        taken: host.iter().map(|r| r.username.to_lowercase()).collect(),
        conflicts: Vec::new(),
        actions: Vec::new(),
        summary: Summary::default(),
    };

    // Host users by IdP id; the others may be linked by username. Users another directory
    // manages are neither: they only hold their names.
    let ours = |r: &&UserRecord| !is_managed_elsewhere(r);
    let mut by_id: Vec<(&str, &UserRecord)> = host
        .iter()
        .filter(ours)
        .filter_map(|r| r.idp_id().map(|id| (id, r)))
        .collect();
    by_id.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let with_id = by_id.len();

    let mut idp: Vec<&IdpUser> = idp_users.iter().collect();
    idp.sort_unstable_by(|a, b| a.idp_id.cmp(&b.idp_id));
    idp.dedup_by(|a, b| a.idp_id == b.idp_id);

    // IdP users matched by id are not link candidates.
    let matched: HashSet<&str> = {
        let ids: HashSet<&str> = by_id.iter().map(|(id, _)| *id).collect();
        idp.iter()
            .map(|u| u.idp_id.as_str())
            .filter(|id| ids.contains(id))
            .collect()
    };
    let mut idp_by_name: HashMap<String, Vec<&IdpUser>> = HashMap::new();
    for u in &idp {
        idp_by_name
            .entry(u.username.to_lowercase())
            .or_default()
            .push(u);
    }
    let mut links: HashMap<&str, &UserRecord> = HashMap::new();
    let mut conflicts = Vec::new(); // host usernames two IdP users would link to
    for r in host.iter().filter(ours).filter(|r| r.idp_id().is_none()) {
        let Some(candidates) = idp_by_name.get(&r.username.to_lowercase()) else {
            continue;
        };
        let free: Vec<&&IdpUser> = candidates
            .iter()
            .filter(|u| !matched.contains(u.idp_id.as_str()))
            .collect();
        match free.as_slice() {
            [one] if candidates.len() == 1 && !links.contains_key(one.idp_id.as_str()) => {
                links.insert(one.idp_id.as_str(), r);
            }
            [] => {}
            _ => conflicts.push(r.username.clone()),
        }
    }

    // The merge, in IdP-id order.
    let (mut i, mut j) = (0, 0);
    while i < idp.len() || j < by_id.len() {
        let next_idp = idp.get(i).map(|u| u.idp_id.as_str());
        let next_host = by_id.get(j).map(|(id, _)| *id);
        match (next_idp, next_host) {
            (Some(a), Some(b)) if a == b => {
                p.update(idp[i], by_id[j].1, false);
                i += 1;
                j += 1;
            }
            (Some(a), b) if b.is_none_or(|b| a < b) => {
                match links.get(a) {
                    Some(host) => p.update(idp[i], host, true),
                    None => p.create(idp[i]),
                }
                i += 1;
            }
            _ => {
                let (id, r) = by_id[j];
                p.missing(r, id);
                j += 1;
            }
        }
    }

    let removals = p.summary.removals();
    let pct_limit = with_id as f64 * sync.brake_percent / 100.0;
    let over_pct = removals as f64 > pct_limit;
    let over_count = sync.brake_count.is_some_and(|c| removals as u64 > c);
    let (refused, detail) = if (over_pct || over_count) && !force {
        let mut why =
            format!("the plan removes {removals} of the {with_id} host users that carry an IdP id");
        if over_pct {
            why.push_str(&format!(", over brake_percent ({}%)", sync.brake_percent));
        }
        if let (true, Some(c)) = (over_count, sync.brake_count) {
            why.push_str(&format!(", over brake_count ({c})"));
        }
        why.push_str("; review it and run with --force to apply");
        (Some("brake"), Some(why))
    } else {
        (None, None)
    };
    SyncPlan {
        summary: p.summary,
        actions: p.actions,
        refused,
        detail,
        conflicts: {
            conflicts.extend(p.conflicts);
            conflicts
        },
    }
}
