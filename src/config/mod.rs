//! Configuration: JSON in, a validated [`Config`] out. Every error names the field.
//!
//! Field names are a contract (README "Configuration"). Unknown fields are refused, as with
//! serde's `deny_unknown_fields`, but each field is read on its own so that an error always
//! names the field it is about, and a misspelt field is reported (with the nearest known name)
//! before any missing required one. Every check is on by default; `issuer: null`,
//! `client_id: null`, `access_token_issuer: null` and `access_token_audience: null` are the
//! opt-outs, and [`Config::warnings`] reports them.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{Map, Value};

mod arn;
mod regions;
mod suggest;
pub mod templates;
mod url;

pub use arn::AlbArn;
use url::check_url_template;

use crate::error::{Error, Result};
use crate::keys::Es256Key;
use crate::provision::ProvisioningConfig;
use crate::verify::claims::Transform;
use templates::{Template, TokenHeader};

/// Default `clock_skew_secs`.
pub const DEFAULT_CLOCK_SKEW_SECS: u64 = 30;
/// Largest `clock_skew_secs` accepted.
pub const MAX_CLOCK_SKEW_SECS: u64 = 300;

/// A pinned key: the PEM as configured and the key parsed from it (once, at load).
#[derive(Debug, Clone)]
pub(crate) struct PinnedKey {
    pub(crate) pem: String,
    pub(crate) key: Arc<Es256Key>,
}

/// The verifier's configuration (see README "Configuration" for every field and default).
///
/// A `Config` comes only from [`Config::from_json`], so every value in it has been validated;
/// the fields are private and read through the getters below:
///
/// ```compile_fail,E0616
/// fn widen(c: &mut albauth::Config) {
///     c.clock_skew_secs = 86_400; // private: a Config cannot skip validation
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) trusted_albs: Vec<AlbArn>,
    pub(crate) issuer: Option<Vec<String>>,
    pub(crate) client_id: Option<Vec<String>>,
    pub(crate) template: Template,
    pub(crate) token_header: TokenHeader,
    pub(crate) username_claim: String,
    pub(crate) display_name_claim: String,
    pub(crate) email_claim: String,
    pub(crate) groups_claim: Option<String>,
    pub(crate) username_transforms: Vec<Transform>,
    /// Lower case.
    pub(crate) allowed_domains: Option<Vec<String>>,
    pub(crate) clock_skew_secs: u64,
    pub(crate) key_url: Option<String>,
    pub(crate) pinned_keys: BTreeMap<String, PinnedKey>,
    pub(crate) key_cache_size: usize,
    pub(crate) token_cache_size: usize,
    pub(crate) key_fetch_timeout_ms: u64,
    pub(crate) key_fetch_max_bytes: usize,
    pub(crate) key_fetch_backoff_secs: u64,
    pub(crate) key_fetch_max_per_minute: u32,
    pub(crate) access_token_jwks_url: Option<String>,
    pub(crate) access_token_issuer: Option<Vec<String>>,
    pub(crate) access_token_audience: Option<Vec<String>>,
    pub(crate) tenant_id: Option<String>,
    pub(crate) access_token_refresh_secs: u64,
    pub(crate) provisioning: ProvisioningConfig,
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
    "allowed_domains",
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
    "access_token_audience",
    "tenant_id",
    "access_token_refresh_secs",
    "provisioning",
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

/// A field name from the config, shortened for an error message.
fn shown(name: &str) -> String {
    name.chars().take(64).collect()
}

/// The config field a `config_invalid` detail names: its first `` `name` `` ("`trusted_albs[0]`:
/// not an ALB ARN", "unknown field `issuer_url`, did you mean ..."), or `None` when it names
/// none ("config is not valid JSON: ..."). For a setup page that shows an error next to the
/// input it concerns; every field error of this module and of `provisioning` starts this way.
pub fn error_field(detail: &str) -> Option<&str> {
    let start = detail.find('`')? + 1;
    let len = detail[start..].find('`')?;
    let name = &detail[start..start + len];
    let plausible = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']'));
    plausible.then_some(name)
}

/// The first field not in [`FIELDS`], reported with the nearest known name when one is close.
fn check_unknown_fields(obj: &Map<String, Value>) -> Result<()> {
    let Some(unknown) = obj.keys().find(|k| !FIELDS.contains(&k.as_str())) else {
        return Ok(());
    };
    Err(Error::config(match suggest::nearest(unknown, FIELDS) {
        Some(near) => format!("unknown field `{}`, did you mean `{near}`?", shown(unknown)),
        None => format!(
            "unknown field `{}` (known fields: {})",
            shown(unknown),
            FIELDS.join(", ")
        ),
    }))
}

/// `trusted_albs`: required, non-empty, each a valid ALB ARN, no ARN twice.
fn parse_trusted_albs(f: &mut Fields) -> Result<Vec<AlbArn>> {
    let albs: Vec<String> = f
        .opt("trusted_albs", "a list of ALB ARNs")?
        .ok_or_else(|| Error::config("`trusted_albs` is required (a list of ALB ARNs)"))?;
    if albs.is_empty() {
        return Err(Error::config("`trusted_albs` must not be empty"));
    }
    let mut trusted_albs = Vec::with_capacity(albs.len());
    for (i, a) in albs.iter().enumerate() {
        let parsed =
            AlbArn::parse(a).map_err(|why| Error::config(format!("`trusted_albs[{i}]` {why}")))?;
        if let Some(j) = albs[..i].iter().position(|b| b == a) {
            return Err(Error::config(format!(
                "`trusted_albs[{i}]` is a duplicate of `trusted_albs[{j}]`"
            )));
        }
        trusted_albs.push(parsed);
    }
    Ok(trusted_albs)
}

/// `allowed_domains`: absent, or a non-empty list of domain names (ASCII; an internationalised
/// domain in its `xn--` form), kept in lower case.
fn parse_allowed_domains(f: &mut Fields) -> Result<Option<Vec<String>>> {
    let Some(list) = f.opt::<Vec<String>>("allowed_domains", "a list of domain names")? else {
        return Ok(None);
    };
    if list.is_empty() {
        return Err(Error::config(
            "`allowed_domains` must not be empty (omit it to allow every domain)",
        ));
    }
    let valid_label = |l: &str| {
        (1..=63).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    for (i, d) in list.iter().enumerate() {
        if d.len() > 253 || !d.split('.').all(valid_label) {
            return Err(Error::config(format!(
                "`allowed_domains[{i}]` is not a domain name (letters, digits, `-` and `.`, as in example.com; no `@`)"
            )));
        }
    }
    Ok(Some(list.iter().map(|d| d.to_ascii_lowercase()).collect()))
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
        // First, so that a misspelt required field is reported as what it is.
        check_unknown_fields(&obj)?;
        let mut f = Fields { obj };

        let trusted_albs = parse_trusted_albs(&mut f)?;
        let issuer = f.nullable_list("issuer")?;
        let client_id = f.nullable_list("client_id")?;
        let template: Template = f
            .opt(
                "template",
                "one of cognito, azure, okta, google, keycloak, other",
            )?
            .unwrap_or_default();
        let token_header = match f.opt::<String>("token_header", "a header name")? {
            None => template.token_header(),
            Some(name) => TokenHeader::from_name(&name).ok_or_else(|| {
                Error::config(format!(
                    "`token_header`: must be {} or {}",
                    templates::DATA_HEADER,
                    templates::ACCESS_TOKEN_HEADER
                ))
            })?,
        };
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
        let allowed_domains = parse_allowed_domains(&mut f)?;

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
        let pinned_pems: BTreeMap<String, String> = f
            .opt("pinned_keys", "an object of kid to PEM")?
            .unwrap_or_default();
        let mut pinned_keys = BTreeMap::new();
        for (kid, pem) in pinned_pems {
            if !crate::verify::token::is_uuid(&kid) {
                return Err(Error::config(format!(
                    "`pinned_keys`: kid `{}` is not a UUID",
                    shown(&kid)
                )));
            }
            let key = Es256Key::from_pem(pem.as_bytes())
                .map_err(|why| Error::config(format!("`pinned_keys[{kid}]`: {why}")))?;
            let key = Arc::new(key);
            pinned_keys.insert(kid, PinnedKey { pem, key });
        }
        // The GovCloud default key URL names an S3 bucket after the region: for a region that
        // does not exist, a bucket anyone could create. So outside the known regions of
        // aws-us-gov and aws-cn, keys are fetched only from an explicit key_url.
        if key_url.is_none() && pinned_keys.is_empty() {
            for (i, a) in trusted_albs.iter().enumerate() {
                if a.partition != "aws" && !regions::is_known(&a.partition, &a.region) {
                    return Err(Error::config(format!(
                        "`trusted_albs[{i}]`: region `{}` is not a known region of partition `{}` ({}), so it has no default key URL: check the ARN, or set `key_url`",
                        a.region,
                        a.partition,
                        match a.partition.as_str() {
                            "aws-us-gov" => regions::GOVCLOUD.join(", "),
                            _ => regions::CHINA.join(", "),
                        }
                    )));
                }
            }
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
        let access_token_audience_given = f.obj.contains_key("access_token_audience");
        let mut access_token_audience: Option<Vec<String>> = match access_token_audience_given {
            true => f.nullable_list("access_token_audience")?,
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
        let provisioning = match f.obj.remove("provisioning") {
            None | Some(Value::Null) => ProvisioningConfig::default(),
            Some(v) => ProvisioningConfig::from_json(v)?,
        };
        debug_assert!(f.obj.is_empty(), "every field in FIELDS is read");

        if token_header == TokenHeader::AccessToken {
            // The access token's appid/azp must name this application (one of client_id).
            if client_id.is_none() {
                return Err(Error::config(
                    "`client_id`: must not be null when `token_header` is x-amzn-oidc-accesstoken (the access token must have been issued to this application)",
                ));
            }
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
                if !access_token_audience_given {
                    access_token_audience =
                        Some(templates::GRAPH_AUDIENCES.map(str::to_string).to_vec());
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
            if access_token_audience.is_none() && !access_token_audience_given {
                return Err(Error::config(
                    "`access_token_audience`: required when `token_header` is x-amzn-oidc-accesstoken and the template is not azure (null to explicitly skip the check)",
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
            allowed_domains,
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
            access_token_audience,
            tenant_id,
            access_token_refresh_secs,
            provisioning,
        })
    }

    /// `trusted_albs`: the ALBs whose `signer` is accepted (required, non-empty, no duplicates).
    pub fn trusted_albs(&self) -> &[AlbArn] {
        &self.trusted_albs
    }

    /// `issuer`: accepted `iss` values; `None` = explicitly not checked (`null`). Required.
    pub fn issuer(&self) -> Option<&[String]> {
        self.issuer.as_deref()
    }

    /// `client_id`: accepted `client` values (and access-token `appid`/`azp`); `None` =
    /// explicitly not checked (`null`, refused when claims come from the access token).
    /// Required.
    pub fn client_id(&self) -> Option<&[String]> {
        self.client_id.as_deref()
    }

    /// `template`: the IdP. Default `other`.
    pub fn template(&self) -> Template {
        self.template
    }

    /// `token_header`: where the username and the other claims are read. Default from the
    /// template: the access token for `azure`, the data token for the others.
    pub fn token_header(&self) -> TokenHeader {
        self.token_header
    }

    /// `username_claim`. Default from the template: `upn` for `azure`, `email` for the others.
    pub fn username_claim(&self) -> &str {
        &self.username_claim
    }

    /// `display_name_claim`. Default `name`.
    pub fn display_name_claim(&self) -> &str {
        &self.display_name_claim
    }

    /// `email_claim`. Default `email`.
    pub fn email_claim(&self) -> &str {
        &self.email_claim
    }

    /// `groups_claim`. Default none (no groups).
    pub fn groups_claim(&self) -> Option<&str> {
        self.groups_claim.as_deref()
    }

    /// `username_transforms`, applied in order. Default none.
    pub fn username_transforms(&self) -> &[Transform] {
        &self.username_transforms
    }

    /// `allowed_domains`, in lower case: the domains a username (and with `google` the `hd`
    /// claim) must be in. Default none: every domain.
    pub fn allowed_domains(&self) -> Option<&[String]> {
        self.allowed_domains.as_deref()
    }

    /// `clock_skew_secs`. Default 30, at most 300.
    pub fn clock_skew_secs(&self) -> u64 {
        self.clock_skew_secs
    }

    /// `key_url`: template with `{region}` and `{kid}`. Default none: the AWS endpoint of each
    /// ALB's partition, or no network at all when `pinned_keys` is set.
    pub fn key_url(&self) -> Option<&str> {
        self.key_url.as_deref()
    }

    /// `pinned_keys`: (kid, PEM) pairs, in kid order; each was parsed once, when the config
    /// was read. Default none.
    pub fn pinned_keys(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.pinned_keys
            .iter()
            .map(|(kid, p)| (kid.as_str(), p.pem.as_str()))
    }

    /// `key_cache_size`: most fetched ALB keys kept. Default 64.
    pub fn key_cache_size(&self) -> usize {
        self.key_cache_size
    }

    /// `token_cache_size`: most verified tokens kept. Default 10000; 0 disables the cache.
    pub fn token_cache_size(&self) -> usize {
        self.token_cache_size
    }

    /// `key_fetch_timeout_ms`: connect, response and body timeout of each fetch. Default 2000.
    pub fn key_fetch_timeout_ms(&self) -> u64 {
        self.key_fetch_timeout_ms
    }

    /// `key_fetch_max_bytes`: largest key or JWKS response read. Default 65536.
    pub fn key_fetch_max_bytes(&self) -> usize {
        self.key_fetch_max_bytes
    }

    /// `key_fetch_backoff_secs`: how long a failed kid is refused without a new fetch.
    /// Default 10.
    pub fn key_fetch_backoff_secs(&self) -> u64 {
        self.key_fetch_backoff_secs
    }

    /// `key_fetch_max_per_minute`: outbound fetches allowed per minute, all kids together.
    /// Default 60.
    pub fn key_fetch_max_per_minute(&self) -> u32 {
        self.key_fetch_max_per_minute
    }

    /// `access_token_jwks_url`: JWKS for the access token. Default for `azure`: the tenant's.
    pub fn access_token_jwks_url(&self) -> Option<&str> {
        self.access_token_jwks_url.as_deref()
    }

    /// `access_token_issuer`: accepted access-token `iss`. Default for `azure`: the tenant's
    /// v1 and v2 issuers; `None` otherwise or when explicitly not checked (`null`).
    pub fn access_token_issuer(&self) -> Option<&[String]> {
        self.access_token_issuer.as_deref()
    }

    /// `access_token_audience`: accepted access-token `aud`. Default for `azure`: Microsoft
    /// Graph ([`templates::GRAPH_AUDIENCES`]); `None` otherwise or when explicitly not checked
    /// (`null`).
    pub fn access_token_audience(&self) -> Option<&[String]> {
        self.access_token_audience.as_deref()
    }

    /// `tenant_id`: the Entra tenant the access token's `tid` must name. Default for `azure`:
    /// taken from `issuer`.
    pub fn tenant_id(&self) -> Option<&str> {
        self.tenant_id.as_deref()
    }

    /// `access_token_refresh_secs`: least time between JWKS refreshes caused by an unknown
    /// kid. Default 60.
    pub fn access_token_refresh_secs(&self) -> u64 {
        self.access_token_refresh_secs
    }

    /// `provisioning`: just-in-time user creation and update. Default: off, create users,
    /// never reactivate, IdP id from `sub`, no group managed (see [`ProvisioningConfig`]).
    pub fn provisioning(&self) -> &ProvisioningConfig {
        &self.provisioning
    }

    /// Whether claims come from the access token (after it verifies).
    pub fn uses_access_token(&self) -> bool {
        self.token_header == TokenHeader::AccessToken
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
        if self.access_token_audience.is_none() && self.uses_access_token() {
            w.push("access-token audience check disabled (`access_token_audience: null`): access tokens for any API of the IdP are accepted".to_string());
        }
        for (i, a) in self.trusted_albs.iter().enumerate() {
            if !regions::is_known(&a.partition, &a.region) {
                w.push(format!(
                    "`trusted_albs[{i}]`: region `{}` is not a region of partition `{}` known to this albauth (a new region is fine; a typo is not)",
                    a.region, a.partition
                ));
            }
        }
        if self
            .username_transforms
            .iter()
            .any(|t| matches!(t, Transform::StripDomain))
        {
            match self.allowed_domains.as_deref() {
                None => w.push("strip_domain without allowed_domains: jane@a.example and jane@b.example become the same user".to_string()),
                Some(d) if d.len() > 1 => w.push("strip_domain with several allowed_domains: the same name in two of them becomes one user".to_string()),
                Some(_) => {}
            }
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
