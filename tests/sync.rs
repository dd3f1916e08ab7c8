//! Full directory sync, the planner: a complete IdP listing against the host snapshot, one
//! rule per test (README "Full directory sync").

use albauth::directory::{DirectorySyncConfig, IdpUser};
use albauth::provision::{ProvisioningConfig, UserRecord};
use albauth::sync::{plan_sync, pseudonym, read_snapshot, SyncKind, SyncPlan};
use serde_json::{json, Value};

fn idp(id: &str, name: &str, groups: &[&str]) -> IdpUser {
    IdpUser {
        idp_id: id.into(),
        username: name.into(),
        display_name: Some(format!("{name} Name")),
        email: Some(format!("{name}@example.com")),
        active: true,
        groups: groups.iter().map(|g| g.to_string()).collect(),
    }
}

fn host(v: Value) -> UserRecord {
    UserRecord::from_json(&v.to_string()).unwrap()
}

/// A host user in sync with `idp(id, name, [])`.
fn host_of(id: &str, name: &str, groups: &[&str]) -> Value {
    json!({"username": name, "display_name": format!("{name} Name"), "email": format!("{name}@example.com"),
           "active": true, "groups": groups, "attributes": {"idp_id": id}})
}

fn sync_cfg(extra: Value) -> DirectorySyncConfig {
    let mut v =
        json!({"connector": {"type": "okta", "org_url": "https://x.okta.com", "api_token": "t"}});
    v.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    DirectorySyncConfig::from_json(v).unwrap()
}

fn prov(v: Value) -> ProvisioningConfig {
    ProvisioningConfig::from_json(v).unwrap()
}

fn plan(idp_users: &[IdpUser], hosts: &[Value], p: Value, s: Value) -> SyncPlan {
    let records: Vec<UserRecord> = hosts.iter().cloned().map(host).collect();
    let groups: Vec<String> = idp_users.iter().flat_map(|u| u.groups.clone()).collect();
    plan_sync(idp_users, &groups, &records, &prov(p), &sync_cfg(s), false)
}

fn kinds(p: &SyncPlan) -> Vec<(SyncKind, String, Option<String>)> {
    p.actions
        .iter()
        .map(|a| (a.action, a.username.clone(), a.group.clone()))
        .collect()
}

fn g(s: &str) -> Option<String> {
    Some(s.to_string())
}

#[test]
fn a_user_only_the_idp_has_is_created_with_their_groups() {
    let p = plan(
        &[idp("1", "ann", &["eng"])],
        &[],
        json!({"default_groups": ["users"]}),
        json!({}),
    );
    assert_eq!(
        kinds(&p),
        vec![
            (SyncKind::CreateUser, "ann".into(), None),
            (SyncKind::AddToGroup, "ann".into(), g("users")),
            (SyncKind::AddToGroup, "ann".into(), g("eng")),
        ]
    );
    assert_eq!((p.summary.create, p.summary.group_add), (1, 2));
    assert!(p.actions.iter().all(|a| !a.reason.is_empty()));
}

#[test]
fn a_user_in_sync_needs_nothing() {
    let mut h = host_of("1", "ann", &[]);
    h["username"] = json!("Ann"); // usernames compare case-insensitively
    let p = plan(&[idp("1", "ann", &[])], &[h], json!({}), json!({}));
    assert!(p.actions.is_empty(), "{:?}", p.actions);
}

#[test]
fn changed_attributes_are_one_update_of_exactly_those_fields() {
    let mut h = host_of("1", "ann", &[]);
    h["email"] = json!("old@example.com");
    let p = plan(&[idp("1", "ann", &[])], &[h], json!({}), json!({}));
    assert_eq!(p.actions.len(), 1);
    let a = &p.actions[0];
    assert_eq!(a.action, SyncKind::UpdateUser);
    assert_eq!(a.changes.keys().copied().collect::<Vec<_>>(), vec!["email"]);
    assert_eq!(a.changes["email"].old.as_deref(), Some("old@example.com"));
}

#[test]
fn a_renamed_user_is_matched_by_idp_id() {
    let p = plan(
        &[idp("1", "ann.new", &[])],
        &[host_of("1", "ann.old", &[])],
        json!({}),
        json!({}),
    );
    let a = &p.actions[0];
    assert_eq!(
        (a.action, a.username.as_str()),
        (SyncKind::UpdateUser, "ann.old")
    );
    assert_eq!(a.changes["username"].new.as_deref(), Some("ann.new"));
    assert_eq!(p.summary.create, 0);
}

#[test]
fn a_host_user_without_an_id_is_linked_by_username_storing_only_the_id() {
    let mut h = host_of("x", "ann", &[]);
    h["attributes"] = json!({});
    let mut ann = idp("1", "ann", &[]);
    ann.username = "ANN".into();
    let p = plan(&[ann], &[h], json!({}), json!({}));
    assert_eq!(p.actions.len(), 1, "{:?}", p.actions);
    let a = &p.actions[0];
    assert_eq!(a.action, SyncKind::UpdateUser);
    assert_eq!(
        serde_json::to_value(&a.changes).unwrap(),
        json!({"idp_id": {"old": null, "new": "1"}})
    );
}

#[test]
fn two_idp_users_for_one_host_username_link_nothing_and_report_it() {
    let h = json!({"username": "ann", "active": true, "groups": [], "attributes": {}});
    let p = plan(
        &[idp("1", "ann", &[]), idp("2", "Ann", &[])],
        &[h],
        json!({}),
        json!({}),
    );
    assert_eq!(
        p.conflicts[0], "ann",
        "the host account two IdP users would link to"
    );
    assert_eq!(p.summary.update, 0);
    assert_eq!(
        p.summary.create, 0,
        "neither is created either: the name is the local account's"
    );
}

#[test]
fn a_host_user_without_an_id_nobody_matches_is_never_touched() {
    let admin = json!({"username": "admin", "active": true, "groups": ["jira-administrators"], "attributes": {}});
    let p = plan(
        &[],
        &[admin],
        json!({"group_filter": {"allow": ["jira-administrators"]}}),
        json!({"on_missing": "delete", "remove_groups_on_cleanup": true}),
    );
    assert!(p.actions.is_empty());
}

#[test]
fn an_idp_disabled_user_is_deactivated_whatever_on_missing_says_and_never_created() {
    let mut off = idp("1", "ann", &[]);
    off.active = false;
    let mut new_off = idp("2", "bob", &[]);
    new_off.active = false;
    let p = plan(
        &[off, new_off],
        &[host_of("1", "ann", &[])],
        json!({}),
        json!({"on_missing": "keep"}),
    );
    assert_eq!(
        kinds(&p),
        vec![(SyncKind::DeactivateUser, "ann".into(), None)]
    );
}

#[test]
fn a_user_gone_from_the_idp_gets_on_missing() {
    let gone = [host_of("1", "ann", &[])];
    let cases = [
        ("deactivate", Some(SyncKind::DeactivateUser)),
        ("delete", Some(SyncKind::DeleteUser)),
        ("anonymize", Some(SyncKind::AnonymizeUser)),
        ("keep", None),
    ];
    for (on_missing, want) in cases {
        let p = plan(
            &[],
            &gone,
            json!({}),
            json!({"on_missing": on_missing, "brake_percent": 100}),
        );
        assert_eq!(p.actions.first().map(|a| a.action), want, "{on_missing}");
        assert!(p.actions.len() <= 1);
    }
}

#[test]
fn an_inactive_gone_user_is_not_deactivated_again() {
    let mut h = host_of("1", "ann", &[]);
    h["active"] = json!(false);
    let p = plan(&[], &[h], json!({}), json!({"brake_percent": 100}));
    assert!(p.actions.is_empty());
}

#[test]
fn anonymize_replaces_name_and_email_with_the_pseudonym() {
    let p = plan(
        &[],
        &[host_of("idp-9", "ann", &[])],
        json!({}),
        json!({"on_missing": "anonymize", "brake_percent": 100}),
    );
    let pseudo = pseudonym("idp-9");
    assert!(
        pseudo.starts_with("user-") && pseudo.len() == 17,
        "{pseudo}"
    );
    let a = &p.actions[0];
    assert_eq!(a.changes["username"].new.as_deref(), Some(pseudo.as_str()));
    assert_eq!(
        a.changes["display_name"].new.as_deref(),
        Some(pseudo.as_str())
    );
    assert_eq!(
        a.changes["email"].new,
        Some(format!("{pseudo}@anonymized.invalid"))
    );
}

#[test]
fn an_anonymized_user_still_gone_gets_nothing_and_one_who_returns_is_restored_by_reactivation() {
    let pseudo = pseudonym("idp-9");
    let anon = json!({"username": pseudo, "display_name": pseudo, "email": format!("{pseudo}@anonymized.invalid"),
                      "active": false, "groups": [], "attributes": {"idp_id": "idp-9"}});
    let still_gone = plan(
        &[],
        std::slice::from_ref(&anon),
        json!({}),
        json!({"on_missing": "anonymize", "brake_percent": 100}),
    );
    assert!(still_gone.actions.is_empty());
    let back = plan(
        &[idp("idp-9", "ann", &[])],
        &[anon],
        json!({}),
        json!({"on_missing": "anonymize"}),
    );
    assert_eq!(back.actions.len(), 1, "{:?}", back.actions);
    let a = &back.actions[0];
    assert_eq!(a.action, SyncKind::ReactivateUser);
    assert_eq!(a.changes["username"].new.as_deref(), Some("ann"));
    assert_eq!(a.changes["email"].new.as_deref(), Some("ann@example.com"));
    assert_eq!(back.summary.update, 0);
}

#[test]
fn only_managed_groups_are_removed() {
    let p = plan(
        &[idp("1", "ann", &["eng"]), idp("2", "bob", &["ops"])],
        &[host_of("1", "ann", &["ops", "local-team", "eng"])],
        json!({"group_filter": {"allow": ["eng", "ops"]}}),
        json!({}),
    );
    assert_eq!(
        kinds(&p)
            .into_iter()
            .filter(|k| k.1 == "ann")
            .collect::<Vec<_>>(),
        vec![(SyncKind::RemoveFromGroup, "ann".into(), g("ops"))]
    );
}

#[test]
fn without_a_group_filter_groups_are_added_and_none_removed() {
    let p = plan(
        &[idp("1", "ann", &["eng"]), idp("2", "bob", &["ops"])],
        &[host_of("1", "ann", &["ops"])],
        json!({}),
        json!({}),
    );
    let ann: Vec<_> = kinds(&p).into_iter().filter(|k| k.1 == "ann").collect();
    assert_eq!(ann, vec![(SyncKind::AddToGroup, "ann".into(), g("eng"))]);
}

#[test]
fn group_mapping_names_the_host_group() {
    let p = plan(
        &[idp("1", "ann", &["Engineering"])],
        &[host_of("1", "ann", &["jira-developers"])],
        json!({"group_filter": {"allow": ["Engineering"]}, "group_mapping": {"Engineering": "jira-developers"}}),
        json!({}),
    );
    assert!(p.actions.is_empty(), "{:?}", p.actions);
}

#[test]
fn remove_groups_on_cleanup_removes_every_managed_group_of_a_removed_user() {
    let p = plan(
        &[idp("2", "bob", &["eng"])],
        &[host_of("1", "ann", &["eng", "local"])],
        json!({"group_filter": {"allow": ["eng"]}}),
        json!({"remove_groups_on_cleanup": true, "brake_percent": 100}),
    );
    let ann: Vec<_> = kinds(&p).into_iter().filter(|k| k.1 == "ann").collect();
    assert_eq!(
        ann,
        vec![
            (SyncKind::DeactivateUser, "ann".into(), None),
            (SyncKind::RemoveFromGroup, "ann".into(), g("eng")),
        ]
    );
}

fn removals_plan(hosts: usize, gone: usize, s: Value, force: bool) -> SyncPlan {
    let records: Vec<UserRecord> = (0..hosts)
        .map(|i| host(host_of(&format!("id-{i:03}"), &format!("u{i}"), &[])))
        .collect();
    let listed: Vec<IdpUser> = (gone..hosts)
        .map(|i| idp(&format!("id-{i:03}"), &format!("u{i}"), &[]))
        .collect();
    plan_sync(
        &listed,
        &[],
        &records,
        &prov(json!({})),
        &sync_cfg(s),
        force,
    )
}

#[test]
fn the_brake_lets_exactly_the_limit_pass() {
    assert_eq!(removals_plan(100, 10, json!({}), false).refused, None);
    let over = removals_plan(100, 11, json!({}), false);
    assert_eq!(over.refused, Some("brake"));
    assert!(over.detail.unwrap().contains("11 of the 100"));
    assert_eq!(
        over.actions.len(),
        11,
        "a refused plan is still shown in full"
    );
}

#[test]
fn brake_count_refuses_more_than_its_count() {
    let s = json!({"brake_percent": 100, "brake_count": 3});
    assert_eq!(removals_plan(10, 3, s.clone(), false).refused, None);
    assert_eq!(removals_plan(10, 4, s, false).refused, Some("brake"));
}

#[test]
fn force_overrides_the_brake() {
    assert_eq!(removals_plan(10, 10, json!({}), true).refused, None);
}

#[test]
fn idp_disabled_deactivations_count_against_the_brake() {
    let records: Vec<UserRecord> = (0..4)
        .map(|i| host(host_of(&format!("{i}"), &format!("u{i}"), &[])))
        .collect();
    let mut listed: Vec<IdpUser> = (0..4)
        .map(|i| idp(&format!("{i}"), &format!("u{i}"), &[]))
        .collect();
    listed[0].active = false;
    let p = plan_sync(
        &listed,
        &[],
        &records,
        &prov(json!({})),
        &sync_cfg(json!({"brake_count": 0})),
        false,
    );
    assert_eq!(p.refused, Some("brake"));
}

#[test]
fn the_plan_serialises_to_the_report_shape() {
    let p = plan(&[idp("1", "ann", &[])], &[], json!({}), json!({}));
    let v = serde_json::to_value(&p).unwrap();
    assert_eq!(v["summary"]["create"], 1);
    assert_eq!(v["actions"][0]["action"], "create_user");
    assert_eq!(v["actions"][0]["idp_id"], "1");
    assert!(v["refused"].is_null());
}

#[test]
fn a_snapshot_is_read_line_by_line_and_errors_name_the_line() {
    let text = format!(
        "{}\n\n{}\n",
        host_of("1", "ann", &[]),
        json!({"username": "bob"})
    );
    let e = read_snapshot(text.as_bytes()).unwrap_err();
    assert_eq!(e.line, 3);
    let ok = read_snapshot(format!("{}\n", host_of("1", "ann", &[])).as_bytes()).unwrap();
    assert_eq!(ok.len(), 1);
}

#[test]
fn a_snapshot_with_one_person_twice_is_refused() {
    let twice = format!(
        "{}\n{}\n",
        host_of("1", "ann", &[]),
        host_of("1", "ann2", &[])
    );
    assert_eq!(read_snapshot(twice.as_bytes()).unwrap_err().line, 2);
    let names = format!(
        "{}\n{}\n",
        host_of("1", "ann", &[]),
        host_of("2", "ANN", &[])
    );
    assert!(read_snapshot(names.as_bytes()).is_err());
}

#[test]
fn a_plan_applied_to_its_snapshot_leaves_nothing_to_plan() {
    use albauth::sync::apply_to_snapshot;
    let mut old = host_of("1", "ann.old", &["eng", "stale"]);
    old["email"] = json!("old@example.com");
    let records: Vec<UserRecord> = [old, host_of("2", "gone", &["eng"])]
        .into_iter()
        .map(host)
        .collect();
    let listing = [
        idp("1", "ann.new", &["eng", "ops"]),
        idp("3", "cy", &["ops"]),
    ];
    let groups: Vec<String> = ["eng", "ops", "stale"].map(String::from).to_vec();
    let p = prov(json!({"group_filter": {"allow": ["eng", "ops", "stale"]}}));
    let s = sync_cfg(json!({"on_missing": "delete", "brake_percent": 100}));
    let plan = plan_sync(&listing, &groups, &records, &p, &s, false);
    let after = apply_to_snapshot(&records, &plan);
    let names: Vec<&str> = after.iter().map(|r| r.username.as_str()).collect();
    assert_eq!(names, ["ann.new", "cy"], "renamed, deleted, created");
    assert_eq!(after[0].groups, ["eng", "ops"]);
    let again = plan_sync(&listing, &groups, &after, &p, &s, false);
    assert!(again.actions.is_empty(), "{:?}", again.actions);
}

#[test]
fn a_refused_plan_changes_no_snapshot() {
    use albauth::sync::apply_to_snapshot;
    let records: Vec<UserRecord> = (0..10)
        .map(|i| host(host_of(&format!("{i}"), &format!("u{i}"), &[])))
        .collect();
    let plan = plan_sync(
        &[],
        &[],
        &records,
        &prov(json!({})),
        &sync_cfg(json!({})),
        false,
    );
    assert_eq!(plan.refused, Some("brake"));
    assert_eq!(apply_to_snapshot(&records, &plan), records);
}

#[test]
fn a_new_idp_user_whose_name_another_account_holds_is_reported_not_created() {
    // ann (id 1) left; a new ann (id 2) joined: the old account is never taken over, and no
    // second "ann" is created.
    let p = plan(
        &[idp("2", "Ann", &[])],
        &[host_of("1", "ann", &[])],
        json!({}),
        json!({"brake_percent": 100}),
    );
    assert_eq!(p.summary.create, 0);
    assert_eq!(
        p.summary.deactivate, 1,
        "the old account still gets on_missing"
    );
    assert_eq!(p.conflicts, vec!["Ann".to_string()]);
}

#[test]
fn a_rename_onto_another_accounts_name_is_reported_and_the_rest_updated() {
    let mut h = host_of("1", "ann", &[]);
    h["email"] = json!("old@example.com");
    let p = plan(
        &[idp("1", "bob", &[]), idp("2", "bob2", &[])],
        &[h, host_of("9", "bob", &[])],
        json!({}),
        json!({"on_missing": "keep"}),
    );
    let update = p
        .actions
        .iter()
        .find(|a| a.username == "ann")
        .expect("ann is still updated");
    assert!(!update.changes.contains_key("username"));
    assert!(update.changes.contains_key("email"));
    assert!(p.conflicts.contains(&"bob".to_string()));
}

/// A host user of another directory (LDAP), as the host lists them.
fn elsewhere(name: &str, extra: Value) -> Value {
    let mut v =
        json!({"username": name, "active": true, "attributes": {"managed_by": "Corporate LDAP"}});
    v["attributes"]
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    v
}

#[test]
fn an_idp_user_another_directory_holds_is_neither_linked_nor_created_but_reported() {
    let p = plan(
        &[idp("1", "ann", &["eng"])],
        &[elsewhere("Ann", json!({}))],
        json!({}),
        json!({}),
    );
    assert!(p.actions.is_empty(), "{:?}", p.actions);
    assert_eq!(p.conflicts, vec!["ann".to_string()]);
}

#[test]
fn a_user_another_directory_holds_is_never_removed_nor_counted_by_the_brake() {
    // Even carrying an idp_id the IdP no longer lists, the user is the other directory's.
    let p = plan(
        &[idp("2", "bob", &[])],
        &[
            elsewhere("ann", json!({"idp_id": "1"})),
            host_of("2", "bob", &[]),
        ],
        json!({}),
        json!({"brake_percent": 0}),
    );
    assert!(p.actions.is_empty(), "{:?}", p.actions);
    assert_eq!(p.refused, None);
}
