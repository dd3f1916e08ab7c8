//! Provisioning: the `provisioning` config section and the host's user record (both outside
//! input) through their parsers, then `plan_login` for a verified identity.
//!
//! Input: the `provisioning` JSON, a NUL byte, then the current-user record JSON (no NUL:
//! no host record). Checks, for every input: parsers never panic; a refused plan has no
//! actions; every action has a reason and names the host username; a default group is never
//! removed; `create_user` is planned only without a record and only as the first action; the
//! plan's JSON parses back.
#![no_main]

use std::sync::OnceLock;

use albauth::provision::{plan_login, Action, ProvisioningConfig, UserRecord};
use albauth::{Identity, Outcome, Verifier};
use albauth_fuzz::{config_json, token, NOW};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

/// Jane, in groups `Engineering`, `team-red` and `jira-users`, verified once.
fn identity() -> &'static Identity {
    static ID: OnceLock<Identity> = OnceLock::new();
    ID.get_or_init(|| {
        let v =
            Verifier::from_json(&config_json(json!({"groups_claim": "groups"}))).expect("config");
        let header = json!({"alg": "ES256", "kid": albauth_fuzz::KID, "signer": albauth_fuzz::ALB,
            "iss": albauth_fuzz::ISSUER, "client": albauth_fuzz::CLIENT, "exp": NOW + 120});
        let claims = json!({"sub": "idp-jane", "email": "jane@example.com", "name": "Jane Doe",
            "given_name": "Jane", "family_name": "Doe", "exp": NOW + 120,
            "groups": ["Engineering", "team-red", "jira-users"]});
        let t = token(
            header.to_string().as_bytes(),
            claims.to_string().as_bytes(),
            true,
            None,
        );
        match v.verify([("x-amzn-oidc-data", t)], Some(NOW)) {
            Outcome::Authenticated(id) => (*id).clone(),
            other => panic!("the fixed token must verify: {other:?}"),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let (cfg, record) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let Ok(cfg) = serde_json::from_slice(cfg) else {
        return;
    };
    let Ok(cfg) = ProvisioningConfig::from_json(cfg) else {
        return;
    };
    let current = match record {
        None => None,
        Some(bytes) => {
            let Ok(text) = std::str::from_utf8(bytes) else {
                return;
            };
            match UserRecord::from_json(text) {
                Ok(r) => Some(r),
                Err(_) => return,
            }
        }
    };
    let plan = plan_login(identity(), current.as_ref(), &cfg);
    if plan.refused.is_some() {
        assert!(plan.actions.is_empty(), "a refused plan changes nothing");
    }
    for (i, a) in plan.actions.iter().enumerate() {
        assert!(!a.reason().is_empty(), "{} without a reason", a.name());
        match a {
            Action::CreateUser { .. } => assert!(current.is_none() && i == 0),
            Action::RemoveFromGroup { group, .. } => {
                assert!(
                    !cfg.default_groups.contains(group),
                    "default group {group} removed"
                );
                assert!(
                    cfg.group_filter.is_some(),
                    "nothing is removed without a group_filter"
                );
            }
            Action::UpdateUser { changes, .. } => assert!(!changes.is_empty()),
            _ => {}
        }
    }
    let back: serde_json::Value = serde_json::from_str(&plan.to_json()).expect("plan JSON");
    assert!(back["actions"].is_array());
});
