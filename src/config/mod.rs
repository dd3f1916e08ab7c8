//! Configuration: JSON in, a validated [`Config`] out. Every error names the field.
//!
//! Field names are a contract (README "Configuration"). Unknown fields are refused, as with
//! serde's `deny_unknown_fields`, but each field is read on its own so that an error always
//! names the field it is about. Every check is on by default; `issuer: null` and
//! `client_id: null` are the only opt-outs, and [`Config::warnings`] reports them.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{Map, Value};

mod arn;
pub mod templates;
mod url;

pub use arn::AlbArn;
use url::check_url_template;

use crate::error::{Error, Result};
use crate::verify::claims::Transform;
use templates::Template;

/// Default `clock_skew_secs`.
pub const DEFAULT_CLOCK_SKEW_SECS: u64 = 30;
/// Largest `clock_skew_secs` accepted.
pub const MAX_CLOCK_SKEW_SECS: u64 = 300;

/// The verifier's configuration (see README "Configuration" for every field and default).
#[derive(Debug, Clone)]
pub struct Config {
    /// `trusted_albs`: the ALBs whose `signer` is accepted. Required, non-empty.
    pub trusted_albs: Vec<AlbArn>,
    /// `issuer`: accepted `iss` values; `None` = explicitly not checked (`null`).
    pub issuer: Option<Vec<String>>,
    /// `client_id`: accepted `client` values; `None` = explicitly not checked (`null`).
    pub client_id: Option<Vec<String>>,
    /// `template`: the IdP (default `other`).
    pub template: Template,
    /// `token_header`: where the username is read (default from the template).
    pub token_header: String,
    /// `username_claim` (default from the template).
    pub username_claim: String,
    /// `display_name_claim` (default `name`).
    pub display_name_claim: String,
    /// `email_claim` (default `email`).
    pub email_claim: String,
    /// `groups_claim` (default none: no groups).
    pub groups_claim: Option<String>,
    /// `username_transforms`, applied in order.
    pub username_transforms: Vec<Transform>,
    /// `clock_skew_secs` (default 30, at most 300).
    pub clock_skew_secs: u64,
    /// `key_url`: template with `{region}` and `{kid}`; `None` = the AWS default per
    /// partition, or no network at all when `pinned_keys` is set.
    pub key_url: Option<String>,
    /// `pinned_keys`: kid to PEM, known up front.
    pub pinned_keys: BTreeMap<String, String>,
    /// `key_cache_size`: most ALB keys kept (default 64).
    pub key_cache_size: usize,
    /// `token_cache_size`: most verified tokens kept (default 10000; 0 disables).
    pub token_cache_size: usize,
    /// `key_fetch_timeout_ms`: connect and read timeout of each fetch (default 2000).
    pub key_fetch_timeout_ms: u64,
    /// `key_fetch_max_bytes`: largest key or JWKS response read (default 65536).
    pub key_fetch_max_bytes: usize,
    /// `key_fetch_backoff_secs`: how long a failed or unknown kid is refused without a
    /// new fetch (default 10).
    pub key_fetch_backoff_secs: u64,
    /// `key_fetch_max_per_minute`: outbound fetches allowed per minute, all kids together
    /// (default 60).
    pub key_fetch_max_per_minute: u32,
    /// `access_token_jwks_url`: JWKS for the access token (default for `azure`: the tenant's).
    pub access_token_jwks_url: Option<String>,
    /// `access_token_issuer`: accepted access-token `iss` (default for `azure`: the tenant's
    /// v1 and v2 issuers); `None` = explicitly not checked (`null`).
    pub access_token_issuer: Option<Vec<String>>,
    /// `tenant_id`: Entra tenant; the access token's `tid` must equal it (default for
    /// `azure`: taken from `issuer`).
    pub tenant_id: Option<String>,
    /// `access_token_refresh_secs`: least time between JWKS refreshes caused by an unknown
    /// kid (default 60).
    pub access_token_refresh_secs: u64,
}

/// Every field a config may have.
pub const FIELDS: &[&str] = &[
    "trusted_albs",
    "issuer",
    "client_id",
    "template",
    "token_header",
    "username_claim",
    "display_name_claim",
    "email_claim",
    "groups_claim",
    "username_transforms",
    "clock_skew_secs",
    "key_url",
    "pinned_keys",
    "key_cache_size",
    "token_cache_size",
    "key_fetch_timeout_ms",
    "key_fetch_max_bytes",
    "key_fetch_backoff_secs",
    "key_fetch_max_per_minute",
    "access_token_jwks_url",
    "access_token_issuer",
    "tenant_id",
    "access_token_refresh_secs",
];

/// Largest config accepted (1 MiB): config files are small, a huge one is a mistake.
const MAX_CONFIG_BYTES: usize = 1 << 20;

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

struct Fields {
    obj: Map<String, Value>,
}

impl Fields {
    /// Takes a field; `Ok(None)` when absent. JSON `null` counts as absent here.
    fn opt<T: DeserializeOwned>(&mut self, name: &str, expected: &str) -> Result<Option<T>> {
        match self.obj.remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => serde_json::from_value(v)
                .map(Some)
                .map_err(|e| Error::config(format!("`{name}`: expected {expected} ({e})"))),
        }
    }

    /// A field that must be present; JSON `null` is the explicit opt-out (`Ok(None)`).
    fn nullable_list(&mut self, name: &str) -> Result<Option<Vec<String>>> {
        match self.obj.remove(name) {
            None => Err(Error::config(format!(
                "`{name}` is required (a string, a list of strings, or null to explicitly skip the check)"
            ))),
            Some(Value::Null) => Ok(None),
            Some(v) => {
                let list = match serde_json::from_value::<OneOrMany>(v) {
                    Ok(OneOrMany::One(s)) => vec![s],
                    Ok(OneOrMany::Many(l)) => l,
                    Err(_) => {
                        return Err(Error::config(format!(
                            "`{name}`: expected a string, a list of strings, or null"
                        )))
                    }
                };
                if list.is_empty() || list.iter().any(|s| s.is_empty()) {
                    return Err(Error::config(format!(
                        "`{name}`: must not be empty (use null to explicitly skip the check)"
                    )));
                }
                Ok(Some(list))
            }
        }
    }
}

fn bounded<T: PartialOrd + std::fmt::Display + Copy>(
    name: &str,
    value: T,
    min: T,
    max: T,
) -> Result<T> {
    if value < min || value > max {
        return Err(Error::config(format!(
            "`{name}`: {value} is out of range ({min} to {max})"
        )));
    }
    Ok(value)
}

impl Config {
    /// Parses and validates a JSON config.
    pub fn from_json(json: &str) -> Result<Config> {
        if json.len() > MAX_CONFIG_BYTES {
            return Err(Error::config("config is larger than 1 MiB"));
        }
        let value: Value = serde_json::from_str(json)
            .map_err(|e| Error::config(format!("config is not valid JSON: {e}")))?;
        let Value::Object(obj) = value else {
            return Err(Error::config("config must be a JSON object"));
        };
        let mut f = Fields { obj };

        let albs: Vec<String> = f
            .opt("trusted_albs", "a list of ALB ARNs")?
            .ok_or_else(|| Error::config("`trusted_albs` is required (a list of ALB ARNs)"))?;
        if albs.is_empty() {
            return Err(Error::config("`trusted_albs` must not be empty"));
        }
        let mut trusted_albs = Vec::with_capacity(albs.len());
        for (i, a) in albs.iter().enumerate() {
            let parsed = AlbArn::parse(a)
                .map_err(|why| Error::config(format!("`trusted_albs[{i}]` {why}")))?;
            trusted_albs.push(parsed);
        }

        let issuer = f.nullable_list("issuer")?;
        let client_id = f.nullable_list("client_id")?;
        let template: Template = f
            .opt(
                "template",
                "one of cognito, azure, okta, google, keycloak, other",
            )?
            .unwrap_or_default();
        let token_header: String = f
            .opt::<String>("token_header", "a header name")?
            .map(|h| h.to_ascii_lowercase())
            .unwrap_or_else(|| template.token_header().to_string());
        if token_header != templates::DATA_HEADER && token_header != templates::ACCESS_TOKEN_HEADER
        {
            return Err(Error::config(format!(
                "`token_header`: must be {} or {}",
                templates::DATA_HEADER,
                templates::ACCESS_TOKEN_HEADER
            )));
        }
        let username_claim = f
            .opt("username_claim", "a claim name")?
            .unwrap_or_else(|| template.username_claim().to_string());
        let display_name_claim = f
            .opt("display_name_claim", "a claim name")?
            .unwrap_or_else(|| "name".to_string());
        let email_claim = f
            .opt("email_claim", "a claim name")?
            .unwrap_or_else(|| "email".to_string());
        let groups_claim: Option<String> = f.opt("groups_claim", "a claim name")?;
        for (name, v) in [
            ("username_claim", Some(&username_claim)),
            ("display_name_claim", Some(&display_name_claim)),
            ("email_claim", Some(&email_claim)),
            ("groups_claim", groups_claim.as_ref()),
        ] {
            if v.is_some_and(|s| s.is_empty()) {
                return Err(Error::config(format!("`{name}` must not be empty")));
            }
        }

        let raw_transforms: Vec<Value> = f
            .opt("username_transforms", "a list of transforms")?
            .unwrap_or_default();
        let username_transforms = raw_transforms
            .iter()
            .enumerate()
            .map(|(i, v)| {
                Transform::from_json(v)
                    .map_err(|why| Error::config(format!("`username_transforms[{i}]`: {why}")))
            })
            .collect::<Result<Vec<_>>>()?;

        let clock_skew_secs = bounded(
            "clock_skew_secs",
            f.opt("clock_skew_secs", "a whole number of seconds")?
                .unwrap_or(DEFAULT_CLOCK_SKEW_SECS),
            0,
            MAX_CLOCK_SKEW_SECS,
        )?;

        let key_url: Option<String> = f.opt("key_url", "a URL template")?;
        if let Some(u) = &key_url {
            check_url_template(u, "key_url", true)?;
        }
        let pinned_keys: BTreeMap<String, String> = f
            .opt("pinned_keys", "an object of kid to PEM")?
            .unwrap_or_default();
        for (kid, pem) in &pinned_keys {
            if !crate::verify::token::is_uuid(kid) {
                return Err(Error::config(format!(
                    "`pinned_keys`: kid `{}` is not a UUID",
                    kid.chars().take(64).collect::<String>()
                )));
            }
            crate::keys::Es256Key::from_pem(pem.as_bytes())
                .map_err(|why| Error::config(format!("`pinned_keys[{kid}]`: {why}")))?;
        }

        let key_cache_size = bounded(
            "key_cache_size",
            f.opt("key_cache_size", "a number")?.unwrap_or(64),
            1,
            100_000,
        )?;
        let token_cache_size = bounded(
            "token_cache_size",
            f.opt("token_cache_size", "a number")?.unwrap_or(10_000),
            0,
            10_000_000,
        )?;
        let key_fetch_timeout_ms = bounded(
            "key_fetch_timeout_ms",
            f.opt("key_fetch_timeout_ms", "a number of milliseconds")?
                .unwrap_or(2000),
            1,
            60_000,
        )?;
        let key_fetch_max_bytes = bounded(
            "key_fetch_max_bytes",
            f.opt("key_fetch_max_bytes", "a number of bytes")?
                .unwrap_or(65_536),
            256,
            4 << 20,
        )?;
        let key_fetch_backoff_secs = bounded(
            "key_fetch_backoff_secs",
            f.opt("key_fetch_backoff_secs", "a number of seconds")?
                .unwrap_or(10),
            1,
            3600,
        )?;
        let key_fetch_max_per_minute = bounded(
            "key_fetch_max_per_minute",
            f.opt("key_fetch_max_per_minute", "a number")?.unwrap_or(60),
            1,
            100_000,
        )?;

        let mut access_token_jwks_url: Option<String> = f.opt("access_token_jwks_url", "a URL")?;
        if let Some(u) = &access_token_jwks_url {
            check_url_template(u, "access_token_jwks_url", false)?;
        }
        // `null` here is the explicit opt-out (warned); absent means "the template's default".
        let access_token_issuer_given = f.obj.contains_key("access_token_issuer");
        let mut access_token_issuer: Option<Vec<String>> = match access_token_issuer_given {
            true => f.nullable_list("access_token_issuer")?,
            false => None,
        };
        let mut tenant_id: Option<String> = f.opt("tenant_id", "a tenant id")?;
        let access_token_refresh_secs = bounded(
            "access_token_refresh_secs",
            f.opt("access_token_refresh_secs", "a number of seconds")?
                .unwrap_or(60),
            1,
            86_400,
        )?;

        if let Some(unknown) = f.obj.keys().next() {
            return Err(Error::config(format!(
                "unknown field `{}` (known fields: {})",
                unknown.chars().take(64).collect::<String>(),
                FIELDS.join(", ")
            )));
        }

        if token_header == templates::ACCESS_TOKEN_HEADER {
            if template == Template::Azure {
                if tenant_id.is_none() {
                    tenant_id = issuer
                        .iter()
                        .flatten()
                        .find_map(|i| templates::azure_tenant_from_issuer(i))
                        .map(str::to_string);
                }
                let Some(tid) = &tenant_id else {
                    return Err(Error::config(
                        "`tenant_id`: required for template azure when `issuer` does not name the tenant (https://login.microsoftonline.com/{tenant}/v2.0)",
                    ));
                };
                if access_token_jwks_url.is_none() {
                    access_token_jwks_url = Some(templates::azure_jwks_url(tid));
                }
                if !access_token_issuer_given {
                    access_token_issuer = Some(templates::azure_access_token_issuers(tid));
                }
            }
            if access_token_jwks_url.is_none() {
                return Err(Error::config(
                    "`access_token_jwks_url`: required when `token_header` is x-amzn-oidc-accesstoken",
                ));
            }
            if access_token_issuer.is_none() && !access_token_issuer_given {
                return Err(Error::config(
                    "`access_token_issuer`: required when `token_header` is x-amzn-oidc-accesstoken (null to explicitly skip the check)",
                ));
            }
        }

        Ok(Config {
            trusted_albs,
            issuer,
            client_id,
            template,
            token_header,
            username_claim,
            display_name_claim,
            email_claim,
            groups_claim,
            username_transforms,
            clock_skew_secs,
            key_url,
            pinned_keys,
            key_cache_size,
            token_cache_size,
            key_fetch_timeout_ms,
            key_fetch_max_bytes,
            key_fetch_backoff_secs,
            key_fetch_max_per_minute,
            access_token_jwks_url,
            access_token_issuer,
            tenant_id,
            access_token_refresh_secs,
        })
    }

    /// Whether claims come from the access token (after it verifies).
    pub fn uses_access_token(&self) -> bool {
        self.token_header == templates::ACCESS_TOKEN_HEADER
    }

    /// Whether the verifier may fetch ALB keys over the network.
    pub fn fetches_keys(&self) -> bool {
        self.key_url.is_some() || self.pinned_keys.is_empty()
    }

    /// The key URL template for an ALB (with `{kid}` still in it).
    pub fn key_url_for(&self, alb: &AlbArn) -> String {
        self.key_url
            .as_deref()
            .unwrap_or(alb.default_key_url())
            .replace("{region}", &alb.region)
    }

    /// Disabled checks and risky settings, for `--explain` and logs.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        if self.issuer.is_none() {
            w.push("issuer check disabled (`issuer: null`): tokens from any IdP behind a trusted ALB are accepted".to_string());
        }
        if self.client_id.is_none() {
            w.push("client check disabled (`client_id: null`): tokens for any OIDC client of a trusted ALB are accepted".to_string());
        }
        if self.access_token_issuer.is_none() && self.uses_access_token() {
            w.push("access-token issuer check disabled".to_string());
        }
        if self.clock_skew_secs > 120 {
            w.push(format!(
                "clock_skew_secs is {} s: more than the ALB's 120 s token lifetime",
                self.clock_skew_secs
            ));
        }
        if let Some(u) = &self.key_url {
            if u.starts_with("http://") {
                w.push("key_url uses plain http (loopback only)".to_string());
            }
        }
        w
    }
}
