//! Full-sync planning from a host snapshot (outside input: a file the host exported, or one
//! written by `--write-snapshot`): JSON lines through `sync::read_snapshot`, then `plan_sync`
//! against a fixed IdP listing.
//!
//! Checks, for every input: nothing panics; every action has a reason; no group outside the
//! managed ones (`team-*`, after the filter) is ever removed; a host user without an IdP id
//! that no IdP user's username matches is never touched, nor is one another directory manages
//! (`attributes.managed_by`), and no creation takes such a user's name; the brake's count equals the
//! removals in the plan; the plan serialises.
#![no_main]

use albauth::directory::{DirectorySyncConfig, IdpUser};
use albauth::provision::ProvisioningConfig;
use albauth::sync::{plan_sync, read_snapshot, SyncKind};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fn listing() -> Vec<IdpUser> {
    ["ann", "bob", "cy"]
        .iter()
        .enumerate()
        .map(|(i, n)| IdpUser {
            idp_id: format!("id-{i}"),
            username: n.to_string(),
            display_name: Some(n.to_uppercase()),
            email: Some(format!("{n}@example.com")),
            active: i != 2,
            groups: vec![format!("team-{i}"), "other".into()],
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Ok(host) = read_snapshot(data) else {
        return;
    };
    let provisioning =
        ProvisioningConfig::from_json(json!({"group_filter": {"regex": ["team-.*"]}})).unwrap();
    let sync = DirectorySyncConfig::from_json(json!({
        "connector": {"type": "okta", "org_url": "https://x.okta.com", "api_token": "t"},
        "on_missing": if data.len() % 2 == 0 { "anonymize" } else { "deactivate" },
        "remove_groups_on_cleanup": true
    }))
    .unwrap();
    let idp = listing();
    let groups: Vec<String> = vec![
        "team-0".into(),
        "team-1".into(),
        "team-2".into(),
        "other".into(),
    ];
    let plan = plan_sync(&idp, &groups, &host, &provisioning, &sync, false);
    // A new user's own actions (its create_user and group additions) name no host user.
    let created: Vec<&str> = plan
        .actions
        .iter()
        .filter(|a| a.action == SyncKind::CreateUser)
        .map(|a| a.username.as_str())
        .collect();
    for name in &created {
        let held = host.iter().any(|r| r.username.eq_ignore_ascii_case(name));
        assert!(!held, "a creation takes a host user's name");
    }
    for a in &plan.actions {
        assert!(!a.reason.is_empty());
        if a.action == SyncKind::RemoveFromGroup {
            let g = a.group.as_deref().unwrap_or("");
            assert!(g.starts_with("team-"), "removed an unmanaged group");
        }
        if !created.contains(&a.username.as_str()) {
            let owner = host.iter().find(|r| r.username == a.username);
            let owner = owner.expect("an action names a host user");
            let elsewhere = owner
                .attributes
                .get(albauth::sync::MANAGED_BY)
                .is_some_and(|v| !v.is_null());
            assert!(!elsewhere, "touched a user another directory manages");
            if owner.idp_id().is_none() {
                let known = idp
                    .iter()
                    .any(|u| u.username.eq_ignore_ascii_case(&owner.username));
                assert!(known, "touched a local account");
            }
        }
    }
    let removals = plan
        .actions
        .iter()
        .filter(|a| {
            matches!(
                a.action,
                SyncKind::DeactivateUser | SyncKind::DeleteUser | SyncKind::AnonymizeUser
            )
        })
        .count();
    assert_eq!(removals, plan.summary.removals());
    assert!(serde_json::to_string(&plan).is_ok());
});
