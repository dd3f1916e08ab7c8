//! From verified claims to an identity: the username claim and its transforms, display name,
//! e-mail, groups, and what each template reads by default.

mod common;

use albauth::{Identity, Verifier};
use common::*;
use serde_json::{json, Value};

/// Verifies `token` (signed by pinned key 1) with `extra` config; the identity or the code.
fn identity(token: &AlbToken, extra: Value) -> Result<Identity, &'static str> {
    let k = TestKey::new(1);
    let v = Verifier::from_json(&config(None, &[&k], extra)).unwrap();
    let o = v.verify(headers(&token.sign(&k)), Some(NOW));
    o.identity().cloned().ok_or(outcome_code(&o))
}

fn token() -> AlbToken {
    AlbToken::new(&TestKey::new(1))
}

fn username(email: &str, transforms: Value) -> Result<String, &'static str> {
    identity(
        &token().claim("email", email),
        json!({"username_transforms": transforms}),
    )
    .map(|id| id.username().to_string())
}

// ---- Username and transforms ----

#[test]
fn username_is_the_email_claim_verbatim_by_default() {
    assert_eq!(
        username("Jane.Doe@Example.com", json!([])).unwrap(),
        "Jane.Doe@Example.com"
    );
}

#[test]
fn lowercase_transform_lowercases_unicode() {
    assert_eq!(
        username("J\u{c9}r\u{d4}me@EXAMPLE.com", json!(["lowercase"])).unwrap(),
        "j\u{e9}r\u{f4}me@example.com"
    );
}

#[test]
fn strip_domain_removes_an_at_suffix_and_a_backslash_prefix() {
    assert_eq!(
        username("jane@example.com", json!(["strip_domain"])).unwrap(),
        "jane"
    );
    assert_eq!(
        username("CORP\\jane", json!(["strip_domain"])).unwrap(),
        "jane"
    );
    assert_eq!(
        username("CORP\\jane@example.com", json!(["strip_domain"])).unwrap(),
        "jane"
    );
    assert_eq!(username("jane", json!(["strip_domain"])).unwrap(), "jane");
}

#[test]
fn regex_transform_replaces_every_match_with_groups() {
    let swap = json!([{"regex": "^(\\w+)\\.(\\w+)@.*$", "replace": "${2}_$1"}]);
    assert_eq!(username("jane.doe@example.com", swap).unwrap(), "doe_jane");
    let every = json!([{"regex": "[.-]", "replace": "_"}]);
    assert_eq!(username("a.b-c.d@x", every).unwrap(), "a_b_c_d@x");
    let named = json!([{"regex": "^(?P<user>[^@]+)@.*$", "replace": "$user"}]);
    assert_eq!(username("jane@example.com", named).unwrap(), "jane");
}

#[test]
fn transforms_apply_in_the_order_given() {
    let strip_then_regex = json!(["strip_domain", {"regex": "^", "replace": "ext-"}, "lowercase"]);
    assert_eq!(
        username("Jane@Example.com", strip_then_regex).unwrap(),
        "ext-jane"
    );
    let regex_then_strip = json!([{"regex": "$", "replace": "@x"}, "strip_domain"]);
    assert_eq!(
        username("jane@example.com", regex_then_strip).unwrap(),
        "jane@example.com"
    );
}

#[test]
fn username_empty_after_transforms_is_claim_missing() {
    assert_eq!(
        username("@example.com", json!(["strip_domain"])).unwrap_err(),
        "claim_missing"
    );
    assert_eq!(
        username("x", json!([{"regex": ".*", "replace": ""}])).unwrap_err(),
        "claim_missing"
    );
}

#[test]
fn username_claim_selects_another_claim() {
    let t = token().claim("preferred_username", "jdoe");
    let id = identity(&t, json!({"username_claim": "preferred_username"})).unwrap();
    assert_eq!(id.username(), "jdoe");
}

#[test]
fn username_claim_missing_empty_or_not_a_string_is_claim_missing() {
    for v in [
        Value::Null,
        json!(""),
        json!(42),
        json!(["jane"]),
        json!({"a": 1}),
    ] {
        assert_eq!(
            identity(&token().claim("email", v.clone()), json!({})).unwrap_err(),
            "claim_missing",
            "{v}"
        );
    }
}

#[test]
fn sub_missing_empty_or_not_a_string_is_claim_missing() {
    for v in [Value::Null, json!(""), json!(7)] {
        assert_eq!(
            identity(&token().claim("sub", v.clone()), json!({})).unwrap_err(),
            "claim_missing",
            "{v}"
        );
    }
}

// ---- Display name, e-mail, groups ----

#[test]
fn display_name_and_email_come_from_their_claims() {
    let id = identity(&token(), json!({})).unwrap();
    assert_eq!(id.display_name(), Some("Jane Doe"));
    assert_eq!(id.email(), Some("Jane.Doe@Example.com"));
    let t = token().claim("display", "J. Doe").claim("mail", "j@x.org");
    let id = identity(
        &t,
        json!({"display_name_claim": "display", "email_claim": "mail"}),
    )
    .unwrap();
    assert_eq!(
        (id.display_name(), id.email()),
        (Some("J. Doe"), Some("j@x.org"))
    );
}

#[test]
fn display_name_and_email_are_none_when_absent_and_do_not_reject() {
    let t = token()
        .claim("name", Value::Null)
        .claim("preferred_username", "jdoe");
    let id = identity(
        &t.claim("email", Value::Null),
        json!({"username_claim": "preferred_username"}),
    )
    .unwrap();
    assert_eq!(id.display_name(), None);
    assert_eq!(id.email(), None);
    let t = token().claim("name", 5).claim("preferred_username", "jdoe");
    let id = identity(
        &t.claim("email", ""),
        json!({"username_claim": "preferred_username"}),
    )
    .unwrap();
    assert_eq!(
        (id.display_name(), id.email()),
        (None, None),
        "not a string or empty: none"
    );
}

#[test]
fn groups_are_empty_without_groups_claim() {
    let t = token().claim("groups", json!(["jira-users"]));
    assert!(identity(&t, json!({})).unwrap().groups().is_empty());
    assert!(identity(&token(), json!({"groups_claim": "groups"}))
        .unwrap()
        .groups()
        .is_empty());
}

#[test]
fn groups_come_from_a_list_a_single_string_or_a_json_encoded_list() {
    let groups = |v: Value| {
        identity(
            &token().claim("groups", v),
            json!({"groups_claim": "groups"}),
        )
        .unwrap()
        .groups()
        .to_vec()
    };
    assert_eq!(
        groups(json!(["jira-users", "", 5, "admins"])),
        ["jira-users", "admins"]
    );
    assert_eq!(groups(json!("jira-users")), ["jira-users"]);
    assert_eq!(groups(json!("[\"a\",\"b\"]")), ["a", "b"]);
    assert!(groups(json!(7)).is_empty());
    assert!(groups(json!("")).is_empty());
}

#[test]
fn identity_carries_sub_issuer_expiry_and_all_claims() {
    let t = token().claim("custom", json!({"x": [1, 2]})).exp(NOW + 100);
    let id = identity(&t, json!({})).unwrap();
    assert_eq!(id.sub(), "a1b2c3d4-0000-4000-8000-000000000001");
    assert_eq!(id.issuer(), Some(ISSUER));
    assert_eq!(id.expires_at(), NOW + 100);
    assert_eq!(id.claims().get("custom"), Some(&json!({"x": [1, 2]})));
    assert_eq!(id.claims().get("email_verified"), Some(&json!("true")));
    let reparsed: Value = serde_json::from_str(id.claims_json()).unwrap();
    assert_eq!(reparsed, Value::Object(id.claims().clone()));
}

// ---- Templates ----

#[test]
fn data_token_templates_use_the_email_claim() {
    for template in ["cognito", "okta", "google", "keycloak", "other"] {
        let id = identity(&token(), json!({"template": template})).unwrap();
        assert_eq!(id.username(), "Jane.Doe@Example.com", "{template}");
    }
}

#[test]
fn google_token_without_email_is_claim_missing_unless_another_claim_is_chosen() {
    let t = token()
        .claim("email", Value::Null)
        .claim("name", Value::Null);
    assert_eq!(
        identity(&t, json!({"template": "google"})).unwrap_err(),
        "claim_missing"
    );
    let id = identity(&t, json!({"template": "google", "username_claim": "sub"})).unwrap();
    assert_eq!(id.username(), id.sub());
}
