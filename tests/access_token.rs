//! The Azure path: the username comes from `x-amzn-oidc-accesstoken`, used only when the data
//! token passes every check AND the access token verifies (RS256) against the IdP's JWKS, served
//! here by a real HTTP server on 127.0.0.1, with its `iss`, `exp` and tenant checked.

mod common;

use std::time::Duration;

use albauth::Verifier;
use common::*;
use serde_json::{json, Value};

/// ALB key 1 at `/{kid}` and `jwks` at `/jwks`.
fn server(jwks: &str) -> (TestKey, KeyServer) {
    let k = TestKey::new(1);
    let s = KeyServer::start(&[&k]);
    s.route("/jwks", Reply::Body(jwks.to_string()));
    (k, s)
}

fn azure(s: &KeyServer, extra: Value) -> Verifier {
    let mut extra = extra;
    extra
        .as_object_mut()
        .unwrap()
        .entry("token_cache_size")
        .or_insert(json!(0));
    Verifier::from_json(&azure_config(s, extra)).unwrap()
}

fn rsa1() -> String {
    fixture("access-token-rsa-1.pem")
}

fn rsa2() -> String {
    fixture("access-token-rsa-2.pem")
}

/// JWKS with both fixture keys.
fn both_jwks() -> String {
    let keys: Vec<Value> = ["jwks-1.json", "jwks-2.json"]
        .iter()
        .flat_map(|f| {
            let v: Value = serde_json::from_str(&fixture(f)).unwrap();
            v["keys"].as_array().unwrap().clone()
        })
        .collect();
    json!({ "keys": keys }).to_string()
}

fn check_at(v: &Verifier, data: &str, access: &str, now: i64) -> albauth::Outcome {
    v.verify(azure_headers(data, access), Some(now))
}

fn code_at(v: &Verifier, data: &str, access: &str, now: i64) -> &'static str {
    outcome_code(&check_at(v, data, access, now))
}

fn code(v: &Verifier, data: &str, access: &str) -> &'static str {
    code_at(v, data, access, NOW)
}

#[test]
fn verified_data_and_access_tokens_give_the_upn_as_username() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({}));
    let data = azure_data_token(&k).sign(&k);
    let access = AccessToken::new().sign(&rsa1());
    let o = check_at(&v, &data, &access, NOW);
    let id = o.identity().unwrap_or_else(|| panic!("{o:?}"));
    assert_eq!(id.username(), "Jane.Doe@example.onmicrosoft.com");
    assert_eq!(
        id.sub(),
        "a1b2c3d4-0000-4000-8000-000000000001",
        "sub is the data token's"
    );
    assert_eq!(id.display_name(), Some("Jane Doe"));
    assert_eq!(id.issuer(), Some(AZURE_ISSUER));
    assert_eq!(id.claims().get("tid"), Some(&json!(TENANT)));
}

#[test]
fn graph_token_with_nonce_verifies_over_the_hashed_nonce() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({}));
    let data = azure_data_token(&k).sign(&k);
    let access = AccessToken::new()
        .header("nonce", "mSQ9Zvq2yW3cn8hV0Nhh0hA4dyOaWb1Qk5MqUEm1uAg")
        .sign(&rsa1());
    assert_eq!(code(&v, &data, &access), "authenticated");
}

#[test]
fn graph_token_signed_over_the_raw_nonce_is_access_token_invalid() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({}));
    let data = azure_data_token(&k).sign(&k);
    let t = AccessToken::new().header("nonce", "abc123");
    let header = Value::Object(t.header.clone()).to_string();
    let access = t.sign_with_header(&rsa1(), &header, &header);
    assert_eq!(code(&v, &data, &access), "access_token_invalid");
}

#[test]
fn v1_and_v2_issuers_of_the_tenant_are_accepted_by_default() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({}));
    let data = azure_data_token(&k).sign(&k);
    for iss in [AZURE_AT_ISSUER, AZURE_ISSUER] {
        let access = AccessToken::new().claim("iss", iss).sign(&rsa1());
        assert_eq!(code(&v, &data, &access), "authenticated", "{iss}");
    }
}

#[test]
fn access_token_from_another_issuer_is_access_token_invalid() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({}));
    let data = azure_data_token(&k).sign(&k);
    for iss in [
        json!("https://sts.windows.net/00000000-0000-0000-0000-000000000000/"),
        json!("https://evil.example.com"),
        Value::Null,
    ] {
        let access = AccessToken::new().claim("iss", iss.clone()).sign(&rsa1());
        assert_eq!(code(&v, &data, &access), "access_token_invalid", "{iss}");
    }
}

#[test]
fn access_token_is_valid_until_exp_plus_skew() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({}));
    let data = azure_data_token(&k).sign(&k);
    let exp = NOW + 10;
    let access = AccessToken::new().claim("exp", exp).sign(&rsa1());
    assert_eq!(code_at(&v, &data, &access, exp + 30), "authenticated");
    assert_eq!(
        code_at(&v, &data, &access, exp + 31),
        "access_token_invalid"
    );
    let no_exp = AccessToken::new().claim("exp", Value::Null).sign(&rsa1());
    assert_eq!(code(&v, &data, &no_exp), "access_token_invalid");
}

#[test]
fn access_token_not_yet_valid_is_access_token_invalid() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({}));
    let data = azure_data_token(&k).sign(&k);
    let access = AccessToken::new().claim("nbf", NOW + 31).sign(&rsa1());
    assert_eq!(code(&v, &data, &access), "access_token_invalid");
    let access = AccessToken::new().claim("nbf", NOW + 30).sign(&rsa1());
    assert_eq!(code(&v, &data, &access), "authenticated");
}

#[test]
fn access_token_of_another_tenant_is_access_token_invalid() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({}));
    let data = azure_data_token(&k).sign(&k);
    for tid in [json!("00000000-0000-0000-0000-000000000000"), Value::Null] {
        let access = AccessToken::new().claim("tid", tid.clone()).sign(&rsa1());
        assert_eq!(code(&v, &data, &access), "access_token_invalid", "{tid}");
    }
}

#[test]
fn access_token_with_a_bad_signature_is_access_token_invalid() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({}));
    let data = azure_data_token(&k).sign(&k);
    let wrong_key = AccessToken::new().sign(&rsa2());
    assert_eq!(code(&v, &data, &wrong_key), "access_token_invalid");
    let good = AccessToken::new().sign(&rsa1());
    let forged_payload = AccessToken::new()
        .claim("upn", "admin@example.onmicrosoft.com")
        .sign(&rsa1());
    let mut parts: Vec<&str> = good.split('.').collect();
    parts[1] = forged_payload.split('.').nth(1).unwrap();
    assert_eq!(code(&v, &data, &parts.join(".")), "access_token_invalid");
}

#[test]
fn missing_or_non_jwt_access_token_is_access_token_invalid() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({}));
    let data = azure_data_token(&k).sign(&k);
    assert_eq!(
        outcome_code(&v.verify(headers(&data), Some(NOW))),
        "access_token_invalid"
    );
    for opaque in ["ya29.a0AfH6SMBx", "", "a.b.c"] {
        assert_eq!(
            code(&v, &data, opaque),
            "access_token_invalid",
            "{opaque:?}"
        );
    }
}

#[test]
fn access_token_with_another_alg_is_access_token_invalid() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({}));
    let data = azure_data_token(&k).sign(&k);
    for alg in ["none", "HS256", "RS512", "PS256"] {
        let access = AccessToken::new().header("alg", alg).sign(&rsa1());
        assert_eq!(code(&v, &data, &access), "access_token_invalid", "{alg}");
    }
}

#[test]
fn data_token_checks_decide_before_the_access_token_is_looked_at() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({}));
    let access = AccessToken::new().sign(&rsa1());
    let untrusted = azure_data_token(&k).header("signer", ALB_OTHER).sign(&k);
    assert_eq!(code(&v, &untrusted, &access), "signer_not_trusted");
    let expired = azure_data_token(&k).exp(NOW - 3600).sign(&k);
    assert_eq!(code(&v, &expired, &access), "expired");
    let wrong_iss = AlbToken::new(&k).sign(&k);
    assert_eq!(code(&v, &wrong_iss, &access), "issuer_mismatch");
    assert_eq!(
        s.requests_for("/jwks"),
        0,
        "no JWKS fetch for a rejected data token"
    );
}

#[test]
fn identity_expires_with_the_earlier_of_data_and_access_token() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({}));
    let data = azure_data_token(&k).exp(NOW + 120).sign(&k);
    let access = AccessToken::new().claim("exp", NOW + 60).sign(&rsa1());
    let o = check_at(&v, &data, &access, NOW);
    assert_eq!(o.identity().unwrap().expires_at(), NOW + 60);
}

#[test]
fn jwks_is_fetched_once_for_many_access_tokens() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({}));
    let data = azure_data_token(&k).sign(&k);
    for i in 0..4 {
        let access = AccessToken::new()
            .claim("oid", format!("o{i}"))
            .sign(&rsa1());
        assert_eq!(code(&v, &data, &access), "authenticated");
    }
    assert_eq!(s.requests_for("/jwks"), 1);
}

#[test]
fn unknown_kid_refreshes_the_jwks_at_most_every_refresh_interval() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({"access_token_refresh_secs": 2}));
    // Everything signed up front, so that only verification happens between the checks.
    let data = azure_data_token(&k).sign(&k);
    let known = AccessToken::new().sign(&rsa1());
    let rotated = AccessToken::new().header("kid", "at-key-2").sign(&rsa2());
    let unknown = AccessToken::new().header("kid", "at-key-3").sign(&rsa2());
    assert_eq!(code(&v, &data, &known), "authenticated");
    s.route("/jwks", Reply::Body(both_jwks()));
    assert_eq!(
        code(&v, &data, &rotated),
        "access_token_invalid",
        "refreshed too recently"
    );
    assert_eq!(s.requests_for("/jwks"), 1);
    std::thread::sleep(Duration::from_millis(2100));
    assert_eq!(
        code(&v, &data, &rotated),
        "authenticated",
        "refreshed after the interval"
    );
    assert_eq!(s.requests_for("/jwks"), 2);
    assert_eq!(code(&v, &data, &unknown), "access_token_invalid");
    assert_eq!(s.requests_for("/jwks"), 2, "no refresh within the interval");
    assert_eq!(code(&v, &data, &known), "authenticated");
}

#[test]
fn jwks_unavailable_or_without_rsa_keys_is_access_token_invalid() {
    let k = TestKey::new(1);
    let access = AccessToken::new().sign(&rsa1());
    for reply in [
        Reply::Status(500),
        Reply::Body("not json".into()),
        Reply::Body(json!({"keys": [{"kty": "EC", "kid": "at-key-1", "crv": "P-256", "x": "AA", "y": "AA"}]}).to_string()),
    ] {
        let s = KeyServer::start(&[&k]);
        s.route("/jwks", reply);
        let v = azure(&s, json!({}));
        assert_eq!(code(&v, &azure_data_token(&k).sign(&k), &access), "access_token_invalid");
    }
}

#[test]
fn explicit_tenant_issuer_and_username_claim_are_honoured() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(
        &s,
        json!({
            "access_token_issuer": "https://idp.example.com/",
            "tenant_id": "tenant-b",
            "username_claim": "unique_name",
            "username_transforms": ["strip_domain", "lowercase"],
        }),
    );
    let data = azure_data_token(&k).sign(&k);
    let access = AccessToken::new()
        .claim("iss", "https://idp.example.com/")
        .claim("tid", "tenant-b")
        .claim("unique_name", "CORP\\JDoe")
        .sign(&rsa1());
    let o = check_at(&v, &data, &access, NOW);
    assert_eq!(o.identity().map(|i| i.username()), Some("jdoe"));
    let default_tenant = AccessToken::new()
        .claim("iss", "https://idp.example.com/")
        .sign(&rsa1());
    assert_eq!(code(&v, &data, &default_tenant), "access_token_invalid");
}

#[test]
fn access_token_header_is_ignored_when_claims_come_from_the_data_token() {
    let k = TestKey::new(1);
    let v = Verifier::from_json(&config(None, &[&k], json!({}))).unwrap();
    let data = AlbToken::new(&k).sign(&k);
    assert_eq!(
        outcome_code(&v.verify(azure_headers(&data, "opaque-ya29"), Some(NOW))),
        "authenticated"
    );
}

#[test]
fn access_token_issuer_null_is_an_explicit_opt_out_with_a_warning() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({"access_token_issuer": null}));
    assert!(v
        .config()
        .warnings()
        .iter()
        .any(|w| w.contains("access-token issuer check disabled")));
    let data = azure_data_token(&k).sign(&k);
    let access = AccessToken::new()
        .claim("iss", "https://elsewhere.example/")
        .sign(&rsa1());
    assert_eq!(code(&v, &data, &access), "authenticated");
}

#[test]
fn failed_jwks_fetch_is_retried_after_the_backoff_not_the_refresh_interval() {
    let (k, s) = server(&fixture("jwks-1.json"));
    s.route("/jwks", Reply::Status(503));
    let v = azure(
        &s,
        json!({"access_token_refresh_secs": 3600, "key_fetch_backoff_secs": 1}),
    );
    let data = azure_data_token(&k).sign(&k);
    let access = AccessToken::new().sign(&rsa1());
    assert_eq!(code(&v, &data, &access), "access_token_invalid");
    assert_eq!(code(&v, &data, &access), "access_token_invalid");
    assert_eq!(s.requests_for("/jwks"), 1, "backing off after the failure");
    s.route("/jwks", Reply::Body(fixture("jwks-1.json")));
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(code(&v, &data, &access), "authenticated");
    assert_eq!(s.requests_for("/jwks"), 2);
}

// ---- Binding to this application: appid / azp and aud ----

/// The rejection's detail.
fn detail(v: &Verifier, data: &str, access: &str) -> String {
    match check_at(v, data, access, NOW) {
        albauth::Outcome::Rejected(e) => e.detail().to_string(),
        o => panic!("not rejected: {o:?}"),
    }
}

#[test]
fn access_token_issued_to_another_application_is_access_token_invalid() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({}));
    let data = azure_data_token(&k).sign(&k);
    let other_app = AccessToken::new()
        .claim("appid", "00000000-1111-2222-3333-other0app000")
        .sign(&rsa1());
    assert_eq!(code(&v, &data, &other_app), "access_token_invalid");
    let d = detail(&v, &data, &other_app);
    assert!(d.contains("appid") && d.contains("client_id"), "{d}");
    assert!(!d.contains("other0app"), "claim value in detail: {d}");
}

#[test]
fn access_token_without_appid_or_azp_is_access_token_invalid() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({}));
    let data = azure_data_token(&k).sign(&k);
    let unbound = AccessToken::new().claim("appid", Value::Null).sign(&rsa1());
    assert_eq!(code(&v, &data, &unbound), "access_token_invalid");
    let not_a_string = AccessToken::new()
        .claim("appid", json!([CLIENT]))
        .sign(&rsa1());
    assert_eq!(code(&v, &data, &not_a_string), "access_token_invalid");
}

#[test]
fn v2_access_token_is_bound_by_azp() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({}));
    let data = azure_data_token(&k).sign(&k);
    let v2 = AccessToken::new()
        .claim("appid", Value::Null)
        .claim("azp", CLIENT)
        .sign(&rsa1());
    assert_eq!(code(&v, &data, &v2), "authenticated");
    let v2_other = AccessToken::new()
        .claim("appid", Value::Null)
        .claim("azp", "another-app")
        .sign(&rsa1());
    assert_eq!(code(&v, &data, &v2_other), "access_token_invalid");
}

#[test]
fn access_token_whose_appid_and_azp_disagree_is_access_token_invalid() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({}));
    let data = azure_data_token(&k).sign(&k);
    let both = AccessToken::new().claim("azp", "another-app").sign(&rsa1());
    assert_eq!(code(&v, &data, &both), "access_token_invalid");
}

#[test]
fn access_token_of_any_configured_client_id_is_accepted() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({"client_id": ["first-app", CLIENT]}));
    let data = azure_data_token(&k).sign(&k);
    assert_eq!(
        code(&v, &data, &AccessToken::new().sign(&rsa1())),
        "authenticated"
    );
}

#[test]
fn azure_access_token_must_be_for_microsoft_graph() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({}));
    let data = azure_data_token(&k).sign(&k);
    for aud in [
        json!("00000003-0000-0000-c000-000000000000"),
        json!("https://graph.microsoft.com"),
    ] {
        let access = AccessToken::new().claim("aud", aud.clone()).sign(&rsa1());
        assert_eq!(code(&v, &data, &access), "authenticated", "{aud}");
    }
    for aud in [
        json!("api://another-api"),
        json!(CLIENT),
        json!("https://graph.microsoft.com/"),
        json!("https://graph.microsoft.com.evil.example"),
        json!(["00000003-0000-0000-c000-000000000000"]),
        Value::Null,
    ] {
        let access = AccessToken::new().claim("aud", aud.clone()).sign(&rsa1());
        assert_eq!(code(&v, &data, &access), "access_token_invalid", "{aud}");
    }
    let access = AccessToken::new()
        .claim("aud", "api://another-api")
        .sign(&rsa1());
    let d = detail(&v, &data, &access);
    assert!(d.contains("aud"), "{d}");
    assert!(!d.contains("another-api"), "claim value in detail: {d}");
}

#[test]
fn access_token_audience_is_required_and_checked_for_other_templates() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = Verifier::from_json(&config(
        Some(&s),
        &[],
        json!({
            "template": "okta",
            "token_header": "x-amzn-oidc-accesstoken",
            "access_token_jwks_url": s.url("/jwks"),
            "access_token_issuer": "https://idp.example.com/",
            "access_token_audience": ["api://jira", "api://confluence"],
            "username_claim": "upn",
            "token_cache_size": 0,
        }),
    ))
    .unwrap();
    let data = AlbToken::new(&k).sign(&k);
    let for_jira = AccessToken::new()
        .claim("iss", "https://idp.example.com/")
        .claim("aud", "api://confluence");
    assert_eq!(
        code(&v, &data, &for_jira.clone().sign(&rsa1())),
        "authenticated"
    );
    let for_graph = for_jira
        .clone()
        .claim("aud", "00000003-0000-0000-c000-000000000000");
    assert_eq!(
        code(&v, &data, &for_graph.sign(&rsa1())),
        "access_token_invalid"
    );
    let other_app = for_jira.claim("appid", "another-app");
    assert_eq!(
        code(&v, &data, &other_app.sign(&rsa1())),
        "access_token_invalid"
    );
}

#[test]
fn access_token_audience_null_skips_the_audience_check_with_a_warning() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({"access_token_audience": null}));
    assert!(v
        .config()
        .warnings()
        .iter()
        .any(|w| w.contains("access-token audience check disabled")));
    let data = azure_data_token(&k).sign(&k);
    let access = AccessToken::new()
        .claim("aud", "api://anything")
        .sign(&rsa1());
    assert_eq!(code(&v, &data, &access), "authenticated");
    let other_app = AccessToken::new()
        .claim("appid", "another-app")
        .sign(&rsa1());
    assert_eq!(
        code(&v, &data, &other_app),
        "access_token_invalid",
        "the application binding stays on"
    );
}

#[test]
fn access_token_sub_is_not_compared_with_the_data_token_sub() {
    // Entra `sub` is pairwise per application: the Graph access token's differs from the
    // ID token's (= userinfo's = the data token's). README "Azure / Entra ID" has the source.
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({}));
    let data = azure_data_token(&k).sign(&k);
    let access = AccessToken::new()
        .claim("sub", "Pz3pairwise0sub0for0graph0000000000000000")
        .sign(&rsa1());
    let o = check_at(&v, &data, &access, NOW);
    assert_eq!(
        o.identity().map(|i| i.sub()),
        Some("a1b2c3d4-0000-4000-8000-000000000001"),
        "{o:?}"
    );
}

// =================================================================================================
// JWKS fetches: the fetch budget shared with ALB key fetches, the backoff, and which JWKs count.
// =================================================================================================

fn detail_of(o: &albauth::Outcome) -> String {
    o.error()
        .map(|e| e.detail().to_string())
        .unwrap_or_default()
}

#[test]
fn jwks_fetch_is_refused_without_a_request_once_key_fetch_max_per_minute_is_spent() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let v = azure(&s, json!({"key_fetch_max_per_minute": 1}));
    let data = azure_data_token(&k).sign(&k);
    let o = check_at(&v, &data, &AccessToken::new().sign(&rsa1()), NOW);
    assert_eq!(outcome_code(&o), "access_token_invalid");
    let d = detail_of(&o);
    assert!(
        d.starts_with(&format!("JWKS fetch from {} refused: ", s.url("/jwks"))),
        "{d}"
    );
    assert!(d.contains("key_fetch_max_per_minute"), "{d}");
    assert_eq!(
        s.requests_for(&format!("/{}", k.kid)),
        1,
        "the ALB key took the budget"
    );
    assert_eq!(s.requests_for("/jwks"), 0);
    assert_eq!(v.stats().key_fetches, 1);
    assert_eq!(v.stats().key_fetches_suppressed, 1);
}

#[test]
fn jwks_fetches_spend_the_budget_that_alb_key_fetches_share() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let other = TestKey::new(2);
    s.route(&format!("/{}", other.kid), Reply::Body(other.pem()));
    let v = azure(&s, json!({"key_fetch_max_per_minute": 2}));
    let access = AccessToken::new().sign(&rsa1());
    let data = azure_data_token(&k).sign(&k);
    assert_eq!(code(&v, &data, &access), "authenticated");
    assert_eq!(s.requests(), 2, "one ALB key and the JWKS");
    let other_data = azure_data_token(&other).sign(&other);
    let o = check_at(&v, &other_data, &access, NOW);
    assert_eq!(outcome_code(&o), "key_unavailable");
    assert!(
        detail_of(&o).contains("key_fetch_max_per_minute"),
        "{}",
        detail_of(&o)
    );
    assert_eq!(s.requests_for(&format!("/{}", other.kid)), 0);
}

#[test]
fn failed_jwks_fetch_names_the_jwks_url_and_the_reason() {
    let (k, s) = server(&fixture("jwks-1.json"));
    s.route("/jwks", Reply::Status(503));
    let v = azure(&s, json!({}));
    let data = azure_data_token(&k).sign(&k);
    let access = AccessToken::new().sign(&rsa1());
    let first = detail_of(&check_at(&v, &data, &access, NOW));
    assert_eq!(
        first,
        format!("JWKS fetch from {} failed: HTTP status 503", s.url("/jwks"))
    );
    let again = detail_of(&check_at(&v, &data, &access, NOW));
    assert!(
        again.starts_with(&first) && again.contains("backing off"),
        "{again}"
    );
}

/// JWKS with both fixture keys, at-key-1's `use` set to `use_` (`None`: no `use`).
fn jwks_with_use(use_: Option<&str>) -> String {
    let mut set: Value = serde_json::from_str(&both_jwks()).unwrap();
    let first = set["keys"][0].as_object_mut().unwrap();
    assert_eq!(first["kid"], "at-key-1");
    match use_ {
        Some(u) => first.insert("use".into(), json!(u)),
        None => first.remove("use"),
    };
    set.to_string()
}

#[test]
fn a_jwk_whose_use_is_not_sig_is_ignored() {
    let data_key = TestKey::new(1);
    let key1 = AccessToken::new().sign(&rsa1());
    let key2 = AccessToken::new().header("kid", "at-key-2").sign(&rsa2());
    for use_ in ["enc", "other"] {
        let s = KeyServer::start(&[&data_key]);
        s.route("/jwks", Reply::Body(jwks_with_use(Some(use_))));
        let v = azure(&s, json!({}));
        let data = azure_data_token(&data_key).sign(&data_key);
        assert_eq!(code(&v, &data, &key1), "access_token_invalid", "use {use_}");
        assert_eq!(
            code(&v, &data, &key2),
            "authenticated",
            "the sig key is kept"
        );
    }
}

#[test]
fn a_jwk_with_use_sig_or_without_use_is_used() {
    let data_key = TestKey::new(1);
    let key1 = AccessToken::new().sign(&rsa1());
    for use_ in [Some("sig"), None] {
        let s = KeyServer::start(&[&data_key]);
        s.route("/jwks", Reply::Body(jwks_with_use(use_)));
        let v = azure(&s, json!({}));
        let data = azure_data_token(&data_key).sign(&data_key);
        assert_eq!(code(&v, &data, &key1), "authenticated", "use {use_:?}");
    }
}

/// Fetches through the crate's HTTP client, except that the first JWKS fetch signals
/// `entered`, waits for `release`, then panics (`panics`) or goes ahead.
struct FirstJwksFetchStalls {
    http: albauth::keys::HttpFetcher,
    panics: bool,
    jwks_fetches: std::sync::atomic::AtomicUsize,
    entered: std::sync::Barrier,
    release: std::sync::Barrier,
}

impl albauth::keys::Fetcher for FirstJwksFetchStalls {
    fn get(&self, url: &str) -> Result<Vec<u8>, String> {
        let first = url.ends_with("/jwks")
            && self
                .jwks_fetches
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
                == 0;
        if first {
            self.entered.wait();
            self.release.wait();
            if self.panics {
                panic!("a bug in the fetcher");
            }
        }
        self.http.get(url)
    }
}

fn stalling_azure(
    s: &KeyServer,
    panics: bool,
    extra: Value,
) -> (
    std::sync::Arc<Verifier>,
    std::sync::Arc<FirstJwksFetchStalls>,
) {
    let fetcher = std::sync::Arc::new(FirstJwksFetchStalls {
        http: albauth::keys::HttpFetcher::new(Duration::from_secs(2), 65_536),
        panics,
        jwks_fetches: Default::default(),
        entered: std::sync::Barrier::new(2),
        release: std::sync::Barrier::new(2),
    });
    let mut extra = extra;
    extra
        .as_object_mut()
        .unwrap()
        .insert("token_cache_size".into(), json!(0));
    let cfg = albauth::Config::from_json(&azure_config(s, extra)).unwrap();
    let v = Verifier::with_fetcher(cfg, fetcher.clone()).unwrap();
    (std::sync::Arc::new(v), fetcher)
}

/// Verifies on another thread; the outcome code and detail arrive on the receiver.
fn verify_in_thread(
    v: &std::sync::Arc<Verifier>,
    data: &str,
    access: &str,
) -> std::sync::mpsc::Receiver<(&'static str, String)> {
    let (tx, rx) = std::sync::mpsc::channel();
    let (v, data, access) = (v.clone(), data.to_string(), access.to_string());
    std::thread::spawn(move || {
        let o = check_at(&v, &data, &access, NOW);
        let _ = tx.send((outcome_code(&o), detail_of(&o)));
    });
    rx
}

/// The outcome from `rx`; fails (rather than hangs) when none arrives within 20 s.
fn returned(rx: &std::sync::mpsc::Receiver<(&'static str, String)>) -> (&'static str, String) {
    rx.recv_timeout(Duration::from_secs(20))
        .expect("the request did not return: it hangs on the JWKS fetch")
}

#[test]
fn requests_waiting_for_a_hung_jwks_fetch_give_up_after_twice_key_fetch_timeout_ms() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let (v, fetcher) = stalling_azure(&s, false, json!({"key_fetch_timeout_ms": 200}));
    let data = azure_data_token(&k).sign(&k);
    let access = AccessToken::new().sign(&rsa1());
    let leader = verify_in_thread(&v, &data, &access);
    fetcher.entered.wait();
    let (outcome, d) = returned(&verify_in_thread(&v, &data, &access));
    assert_eq!(outcome, "access_token_invalid");
    assert_eq!(
        d,
        format!(
            "JWKS fetch from {} did not complete within 400 ms (2 x key_fetch_timeout_ms)",
            s.url("/jwks")
        )
    );
    fetcher.release.wait();
    assert_eq!(returned(&leader).0, "authenticated");
    assert_eq!(code(&v, &data, &access), "authenticated");
}

#[test]
fn a_panicking_jwks_fetch_is_a_failed_fetch_retried_after_the_backoff() {
    let (k, s) = server(&fixture("jwks-1.json"));
    let (v, fetcher) = stalling_azure(&s, true, json!({"key_fetch_backoff_secs": 1}));
    let data = azure_data_token(&k).sign(&k);
    let access = AccessToken::new().sign(&rsa1());
    let leader = verify_in_thread(&v, &data, &access);
    fetcher.entered.wait();
    fetcher.release.wait();
    let (outcome, d) = returned(&leader);
    assert_eq!(outcome, "access_token_invalid");
    assert_eq!(
        d,
        format!(
            "JWKS fetch from {} failed: the fetcher panicked",
            s.url("/jwks")
        )
    );
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(code(&v, &data, &access), "authenticated");
    assert_eq!(
        s.requests_for("/jwks"),
        1,
        "the panicked fetch sent nothing"
    );
}
