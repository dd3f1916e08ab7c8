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

// ---- Usernames refused by policy (username_not_allowed) ----

/// Claims to set on the default token.
type Claims<'a> = Vec<(&'a str, Value)>;

/// The code or `"authenticated"` for the default token with `claims` set, under `extra` config.
fn code_with(claims: &[(&str, Value)], extra: Value) -> &'static str {
    let mut t = token();
    for (k, v) in claims {
        t = t.claim(k, v.clone());
    }
    match identity(&t, extra) {
        Ok(_) => "authenticated",
        Err(code) => code,
    }
}

/// The rejection's detail for the default token with `claims` set, under `extra` config.
fn detail_with(claims: &[(&str, Value)], extra: Value) -> String {
    let k = TestKey::new(1);
    let v = Verifier::from_json(&config(None, &[&k], extra)).unwrap();
    let mut t = token();
    for (name, value) in claims {
        t = t.claim(name, value.clone());
    }
    match v.verify(headers(&t.sign(&k)), Some(NOW)) {
        albauth::Outcome::Rejected(e) => e.detail().to_string(),
        o => panic!("not rejected: {o:?}"),
    }
}

#[test]
fn email_verified_false_is_username_not_allowed() {
    for v in [json!(false), json!("false"), json!("False")] {
        assert_eq!(
            code_with(&[("email_verified", v.clone())], json!({})),
            "username_not_allowed",
            "{v}"
        );
    }
}

#[test]
fn email_verified_true_or_absent_is_accepted() {
    for v in [json!(true), json!("true"), json!("TRUE"), Value::Null] {
        assert_eq!(
            code_with(&[("email_verified", v.clone())], json!({})),
            "authenticated",
            "{v}"
        );
    }
}

#[test]
fn email_verified_that_is_neither_true_nor_false_is_refused() {
    for v in [json!("no"), json!(""), json!(0), json!(1), json!(["true"])] {
        assert_eq!(
            code_with(&[("email_verified", v.clone())], json!({})),
            "username_not_allowed",
            "{v}: fail closed"
        );
    }
}

#[test]
fn email_verified_false_is_refused_whatever_the_username_claim() {
    assert_eq!(
        code_with(
            &[
                ("email_verified", json!(false)),
                ("preferred_username", json!("jdoe"))
            ],
            json!({"username_claim": "preferred_username"})
        ),
        "username_not_allowed"
    );
}

#[test]
fn username_in_an_allowed_domain_is_accepted_case_insensitively() {
    let allowed = json!({"allowed_domains": ["Example.COM", "example.org"]});
    for email in ["jane@example.com", "Jane.Doe@EXAMPLE.com", "j@example.org"] {
        assert_eq!(
            code_with(&[("email", json!(email))], allowed.clone()),
            "authenticated",
            "{email}"
        );
    }
}

#[test]
fn username_outside_the_allowed_domains_is_username_not_allowed() {
    let allowed = json!({"allowed_domains": ["example.com"]});
    for email in [
        "jane@evil.com",
        "jane@sub.example.com",
        "jane@example.com.evil.com",
        "jane@notexample.com",
        "jane@example.com@evil.com",
        "jane@ex\u{212A}ample.com",
    ] {
        assert_eq!(
            code_with(&[("email", json!(email))], allowed.clone()),
            "username_not_allowed",
            "{email}"
        );
    }
}

#[test]
fn username_without_an_at_domain_is_refused_when_allowed_domains_is_set() {
    let allowed = json!({"allowed_domains": ["example.com", "CORP"]});
    for email in ["jane", "CORP\\jane", "jane@", "example.com"] {
        assert_eq!(
            code_with(&[("email", json!(email))], allowed.clone()),
            "username_not_allowed",
            "{email}: no @domain, fail closed"
        );
    }
    assert_eq!(
        code_with(&[("email", json!("CORP\\jane@example.com"))], allowed),
        "authenticated",
        "the domain is what follows the last @"
    );
}

#[test]
fn allowed_domains_is_checked_before_the_transforms() {
    let strip =
        json!({"allowed_domains": ["example.com"], "username_transforms": ["strip_domain"]});
    let id = identity(&token().claim("email", "jane@example.com"), strip.clone()).unwrap();
    assert_eq!(id.username(), "jane");
    assert_eq!(
        code_with(&[("email", json!("jane@evil.com"))], strip),
        "username_not_allowed"
    );
    let rewrite = json!({
        "allowed_domains": ["example.com"],
        "username_transforms": [{"regex": "@.*$", "replace": "@example.com"}],
    });
    assert_eq!(
        code_with(&[("email", json!("jane@evil.com"))], rewrite),
        "username_not_allowed",
        "a transform cannot launder the domain"
    );
}

#[test]
fn google_template_with_allowed_domains_also_requires_the_hd_claim_to_be_allowed() {
    let google = json!({"template": "google", "allowed_domains": ["example.com"]});
    let email = ("email", json!("jane@example.com"));
    assert_eq!(
        code_with(
            &[email.clone(), ("hd", json!("example.com"))],
            google.clone()
        ),
        "authenticated"
    );
    assert_eq!(
        code_with(
            &[email.clone(), ("hd", json!("EXAMPLE.com"))],
            google.clone()
        ),
        "authenticated"
    );
    for hd in [
        Value::Null,
        json!("other.com"),
        json!(""),
        json!(["example.com"]),
    ] {
        assert_eq!(
            code_with(&[email.clone(), ("hd", hd.clone())], google.clone()),
            "username_not_allowed",
            "hd {hd}"
        );
    }
}

#[test]
fn hd_claim_is_not_required_by_other_templates_or_without_allowed_domains() {
    assert_eq!(
        code_with(
            &[("email", json!("jane@example.com"))],
            json!({"template": "okta", "allowed_domains": ["example.com"]})
        ),
        "authenticated"
    );
    assert_eq!(
        code_with(&[("hd", json!("other.com"))], json!({"template": "google"})),
        "authenticated"
    );
}

#[test]
fn username_with_a_non_ascii_character_that_case_maps_to_ascii_is_refused() {
    for (what, email) in [
        ("Kelvin sign, lower case k", "\u{212A}elvin@example.com"),
        ("long s, upper case S", "\u{17F}am@example.com"),
        ("dotless i, upper case I", "adm\u{131}n@example.com"),
        (
            "dotted capital I, lower case i + dot",
            "\u{130}van@example.com",
        ),
        ("sharp s, upper case SS", "stra\u{df}e@example.com"),
        ("fi ligature, upper case FI", "\u{fb01}nn@example.com"),
    ] {
        assert_eq!(
            code_with(
                &[("email", json!(email))],
                json!({"username_transforms": ["lowercase"]})
            ),
            "username_not_allowed",
            "{what}"
        );
        assert_eq!(
            code_with(&[("email", json!(email))], json!({})),
            "username_not_allowed",
            "{what}, without transforms too"
        );
    }
}

#[test]
fn username_with_other_non_ascii_characters_is_accepted() {
    for email in [
        "j\u{e9}r\u{f4}me@example.com",
        "\u{c5}sa@example.com",
        "\u{43c}\u{430}\u{440}\u{438}\u{44f}@example.com",
        "\u{5f20}\u{4f1f}@example.com",
    ] {
        assert_eq!(
            code_with(&[("email", json!(email))], json!({})),
            "authenticated",
            "{email}"
        );
    }
}

#[test]
fn username_not_allowed_details_name_the_check_never_the_value() {
    // (claims set, config, what the detail names)
    let cases: Vec<(Claims, Value, &str)> = vec![
        (
            vec![("email_verified", json!("false"))],
            json!({}),
            "email_verified",
        ),
        (
            vec![("email", json!("jane@evil-corp.test"))],
            json!({"allowed_domains": ["example.com"]}),
            "allowed_domains",
        ),
        (
            vec![
                ("email", json!("jane@example.com")),
                ("hd", json!("evil-corp.test")),
            ],
            json!({"template": "google", "allowed_domains": ["example.com"]}),
            "hd",
        ),
        (
            vec![("email", json!("\u{212A}evil-corp@example.com"))],
            json!({}),
            "ASCII",
        ),
    ];
    for (claims, extra, names) in cases {
        let d = detail_with(&claims, extra);
        assert!(d.contains(names), "{d}");
        assert!(!d.contains("evil-corp"), "claim value in detail: {d}");
        assert!(!d.contains("jane"), "claim value in detail: {d}");
    }
}
