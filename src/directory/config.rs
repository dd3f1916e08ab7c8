//! The `directory_sync` section: which IdP directory albauth reads (the `connector`) and how a
//! full sync treats what it finds. Parsing only: no connector talks to anything here.
//!
//! Every URL field is a service root defaulting to the real service; `http` is accepted only
//! for loopback hosts (tests and emulators), anything else is a config error. Secrets are kept
//! in [`Secret`], which never prints. Errors name the field as
//! `directory_sync.connector.<field>` (or `directory_sync.<field>`) and never quote a value.

use serde_json::{Map, Value};

use crate::config::url::check_url_template;
use crate::error::{Error, Result};

/// A credential from the config: compared and sent, never printed (`Debug` shows `***`); the
/// one secret type of the networking layer.
pub use crate::net::oauth::Secret;

/// Which IdP API a connector speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectorKind {
    /// Microsoft Graph (Entra ID).
    Graph,
    /// Okta's management API.
    Okta,
    /// Google Workspace Admin SDK Directory API.
    Google,
    /// Amazon Cognito user pools.
    Cognito,
    /// Keycloak's admin REST API.
    Keycloak,
}

impl ConnectorKind {
    /// Every kind, in the order the docs list them.
    pub const ALL: [ConnectorKind; 5] = [
        ConnectorKind::Graph,
        ConnectorKind::Okta,
        ConnectorKind::Google,
        ConnectorKind::Cognito,
        ConnectorKind::Keycloak,
    ];

    /// The `type` as written in config.
    pub fn name(self) -> &'static str {
        match self {
            ConnectorKind::Graph => "graph",
            ConnectorKind::Okta => "okta",
            ConnectorKind::Google => "google",
            ConnectorKind::Cognito => "cognito",
            ConnectorKind::Keycloak => "keycloak",
        }
    }

    fn from_name(name: &str) -> Option<ConnectorKind> {
        ConnectorKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// A Google service account key (the JSON file Google issues), the fields albauth uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceAccount {
    /// `client_email`: the account the JWT is issued by.
    pub client_email: String,
    /// `private_key`: the RSA key (PKCS#8 PEM) the JWT is signed with.
    pub private_key: Secret,
    /// `token_uri` from the key, if any (`token_url` in the config wins over it).
    pub token_uri: Option<String>,
}

/// How to reach one IdP's directory: the `directory_sync.connector` object.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Connector {
    /// `{"type": "graph", "tenant_id", "client_id", "client_secret", "authority_url", "graph_url"}`.
    Graph {
        /// Entra tenant id (or domain).
        tenant_id: String,
        /// App registration's client id.
        client_id: String,
        /// Its client secret.
        client_secret: Secret,
        /// Login authority root (default `https://login.microsoftonline.com`; the client adds
        /// `/{tenant_id}/oauth2/v2.0/token`).
        authority_url: String,
        /// Graph root (default `https://graph.microsoft.com`; the client adds `/v1.0`).
        graph_url: String,
    },
    /// `{"type": "okta", "org_url", "api_token"}`.
    Okta {
        /// The org, e.g. `https://example.okta.com`.
        org_url: String,
        /// An API token (`Authorization: SSWS ...`).
        api_token: Secret,
    },
    /// `{"type": "google", "service_account", "admin_subject", "customer", "token_url", "api_url"}`.
    Google {
        /// The service account key, inline (an object, or a string holding one).
        service_account: ServiceAccount,
        /// The Workspace admin the service account acts for (domain-wide delegation).
        admin_subject: String,
        /// The customer (default `my_customer`).
        customer: String,
        /// The token URL: `token_url`, else the key's `token_uri`, else
        /// `https://oauth2.googleapis.com/token`; also the JWT's `aud`.
        token_url: String,
        /// API root (default `https://admin.googleapis.com`; the client adds `/admin/directory/v1`).
        api_url: String,
    },
    /// `{"type": "cognito", "region", "user_pool_id", "access_key_id", "secret_access_key", "endpoint_url"}`.
    Cognito {
        /// The pool's region, e.g. `eu-west-1`.
        region: String,
        /// The pool id, `{region}_{id}`.
        user_pool_id: String,
        /// AWS access key id (SigV4).
        access_key_id: String,
        /// Its secret.
        secret_access_key: Secret,
        /// Endpoint (default `https://cognito-idp.{region}.amazonaws.com`).
        endpoint_url: String,
    },
    /// `{"type": "keycloak", "base_url", "realm", "client_id", "client_secret"}`.
    Keycloak {
        /// Server root, with any legacy `/auth` prefix.
        base_url: String,
        /// The realm.
        realm: String,
        /// A client with service-account roles to read users.
        client_id: String,
        /// Its secret.
        client_secret: Secret,
    },
}

/// The connector and the mapping options every connector shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorConfig {
    /// How to reach the directory.
    pub connector: Connector,
    /// `username_attribute`: a dotted path into the IdP's user JSON (`profile.login`) that
    /// overrides the connector's username field; then `username_transforms` apply.
    pub username_attribute: Option<String>,
}

impl ConnectorConfig {
    /// Which API the connector speaks.
    pub fn kind(&self) -> ConnectorKind {
        match &self.connector {
            Connector::Graph { .. } => ConnectorKind::Graph,
            Connector::Okta { .. } => ConnectorKind::Okta,
            Connector::Google { .. } => ConnectorKind::Google,
            Connector::Cognito { .. } => ConnectorKind::Cognito,
            Connector::Keycloak { .. } => ConnectorKind::Keycloak,
        }
    }
}

/// What a full sync does with a host user the IdP no longer lists (or who left the required
/// groups).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnMissing {
    /// Deactivate (the default; nothing when already inactive).
    #[default]
    Deactivate,
    /// Delete the account.
    Delete,
    /// Replace name and e-mail with a pseudonym and deactivate; the IdP id is kept.
    Anonymize,
    /// Leave the account as it is.
    Keep,
}

/// `directory_sync`: the connector and the rules of a full sync (Step 9 reads the latter).
#[derive(Debug, Clone, PartialEq)]
pub struct DirectorySyncConfig {
    /// `connector` (required).
    pub connector: ConnectorConfig,
    /// `required_groups`: IdP group ids; only their (nested) members are synced. Empty: every user.
    pub required_groups: Vec<String>,
    /// `on_missing` (default `deactivate`).
    pub on_missing: OnMissing,
    /// `remove_groups_on_cleanup` (default false): a removed or IdP-disabled user also loses
    /// every managed group.
    pub remove_groups_on_cleanup: bool,
    /// `brake_percent` (default 10): a plan removing more than this share of the host users
    /// that carry an IdP id is refused without `--force`.
    pub brake_percent: f64,
    /// `brake_count` (no default): a plan removing more than this many users is refused.
    pub brake_count: Option<u64>,
}

/// Every field of `directory_sync`.
pub const SYNC_FIELDS: &[&str] = &[
    "connector",
    "required_groups",
    "on_missing",
    "remove_groups_on_cleanup",
    "brake_percent",
    "brake_count",
];

/// The fields of each connector type (besides `type` and `username_attribute`).
fn connector_fields(kind: ConnectorKind) -> &'static [&'static str] {
    match kind {
        ConnectorKind::Graph => &[
            "tenant_id",
            "client_id",
            "client_secret",
            "authority_url",
            "graph_url",
        ],
        ConnectorKind::Okta => &["org_url", "api_token"],
        ConnectorKind::Google => &[
            "service_account",
            "admin_subject",
            "customer",
            "token_url",
            "api_url",
        ],
        ConnectorKind::Cognito => &[
            "region",
            "user_pool_id",
            "access_key_id",
            "secret_access_key",
            "endpoint_url",
        ],
        ConnectorKind::Keycloak => &["base_url", "realm", "client_id", "client_secret"],
    }
}

fn err(field: &str, why: impl std::fmt::Display) -> Error {
    Error::config(format!("`directory_sync.{field}`: {why}"))
}

/// One object's fields, taken one by one; whatever is left is unknown.
struct Section<'a> {
    prefix: &'a str,
    obj: Map<String, Value>,
}

impl Section<'_> {
    fn path(&self, field: &str) -> String {
        match self.prefix {
            "" => field.to_string(),
            p => format!("{p}.{field}"),
        }
    }

    fn string(&mut self, field: &str) -> Result<Option<String>> {
        match self.obj.remove(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s)),
            Some(Value::String(_)) => Err(err(&self.path(field), "must not be empty")),
            Some(_) => Err(err(&self.path(field), "expected a string")),
        }
    }

    fn required(&mut self, field: &str) -> Result<String> {
        self.string(field)?
            .ok_or_else(|| err(&self.path(field), "is required"))
    }

    fn secret(&mut self, field: &str) -> Result<Secret> {
        self.required(field).map(Secret::new)
    }

    /// A service root: https, or http on a loopback host; no trailing slash kept. Without a
    /// default the field is required.
    fn url(&mut self, field: &str, default: Option<&str>) -> Result<String> {
        let url = match (self.string(field)?, default) {
            (Some(url), _) => url,
            (None, Some(d)) => d.to_string(),
            (None, None) => return Err(err(&self.path(field), "is required")),
        };
        let name = format!("directory_sync.{}", self.path(field));
        check_url_template(&url, &name, false)?;
        if url.contains(['?', '{', '}']) {
            return Err(err(
                &self.path(field),
                "must be a plain URL (no query, no braces)",
            ));
        }
        Ok(url.trim_end_matches('/').to_string())
    }

    fn finish(self, known: &[&str]) -> Result<()> {
        match self.obj.keys().next() {
            None => Ok(()),
            Some(unknown) => Err(Error::config(format!(
                "unknown field `directory_sync.{}` (known fields: {})",
                self.path(&unknown.chars().take(64).collect::<String>()),
                known.join(", ")
            ))),
        }
    }
}

impl DirectorySyncConfig {
    /// Parses the `directory_sync` object. Unknown fields are refused.
    pub fn from_json(v: Value) -> Result<DirectorySyncConfig> {
        let Value::Object(obj) = v else {
            return Err(Error::config("`directory_sync`: expected an object"));
        };
        let mut s = Section { prefix: "", obj };
        let connector = match s.obj.remove("connector") {
            None | Some(Value::Null) => return Err(err("connector", "is required")),
            Some(v) => ConnectorConfig::from_json(v)?,
        };
        let required_groups = match s.obj.remove("required_groups") {
            None | Some(Value::Null) => Vec::new(),
            Some(v) => {
                let list: Vec<String> = serde_json::from_value(v)
                    .map_err(|_| err("required_groups", "expected a list of IdP group ids"))?;
                if list.iter().any(|g| g.trim().is_empty()) {
                    return Err(err("required_groups", "a group id is empty"));
                }
                list
            }
        };
        let on_missing = match s.string("on_missing")?.as_deref() {
            None | Some("deactivate") => OnMissing::Deactivate,
            Some("delete") => OnMissing::Delete,
            Some("anonymize") => OnMissing::Anonymize,
            Some("keep") => OnMissing::Keep,
            Some(_) => {
                return Err(err(
                    "on_missing",
                    "expected deactivate, delete, anonymize or keep",
                ))
            }
        };
        let remove_groups_on_cleanup = match s.obj.remove("remove_groups_on_cleanup") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => b,
            Some(_) => return Err(err("remove_groups_on_cleanup", "expected true or false")),
        };
        let brake_percent = match s.obj.remove("brake_percent") {
            None | Some(Value::Null) => 10.0,
            Some(Value::Number(n)) => match n.as_f64() {
                Some(p) if (0.0..=100.0).contains(&p) => p,
                _ => return Err(err("brake_percent", "must be a number from 0 to 100")),
            },
            Some(_) => return Err(err("brake_percent", "must be a number from 0 to 100")),
        };
        let brake_count = match s.obj.remove("brake_count") {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                v.as_u64()
                    .ok_or_else(|| err("brake_count", "must be a whole number, 0 or more"))?,
            ),
        };
        s.finish(SYNC_FIELDS)?;
        Ok(DirectorySyncConfig {
            connector,
            required_groups,
            on_missing,
            remove_groups_on_cleanup,
            brake_percent,
            brake_count,
        })
    }
}

impl ConnectorConfig {
    /// Parses a `directory_sync.connector` object.
    pub fn from_json(v: Value) -> Result<ConnectorConfig> {
        let Value::Object(obj) = v else {
            return Err(err("connector", "expected an object with a `type`"));
        };
        let mut s = Section {
            prefix: "connector",
            obj,
        };
        let kind_name = s.required("type")?;
        let kind = ConnectorKind::from_name(&kind_name).ok_or_else(|| {
            err(
                "connector.type",
                "expected graph, okta, google, cognito or keycloak",
            )
        })?;
        let username_attribute = s.string("username_attribute")?;
        if let Some(path) = &username_attribute {
            if path.split('.').any(str::is_empty) {
                return Err(err(
                    "connector.username_attribute",
                    "expected a dotted path such as profile.login",
                ));
            }
        }
        let connector = match kind {
            ConnectorKind::Graph => Connector::Graph {
                tenant_id: s.required("tenant_id")?,
                client_id: s.required("client_id")?,
                client_secret: s.secret("client_secret")?,
                authority_url: s.url("authority_url", Some("https://login.microsoftonline.com"))?,
                graph_url: s.url("graph_url", Some("https://graph.microsoft.com"))?,
            },
            ConnectorKind::Okta => Connector::Okta {
                org_url: s.url("org_url", None)?,
                api_token: s.secret("api_token")?,
            },
            ConnectorKind::Google => {
                let service_account = match s.obj.remove("service_account") {
                    None | Some(Value::Null) => {
                        return Err(err("connector.service_account", "is required"))
                    }
                    Some(v) => service_account(v)?,
                };
                let default_token = service_account
                    .token_uri
                    .clone()
                    .unwrap_or_else(|| "https://oauth2.googleapis.com/token".to_string());
                Connector::Google {
                    admin_subject: s.required("admin_subject")?,
                    customer: s
                        .string("customer")?
                        .unwrap_or_else(|| "my_customer".to_string()),
                    token_url: s.url("token_url", Some(&default_token))?,
                    api_url: s.url("api_url", Some("https://admin.googleapis.com"))?,
                    service_account,
                }
            }
            ConnectorKind::Cognito => {
                let region = s.required("region")?;
                if !is_region_name(&region) {
                    return Err(err(
                        "connector.region",
                        "expected an AWS region such as eu-west-1",
                    ));
                }
                let user_pool_id = s.required("user_pool_id")?;
                if !user_pool_id.starts_with(&format!("{region}_")) {
                    return Err(err(
                        "connector.user_pool_id",
                        "expected `{region}_{id}` for the configured region",
                    ));
                }
                let endpoint = format!("https://cognito-idp.{region}.amazonaws.com");
                Connector::Cognito {
                    access_key_id: s.required("access_key_id")?,
                    secret_access_key: s.secret("secret_access_key")?,
                    endpoint_url: s.url("endpoint_url", Some(&endpoint))?,
                    region,
                    user_pool_id,
                }
            }
            ConnectorKind::Keycloak => Connector::Keycloak {
                base_url: s.url("base_url", None)?,
                realm: s.required("realm")?,
                client_id: s.required("client_id")?,
                client_secret: s.secret("client_secret")?,
            },
        };
        let mut known = vec!["type", "username_attribute"];
        known.extend_from_slice(connector_fields(kind));
        s.finish(&known)?;
        Ok(ConnectorConfig {
            connector,
            username_attribute,
        })
    }
}

/// `eu-west-1`, `us-gov-west-1`, `cn-north-1`, `ap-southeast-4`: lower-case words joined by
/// `-`, ending in a number. Used in a host name, so nothing else may pass.
fn is_region_name(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1]
            .parse::<u8>()
            .is_ok_and(|n| n.to_string() == parts[parts.len() - 1])
}

fn service_account(v: Value) -> Result<ServiceAccount> {
    let field = "connector.service_account";
    let v = match v {
        Value::String(s) => serde_json::from_str(&s)
            .map_err(|_| err(field, "expected the service account's JSON key (an object)"))?,
        v => v,
    };
    let Value::Object(mut key) = v else {
        return Err(err(
            field,
            "expected the service account's JSON key (an object)",
        ));
    };
    let mut text = |name: &str| match key.remove(name) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s)),
        None | Some(Value::Null) => Ok(None),
        Some(_) => Err(err(&format!("{field}.{name}"), "expected a string")),
    };
    let client_email = text("client_email")?
        .ok_or_else(|| err(&format!("{field}.client_email"), "is required"))?;
    let private_key =
        text("private_key")?.ok_or_else(|| err(&format!("{field}.private_key"), "is required"))?;
    if !private_key.contains("-----BEGIN PRIVATE KEY-----") {
        return Err(err(
            &format!("{field}.private_key"),
            "expected a PKCS#8 PEM private key",
        ));
    }
    let token_uri = text("token_uri")?;
    if let Some(uri) = &token_uri {
        check_url_template(uri, &format!("directory_sync.{field}.token_uri"), false)?;
    }
    Ok(ServiceAccount {
        client_email,
        private_key: Secret::new(private_key),
        token_uri,
    })
}
