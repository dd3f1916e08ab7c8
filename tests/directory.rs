//! IdP directories: the `directory_sync` config section and the mapping of each IdP's user JSON
//! to the host-record shape (the sample users are the shapes each API documents).

mod common;

use albauth::directory::{
    group_name, map_user, Connector, ConnectorConfig, ConnectorKind, DirectorySyncConfig, OnMissing,
};
use albauth::Config;
use common::*;
use serde_json::{json, Value};

const PEM: &str = "-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----\n";

fn connector(v: Value) -> Result<ConnectorConfig, String> {
    ConnectorConfig::from_json(v).map_err(|e| e.detail().to_string())
}

fn sync(v: Value) -> Result<DirectorySyncConfig, String> {
    DirectorySyncConfig::from_json(v).map_err(|e| e.detail().to_string())
}

fn graph() -> Value {
    json!({"type": "graph", "tenant_id": "contoso", "client_id": "app-1", "client_secret": "s3cret-graph"})
}

#[test]
fn graph_urls_default_to_the_real_services() {
    let c = connector(graph()).unwrap();
    let Connector::Graph {
        authority_url,
        graph_url,
        ..
    } = &c.connector
    else {
        panic!("not graph")
    };
    assert_eq!(authority_url, "https://login.microsoftonline.com");
    assert_eq!(graph_url, "https://graph.microsoft.com");
    assert_eq!(c.kind(), ConnectorKind::Graph);
}

#[test]
fn http_is_accepted_for_loopback_hosts_only() {
    let mut c = graph();
    c["graph_url"] = json!("http://127.0.0.1:8080/");
    let ok = connector(c.clone()).unwrap();
    let Connector::Graph { graph_url, .. } = ok.connector else {
        panic!()
    };
    assert_eq!(graph_url, "http://127.0.0.1:8080", "trailing slash dropped");
    c["graph_url"] = json!("http://graph.example.com");
    let e = connector(c).unwrap_err();
    assert!(e.starts_with("`directory_sync.connector.graph_url`"), "{e}");
}

#[test]
fn a_missing_required_field_is_named() {
    let e = connector(json!({"type": "okta"})).unwrap_err();
    assert_eq!(e, "`directory_sync.connector.org_url`: is required");
    let e = connector(json!({"type": "okta", "org_url": "https://x.okta.com"})).unwrap_err();
    assert_eq!(e, "`directory_sync.connector.api_token`: is required");
}

#[test]
fn an_unknown_type_or_field_is_refused() {
    let e = connector(json!({"type": "ldap"})).unwrap_err();
    assert!(e.starts_with("`directory_sync.connector.type`"), "{e}");
    let mut c = graph();
    c["org_url"] = json!("https://x.okta.com");
    let e = connector(c).unwrap_err();
    assert!(
        e.starts_with("unknown field `directory_sync.connector.org_url`"),
        "{e}"
    );
}

#[test]
fn secrets_never_print() {
    let c = connector(graph()).unwrap();
    assert!(!format!("{c:?}").contains("s3cret-graph"));
    let mut bad = graph();
    bad["client_secret"] = json!(7);
    let e = connector(bad).unwrap_err();
    assert!(!e.contains('7'), "{e}");
}

#[test]
fn google_takes_the_key_inline_as_an_object_or_a_string() {
    let key = json!({"client_email": "sa@p.iam.gserviceaccount.com", "private_key": PEM,
                     "token_uri": "https://oauth2.googleapis.com/token"});
    for sa in [key.clone(), Value::String(key.to_string())] {
        let c = connector(
            json!({"type": "google", "service_account": sa, "admin_subject": "admin@example.com"}),
        )
        .unwrap();
        let Connector::Google {
            customer,
            token_url,
            api_url,
            service_account,
            ..
        } = &c.connector
        else {
            panic!()
        };
        assert_eq!(customer, "my_customer");
        assert_eq!(token_url, "https://oauth2.googleapis.com/token");
        assert_eq!(api_url, "https://admin.googleapis.com");
        assert!(!format!("{service_account:?}").contains("MIIE"));
    }
}

#[test]
fn google_token_url_wins_over_the_keys_token_uri() {
    let key = json!({"client_email": "sa@p", "private_key": PEM, "token_uri": "https://oauth2.googleapis.com/token"});
    let c = connector(
        json!({"type": "google", "service_account": key, "admin_subject": "a@x",
                             "token_url": "http://127.0.0.1:9/token"}),
    )
    .unwrap();
    let Connector::Google { token_url, .. } = c.connector else {
        panic!()
    };
    assert_eq!(token_url, "http://127.0.0.1:9/token");
}

#[test]
fn cognito_checks_region_and_pool_and_defaults_the_endpoint() {
    let base = json!({"type": "cognito", "region": "eu-west-1", "user_pool_id": "eu-west-1_AbC",
                      "access_key_id": "AKIA", "secret_access_key": "shh"});
    let c = connector(base.clone()).unwrap();
    let Connector::Cognito { endpoint_url, .. } = c.connector else {
        panic!()
    };
    assert_eq!(endpoint_url, "https://cognito-idp.eu-west-1.amazonaws.com");
    let mut bad = base.clone();
    bad["region"] = json!("evil.com/x");
    assert!(connector(bad)
        .unwrap_err()
        .starts_with("`directory_sync.connector.region`"));
    let mut other_pool = base;
    other_pool["user_pool_id"] = json!("us-east-1_AbC");
    assert!(connector(other_pool)
        .unwrap_err()
        .starts_with("`directory_sync.connector.user_pool_id`"));
}

#[test]
fn keycloak_keeps_a_legacy_auth_prefix() {
    let c = connector(
        json!({"type": "keycloak", "base_url": "https://kc.example.com/auth/", "realm": "corp",
                             "client_id": "albauth", "client_secret": "x"}),
    )
    .unwrap();
    let Connector::Keycloak { base_url, .. } = c.connector else {
        panic!()
    };
    assert_eq!(base_url, "https://kc.example.com/auth");
}

#[test]
fn sync_rules_have_safe_defaults() {
    let s = sync(json!({"connector": graph()})).unwrap();
    assert_eq!(s.on_missing, OnMissing::Deactivate);
    assert!(!s.remove_groups_on_cleanup);
    assert_eq!(s.brake_percent, 10.0);
    assert_eq!(s.brake_count, None);
    assert!(s.required_groups.is_empty());
}

#[test]
fn sync_rules_are_validated_by_name() {
    for (field, value, want) in [
        ("on_missing", json!("purge"), "`directory_sync.on_missing`"),
        (
            "brake_percent",
            json!(150),
            "`directory_sync.brake_percent`",
        ),
        ("brake_count", json!(-1), "`directory_sync.brake_count`"),
        (
            "required_groups",
            json!([""]),
            "`directory_sync.required_groups`",
        ),
    ] {
        let mut v = json!({"connector": graph()});
        v[field] = value;
        let e = sync(v).unwrap_err();
        assert!(e.starts_with(want), "{field}: {e}");
    }
    assert_eq!(
        sync(json!({})).unwrap_err(),
        "`directory_sync.connector`: is required"
    );
}

#[test]
fn the_whole_config_carries_directory_sync() {
    let cfg = config(
        None,
        &[&TestKey::new(1)],
        json!({"directory_sync": {"connector": graph(), "on_missing": "anonymize", "brake_count": 5}}),
    );
    let c = Config::from_json(&cfg).unwrap();
    let s = c.directory_sync().unwrap();
    assert_eq!(s.on_missing, OnMissing::Anonymize);
    assert_eq!(s.brake_count, Some(5));
    let plain = Config::from_json(&config(None, &[&TestKey::new(1)], json!({}))).unwrap();
    assert!(plain.directory_sync().is_none());
}

fn map(kind: ConnectorKind, user: Value) -> Result<albauth::directory::IdpUser, String> {
    map_user(kind, &user, None, &[], vec!["g".into()]).map_err(|e| e.detail().to_string())
}

#[test]
fn a_graph_user_maps_by_upn_and_account_enabled() {
    let u = json!({"id":"87d349ed","userPrincipalName":"AdeleV@contoso.com","mail":"AdeleV@contoso.com",
                   "displayName":"Adele Vance","givenName":"Adele","surname":"Vance","accountEnabled":true});
    let m = map(ConnectorKind::Graph, u.clone()).unwrap();
    assert_eq!(
        (m.idp_id.as_str(), m.username.as_str(), m.active),
        ("87d349ed", "AdeleV@contoso.com", true)
    );
    assert_eq!(m.display_name.as_deref(), Some("Adele Vance"));
    let mut off = u.clone();
    off["accountEnabled"] = json!(false);
    assert!(!map(ConnectorKind::Graph, off).unwrap().active);
    let mut unknown = u;
    unknown.as_object_mut().unwrap().remove("accountEnabled");
    assert_eq!(
        map(ConnectorKind::Graph, unknown).unwrap_err(),
        "graph response: `accountEnabled` is missing"
    );
}

#[test]
fn an_okta_user_is_disabled_when_suspended_or_deprovisioned() {
    let u = |status: &str| {
        json!({"id":"00ub0","status":status,"profile":{"login":"isaac","email":"isaac.brock@example.com",
               "firstName":"Isaac","lastName":"Brock","displayName":null}})
    };
    let m = map(ConnectorKind::Okta, u("ACTIVE")).unwrap();
    assert_eq!(m.username, "isaac.brock@example.com");
    assert_eq!(m.display_name.as_deref(), Some("Isaac Brock"));
    for (status, active) in [
        ("SUSPENDED", false),
        ("DEPROVISIONED", false),
        ("LOCKED_OUT", true),
        ("PASSWORD_EXPIRED", true),
    ] {
        assert_eq!(
            map(ConnectorKind::Okta, u(status)).unwrap().active,
            active,
            "{status}"
        );
    }
}

#[test]
fn username_attribute_is_a_dotted_path_then_transforms_apply() {
    let u = json!({"id":"00ub0","status":"ACTIVE","profile":{"login":"Isaac.Brock","email":"i@example.com"}});
    let cfg = Config::from_json(&config(
        None,
        &[&TestKey::new(1)],
        json!({"username_transforms": ["lowercase"]}),
    ))
    .unwrap();
    let m = map_user(
        ConnectorKind::Okta,
        &u,
        Some("profile.login"),
        cfg.username_transforms(),
        vec![],
    )
    .unwrap();
    assert_eq!(m.username, "isaac.brock");
    let e = map_user(ConnectorKind::Okta, &u, Some("profile.nick"), &[], vec![]).unwrap_err();
    assert_eq!(e.detail(), "okta response: `profile.nick` is missing");
}

#[test]
fn a_google_user_is_disabled_when_suspended_or_archived() {
    let u = json!({"id":"1034","primaryEmail":"alice@example.com","name":{"fullName":"Alice Smith"},
                   "suspended":false,"archived":false});
    assert!(map(ConnectorKind::Google, u.clone()).unwrap().active);
    for flag in ["suspended", "archived"] {
        let mut off = u.clone();
        off[flag] = json!(true);
        assert!(!map(ConnectorKind::Google, off).unwrap().active, "{flag}");
    }
}

#[test]
fn a_cognito_user_maps_its_attribute_list_from_either_call() {
    let attrs = json!([{"Name":"sub","Value":"4f1c"},{"Name":"email","Value":"alice@example.com"},
                       {"Name":"given_name","Value":"Alice"},{"Name":"family_name","Value":"Smith"}]);
    for key in ["Attributes", "UserAttributes"] {
        let u = json!({"Username": "4f1c", key: attrs.clone(), "Enabled": true, "UserStatus": "CONFIRMED"});
        let m = map(ConnectorKind::Cognito, u).unwrap();
        assert_eq!(
            (m.idp_id.as_str(), m.username.as_str()),
            ("4f1c", "alice@example.com")
        );
        assert_eq!(m.display_name.as_deref(), Some("Alice Smith"));
    }
    let off = json!({"Attributes": attrs, "Enabled": false});
    assert!(!map(ConnectorKind::Cognito, off).unwrap().active);
}

#[test]
fn a_keycloak_user_maps_by_email_and_enabled() {
    let u = json!({"id":"8c3b","username":"alice","firstName":"Alice","lastName":"Smith",
                   "email":"alice@example.com","enabled":false});
    let m = map(ConnectorKind::Keycloak, u).unwrap();
    assert_eq!(m.username, "alice@example.com");
    assert!(!m.active);
    assert_eq!(
        m.to_record_json(),
        json!({"username": "alice@example.com", "display_name": "Alice Smith",
               "email": "alice@example.com", "active": false, "groups": ["g"],
               "attributes": {"idp_id": "8c3b"}})
    );
}

#[test]
fn a_wrong_type_names_the_field_never_the_value() {
    let u = json!({"id": 12345, "enabled": true, "email": "x@y"});
    let e = map(ConnectorKind::Keycloak, u).unwrap_err();
    assert_eq!(e, "keycloak response: `id` is not a string");
    assert!(map(ConnectorKind::Keycloak, json!([1])).is_err());
}

#[test]
fn group_names_come_from_each_apis_own_field() {
    let cases = [
        (ConnectorKind::Graph, json!({"displayName": "Eng"})),
        (ConnectorKind::Okta, json!({"profile": {"name": "Eng"}})),
        (
            ConnectorKind::Google,
            json!({"email": "Eng", "name": "Engineering"}),
        ),
        (ConnectorKind::Cognito, json!({"GroupName": "Eng"})),
        (
            ConnectorKind::Keycloak,
            json!({"name": "Eng", "path": "/x/Eng"}),
        ),
    ];
    for (kind, group) in cases {
        assert_eq!(group_name(kind, &group).unwrap(), "Eng", "{kind:?}");
    }
}
