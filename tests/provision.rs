//! Just-in-time provisioning plans: from a verified identity and the host's record to the
//! actions a login must apply. Identities come from real verifications of signed tokens.

mod common;

use albauth::provision::{plan_login, Action, Plan, ProvisioningConfig, Refusal, UserRecord};
use albauth::{Identity, Verifier};
use common::*;
use serde_json::{json, Value};

/// The identity of a token for Jane with `claims` on top (groups in claim `groups`).
fn identity(claims: Value) -> Identity {
    identity_with(claims, json!({}))
}

fn identity_with(claims: Value, extra: Value) -> Identity {
    let k = TestKey::new(1);
    let mut cfg = json!({"groups_claim": "groups", "username_transforms": ["lowercase"]});
    cfg.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let v = Verifier::from_json(&config(None, &[&k], cfg)).unwrap();
    let mut t = AlbToken::new(&k)
        .claim("sub", "idp-jane")
        .claim("email", "Jane@Example.com")
        .claim("name", "Jane Doe");
    for (k, v) in claims.as_object().unwrap() {
        t = t.claim(k, v.clone());
    }
    let o = v.verify(headers(&t.sign(&k)), Some(NOW));
    o.identity()
        .cloned()
        .unwrap_or_else(|| panic!("{}", outcome_code(&o)))
}

fn settings(v: Value) -> ProvisioningConfig {
    ProvisioningConfig::from_json(v).unwrap()
}

fn record(v: Value) -> UserRecord {
    UserRecord::from_json(&v.to_string()).unwrap()
}

/// Jane as the host has her: same IdP id, up to date, active, in `groups`.
fn jane(groups: &[&str]) -> Value {
    json!({"username": "jane@example.com", "display_name": "Jane Doe", "email": "Jane@Example.com",
           "active": true, "groups": groups, "attributes": {"idp_id": "idp-jane"}})
}

fn plan(claims: Value, current: Option<Value>, cfg: Value) -> Plan {
    let r = current.map(record);
    plan_login(&identity(claims), r.as_ref(), &settings(cfg))
}

fn names(p: &Plan) -> Vec<String> {
    p.actions
        .iter()
        .map(|a| match a {
            Action::AddToGroup { group, .. } => format!("add {group}"),
            Action::RemoveFromGroup { group, .. } => format!("remove {group}"),
            other => other.name().to_string(),
        })
        .collect()
}

// ---- New users ----

#[test]
fn first_login_creates_the_user_then_adds_each_group() {
    let p = plan(
        json!({"groups": ["Engineering"]}),
        None,
        json!({"default_groups": ["jira-software-users"]}),
    );
    assert!(p.is_allowed());
    assert_eq!(
        names(&p),
        ["create_user", "add jira-software-users", "add Engineering"]
    );
    let Action::CreateUser {
        username,
        display_name,
        email,
        idp_id,
        ..
    } = &p.actions[0]
    else {
        panic!()
    };
    assert_eq!(username, "jane@example.com");
    assert_eq!(display_name.as_deref(), Some("Jane Doe"));
    assert_eq!(email.as_deref(), Some("Jane@Example.com"));
    assert_eq!(idp_id.as_deref(), Some("idp-jane"));
}

#[test]
fn every_action_has_a_reason() {
    let p = plan(
        json!({"groups": ["a", "b"]}),
        None,
        json!({"default_groups": ["d"]}),
    );
    assert!(p.actions.iter().all(|a| !a.reason().is_empty()));
    let p = plan(
        json!({"groups": ["a"], "email": "new@example.com"}),
        Some(jane(&["x"])),
        json!({"group_filter": {"allow": ["x", "a"]}}),
    );
    assert!(
        p.actions.len() >= 3 && p.actions.iter().all(|a| !a.reason().is_empty()),
        "{p:?}"
    );
}

#[test]
fn without_create_users_an_unknown_user_is_refused() {
    let p = plan(json!({}), None, json!({"create_users": false}));
    assert_eq!(p.refused, Some(Refusal::UnknownUser));
    assert!(p.actions.is_empty());
}

#[test]
fn idp_id_comes_from_the_configured_claim() {
    let p = plan(
        json!({"oid": "object-1"}),
        None,
        json!({"idp_id_claim": "oid"}),
    );
    let Action::CreateUser { idp_id, .. } = &p.actions[0] else {
        panic!()
    };
    assert_eq!(idp_id.as_deref(), Some("object-1"));
}

// ---- Existing users ----

#[test]
fn an_up_to_date_user_needs_nothing() {
    let p = plan(json!({"groups": ["g"]}), Some(jane(&["g"])), json!({}));
    assert!(p.is_allowed() && p.actions.is_empty(), "{p:?}");
}

#[test]
fn changed_attributes_are_one_update_with_exactly_the_changed_fields() {
    let p = plan(
        json!({"email": "jane.doe@example.com", "name": "Jane D."}),
        Some(jane(&[])),
        json!({}),
    );
    assert_eq!(names(&p), ["update_user"]);
    let json: Value = serde_json::from_str(&p.to_json()).unwrap();
    assert_eq!(
        json["actions"][0]["changes"],
        json!({"display_name": {"old": "Jane Doe", "new": "Jane D."},
               "email": {"old": "Jane@Example.com", "new": "jane.doe@example.com"},
               "username": {"old": "jane@example.com", "new": "jane.doe@example.com"}})
    );
    assert_eq!(
        json["actions"][0]["username"], "jane@example.com",
        "the host's current name"
    );
}

#[test]
fn a_record_found_by_idp_id_under_another_name_is_renamed_not_duplicated() {
    let mut r = jane(&[]);
    r["username"] = json!("jane.old@example.com");
    let p = plan(json!({}), Some(r), json!({}));
    assert_eq!(names(&p), ["update_user"]);
    let Action::UpdateUser {
        changes, reason, ..
    } = &p.actions[0]
    else {
        panic!()
    };
    assert_eq!(changes["username"].new.as_deref(), Some("jane@example.com"));
    assert!(reason.contains("renamed"), "{reason}");
}

#[test]
fn usernames_compare_case_insensitively() {
    let mut r = jane(&[]);
    r["username"] = json!("JANE@EXAMPLE.COM");
    let p = plan(json!({}), Some(r), json!({}));
    assert!(p.actions.is_empty(), "{p:?}");
}

#[test]
fn other_attributes_compare_exactly() {
    let mut r = jane(&[]);
    r["email"] = json!("jane@example.com");
    let p = plan(json!({}), Some(r), json!({}));
    assert_eq!(names(&p), ["update_user"]);
}

#[test]
fn a_record_without_idp_id_matched_by_username_gets_the_id_stored() {
    let mut r = jane(&[]);
    r["attributes"] = json!({});
    let p = plan(json!({}), Some(r), json!({}));
    let Action::UpdateUser { changes, .. } = &p.actions[0] else {
        panic!()
    };
    assert_eq!(changes["idp_id"].new.as_deref(), Some("idp-jane"));
    assert_eq!(changes.len(), 1);
}

#[test]
fn a_record_with_another_idp_id_is_refused_never_taken_over() {
    let mut r = jane(&[]);
    r["attributes"] = json!({"idp_id": "someone-else"});
    let p = plan(json!({}), Some(r), json!({}));
    assert_eq!(p.refused, Some(Refusal::RecordMismatch));
    assert!(p.actions.is_empty());
}

#[test]
fn a_record_matching_neither_id_nor_name_is_refused() {
    let r = json!({"username": "bob", "active": true});
    let p = plan(json!({}), Some(r), json!({}));
    assert_eq!(p.refused, Some(Refusal::RecordMismatch));
}

#[test]
fn an_attribute_the_idp_does_not_send_is_left_alone() {
    let p = plan(json!({"name": null}), Some(jane(&[])), json!({}));
    assert!(p.actions.is_empty(), "{p:?}");
}

// ---- Deactivated users ----

#[test]
fn a_deactivated_user_is_refused_by_default() {
    let mut r = jane(&[]);
    r["active"] = json!(false);
    let p = plan(json!({}), Some(r), json!({}));
    assert_eq!(p.refused, Some(Refusal::UserInactive));
    assert!(p.actions.is_empty());
}

#[test]
fn a_deactivated_user_is_reactivated_when_configured() {
    let mut r = jane(&[]);
    r["active"] = json!(false);
    let p = plan(json!({}), Some(r), json!({"reactivate_users": true}));
    assert_eq!(names(&p), ["reactivate_user"]);
}

// ---- Groups ----

#[test]
fn without_a_group_filter_groups_are_added_and_none_removed() {
    let p = plan(
        json!({"groups": ["new"]}),
        Some(jane(&["old", "jira-administrators"])),
        json!({}),
    );
    assert_eq!(names(&p), ["add new"]);
}

#[test]
fn group_filter_admits_by_exact_name_and_whole_name_regex() {
    let cfg = json!({"group_filter": {"allow": ["Engineering"], "regex": ["team-.*"]}});
    let p = plan(
        json!({"groups": ["Engineering", "team-red", "my-team-red", "Sales"]}),
        None,
        cfg,
    );
    assert_eq!(
        names(&p),
        ["create_user", "add Engineering", "add team-red"]
    );
}

#[test]
fn group_mapping_renames_idp_groups_after_the_filter() {
    let cfg = json!({"group_filter": {"allow": ["Engineering"]}, "group_mapping": {"Engineering": "jira-developers", "Sales": "jira-sales"}});
    let p = plan(json!({"groups": ["Engineering", "Sales"]}), None, cfg);
    assert_eq!(names(&p), ["create_user", "add jira-developers"]);
}

#[test]
fn a_managed_group_the_idp_no_longer_lists_is_removed() {
    let cfg = json!({"group_filter": {"regex": ["team-.*"]}});
    let p = plan(
        json!({"groups": ["team-blue"]}),
        Some(jane(&["team-red", "local-admins"])),
        cfg,
    );
    assert_eq!(
        names(&p),
        ["add team-blue", "remove team-red"],
        "local-admins is not managed"
    );
}

#[test]
fn default_groups_are_never_removed() {
    let cfg = json!({"default_groups": ["jira-software-users"], "group_filter": {"regex": [".*"]}});
    let p = plan(
        json!({"groups": []}),
        Some(jane(&["jira-software-users", "x"])),
        cfg,
    );
    assert_eq!(names(&p), ["remove x"]);
}

#[test]
fn required_groups_refuse_a_login_without_one() {
    let cfg = json!({"required_groups_for_login": ["jira-users"]});
    let p = plan(json!({"groups": ["other"]}), None, cfg.clone());
    assert_eq!(p.refused, Some(Refusal::NotAllowed));
    assert!(p.actions.is_empty());
    assert!(plan(json!({"groups": ["jira-users"]}), None, cfg).is_allowed());
}

#[test]
fn a_missing_groups_claim_is_no_groups() {
    let p = plan(json!({}), None, json!({"default_groups": ["d"]}));
    assert_eq!(names(&p), ["create_user", "add d"]);
}

// ---- Attribute fallbacks ----

#[test]
fn display_name_falls_back_to_joined_claims_in_order() {
    let cfg =
        json!({"attribute_fallbacks": {"display_name": ["nickname", "given_name family_name"]}});
    let p = plan(
        json!({"name": null, "given_name": "Jane", "family_name": "Doe"}),
        None,
        cfg,
    );
    let Action::CreateUser { display_name, .. } = &p.actions[0] else {
        panic!()
    };
    assert_eq!(display_name.as_deref(), Some("Jane Doe"));
}

#[test]
fn a_fallback_with_a_missing_claim_is_skipped() {
    // The verifier reads e-mail from `mail`, which this token lacks.
    let id = identity_with(
        json!({"upn": "jane@corp.example"}),
        json!({"email_claim": "mail"}),
    );
    assert_eq!(id.email(), None);
    let cfg = json!({"attribute_fallbacks": {"email": ["work_email", "upn"]}});
    let p = plan_login(&id, None, &settings(cfg));
    let Action::CreateUser { email, .. } = &p.actions[0] else {
        panic!()
    };
    assert_eq!(email.as_deref(), Some("jane@corp.example"));
}

// ---- The JSON shape ----

#[test]
fn plan_json_has_actions_and_a_null_refusal() {
    let p = plan(json!({}), None, json!({}));
    let v: Value = serde_json::from_str(&p.to_json()).unwrap();
    assert_eq!(v["refused"], Value::Null);
    assert_eq!(v["actions"][0]["action"], "create_user");
    assert!(v.get("detail").is_none());
}

#[test]
fn refused_plan_json_carries_the_code_and_why() {
    let p = plan(json!({}), None, json!({"create_users": false}));
    let v: Value = serde_json::from_str(&p.to_json()).unwrap();
    assert_eq!(v["refused"], "unknown_user");
    assert_eq!(v["actions"], json!([]));
    assert!(v["detail"].as_str().unwrap().contains("create_users"));
}

#[test]
fn a_delimited_group_claim_splits_on_commas() {
    let p = plan(json!({"groups": "Engineering, team-red"}), None, json!({}));
    assert_eq!(
        names(&p),
        ["create_user", "add Engineering", "add team-red"]
    );
}

#[test]
fn with_provisioning_enabled_the_identity_carries_its_login_key() {
    let on = json!({"provisioning": {"enabled": true, "group_mapping": {"eng": "developers"}}});
    let id = identity_with(json!({"groups": ["eng"]}), on.clone());
    let cfg = settings(on["provisioning"].clone());
    assert_eq!(
        id.login_key(),
        Some(albauth::provision::login_key(&id, &cfg).as_str())
    );
}

#[test]
fn with_provisioning_off_the_identity_carries_no_login_key() {
    assert_eq!(identity(json!({})).login_key(), None);
}

mod lookup_at_login {
    use super::*;
    use albauth::directory::IdpUser;
    use albauth::provision::{lookup_value, plan_login_looked_up, Lookup};

    fn directory_user(active: bool) -> IdpUser {
        IdpUser {
            idp_id: "00u-jane".into(),
            username: "jane@example.com".into(),
            display_name: Some("Jane Q. Doe".into()),
            email: Some("jane.doe@example.com".into()),
            active,
            groups: vec!["Directory Group".into()],
        }
    }

    fn looked_up(lookup: Lookup, cfg: Value) -> Plan {
        plan_login_looked_up(
            &identity(json!({"groups": ["Token Group"]})),
            &lookup,
            None,
            &settings(cfg),
        )
    }

    #[test]
    fn the_directorys_attributes_groups_and_id_win_over_the_claims() {
        let plan = looked_up(Lookup::Found(directory_user(true)), json!({}));
        assert!(plan.refused.is_none());
        match &plan.actions[0] {
            Action::CreateUser {
                username,
                display_name,
                email,
                idp_id,
                ..
            } => {
                assert_eq!(username, "jane@example.com", "the login's username stays");
                assert_eq!(display_name.as_deref(), Some("Jane Q. Doe"));
                assert_eq!(email.as_deref(), Some("jane.doe@example.com"));
                assert_eq!(idp_id.as_deref(), Some("00u-jane"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(names(&plan)[1..], ["add Directory Group".to_string()]);
    }

    #[test]
    fn a_user_the_directory_reports_disabled_is_refused_although_the_token_is_valid() {
        let plan = looked_up(Lookup::Found(directory_user(false)), json!({}));
        assert_eq!(plan.refused, Some(Refusal::NotAllowed));
        assert!(plan.detail.unwrap().contains("disabled"));
        assert!(plan.actions.is_empty());
    }

    #[test]
    fn a_user_the_directory_does_not_know_is_refused() {
        let plan = looked_up(Lookup::NotFound, json!({}));
        assert_eq!(plan.refused, Some(Refusal::NotAllowed));
        assert!(plan.detail.unwrap().contains("does not know"));
    }

    #[test]
    fn an_unavailable_directory_falls_back_to_the_claims_by_default() {
        let plan = looked_up(Lookup::Unavailable("HTTP 503".into()), json!({}));
        assert!(plan.refused.is_none());
        assert_eq!(names(&plan)[1..], ["add Token Group".to_string()]);
    }

    #[test]
    fn an_unavailable_directory_refuses_with_lookup_failure_refuse() {
        let plan = looked_up(
            Lookup::Unavailable("HTTP 503".into()),
            json!({"lookup_failure": "refuse"}),
        );
        assert_eq!(plan.refused, Some(Refusal::DirectoryUnavailable));
        assert_eq!(plan.refused.unwrap().code(), "directory_unavailable");
    }

    #[test]
    fn the_lookup_value_is_the_email_or_the_named_claim() {
        let id = identity(json!({"upn": "Jane@corp.example", "oid": "object-1"}));
        assert_eq!(lookup_value(&id, "email"), Some("Jane@Example.com"));
        assert_eq!(lookup_value(&id, "upn"), Some("Jane@corp.example"));
        assert_eq!(lookup_value(&id, "oid"), Some("object-1"));
    }

    fn whole(extra: Value) -> Result<albauth::Config, String> {
        let k = TestKey::new(1);
        albauth::Config::from_json(&config(None, &[&k], extra)).map_err(|e| e.detail().to_string())
    }

    fn okta() -> Value {
        json!({"connector": {"type": "okta", "org_url": "https://x.okta.com", "api_token": "t"}})
    }

    #[test]
    fn source_directory_needs_a_connector() {
        let e = whole(json!({"provisioning": {"source": "directory"}})).unwrap_err();
        assert!(e.starts_with("`provisioning.source`"), "{e}");
        let ok = whole(json!({"provisioning": {"source": "directory"}, "directory_sync": okta()}));
        assert_eq!(ok.unwrap().lookup_attribute(), Some("email"));
    }

    #[test]
    fn upn_and_oid_are_for_entra_only() {
        let e =
            whole(json!({"provisioning": {"lookup_attribute": "oid"}, "directory_sync": okta()}))
                .unwrap_err();
        assert!(e.starts_with("`provisioning.lookup_attribute`"), "{e}");
        let graph = json!({"connector": {"type": "graph", "tenant_id": "t", "client_id": "c", "client_secret": "s"}});
        let c = whole(json!({"directory_sync": graph, "provisioning": {"idp_id_claim": "oid"}}))
            .unwrap();
        assert_eq!(c.lookup_attribute(), Some("upn"));
    }

    #[test]
    fn a_graph_connector_with_sub_as_the_idp_id_is_warned() {
        let graph = json!({"connector": {"type": "graph", "tenant_id": "t", "client_id": "c", "client_secret": "s"}});
        let c = whole(json!({"directory_sync": graph})).unwrap();
        assert!(
            c.warnings().iter().any(|w| w.contains("`oid`")),
            "{:?}",
            c.warnings()
        );
    }

    #[test]
    fn lookup_settings_are_validated_by_name() {
        for (field, value) in [
            ("source", json!("ldap")),
            ("lookup_attribute", json!("sAMAccountName")),
            ("lookup_cache_secs", json!(-5)),
            ("lookup_failure", json!("ignore")),
        ] {
            let e = ProvisioningConfig::from_json(json!({ field: value })).unwrap_err();
            assert!(
                e.detail().starts_with(&format!("`provisioning.{field}`")),
                "{e:?}"
            );
        }
        let d = ProvisioningConfig::from_json(json!({})).unwrap();
        assert_eq!(d.lookup_cache_secs, 300);
    }
}

#[test]
fn with_a_lookup_at_login_the_key_changes_once_the_lookup_is_stale() {
    let k = TestKey::new(1);
    let cfg = json!({"groups_claim": "groups",
        "provisioning": {"enabled": true, "source": "directory", "lookup_cache_secs": 300},
        "directory_sync": {"connector": {"type": "okta", "org_url": "https://x.okta.com", "api_token": "t"}}});
    let v = Verifier::from_json(&config(None, &[&k], cfg)).unwrap();
    let key_at = |now: i64| {
        let t = AlbToken::new(&k).exp(now + 100).sign(&k);
        let o = v.verify(headers(&t), Some(now));
        o.identity().unwrap().login_key().unwrap().to_string()
    };
    let bucket_start = (NOW / 300) * 300;
    assert_eq!(key_at(bucket_start), key_at(bucket_start + 299));
    assert_ne!(key_at(bucket_start), key_at(bucket_start + 300));
}
