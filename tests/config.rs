//! The JSON configuration contract: every field, its default, its limits, and an error that
//! names the field. ARNs of the three partitions and the key URL each one defaults to.

mod common;

use albauth::config::{AlbArn, Config, FIELDS};
use albauth::templates::{Template, TokenHeader};
use albauth::ErrorKind;
use common::*;
use serde_json::{json, Value};

/// The smallest valid config, with `extra` fields added or replaced.
fn minimal(extra: Value) -> Value {
    let mut c = json!({"trusted_albs": [ALB], "issuer": ISSUER, "client_id": CLIENT});
    c.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    c
}

fn without(field: &str) -> Value {
    let mut c = minimal(json!({}));
    c.as_object_mut().unwrap().remove(field);
    c
}

fn parse(c: &Value) -> Result<Config, albauth::Error> {
    Config::from_json(&c.to_string())
}

fn error_of(c: &Value) -> albauth::Error {
    match parse(c) {
        Ok(_) => panic!("accepted: {c}"),
        Err(e) => e,
    }
}

#[test]
fn minimal_config_gets_every_documented_default() {
    let c = parse(&minimal(json!({}))).unwrap();
    assert_eq!(c.trusted_albs().len(), 1);
    assert_eq!(c.issuer(), Some(&[ISSUER.to_string()][..]));
    assert_eq!(c.client_id(), Some(&[CLIENT.to_string()][..]));
    assert_eq!(c.template(), Template::Other);
    assert_eq!(c.token_header(), TokenHeader::Data);
    assert_eq!(c.token_header().header_name(), "x-amzn-oidc-data");
    assert_eq!(c.username_claim(), "email");
    assert_eq!(c.display_name_claim(), "name");
    assert_eq!(c.email_claim(), "email");
    assert_eq!(c.groups_claim(), None);
    assert!(c.username_transforms().is_empty());
    assert_eq!(c.allowed_domains(), None);
    assert_eq!(c.clock_skew_secs(), 30);
    assert_eq!(c.key_url(), None);
    assert_eq!(c.pinned_keys().len(), 0);
    assert_eq!(c.key_cache_size(), 64);
    assert_eq!(c.token_cache_size(), 10_000);
    assert_eq!(c.key_fetch_timeout_ms(), 2000);
    assert_eq!(c.key_fetch_max_bytes(), 65_536);
    assert_eq!(c.key_fetch_backoff_secs(), 10);
    assert_eq!(c.key_fetch_max_per_minute(), 60);
    assert_eq!(c.access_token_jwks_url(), None);
    assert_eq!(c.access_token_issuer(), None);
    assert_eq!(c.access_token_audience(), None);
    assert_eq!(c.tenant_id(), None);
    assert_eq!(c.access_token_refresh_secs(), 60);
    assert!(c.warnings().is_empty());
    assert!(c.fetches_keys());
    assert!(!c.uses_access_token());
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn every_field_is_read_when_given() {
    let k = TestKey::new(1);
    let c = parse(&json!({
        "trusted_albs": [ALB, ALB_DR],
        "issuer": ["https://a.example.com", "https://b.example.com"],
        "client_id": ["c1", "c2"],
        "template": "keycloak",
        "token_header": "X-Amzn-Oidc-Accesstoken",
        "username_claim": "preferred_username",
        "display_name_claim": "display",
        "email_claim": "mail",
        "groups_claim": "groups",
        "username_transforms": ["strip_domain", "lowercase", {"regex": "^a", "replace": "b"}],
        "allowed_domains": ["Example.COM", "example.org"],
        "clock_skew_secs": 60,
        "key_url": "https://keys.example.com/{region}/{kid}",
        "pinned_keys": {k.kid.clone(): k.pem()},
        "key_cache_size": 8,
        "token_cache_size": 0,
        "key_fetch_timeout_ms": 500,
        "key_fetch_max_bytes": 4096,
        "key_fetch_backoff_secs": 5,
        "key_fetch_max_per_minute": 10,
        "access_token_jwks_url": "https://idp.example.com/jwks?x=1",
        "access_token_issuer": "https://idp.example.com",
        "access_token_audience": ["api://jira", "api://wiki"],
        "tenant_id": "t1",
        "access_token_refresh_secs": 120,
        "provisioning": {"enabled": true, "default_groups": ["jira-software-users"]},
    }))
    .unwrap();
    assert_eq!(c.trusted_albs().len(), 2);
    assert_eq!(c.issuer().unwrap().len(), 2);
    assert_eq!(c.client_id(), Some(&strings(&["c1", "c2"])[..]));
    assert_eq!(c.template(), Template::Keycloak);
    assert_eq!(
        c.token_header(),
        TokenHeader::AccessToken,
        "header names match in any case"
    );
    assert_eq!(c.username_claim(), "preferred_username");
    assert_eq!(c.display_name_claim(), "display");
    assert_eq!(c.email_claim(), "mail");
    assert_eq!(c.groups_claim(), Some("groups"));
    assert_eq!(c.username_transforms().len(), 3);
    assert_eq!(
        c.allowed_domains(),
        Some(&strings(&["example.com", "example.org"])[..]),
        "domains are kept in lower case"
    );
    assert_eq!(c.clock_skew_secs(), 60);
    assert_eq!(c.key_url(), Some("https://keys.example.com/{region}/{kid}"));
    assert_eq!(
        c.pinned_keys().collect::<Vec<_>>(),
        vec![(k.kid.as_str(), k.pem().as_str())]
    );
    assert_eq!(c.key_cache_size(), 8);
    assert_eq!(c.token_cache_size(), 0);
    assert_eq!(c.key_fetch_timeout_ms(), 500);
    assert_eq!(c.key_fetch_max_bytes(), 4096);
    assert_eq!(c.key_fetch_backoff_secs(), 5);
    assert_eq!(c.key_fetch_max_per_minute(), 10);
    assert_eq!(
        c.access_token_jwks_url(),
        Some("https://idp.example.com/jwks?x=1")
    );
    assert_eq!(
        c.access_token_issuer(),
        Some(&strings(&["https://idp.example.com"])[..])
    );
    assert_eq!(
        c.access_token_audience(),
        Some(&strings(&["api://jira", "api://wiki"])[..])
    );
    assert_eq!(c.tenant_id(), Some("t1"));
    assert_eq!(c.access_token_refresh_secs(), 120);
    assert!(c.uses_access_token());
    assert!(c.provisioning().enabled);
    assert_eq!(c.provisioning().default_groups, ["jira-software-users"]);
    assert_eq!(FIELDS.len(), 26, "this test sets every field");
}

#[test]
fn every_invalid_field_is_config_invalid_naming_the_field() {
    let bad: Vec<(&str, Value)> = vec![
        ("trusted_albs", json!([])),
        ("trusted_albs", json!("not a list")),
        ("trusted_albs", json!(["arn:aws:elasticloadbalancing"])),
        ("issuer", json!([])),
        ("issuer", json!("")),
        ("issuer", json!(5)),
        ("client_id", json!([""])),
        ("client_id", json!({"a": 1})),
        ("template", json!("auth0")),
        ("token_header", json!("x-forwarded-user")),
        ("username_claim", json!("")),
        ("display_name_claim", json!(5)),
        ("email_claim", json!("")),
        ("groups_claim", json!("")),
        ("username_transforms", json!(["uppercase"])),
        (
            "username_transforms",
            json!([{"regex": "(", "replace": ""}]),
        ),
        ("username_transforms", json!([{"regex": "a"}])),
        ("username_transforms", json!("lowercase")),
        ("allowed_domains", json!([])),
        ("allowed_domains", json!(["not a domain"])),
        ("clock_skew_secs", json!(301)),
        ("clock_skew_secs", json!(-1)),
        ("clock_skew_secs", json!("30")),
        ("key_url", json!("http://keys.example.com/{kid}")),
        ("key_url", json!("https://keys.example.com/")),
        ("pinned_keys", json!({"not-a-uuid": TestKey::new(1).pem()})),
        ("pinned_keys", json!({KID: "garbage"})),
        ("pinned_keys", json!([KID])),
        ("key_cache_size", json!(0)),
        ("token_cache_size", json!(-1)),
        ("key_fetch_timeout_ms", json!(0)),
        ("key_fetch_max_bytes", json!(10)),
        ("key_fetch_backoff_secs", json!(3601)),
        ("key_fetch_max_per_minute", json!(0)),
        (
            "access_token_jwks_url",
            json!("http://idp.example.com/jwks"),
        ),
        ("access_token_issuer", json!([])),
        ("access_token_audience", json!([])),
        ("tenant_id", json!(5)),
        ("access_token_refresh_secs", json!(0)),
    ];
    for (field, value) in bad {
        let e = error_of(&minimal(json!({ field: value.clone() })));
        assert_eq!(e.kind(), ErrorKind::ConfigInvalid, "{field}: {value}");
        assert!(
            e.detail().contains(&format!("`{field}")),
            "{field}: {value}: detail {:?} does not name the field",
            e.detail()
        );
    }
}

#[test]
fn missing_required_fields_are_named() {
    for field in ["trusted_albs", "issuer", "client_id"] {
        let e = error_of(&without(field));
        assert_eq!(e.kind(), ErrorKind::ConfigInvalid);
        assert!(e.detail().contains(&format!("`{field}`")), "{}", e.detail());
        assert!(e.detail().contains("required"), "{}", e.detail());
    }
}

#[test]
fn unknown_field_is_refused_by_name() {
    let e = error_of(&minimal(json!({"clock_skew": 30})));
    assert_eq!(e.kind(), ErrorKind::ConfigInvalid);
    assert!(
        e.detail().contains("unknown field `clock_skew`"),
        "{}",
        e.detail()
    );
}

#[test]
fn config_that_is_not_a_json_object_is_refused() {
    for text in ["", "[]", "null", "{", "\"trusted_albs\""] {
        let e = Config::from_json(text).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ConfigInvalid, "{text:?}");
    }
}

#[test]
fn config_larger_than_one_mib_is_refused() {
    let huge = minimal(json!({"issuer": "x".repeat(1 << 20)}));
    assert_eq!(error_of(&huge).kind(), ErrorKind::ConfigInvalid);
}

#[test]
fn issuer_and_client_id_null_are_explicit_opt_outs_with_warnings() {
    let c = parse(&minimal(json!({"issuer": null, "client_id": null}))).unwrap();
    assert_eq!(c.issuer(), None);
    assert_eq!(c.client_id(), None);
    let w = c.warnings();
    assert!(
        w.iter().any(|w| w.contains("issuer check disabled")),
        "{w:?}"
    );
    assert!(
        w.iter().any(|w| w.contains("client check disabled")),
        "{w:?}"
    );
}

#[test]
fn issuer_and_client_id_accept_a_string_or_a_list() {
    let one = parse(&minimal(json!({"issuer": "https://a", "client_id": "c"}))).unwrap();
    assert_eq!(one.issuer(), Some(&strings(&["https://a"])[..]));
    let many = parse(&minimal(
        json!({"issuer": ["https://a", "https://b"], "client_id": ["c", "d"]}),
    ))
    .unwrap();
    assert_eq!(many.issuer().unwrap().len(), 2);
    assert_eq!(many.client_id().unwrap().len(), 2);
}

#[test]
fn clock_skew_is_at_most_300_seconds() {
    assert_eq!(
        parse(&minimal(json!({"clock_skew_secs": 0})))
            .unwrap()
            .clock_skew_secs(),
        0
    );
    assert_eq!(
        parse(&minimal(json!({"clock_skew_secs": 300})))
            .unwrap()
            .clock_skew_secs(),
        300
    );
    let e = error_of(&minimal(json!({"clock_skew_secs": 301})));
    assert!(e.detail().contains("`clock_skew_secs`"), "{}", e.detail());
}

#[test]
fn clock_skew_over_the_alb_token_lifetime_warns() {
    let c = parse(&minimal(json!({"clock_skew_secs": 121}))).unwrap();
    assert!(c.warnings().iter().any(|w| w.contains("clock_skew_secs")));
}

#[test]
fn key_url_must_be_https_unless_the_host_is_loopback() {
    for ok in [
        "https://keys.example.com/{kid}",
        "https://keys.example.com:8443/alb/{region}/{kid}",
        "http://127.0.0.1:8080/{kid}",
        "http://127.9.8.7/{kid}",
        "http://localhost:1234/{kid}",
        "http://[::1]:1234/{kid}",
    ] {
        assert!(parse(&minimal(json!({"key_url": ok}))).is_ok(), "{ok}");
    }
    for bad in [
        "http://keys.example.com/{kid}",
        "http://10.0.0.1/{kid}",
        "http://169.254.169.254/{kid}",
        "http://127.0.0.1.evil.example.com/{kid}",
        "http://[::2]/{kid}",
        "ftp://127.0.0.1/{kid}",
        "file:///etc/{kid}",
        "keys.example.com/{kid}",
        "https://user@keys.example.com/{kid}",
        "https://keys.example.com/{kid}#x",
        "https:///{kid}",
        "https://{kid}.example.com/",
    ] {
        let e = error_of(&minimal(json!({"key_url": bad})));
        assert!(e.detail().contains("`key_url`"), "{bad}: {}", e.detail());
    }
}

#[test]
fn key_url_must_contain_the_kid_placeholder() {
    let e = error_of(&minimal(
        json!({"key_url": "https://keys.example.com/{region}"}),
    ));
    assert!(e.detail().contains("{kid}"), "{}", e.detail());
}

#[test]
fn key_url_may_put_the_region_in_the_host() {
    let c = parse(&minimal(json!({
        "trusted_albs": [ALB, ALB_DR],
        "key_url": "https://public-keys.auth.elb.{region}.amazonaws.com/{kid}",
    })))
    .unwrap();
    assert_eq!(
        c.key_url_for(&c.trusted_albs()[1]),
        "https://public-keys.auth.elb.eu-west-1.amazonaws.com/{kid}"
    );
    let e = error_of(&minimal(
        json!({"key_url": "http://{region}.localhost/{kid}"}),
    ));
    assert!(
        e.detail().contains("`key_url`"),
        "http needs a fixed loopback host"
    );
}

#[test]
fn plain_http_key_url_on_loopback_warns() {
    let c = parse(&minimal(json!({"key_url": "http://127.0.0.1:1/{kid}"}))).unwrap();
    assert!(c.warnings().iter().any(|w| w.contains("http")));
}

#[test]
fn pinned_keys_without_key_url_turn_key_fetching_off() {
    let k = TestKey::new(1);
    let pinned = parse(&minimal(json!({"pinned_keys": {k.kid.clone(): k.pem()}}))).unwrap();
    assert!(!pinned.fetches_keys());
    let both = parse(&minimal(json!({
        "pinned_keys": {k.kid.clone(): k.pem()},
        "key_url": "https://keys.example.com/{kid}",
    })))
    .unwrap();
    assert!(both.fetches_keys());
}

#[test]
fn pinned_key_must_be_a_p256_public_key() {
    for pem in [
        fixture("rsa-public.pem"),
        fixture("p384-public.pem"),
        fixture("access-token-rsa-1.pem"),
    ] {
        let e = error_of(&minimal(json!({"pinned_keys": {KID: pem}})));
        assert!(e.detail().contains("`pinned_keys"), "{}", e.detail());
    }
}

// ---- ALB ARNs and their partitions ----

#[test]
fn alb_arns_of_all_three_partitions_are_accepted() {
    for (arn, partition, region) in [
        (ALB, "aws", "us-east-1"),
        (
            "arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:loadbalancer/app/a-b/0123abcd",
            "aws",
            "ap-southeast-2",
        ),
        (
            "arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188",
            "aws-cn",
            "cn-north-1",
        ),
        (
            "arn:aws-cn:elasticloadbalancing:cn-northwest-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188",
            "aws-cn",
            "cn-northwest-1",
        ),
        (
            "arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188",
            "aws-us-gov",
            "us-gov-west-1",
        ),
        (
            "arn:aws-us-gov:elasticloadbalancing:us-gov-east-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188",
            "aws-us-gov",
            "us-gov-east-1",
        ),
    ] {
        let a = AlbArn::parse(arn).unwrap_or_else(|e| panic!("{arn}: {e}"));
        assert_eq!((a.arn.as_str(), a.partition.as_str(), a.region.as_str()), (arn, partition, region));
        assert!(parse(&minimal(json!({"trusted_albs": [arn]}))).is_ok());
    }
}

#[test]
fn malformed_or_foreign_arns_are_refused() {
    for arn in [
        "arn:aws:elasticloadbalancing",
        "",
        "arn:aws-iso:elasticloadbalancing:us-iso-east-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188",
        "arn:aws:elasticloadbalancing:cn-north-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188",
        "arn:aws:elasticloadbalancing:us-gov-west-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188",
        "arn:aws-cn:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188",
        "arn:aws-us-gov:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188",
        "arn:aws:ec2:us-east-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188",
        "arn:aws:elasticloadbalancing:US-EAST-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188",
        "arn:aws:elasticloadbalancing:.:123456789012:loadbalancer/app/jira/50dc6c495c0c9188",
        "arn:aws:elasticloadbalancing:us-east-1:12345678901:loadbalancer/app/jira/50dc6c495c0c9188",
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/jira/50dc6c495c0c9188",
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/jira",
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188/x",
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/jira/50dc6c495c0c9188",
    ] {
        assert!(AlbArn::parse(arn).is_err(), "{arn}");
        let e = error_of(&minimal(json!({"trusted_albs": [ALB, arn]})));
        assert!(e.detail().contains("`trusted_albs[1]`"), "{arn}: {}", e.detail());
    }
}

#[test]
fn default_key_url_follows_the_partition_and_region() {
    let url_for = |arn: &str| {
        let c = parse(&minimal(json!({"trusted_albs": [arn]}))).unwrap();
        c.key_url_for(&c.trusted_albs()[0])
    };
    assert_eq!(
        url_for(ALB),
        "https://public-keys.auth.elb.us-east-1.amazonaws.com/{kid}"
    );
    assert_eq!(
        url_for(ALB_DR),
        "https://public-keys.auth.elb.eu-west-1.amazonaws.com/{kid}"
    );
    assert_eq!(
        url_for("arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:loadbalancer/app/j/0a"),
        "https://public-keys.auth.elb.cn-north-1.amazonaws.com.cn/{kid}"
    );
    assert_eq!(
        url_for(
            "arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:loadbalancer/app/j/0a"
        ),
        "https://s3-us-gov-west-1.amazonaws.com/aws-elb-public-keys-prod-us-gov-west-1/{kid}"
    );
    assert_eq!(
        url_for(
            "arn:aws-us-gov:elasticloadbalancing:us-gov-east-1:123456789012:loadbalancer/app/j/0a"
        ),
        "https://s3-us-gov-east-1.amazonaws.com/aws-elb-public-keys-prod-us-gov-east-1/{kid}"
    );
}

#[test]
fn configured_key_url_replaces_the_default_for_every_region() {
    let c = parse(&minimal(json!({
        "trusted_albs": [ALB, ALB_DR],
        "key_url": "http://127.0.0.1:9/{region}/{kid}",
    })))
    .unwrap();
    assert_eq!(
        c.key_url_for(&c.trusted_albs()[0]),
        "http://127.0.0.1:9/us-east-1/{kid}"
    );
    assert_eq!(
        c.key_url_for(&c.trusted_albs()[1]),
        "http://127.0.0.1:9/eu-west-1/{kid}"
    );
}

// ---- Templates ----

#[test]
fn templates_fill_token_header_and_username_claim() {
    for (name, template, header, claim) in [
        ("cognito", Template::Cognito, "x-amzn-oidc-data", "email"),
        ("okta", Template::Okta, "x-amzn-oidc-data", "email"),
        ("google", Template::Google, "x-amzn-oidc-data", "email"),
        ("keycloak", Template::Keycloak, "x-amzn-oidc-data", "email"),
        ("other", Template::Other, "x-amzn-oidc-data", "email"),
    ] {
        let c = parse(&minimal(json!({"template": name}))).unwrap();
        assert_eq!(
            (
                c.template(),
                c.token_header().header_name(),
                c.username_claim()
            ),
            (template, header, claim)
        );
        assert_eq!(template.name(), name);
    }
}

#[test]
fn azure_template_reads_upn_from_the_access_token_of_the_issuers_tenant() {
    let c = parse(&minimal(
        json!({"template": "azure", "issuer": AZURE_ISSUER}),
    ))
    .unwrap();
    assert_eq!(c.template(), Template::Azure);
    assert_eq!(c.token_header().header_name(), "x-amzn-oidc-accesstoken");
    assert_eq!(c.username_claim(), "upn");
    assert_eq!(c.tenant_id(), Some(TENANT));
    assert_eq!(
        c.access_token_jwks_url(),
        Some(format!("https://login.microsoftonline.com/{TENANT}/discovery/v2.0/keys").as_str())
    );
    assert_eq!(
        c.access_token_issuer(),
        Some(&strings(&[AZURE_AT_ISSUER, AZURE_ISSUER])[..])
    );
    assert_eq!(
        c.access_token_audience(),
        Some(
            &strings(&[
                "00000003-0000-0000-c000-000000000000",
                "https://graph.microsoft.com"
            ])[..]
        ),
        "Microsoft Graph"
    );
}

#[test]
fn azure_template_without_a_tenant_names_tenant_id() {
    let e = error_of(&minimal(json!({"template": "azure", "issuer": null})));
    assert!(e.detail().contains("`tenant_id`"), "{}", e.detail());
    let c = parse(&minimal(
        json!({"template": "azure", "issuer": null, "tenant_id": TENANT}),
    ))
    .unwrap();
    assert_eq!(c.tenant_id(), Some(TENANT));
}

#[test]
fn access_token_header_without_azure_needs_a_jwks_url_and_an_issuer() {
    let e = error_of(&minimal(json!({"token_header": "x-amzn-oidc-accesstoken"})));
    assert!(
        e.detail().contains("`access_token_jwks_url`"),
        "{}",
        e.detail()
    );
    let e = error_of(&minimal(json!({
        "token_header": "x-amzn-oidc-accesstoken",
        "access_token_jwks_url": "https://idp.example.com/jwks",
    })));
    assert!(
        e.detail().contains("`access_token_issuer`"),
        "{}",
        e.detail()
    );
}

#[test]
fn template_defaults_give_way_to_explicit_fields() {
    let c = parse(&minimal(json!({
        "template": "azure",
        "issuer": AZURE_ISSUER,
        "token_header": "x-amzn-oidc-data",
        "username_claim": "preferred_username",
    })))
    .unwrap();
    assert_eq!(c.token_header(), TokenHeader::Data);
    assert_eq!(c.username_claim(), "preferred_username");
    assert!(!c.uses_access_token());
}

#[test]
fn verifier_from_json_reports_config_errors_as_config_invalid() {
    let e = albauth::Verifier::from_json("{}").unwrap_err();
    assert_eq!(e.code(), "config_invalid");
    assert!(e.detail().contains("`trusted_albs`"));
}

// ---- Misspelt fields ----

#[test]
fn misspelt_field_is_reported_with_the_nearest_known_name() {
    let e = error_of(&minimal(json!({"clock_skew_sec": 30})));
    assert_eq!(e.kind(), ErrorKind::ConfigInvalid);
    assert_eq!(
        e.detail(),
        "unknown field `clock_skew_sec`, did you mean `clock_skew_secs`?"
    );
    let e = error_of(&minimal(json!({"acess_token_issuer": "https://a"})));
    assert_eq!(
        e.detail(),
        "unknown field `acess_token_issuer`, did you mean `access_token_issuer`?"
    );
}

#[test]
fn misspelt_required_field_is_reported_as_unknown_not_as_missing() {
    let mut c = without("trusted_albs");
    c["trusted_alb"] = json!([ALB]);
    assert_eq!(
        error_of(&c).detail(),
        "unknown field `trusted_alb`, did you mean `trusted_albs`?"
    );
    let mut c = without("client_id");
    c["clientid"] = json!(CLIENT);
    assert_eq!(
        error_of(&c).detail(),
        "unknown field `clientid`, did you mean `client_id`?"
    );
}

#[test]
fn unknown_field_far_from_every_known_name_gets_no_suggestion() {
    for name in ["colour", "x", "pinned"] {
        let e = error_of(&minimal(json!({ name: 1 })));
        assert!(
            e.detail().starts_with(&format!("unknown field `{name}`")),
            "{}",
            e.detail()
        );
        if name != "pinned" {
            assert!(!e.detail().contains("did you mean"), "{}", e.detail());
        }
    }
    let e = error_of(&minimal(json!({"pinned": 1})));
    assert!(
        e.detail().contains("did you mean `pinned_keys`?"),
        "a prefix of a known name is close: {}",
        e.detail()
    );
}

// ---- Trusted ALBs: duplicates and regions ----

#[test]
fn duplicate_trusted_alb_is_refused_naming_both_entries() {
    let e = error_of(&minimal(json!({"trusted_albs": [ALB, ALB_DR, ALB]})));
    assert_eq!(e.kind(), ErrorKind::ConfigInvalid);
    assert!(
        e.detail().contains("`trusted_albs[2]`") && e.detail().contains("`trusted_albs[0]`"),
        "{}",
        e.detail()
    );
    assert!(e.detail().contains("duplicate"), "{}", e.detail());
}

#[test]
fn region_unknown_in_the_commercial_partition_is_warned_not_refused() {
    let arn = "arn:aws:elasticloadbalancing:eu-west-9:123456789012:loadbalancer/app/jira/50dc6c495c0c9188";
    let c = parse(&minimal(json!({"trusted_albs": [ALB, arn]}))).unwrap();
    let w = c.warnings();
    assert!(
        w.iter()
            .any(|w| w.contains("`trusted_albs[1]`") && w.contains("eu-west-9")),
        "{w:?}"
    );
    assert_eq!(w.len(), 1, "the known region is not warned: {w:?}");
}

#[test]
fn every_commercial_region_in_the_list_is_accepted_without_a_warning() {
    for region in [
        "us-east-1",
        "us-west-2",
        "ca-west-1",
        "mx-central-1",
        "il-central-1",
        "ap-southeast-5",
        "ap-southeast-7",
        "eu-south-2",
        "me-central-1",
        "af-south-1",
    ] {
        let arn = format!(
            "arn:aws:elasticloadbalancing:{region}:123456789012:loadbalancer/app/jira/50dc6c495c0c9188"
        );
        let c = parse(&minimal(json!({"trusted_albs": [arn]}))).unwrap();
        assert!(c.warnings().is_empty(), "{region}: {:?}", c.warnings());
    }
}

#[test]
fn govcloud_or_china_region_unknown_to_its_partition_needs_an_explicit_key_url() {
    for (partition, region) in [("aws-us-gov", "us-gov-west-3"), ("aws-cn", "cn-south-1")] {
        let arn = format!(
            "arn:{partition}:elasticloadbalancing:{region}:123456789012:loadbalancer/app/jira/50dc6c495c0c9188"
        );
        let e = error_of(&minimal(json!({"trusted_albs": [ALB, arn.clone()]})));
        assert_eq!(e.kind(), ErrorKind::ConfigInvalid);
        assert!(
            e.detail().contains("`trusted_albs[1]`")
                && e.detail().contains(region)
                && e.detail().contains("`key_url`"),
            "{region}: {}",
            e.detail()
        );
        let c = parse(&minimal(json!({
            "trusted_albs": [arn],
            "key_url": "https://keys.example.com/{region}/{kid}",
        })))
        .unwrap_or_else(|e| panic!("{region} with key_url: {}", e.detail()));
        assert!(
            c.warnings().iter().any(|w| w.contains(region)),
            "still warned: {:?}",
            c.warnings()
        );
    }
}

#[test]
fn known_govcloud_and_china_regions_keep_their_default_key_url_without_a_warning() {
    for arn in [
        "arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:loadbalancer/app/j/0a",
        "arn:aws-us-gov:elasticloadbalancing:us-gov-east-1:123456789012:loadbalancer/app/j/0a",
        "arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:loadbalancer/app/j/0a",
        "arn:aws-cn:elasticloadbalancing:cn-northwest-1:123456789012:loadbalancer/app/j/0a",
    ] {
        let c = parse(&minimal(json!({"trusted_albs": [arn]}))).unwrap();
        assert!(c.warnings().is_empty(), "{arn}: {:?}", c.warnings());
    }
}

// ---- allowed_domains ----

#[test]
fn allowed_domains_is_a_non_empty_list_of_domain_names() {
    for bad in [
        json!([]),
        json!(""),
        json!("example.com"),
        json!([""]),
        json!(["@example.com"]),
        json!(["jane@example.com"]),
        json!([".example.com"]),
        json!(["example.com."]),
        json!(["exa mple.com"]),
        json!(["ex\u{e4}mple.com"]),
        json!([5]),
    ] {
        let e = error_of(&minimal(json!({ "allowed_domains": bad.clone() })));
        assert_eq!(e.kind(), ErrorKind::ConfigInvalid, "{bad}");
        assert!(
            e.detail().contains("`allowed_domains"),
            "{bad}: {}",
            e.detail()
        );
        assert!(!e.detail().contains("unknown field"), "{}", e.detail());
    }
    assert!(parse(&minimal(
        json!({"allowed_domains": ["example.com", "xn--bcher-kva.example", "Corp-1.Example.ORG"]})
    ))
    .is_ok());
}

#[test]
fn strip_domain_without_allowed_domains_is_warned() {
    let c = parse(&minimal(json!({"username_transforms": ["strip_domain"]}))).unwrap();
    assert!(
        c.warnings()
            .iter()
            .any(|w| w.contains("strip_domain") && w.contains("allowed_domains")),
        "{:?}",
        c.warnings()
    );
    let c = parse(&minimal(json!({
        "username_transforms": ["strip_domain"],
        "allowed_domains": ["example.com"],
    })))
    .unwrap();
    assert!(c.warnings().is_empty(), "{:?}", c.warnings());
}

#[test]
fn strip_domain_with_several_allowed_domains_is_warned() {
    let c = parse(&minimal(json!({
        "username_transforms": ["strip_domain"],
        "allowed_domains": ["example.com", "example.org"],
    })))
    .unwrap();
    assert!(
        c.warnings().iter().any(|w| w.contains("strip_domain")),
        "{:?}",
        c.warnings()
    );
}

// ---- Access token binding ----

#[test]
fn client_id_null_is_refused_when_claims_come_from_the_access_token() {
    let e = error_of(&minimal(
        json!({"template": "azure", "issuer": AZURE_ISSUER, "client_id": null}),
    ));
    assert_eq!(e.kind(), ErrorKind::ConfigInvalid);
    assert!(e.detail().contains("`client_id`"), "{}", e.detail());
    let e = error_of(&minimal(json!({
        "client_id": null,
        "token_header": "x-amzn-oidc-accesstoken",
        "access_token_jwks_url": "https://idp.example.com/jwks",
        "access_token_issuer": "https://idp.example.com",
        "access_token_audience": "api://jira",
    })));
    assert!(e.detail().contains("`client_id`"), "{}", e.detail());
}

#[test]
fn access_token_header_without_azure_needs_an_audience() {
    let e = error_of(&minimal(json!({
        "token_header": "x-amzn-oidc-accesstoken",
        "access_token_jwks_url": "https://idp.example.com/jwks",
        "access_token_issuer": "https://idp.example.com",
    })));
    assert_eq!(e.kind(), ErrorKind::ConfigInvalid);
    assert!(
        e.detail().contains("`access_token_audience`"),
        "{}",
        e.detail()
    );
}

#[test]
fn access_token_audience_null_is_an_explicit_opt_out_with_a_warning() {
    let c = parse(&minimal(json!({
        "token_header": "x-amzn-oidc-accesstoken",
        "access_token_jwks_url": "https://idp.example.com/jwks",
        "access_token_issuer": "https://idp.example.com",
        "access_token_audience": null,
    })))
    .unwrap();
    assert!(
        c.warnings()
            .iter()
            .any(|w| w.contains("access-token audience check disabled")),
        "{:?}",
        c.warnings()
    );
}

#[test]
fn access_token_audience_must_not_be_empty() {
    for bad in [json!([]), json!(""), json!([""]), json!(5)] {
        let e = error_of(&minimal(json!({
            "template": "azure",
            "issuer": AZURE_ISSUER,
            "access_token_audience": bad.clone(),
        })));
        assert!(
            e.detail().contains("`access_token_audience`") && !e.detail().contains("unknown"),
            "{bad}: {}",
            e.detail()
        );
    }
}

#[test]
fn a_field_error_names_its_field_for_a_setup_page() {
    use albauth::config::error_field;
    let cases = [
        (
            json!({"trusted_albs": ["arn:nope"]}),
            Some("trusted_albs[0]"),
        ),
        (json!({"trusted_albs": []}), Some("trusted_albs")),
        (
            json!({"trusted_albs": [ALB], "issuer_url": "x"}),
            Some("issuer_url"),
        ),
        (
            json!({"trusted_albs": [ALB], "issuer": ISSUER, "client_id": CLIENT, "provisioning": {"create_users": "yes"}}),
            Some("provisioning.create_users"),
        ),
    ];
    for (cfg, want) in cases {
        let e = albauth::Verifier::from_json(&cfg.to_string()).unwrap_err();
        assert_eq!(error_field(e.detail()), want, "{}", e.detail());
    }
    assert_eq!(error_field("config is not valid JSON: EOF"), None);
    assert_eq!(error_field("`a b`: not a field name"), None);
}
