//! The five IdP connectors against a scripted loopback server serving each API's documented
//! response shapes: listings over several pages surviving a throttle (the wait honoured via
//! the fake sleeper, and counted), a 5xx and an expired token mid-run; malformed JSON; bad
//! credentials; a missing required group; lookups (case-insensitive, none, ambiguous); and no
//! secret in any error text. Loopback only: nothing leaves 127.0.0.1.

#[path = "common/scripted.rs"]
mod scripted;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use albauth::directory::{
    connect, ConnectOptions, ConnectorConfig, Directory, DirectoryErrorKind, IdpUser,
};
use albauth::net::{Clock, HttpClient, HttpConfig, RetryPolicy, Sleeper};
use scripted::{Reply, ScriptedServer};
use serde_json::{json, Value};

/// A clock that only moves when the retrier "sleeps".
struct FakeTime {
    now: Mutex<SystemTime>,
    slept: Mutex<Vec<Duration>>,
}

impl FakeTime {
    fn new() -> Arc<FakeTime> {
        Arc::new(FakeTime {
            now: Mutex::new(SystemTime::now()),
            slept: Mutex::new(Vec::new()),
        })
    }
    fn slept(&self) -> Vec<Duration> {
        self.slept.lock().unwrap().clone()
    }
}

impl Clock for FakeTime {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap()
    }
}

impl Sleeper for FakeTime {
    fn sleep(&self, d: Duration) {
        self.slept.lock().unwrap().push(d);
        *self.now.lock().unwrap() += d;
    }
}

const GOOGLE_KEY: &str = include_str!("fixtures/google-service-account-key.pem");

/// Secrets every fixture config holds; none may show in any output.
const SECRETS: [&str; 4] = [
    "graph-client-secret-s3cr3t",
    "okta-api-token-s3cr3t",
    "aws-secret-key-s3cr3t",
    "keycloak-client-secret-s3cr3t",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Idp {
    Graph,
    Okta,
    Google,
    Cognito,
    Keycloak,
}

const ALL: [Idp; 5] = [
    Idp::Graph,
    Idp::Okta,
    Idp::Google,
    Idp::Cognito,
    Idp::Keycloak,
];

impl Idp {
    fn connector(self, s: &ScriptedServer) -> Value {
        let root = s.url("");
        match self {
            Idp::Graph => json!({"type": "graph", "tenant_id": "contoso", "client_id": "app",
                "client_secret": SECRETS[0], "authority_url": root, "graph_url": root}),
            Idp::Okta => json!({"type": "okta", "org_url": root, "api_token": SECRETS[1]}),
            Idp::Google => json!({"type": "google",
                "service_account": {"client_email": "sa@project.iam.gserviceaccount.com",
                                    "private_key": GOOGLE_KEY},
                "admin_subject": "admin@example.com", "token_url": s.url("/token"),
                "api_url": root}),
            Idp::Cognito => json!({"type": "cognito", "region": "eu-west-1",
                "user_pool_id": "eu-west-1_pool", "access_key_id": "AKIDEXAMPLE",
                "secret_access_key": SECRETS[2], "endpoint_url": root}),
            Idp::Keycloak => json!({"type": "keycloak", "base_url": root, "realm": "r",
                "client_id": "albauth", "client_secret": SECRETS[3]}),
        }
    }

    /// Where the token comes from (Okta's API token and Cognito's SigV4 need none).
    fn token_path(self) -> Option<&'static str> {
        match self {
            Idp::Graph => Some("/contoso/oauth2/v2.0/token"),
            Idp::Google => Some("/token"),
            Idp::Keycloak => Some("/realms/r/protocol/openid-connect/token"),
            Idp::Okta | Idp::Cognito => None,
        }
    }

    fn users_key(self) -> &'static str {
        match self {
            Idp::Graph => "/v1.0/users",
            Idp::Okta => "/api/v1/users",
            Idp::Google => "/admin/directory/v1/users",
            Idp::Cognito => "/#ListUsers",
            Idp::Keycloak => "/admin/realms/r/users",
        }
    }

    fn groups_key(self) -> &'static str {
        match self {
            Idp::Graph => "/v1.0/groups",
            Idp::Okta => "/api/v1/groups",
            Idp::Google => "/admin/directory/v1/groups",
            Idp::Cognito => "/#ListGroups",
            Idp::Keycloak => "/admin/realms/r/groups",
        }
    }

    /// The members path of group `id` (Cognito: one operation for every group, scripted
    /// in listing order).
    fn members_key(self, id: &str) -> String {
        match self {
            Idp::Graph => format!("/v1.0/groups/{id}/transitiveMembers/microsoft.graph.user"),
            Idp::Okta => format!("/api/v1/groups/{id}/users"),
            Idp::Google => format!("/admin/directory/v1/groups/{id}/members"),
            Idp::Cognito => "/#ListUsersInGroup".to_string(),
            Idp::Keycloak => format!("/admin/realms/r/groups/{id}/members"),
        }
    }

    /// A user as the API returns one.
    fn user(self, id: &str, email: &str, active: bool) -> Value {
        match self {
            Idp::Graph => json!({"id": id, "userPrincipalName": email, "mail": email,
                "displayName": format!("User {id}"), "accountEnabled": active}),
            Idp::Okta => json!({"id": id, "status": if active {"ACTIVE"} else {"SUSPENDED"},
                "profile": {"email": email, "login": email, "firstName": "User", "lastName": id}}),
            Idp::Google => json!({"id": id, "primaryEmail": email, "suspended": !active,
                "name": {"fullName": format!("User {id}")}}),
            Idp::Cognito => json!({"Username": format!("name-{id}"), "Enabled": active,
                "UserStatus": "CONFIRMED",
                "Attributes": [{"Name": "sub", "Value": id}, {"Name": "email", "Value": email},
                               {"Name": "name", "Value": format!("User {id}")}]}),
            Idp::Keycloak => json!({"id": id, "username": email, "email": email,
                "firstName": "User", "lastName": id, "enabled": active}),
        }
    }

    fn group(self, id: &str, name: &str) -> Value {
        match self {
            Idp::Graph => json!({"id": id, "displayName": name}),
            Idp::Okta => json!({"id": id, "type": "OKTA_GROUP", "profile": {"name": name}}),
            Idp::Google => json!({"id": id, "email": name, "name": name}),
            Idp::Cognito => json!({"GroupName": id, "UserPoolId": "eu-west-1_pool"}),
            Idp::Keycloak => json!({"id": id, "name": name, "path": format!("/{name}"),
                "subGroupCount": 0}),
        }
    }

    /// The group name the connector reports for group (`id`, `name`).
    fn group_name(self, id: &str, name: &str) -> String {
        match self {
            Idp::Cognito => id.to_string(),
            _ => name.to_string(),
        }
    }

    /// A member entry of a members page.
    fn member(self, id: &str, email: &str) -> Value {
        match self {
            Idp::Google => json!({"id": id, "email": email, "type": "USER", "role": "MEMBER"}),
            _ => self.user(id, email, true),
        }
    }

    /// One page of `items` (at the API's item field), followed by page `next` if given.
    fn page(self, s: &ScriptedServer, key: &str, items: Vec<Value>, next: Option<usize>) -> Reply {
        let path = key.split('#').next().unwrap().to_string();
        match self {
            Idp::Graph => {
                let mut body = json!({"value": items});
                if let Some(n) = next {
                    body["@odata.nextLink"] = json!(s.url(&format!("{path}?$skiptoken=p{n}")));
                }
                Reply::json(body)
            }
            Idp::Okta => {
                let r = Reply::new(200, Value::Array(items).to_string());
                match next {
                    Some(n) => r
                        .header("Link", &format!("<{}>; rel=\"self\"", s.url(&path)))
                        .header(
                            "Link",
                            &format!("<{}>; rel=\"next\"", s.url(&format!("{path}?after=p{n}"))),
                        ),
                    None => r,
                }
            }
            Idp::Google => {
                let field = path.rsplit('/').next().unwrap();
                let mut body = json!({"kind": "admin#directory", field: items});
                if let Some(n) = next {
                    body["nextPageToken"] = json!(format!("p{n}"));
                }
                Reply::json(body)
            }
            Idp::Cognito => {
                let op = key.rsplit('#').next().unwrap();
                let (field, token) = match op {
                    "ListUsers" => ("Users", "PaginationToken"),
                    "ListUsersInGroup" => ("Users", "NextToken"),
                    _ => ("Groups", "NextToken"),
                };
                let mut body = json!({field: items});
                if let Some(n) = next {
                    body[token] = json!(format!("p{n}"));
                }
                Reply::json(body)
            }
            Idp::Keycloak => Reply::new(200, Value::Array(items).to_string()),
        }
    }

    /// Users `from..to` as pages: Keycloak pages hold 100 (its page size), the others 2.
    fn user_pages(self, s: &ScriptedServer, n: usize) -> (Vec<Reply>, Vec<String>) {
        let per = if self == Idp::Keycloak { 100 } else { 2 };
        let ids: Vec<String> = (0..n).map(|i| format!("u{i:03}")).collect();
        let chunks: Vec<&[String]> = ids.chunks(per).collect();
        let mut pages = Vec::new();
        for (i, c) in chunks.iter().enumerate() {
            let items = c
                .iter()
                .map(|id| self.user(id, &format!("{id}@example.com"), true))
                .collect();
            let next = (i + 1 < chunks.len()).then_some(i + 1);
            pages.push(self.page(s, self.users_key(), items, next));
        }
        (pages, ids)
    }

    /// A throttle as this API sends one.
    fn throttle(self) -> Reply {
        match self {
            Idp::Okta => Reply::new(429, r#"{"errorCode":"E0000047"}"#).header("Retry-After", "2"),
            Idp::Google => Reply::new(
                403,
                r#"{"error":{"code":403,"errors":[{"reason":"userRateLimitExceeded"}]}}"#,
            )
            .header("Retry-After", "2"),
            Idp::Cognito => Reply::new(
                400,
                r#"{"__type":"TooManyRequestsException","message":"Too many requests"}"#,
            )
            .header("Retry-After", "2"),
            _ => Reply::new(429, r#"{"error":"throttled"}"#).header("Retry-After", "2"),
        }
    }

    /// Scripts refused credentials.
    fn refuse_credentials(self, s: &ScriptedServer) {
        match self.token_path() {
            Some(t) => s.on(
                t,
                vec![Reply::new(
                    401,
                    r#"{"error":"invalid_client","error_description":"bad secret graph-client-secret-s3cr3t"}"#,
                )],
            ),
            None if self == Idp::Okta => {
                let r = Reply::new(401, r#"{"errorCode":"E0000011","errorSummary":"Invalid token provided"}"#);
                s.on(self.users_key(), vec![r.clone()]);
                s.on(self.groups_key(), vec![r]);
            }
            None => s.on(
                "/",
                vec![Reply::new(
                    400,
                    r#"{"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."}"#,
                )],
            ),
        }
    }
}

/// The exact target of Okta's listing of DEPROVISIONED users.
const OKTA_DEPROVISIONED: &str = "/api/v1/users?filter=status%20eq%20%22DEPROVISIONED%22&limit=200";

fn tokens(s: &ScriptedServer, idp: Idp) {
    if idp == Idp::Okta {
        s.on(OKTA_DEPROVISIONED, vec![Reply::json(json!([]))]);
    }
    if let Some(t) = idp.token_path() {
        s.on(
            t,
            vec![
                Reply::json(
                    json!({"access_token": "tok-1", "expires_in": 3600, "token_type": "Bearer"}),
                ),
                Reply::json(
                    json!({"access_token": "tok-2", "expires_in": 3600, "token_type": "Bearer"}),
                ),
            ],
        );
    }
}

fn options(time: &Arc<FakeTime>) -> ConnectOptions {
    ConnectOptions {
        http: HttpClient::new(HttpConfig {
            timeout: Duration::from_secs(5),
            max_body_bytes: 1 << 20,
            max_redirects: 3,
        }),
        retry: RetryPolicy {
            max_attempts: 4,
            max_total_wait: Duration::from_secs(120),
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
        },
        clock: time.clone(),
        sleeper: time.clone(),
    }
}

fn directory(idp: Idp, s: &ScriptedServer, time: &Arc<FakeTime>) -> Box<dyn Directory> {
    let mut c = idp.connector(s);
    if idp == Idp::Cognito {
        c["username_attribute"] = json!("email");
    }
    let config = ConnectorConfig::from_json(c).expect("fixture connector config");
    connect(&config, &[], options(time)).expect("connects")
}

/// Scripts two groups: g1 (members u000, u001), g2 (member u001).
fn two_groups(s: &ScriptedServer, idp: Idp) {
    s.on(
        idp.groups_key(),
        vec![idp.page(
            s,
            idp.groups_key(),
            vec![idp.group("g1", "Jira Users"), idp.group("g2", "Admins")],
            None,
        )],
    );
    let m1 = idp.page(
        s,
        &idp.members_key("g1"),
        vec![
            idp.member("u000", "u000@example.com"),
            idp.member("u001", "u001@example.com"),
        ],
        None,
    );
    let m2 = idp.page(
        s,
        &idp.members_key("g2"),
        vec![idp.member("u001", "u001@example.com")],
        None,
    );
    if idp == Idp::Cognito {
        s.on(&idp.members_key("g1"), vec![m1, m2]);
    } else {
        s.on(&idp.members_key("g1"), vec![m1]);
        s.on(&idp.members_key("g2"), vec![m2]);
    }
}

fn assert_no_secret(text: &str) {
    for secret in SECRETS
        .iter()
        .chain(["tok-1", "tok-2", "MIIEvQIBADAN"].iter())
    {
        assert!(!text.contains(secret), "a secret in: {text}");
    }
}

/// Several pages, a throttle (waited as told, counted), an expired token (401, renewed once)
/// and a 5xx mid-listing: the listing completes, each user with their groups.
#[test]
fn each_connector_lists_every_page_through_throttles_5xx_and_an_expired_token() {
    for idp in ALL {
        let s = ScriptedServer::start();
        tokens(&s, idp);
        two_groups(&s, idp);
        let n = if idp == Idp::Keycloak { 205 } else { 5 };
        let (pages, ids) = idp.user_pages(&s, n);
        // page 1, a throttle, (an expired token), page 2, a 503, page 3.
        let mut script = vec![pages[0].clone(), idp.throttle()];
        if idp.token_path().is_some() {
            script.push(Reply::new(401, r#"{"error":"invalid_token"}"#));
        }
        script.push(pages[1].clone());
        script.push(Reply::new(503, "unavailable"));
        script.extend(pages[2..].iter().cloned());
        s.on(idp.users_key(), script);

        let time = FakeTime::new();
        let d = directory(idp, &s, &time);
        let listing = d.list_users(&[]).unwrap_or_else(|e| panic!("{idp:?}: {e}"));
        let got: Vec<&str> = listing.users.iter().map(|u| u.idp_id.as_str()).collect();
        assert_eq!(got, ids, "{idp:?}");
        let groups_of = |id: &str| -> Vec<String> {
            listing
                .users
                .iter()
                .find(|u| u.idp_id == id)
                .unwrap()
                .groups
                .clone()
        };
        let (g1, g2) = (
            idp.group_name("g1", "Jira Users"),
            idp.group_name("g2", "Admins"),
        );
        let mut both = vec![g1.clone(), g2.clone()];
        both.sort();
        assert_eq!(groups_of("u000"), vec![g1.clone()], "{idp:?}");
        assert_eq!(groups_of("u001"), both, "{idp:?}");
        assert!(groups_of("u002").is_empty(), "{idp:?}");
        assert_eq!(listing.groups, both, "{idp:?}");
        // 3 user pages, 1 group page, 2 member pages (and Okta's DEPROVISIONED page).
        let extra = usize::from(idp == Idp::Okta);
        assert_eq!(listing.pages, 6 + extra, "{idp:?}");
        assert_eq!(listing.throttle_waits, 1, "{idp:?}");
        let slept = time.slept();
        assert_eq!(
            slept[0],
            Duration::from_secs(2),
            "{idp:?}: the Retry-After is honoured"
        );
        assert_eq!(slept.len(), 2, "{idp:?}: the throttle and the 503");
        let u = &listing.users[0];
        assert_eq!(u.username, "u000@example.com", "{idp:?}");
        assert!(u.active, "{idp:?}");
        if let Some(t) = idp.token_path() {
            assert_eq!(
                s.hits(t),
                2,
                "{idp:?}: the token is renewed once after the 401"
            );
        }
    }
}

#[test]
fn the_requests_are_the_documented_ones() {
    for idp in ALL {
        let s = ScriptedServer::start();
        tokens(&s, idp);
        two_groups(&s, idp);
        let (pages, _) = idp.user_pages(&s, 3);
        s.on(idp.users_key(), pages);
        let time = FakeTime::new();
        directory(idp, &s, &time).list_users(&[]).unwrap();
        let seen = s.seen();
        let targets: Vec<String> = seen.iter().map(|r| r.target.clone()).collect();
        let has = |needle: &str| targets.iter().any(|t| t.contains(needle));
        match idp {
            Idp::Graph => {
                assert!(has("/v1.0/users?$select=id,userPrincipalName,mail,displayName,givenName,surname,accountEnabled,userType&$top=999"), "{targets:?}");
                assert!(has("$skiptoken=p1"), "{targets:?}");
                let token = seen
                    .iter()
                    .find(|r| r.target.contains("/oauth2/v2.0/token"))
                    .unwrap();
                let form = String::from_utf8_lossy(&token.body);
                assert!(form.contains("grant_type=client_credentials"), "{form}");
                assert!(
                    form.contains("scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"),
                    "{form}"
                );
                assert!(seen
                    .iter()
                    .filter(|r| r.target.starts_with("/v1.0"))
                    .all(|r| r.header("authorization") == Some("Bearer tok-1")));
            }
            Idp::Okta => {
                assert!(has("/api/v1/users?limit=200"), "{targets:?}");
                assert!(has("after=p1"), "{targets:?}");
                assert!(seen
                    .iter()
                    .all(|r| r.header("authorization") == Some("SSWS okta-api-token-s3cr3t")));
            }
            Idp::Google => {
                assert!(
                    has("/admin/directory/v1/users?customer=my_customer&maxResults=500"),
                    "{targets:?}"
                );
                assert!(has("pageToken=p1"), "{targets:?}");
                assert!(
                    has("/members?maxResults=200&includeDerivedMembership=true"),
                    "{targets:?}"
                );
                let token = seen.iter().find(|r| r.target == "/token").unwrap();
                let form = String::from_utf8_lossy(&token.body).to_string();
                assert!(
                    form.contains(
                        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
                    ),
                    "{form}"
                );
                let jwt = form.split("assertion=").nth(1).unwrap();
                let claims = jwt.split('.').nth(1).unwrap();
                use base64::Engine;
                let claims: Value = serde_json::from_slice(
                    &base64::engine::general_purpose::URL_SAFE_NO_PAD
                        .decode(claims)
                        .unwrap(),
                )
                .unwrap();
                assert_eq!(claims["sub"], "admin@example.com");
                assert_eq!(claims["aud"], s.url("/token"));
                assert_eq!(claims["iss"], "sa@project.iam.gserviceaccount.com");
                let header = jwt.split('.').next().unwrap();
                let header: Value = serde_json::from_slice(
                    &base64::engine::general_purpose::URL_SAFE_NO_PAD
                        .decode(header)
                        .unwrap(),
                )
                .unwrap();
                assert_eq!(header["alg"], "RS256");
            }
            Idp::Cognito => {
                let list = seen
                    .iter()
                    .filter(|r| {
                        r.header("x-amz-target")
                            == Some("AWSCognitoIdentityProviderService.ListUsers")
                    })
                    .collect::<Vec<_>>();
                assert_eq!(list.len(), 2);
                let body: Value = serde_json::from_slice(&list[1].body).unwrap();
                assert_eq!(body["PaginationToken"], "p1");
                assert_eq!(body["UserPoolId"], "eu-west-1_pool");
                for r in &seen {
                    assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.1"));
                    let auth = r.header("authorization").unwrap();
                    assert!(
                        auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
                        "{auth}"
                    );
                    assert!(
                        auth.contains("/eu-west-1/cognito-idp/aws4_request"),
                        "{auth}"
                    );
                }
            }
            Idp::Keycloak => {
                assert!(
                    has("/admin/realms/r/users?briefRepresentation=false&first=0&max=100"),
                    "{targets:?}"
                );
                assert!(
                    has("/realms/r/protocol/openid-connect/token"),
                    "{targets:?}"
                );
            }
        }
    }
}

#[test]
fn a_5xx_that_persists_or_malformed_json_is_an_incomplete_listing() {
    for idp in ALL {
        for bad in [
            Reply::new(500, "oops"),
            Reply::new(200, "{\"value\": [trunc"),
        ] {
            let s = ScriptedServer::start();
            tokens(&s, idp);
            two_groups(&s, idp);
            let (pages, _) = idp.user_pages(&s, if idp == Idp::Keycloak { 150 } else { 3 });
            s.on(idp.users_key(), vec![pages[0].clone(), bad.clone()]);
            let time = FakeTime::new();
            let e = directory(idp, &s, &time).list_users(&[]).unwrap_err();
            assert_eq!(e.kind(), DirectoryErrorKind::Incomplete, "{idp:?}: {e}");
            assert_no_secret(&e.to_string());
            assert_no_secret(&format!("{e:?}"));
        }
    }
}

#[test]
fn bad_credentials_are_an_auth_error_naming_no_secret() {
    for idp in ALL {
        let s = ScriptedServer::start();
        idp.refuse_credentials(&s);
        let time = FakeTime::new();
        let d = directory(idp, &s, &time);
        let e = d.list_users(&[]).unwrap_err();
        assert_eq!(e.kind(), DirectoryErrorKind::Auth, "{idp:?}: {e}");
        assert_no_secret(&e.to_string());
        assert_no_secret(&format!("{e:?}"));
        let e = d.lookup("email", "u000@example.com").unwrap_err();
        assert_eq!(e.kind(), DirectoryErrorKind::Auth, "{idp:?}: {e}");
        assert_no_secret(&e.to_string());
    }
}

#[test]
fn a_403_names_the_missing_permission() {
    for idp in ALL {
        let s = ScriptedServer::start();
        tokens(&s, idp);
        let body = match idp {
            Idp::Cognito => r#"{"__type":"AccessDeniedException","message":"not authorized"}"#,
            _ => r#"{"error":{"code":"Authorization_RequestDenied"}}"#,
        };
        let key = if idp == Idp::Cognito {
            "/#ListGroups"
        } else {
            idp.groups_key()
        };
        s.on(
            key,
            vec![Reply::new(
                if idp == Idp::Cognito { 400 } else { 403 },
                body,
            )],
        );
        let time = FakeTime::new();
        let e = directory(idp, &s, &time).list_users(&[]).unwrap_err();
        assert_eq!(e.kind(), DirectoryErrorKind::Permission, "{idp:?}: {e}");
        let text = e.to_string();
        let names = match idp {
            Idp::Graph => "User.Read.All",
            Idp::Okta => "Read-Only Administrator",
            Idp::Google => "admin.directory.user.readonly",
            Idp::Cognito => "cognito-idp:ListUsers",
            Idp::Keycloak => "view-users",
        };
        assert!(text.contains(names), "{idp:?}: {text}");
    }
}

#[test]
fn a_missing_required_group_is_not_found_and_nothing_is_listed() {
    for idp in ALL {
        let s = ScriptedServer::start();
        tokens(&s, idp);
        two_groups(&s, idp);
        let (pages, _) = idp.user_pages(&s, 3);
        s.on(idp.users_key(), pages);
        let missing = match idp {
            Idp::Cognito => {
                // ListUsersInGroup: g1's members, g2's members, then the missing group.
                let m = |ids: &[&str]| {
                    idp.page(
                        &s,
                        "/#ListUsersInGroup",
                        ids.iter()
                            .map(|i| idp.member(i, &format!("{i}@example.com")))
                            .collect(),
                        None,
                    )
                };
                s.on("/#ListUsersInGroup", vec![
                    m(&["u000", "u001"]), m(&["u001"]),
                    Reply::new(400, r#"{"__type":"ResourceNotFoundException","message":"Group not found."}"#),
                ]);
                "nope"
            }
            _ => "nope",
        };
        let time = FakeTime::new();
        let d = directory(idp, &s, &time);
        // g1 exists: its members only.
        if idp != Idp::Cognito {
            let l = d
                .list_users(&["g1".to_string()])
                .unwrap_or_else(|e| panic!("{idp:?}: {e}"));
            let got: Vec<&str> = l.users.iter().map(|u| u.idp_id.as_str()).collect();
            assert_eq!(got, ["u000", "u001"], "{idp:?}");
        }
        let e = d.list_users(&[missing.to_string()]).unwrap_err();
        assert_eq!(e.kind(), DirectoryErrorKind::NotFound, "{idp:?}: {e}");
        assert!(
            e.to_string()
                .contains("required group `nope` does not exist"),
            "{e}"
        );
    }
}

fn lookup_script(s: &ScriptedServer, idp: Idp, users: Vec<Value>) {
    let key = match idp {
        Idp::Graph => "/v1.0/users".to_string(),
        Idp::Google => "/admin/directory/v1/users/Alice%40Example.com".to_string(),
        _ => idp.users_key().to_string(),
    };
    match idp {
        Idp::Graph | Idp::Google => match users.first() {
            Some(u) => s.on(&key, vec![Reply::json(u.clone())]),
            None => s.on(&key, vec![Reply::new(404, r#"{"error":{"code":404}}"#)]),
        },
        _ => s.on(&key, vec![idp.page(s, &key, users, None)]),
    }
    let groups_key = match idp {
        Idp::Graph => "/v1.0/users/a1/transitiveMemberOf/microsoft.graph.group",
        Idp::Okta => "/api/v1/users/a1/groups",
        Idp::Google => "/admin/directory/v1/groups",
        Idp::Cognito => "/#AdminListGroupsForUser",
        Idp::Keycloak => "/admin/realms/r/users/a1/groups",
    };
    s.on(
        groups_key,
        vec![idp.page(s, groups_key, vec![idp.group("g1", "Jira Users")], None)],
    );
}

#[test]
fn a_lookup_finds_one_user_case_insensitively_with_their_groups() {
    for idp in ALL {
        let s = ScriptedServer::start();
        tokens(&s, idp);
        if idp == Idp::Graph {
            // By UPN: GET /users/{upn}.
            s.on(
                "/v1.0/users/Alice%40Example.com",
                vec![Reply::json(idp.user("a1", "alice@example.com", true))],
            );
        }
        lookup_script(&s, idp, vec![idp.user("a1", "alice@example.com", true)]);
        let time = FakeTime::new();
        let attribute = if idp == Idp::Graph { "upn" } else { "email" };
        let u: IdpUser = directory(idp, &s, &time)
            .lookup(attribute, "Alice@Example.com")
            .unwrap_or_else(|e| panic!("{idp:?}: {e}"))
            .unwrap_or_else(|| panic!("{idp:?}: not found"));
        assert_eq!(u.idp_id, "a1", "{idp:?}");
        assert_eq!(u.username, "alice@example.com", "{idp:?}");
        assert_eq!(u.groups, [idp.group_name("g1", "Jira Users")], "{idp:?}");
        assert!(u.active);
        let targets: Vec<String> = s.seen().iter().map(|r| r.target.clone()).collect();
        match idp {
            Idp::Okta => assert!(
                targets
                    .iter()
                    .any(|t| t.contains("search=profile.email%20eq%20%22Alice%40Example.com%22")),
                "{targets:?}"
            ),
            Idp::Keycloak => assert!(
                targets
                    .iter()
                    .any(|t| t.contains("email=Alice%40Example.com&exact=true")),
                "{targets:?}"
            ),
            Idp::Google => assert!(
                targets.iter().any(|t| t.contains("groups?userKey=a1")),
                "{targets:?}"
            ),
            Idp::Cognito => {
                let filters: Vec<Value> = s
                    .seen()
                    .iter()
                    .filter(|r| {
                        r.header("x-amz-target")
                            .is_some_and(|t| t.ends_with(".ListUsers"))
                    })
                    .map(|r| serde_json::from_slice::<Value>(&r.body).unwrap()["Filter"].clone())
                    .collect();
                assert_eq!(filters, [json!("email = \"Alice@Example.com\"")]);
            }
            Idp::Graph => {}
        }
    }
}

#[test]
fn a_lookup_of_nobody_is_none_and_of_several_is_ambiguous() {
    for idp in ALL {
        let s = ScriptedServer::start();
        tokens(&s, idp);
        if idp == Idp::Graph {
            s.on(
                "/v1.0/users/nobody%40example.com",
                vec![Reply::new(
                    404,
                    r#"{"error":{"code":"Request_ResourceNotFound"}}"#,
                )],
            );
        }
        lookup_script(&s, idp, vec![]);
        let time = FakeTime::new();
        let attribute = if idp == Idp::Graph { "upn" } else { "email" };
        let d = directory(idp, &s, &time);
        let value = if idp == Idp::Google {
            "Alice@Example.com"
        } else {
            "nobody@example.com"
        };
        assert_eq!(d.lookup(attribute, value).unwrap(), None, "{idp:?}");

        if matches!(idp, Idp::Okta | Idp::Cognito | Idp::Keycloak) {
            let s = ScriptedServer::start();
            tokens(&s, idp);
            lookup_script(
                &s,
                idp,
                vec![
                    idp.user("a1", "alice@example.com", true),
                    idp.user("a2", "ALICE@example.com", true),
                    // Another address the search matched loosely: not counted.
                    idp.user("a3", "alice@example.co", true),
                ],
            );
            let e = directory(idp, &s, &time)
                .lookup("email", "alice@example.com")
                .unwrap_err();
            assert_eq!(e.kind(), DirectoryErrorKind::Ambiguous, "{idp:?}: {e}");
            assert!(e.to_string().contains("ambiguous: 2 users"), "{e}");
        }
    }
}

#[test]
fn a_disabled_user_is_reported_inactive() {
    for idp in ALL {
        let s = ScriptedServer::start();
        tokens(&s, idp);
        if idp == Idp::Graph {
            s.on(
                "/v1.0/users/Alice%40Example.com",
                vec![Reply::json(idp.user("a1", "alice@example.com", false))],
            );
        }
        lookup_script(&s, idp, vec![idp.user("a1", "alice@example.com", false)]);
        let time = FakeTime::new();
        let attribute = if idp == Idp::Graph { "upn" } else { "email" };
        let u = directory(idp, &s, &time)
            .lookup(attribute, "Alice@Example.com")
            .unwrap()
            .unwrap();
        assert!(!u.active, "{idp:?}");
    }
}

#[test]
fn graph_guest_upns_are_percent_encoded_and_oids_looked_up_directly() {
    let idp = Idp::Graph;
    let s = ScriptedServer::start();
    tokens(&s, idp);
    let upn = "alice_fabrikam.com#EXT#@contoso.onmicrosoft.com";
    s.on(
        "/v1.0/users/alice_fabrikam.com%23EXT%23%40contoso.onmicrosoft.com",
        vec![Reply::json(idp.user("a1", upn, true))],
    );
    s.on(
        "/v1.0/users/a1/transitiveMemberOf/microsoft.graph.group",
        vec![Reply::json(json!({"value": []}))],
    );
    s.on(
        "/v1.0/users/0000-oid",
        vec![Reply::json(idp.user("a1", upn, true))],
    );
    let time = FakeTime::new();
    let d = directory(idp, &s, &time);
    assert_eq!(d.lookup("upn", upn).unwrap().unwrap().idp_id, "a1");
    assert_eq!(d.lookup("oid", "0000-oid").unwrap().unwrap().idp_id, "a1");
}

#[test]
fn keycloak_group_members_include_subgroups() {
    let idp = Idp::Keycloak;
    let s = ScriptedServer::start();
    tokens(&s, idp);
    s.on(
        "/admin/realms/r/groups",
        vec![Reply::json(json!([
            {"id": "eng", "name": "eng", "path": "/eng", "subGroupCount": 1}
        ]))],
    );
    s.on(
        "/admin/realms/r/groups/eng/children",
        vec![Reply::json(json!([
            {"id": "be", "name": "backend", "path": "/eng/backend", "subGroupCount": 0}
        ]))],
    );
    s.on(
        "/admin/realms/r/groups/be/children",
        vec![Reply::json(json!([]))],
    );
    s.on(
        "/admin/realms/r/groups/eng/members",
        vec![Reply::json(json!([idp.user("u1", "u1@example.com", true)]))],
    );
    s.on(
        "/admin/realms/r/groups/be/members",
        vec![Reply::json(json!([idp.user("u2", "u2@example.com", true)]))],
    );
    let time = FakeTime::new();
    let l = directory(idp, &s, &time)
        .list_users(&["eng".to_string()])
        .unwrap();
    let got: Vec<(&str, Vec<String>)> = l
        .users
        .iter()
        .map(|u| (u.idp_id.as_str(), u.groups.clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("u1", vec!["eng".to_string()]),
            ("u2", vec!["backend".to_string(), "eng".to_string()]),
        ]
    );
    assert_eq!(l.groups, ["backend", "eng"]);
}

#[test]
fn cognito_and_moto_errors_are_connector_errors() {
    let idp = Idp::Cognito;
    for (status, body, kind) in [
        (400, r#"{"__type":"InvalidSignatureException","message":"sig"}"#, DirectoryErrorKind::Auth),
        (403, "<?xml version=\"1.0\"?><ErrorResponse><Error><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>", DirectoryErrorKind::Auth),
        (400, r#"{"__type":"ResourceNotFoundException","message":"pool"}"#, DirectoryErrorKind::NotFound),
    ] {
        let s = ScriptedServer::start();
        s.on("/", vec![Reply::new(status, body)]);
        let time = FakeTime::new();
        let e = directory(idp, &s, &time).list_users(&[]).unwrap_err();
        assert_eq!(e.kind(), kind, "{body}: {e}");
        assert_no_secret(&e.to_string());
    }
    // AdminGetUser: a lookup by username; UserNotFoundException is nobody.
    let s = ScriptedServer::start();
    s.on(
        "/#AdminGetUser",
        vec![Reply::new(
            400,
            r#"{"__type":"UserNotFoundException","message":"User does not exist."}"#,
        )],
    );
    let time = FakeTime::new();
    assert_eq!(
        directory(idp, &s, &time)
            .lookup("username", "ghost")
            .unwrap(),
        None
    );
}

#[test]
fn an_unreachable_service_is_unavailable() {
    let time = FakeTime::new();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = json!({"type": "okta", "org_url": format!("http://127.0.0.1:{port}"), "api_token": SECRETS[1]});
    let config = ConnectorConfig::from_json(c).unwrap();
    let d = connect(&config, &[], options(&time)).unwrap();
    let e = d.lookup("email", "a@example.com").unwrap_err();
    assert_eq!(e.kind(), DirectoryErrorKind::Unavailable, "{e}");
    assert_no_secret(&e.to_string());
}

#[test]
fn a_google_key_that_is_not_rsa_is_refused_at_connect() {
    let s = ScriptedServer::start();
    let mut c = Idp::Google.connector(&s);
    c["service_account"]["private_key"] =
        json!("-----BEGIN PRIVATE KEY-----\nMIIEow-not-a-key\n-----END PRIVATE KEY-----\n");
    let config = ConnectorConfig::from_json(c).unwrap();
    let time = FakeTime::new();
    let e = connect(&config, &[], options(&time)).err().unwrap();
    assert_eq!(e.kind(), DirectoryErrorKind::Auth);
    assert!(e.to_string().contains("private_key"), "{e}");
    assert_no_secret(&e.to_string());
}

/// The pure half of a listing (what the fuzz target `connector_page` drives).
#[test]
fn pages_parse_as_each_api_shapes_them() {
    use albauth::directory::connector::{parse_page, PageOf};
    use albauth::directory::ConnectorKind;
    use albauth::net::{Request, Response};
    let resp = |body: Value, headers: Vec<(String, String)>| Response {
        status: 200,
        headers,
        body: body.to_string().into_bytes(),
    };
    let get = Request::get("https://idp.example.com/v1.0/users?$top=999");
    let graph = parse_page(
        ConnectorKind::Graph,
        PageOf::Users,
        &get,
        &resp(
            json!({"value": [Idp::Graph.user("u1", "a@x", true)],
                   "@odata.nextLink": "https://idp.example.com/v1.0/users?$skiptoken=2"}),
            vec![],
        ),
    )
    .unwrap();
    assert_eq!(graph.users[0].idp_id, "u1");
    assert_eq!(
        graph.next.as_deref(),
        Some("https://idp.example.com/v1.0/users?$skiptoken=2")
    );
    let off_host = parse_page(
        ConnectorKind::Graph,
        PageOf::Users,
        &get,
        &resp(
            json!({"value": [], "@odata.nextLink": "https://evil.example/steal"}),
            vec![],
        ),
    );
    assert!(off_host.is_err());
    let okta = parse_page(
        ConnectorKind::Okta,
        PageOf::Groups,
        &get,
        &resp(
            json!([Idp::Okta.group("g1", "Jira Users")]),
            vec![(
                "link".into(),
                "<https://idp.example.com/api/v1/groups?after=g1>; rel=\"next\"".into(),
            )],
        ),
    )
    .unwrap();
    assert_eq!(okta.groups, ["Jira Users"]);
    assert!(okta.next.is_some());
    let google = parse_page(
        ConnectorKind::Google,
        PageOf::Members,
        &get,
        &resp(json!({"kind": "x"}), vec![]),
    )
    .unwrap();
    assert_eq!((google.items, google.next), (0, None));
    let cognito = parse_page(
        ConnectorKind::Cognito,
        PageOf::Users,
        &Request::post(
            "https://idp.example.com/",
            "application/x-amz-json-1.1",
            "{}",
        ),
        &resp(
            json!({"Users": [Idp::Cognito.user("s1", "a@x", false)], "PaginationToken": "t"}),
            vec![],
        ),
    )
    .unwrap();
    assert!(!cognito.users[0].active);
    assert!(parse_page(
        ConnectorKind::Keycloak,
        PageOf::Users,
        &get,
        &resp(json!({"not": "a list"}), vec![])
    )
    .is_err());
}

/// moto's server mode (PyPI `moto[server]`, a third-party Cognito emulator) on 127.0.0.1,
/// stopped on drop.
struct Moto {
    child: std::process::Child,
    url: String,
}

impl Moto {
    fn start() -> Moto {
        use std::io::{BufRead, BufReader};
        let mut child = std::process::Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p0"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("moto_server (pip install 'moto[server]'; .ci/install.sh does)");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(at) = line.find("http://127.0.0.1:") {
                    let _ = tx.send(line[at..].trim().to_string());
                }
            }
        });
        let url = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("moto_server reports its address");
        Moto { child, url }
    }

    /// One Cognito call, signed as the connector signs (moto accepts any credentials).
    fn call(&self, op: &str, body: Value) -> Value {
        use albauth::net::sigv4::{sign, Credentials};
        let mut req = albauth::net::Request::post(
            format!("{}/", self.url),
            "application/x-amz-json-1.1",
            body.to_string(),
        )
        .header(
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{op}"),
        );
        let creds = Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: albauth::net::Secret::new(SECRETS[2]),
            session_token: None,
        };
        sign(
            &mut req,
            &creds,
            "us-east-1",
            "cognito-idp",
            SystemTime::now(),
        )
        .unwrap();
        let resp = HttpClient::new(HttpConfig::default()).send(&req).unwrap();
        assert!(
            resp.is_success(),
            "{op}: {}",
            String::from_utf8_lossy(&resp.body)
        );
        resp.json().unwrap_or(Value::Null)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Cognito against moto: users and groups created through its API, then looked up and listed
/// by the connector (SigV4, JSON 1.1, `Filter`, `AdminListGroupsForUser`, `ListUsersInGroup`,
/// `ResourceNotFoundException` for a missing group).
#[test]
fn cognito_against_moto_server() {
    let moto = Moto::start();
    let pool = moto.call("CreateUserPool", json!({"PoolName": "albauth"}));
    let pool = pool["UserPool"]["Id"].as_str().unwrap().to_string();
    for (user, name) in [
        ("alice@example.com", "Alice"),
        ("bob@example.com", "Bob"),
        ("carol@example.com", "Carol"),
    ] {
        moto.call(
            "AdminCreateUser",
            json!({"UserPoolId": pool, "Username": user, "MessageAction": "SUPPRESS",
                   "UserAttributes": [{"Name": "email", "Value": user}, {"Name": "name", "Value": name}]}),
        );
    }
    moto.call(
        "AdminDisableUser",
        json!({"UserPoolId": pool, "Username": "carol@example.com"}),
    );
    moto.call(
        "CreateGroup",
        json!({"UserPoolId": pool, "GroupName": "jira-users"}),
    );
    moto.call(
        "CreateGroup",
        json!({"UserPoolId": pool, "GroupName": "admins"}),
    );
    for (user, group) in [
        ("alice@example.com", "jira-users"),
        ("bob@example.com", "jira-users"),
        ("alice@example.com", "admins"),
    ] {
        moto.call(
            "AdminAddUserToGroup",
            json!({"UserPoolId": pool, "Username": user, "GroupName": group}),
        );
    }

    let config = ConnectorConfig::from_json(json!({"type": "cognito", "region": "us-east-1",
        "user_pool_id": pool, "access_key_id": "AKIDEXAMPLE", "secret_access_key": SECRETS[2],
        "endpoint_url": moto.url}))
    .unwrap();
    let time = Arc::new(FakeTime {
        now: Mutex::new(SystemTime::now()),
        slept: Mutex::new(Vec::new()),
    });
    let d = connect(&config, &[], options(&time)).unwrap();

    let alice = d
        .lookup("email", "Alice@Example.com")
        .unwrap()
        .expect("alice");
    assert_eq!(alice.username, "alice@example.com");
    assert_eq!(alice.display_name.as_deref(), Some("Alice"));
    assert_eq!(alice.groups, ["admins", "jira-users"]);
    assert!(alice.active);
    assert!(
        !d.lookup("email", "carol@example.com")
            .unwrap()
            .unwrap()
            .active
    );
    assert_eq!(d.lookup("email", "nobody@example.com").unwrap(), None);
    assert_eq!(d.lookup("username", "nobody@example.com").unwrap(), None);

    let l = d.list_users(&[]).unwrap();
    let mut got: Vec<(String, bool, Vec<String>)> = l
        .users
        .iter()
        .map(|u| (u.username.clone(), u.active, u.groups.clone()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            (
                "alice@example.com".to_string(),
                true,
                vec!["admins".to_string(), "jira-users".to_string()]
            ),
            (
                "bob@example.com".to_string(),
                true,
                vec!["jira-users".to_string()]
            ),
            ("carol@example.com".to_string(), false, vec![]),
        ]
    );
    assert_eq!(l.groups, ["admins", "jira-users"]);
    let members = d.list_users(&["jira-users".to_string()]).unwrap();
    assert_eq!(members.users.len(), 2);
    let e = d.list_users(&["nope".to_string()]).unwrap_err();
    assert_eq!(e.kind(), DirectoryErrorKind::NotFound, "{e}");
}

/// A token endpoint answering 5xx is retried (with backoff) before the listing goes on; one
/// still failing after the budget is a token error (`auth`), naming no secret.
#[test]
fn a_failing_token_endpoint_is_retried_then_an_auth_error() {
    for idp in [Idp::Graph, Idp::Google, Idp::Keycloak] {
        let s = ScriptedServer::start();
        let t = idp.token_path().unwrap();
        s.on(
            t,
            vec![
                Reply::new(503, "busy"),
                Reply::json(json!({"access_token": "tok-1", "expires_in": 3600})),
            ],
        );
        two_groups(&s, idp);
        let (pages, _) = idp.user_pages(&s, 3);
        s.on(idp.users_key(), pages);
        let time = FakeTime::new();
        directory(idp, &s, &time)
            .list_users(&[])
            .unwrap_or_else(|e| panic!("{idp:?}: {e}"));
        assert_eq!(s.hits(t), 2, "{idp:?}");
        assert_eq!(time.slept().len(), 1, "{idp:?}");

        let s = ScriptedServer::start();
        s.on(t, vec![Reply::new(500, "down")]);
        let time = FakeTime::new();
        let e = directory(idp, &s, &time).list_users(&[]).unwrap_err();
        assert_eq!(e.kind(), DirectoryErrorKind::Auth, "{idp:?}: {e}");
        assert!(e.to_string().contains("still failing"), "{e}");
        assert_eq!(s.hits(t), 4, "{idp:?}: 4 attempts");
        assert_no_secret(&e.to_string());
    }
}

#[test]
fn okta_listings_include_deprovisioned_users_as_inactive() {
    let idp = Idp::Okta;
    let s = ScriptedServer::start();
    s.on(idp.groups_key(), vec![Reply::json(json!([]))]);
    s.on(
        idp.users_key(),
        vec![Reply::json(json!([idp.user("u1", "a@x", true)]))],
    );
    let mut gone = idp.user("u2", "b@x", true);
    gone["status"] = json!("DEPROVISIONED");
    s.on(OKTA_DEPROVISIONED, vec![Reply::json(json!([gone]))]);
    let time = FakeTime::new();
    let l = directory(idp, &s, &time).list_users(&[]).unwrap();
    let got: Vec<(&str, bool)> = l
        .users
        .iter()
        .map(|u| (u.idp_id.as_str(), u.active))
        .collect();
    assert_eq!(got, [("u1", true), ("u2", false)]);
}
