//! A plan applied to a snapshot: the host directory as it will be after the plan, for
//! `albauth-sync --write-snapshot` (a file-backed directory, to try a sync without a host).

use std::collections::HashMap;
use std::io::Write;

use serde_json::{json, Value};

use super::plan::{SyncKind, SyncPlan};
use crate::provision::UserRecord;

/// The snapshot after `plan`: records in their order (deleted ones gone), new users after
/// them. A refused plan changes nothing. Each action addresses its user by the username
/// before the plan; a rename in the plan is followed for the actions after it.
pub fn apply_to_snapshot(host: &[UserRecord], plan: &SyncPlan) -> Vec<UserRecord> {
    let mut out: Vec<Option<UserRecord>> = host.iter().cloned().map(Some).collect();
    if plan.refused.is_some() {
        return out.into_iter().flatten().collect();
    }
    let mut index: HashMap<String, usize> = host
        .iter()
        .enumerate()
        .map(|(i, r)| (r.username.to_lowercase(), i))
        .collect();
    for a in &plan.actions {
        if a.action == SyncKind::CreateUser {
            let mut attributes = serde_json::Map::new();
            if let Some(id) = &a.idp_id {
                attributes.insert("idp_id".into(), Value::String(id.clone()));
            }
            index.insert(a.username.to_lowercase(), out.len());
            out.push(Some(UserRecord {
                username: a.username.clone(),
                display_name: a.display_name.clone(),
                email: a.email.clone(),
                active: true,
                groups: Vec::new(),
                attributes,
            }));
            continue;
        }
        let Some(&i) = index.get(&a.username.to_lowercase()) else {
            continue; // a user the snapshot does not hold: nothing to change
        };
        let Some(r) = out[i].as_mut() else {
            continue;
        };
        for (field, change) in &a.changes {
            let new = change.new.clone();
            match *field {
                "username" => {
                    if let Some(n) = new {
                        r.username = n;
                    }
                }
                "display_name" => r.display_name = new,
                "email" => r.email = new,
                "idp_id" => match new {
                    Some(id) => {
                        r.attributes.insert("idp_id".into(), Value::String(id));
                    }
                    None => {
                        r.attributes.remove("idp_id");
                    }
                },
                _ => {}
            }
        }
        match a.action {
            SyncKind::ReactivateUser => r.active = true,
            SyncKind::DeactivateUser | SyncKind::AnonymizeUser => r.active = false,
            SyncKind::DeleteUser => {
                out[i] = None;
                continue;
            }
            SyncKind::AddToGroup => {
                let g = a.group.clone().unwrap_or_default();
                if !r.groups.contains(&g) {
                    r.groups.push(g);
                }
            }
            SyncKind::RemoveFromGroup => r.groups.retain(|g| Some(g) != a.group.as_ref()),
            SyncKind::CreateUser | SyncKind::UpdateUser => {}
        }
    }
    out.into_iter().flatten().collect()
}

/// One record as a snapshot line.
pub fn record_json(r: &UserRecord) -> Value {
    json!({
        "username": r.username,
        "display_name": r.display_name,
        "email": r.email,
        "active": r.active,
        "groups": r.groups,
        "attributes": r.attributes,
    })
}

/// Writes a snapshot: one record a line.
pub fn write_snapshot(records: &[UserRecord], mut w: impl Write) -> std::io::Result<()> {
    for r in records {
        writeln!(w, "{}", record_json(r))?;
    }
    w.flush()
}
