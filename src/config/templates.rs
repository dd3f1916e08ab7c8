//! IdP templates: the defaults each identity provider needs (pure data, no I/O).
//!
//! | template   | token header              | username claim | issuer pattern |
//! |------------|---------------------------|----------------|----------------|
//! | `cognito`  | `x-amzn-oidc-data`        | `email`        | `https://cognito-idp.{region}.amazonaws.com/{userPoolId}` |
//! | `azure`    | `x-amzn-oidc-accesstoken` | `upn`          | data token: `https://login.microsoftonline.com/{tenant}/v2.0`; access token: `https://sts.windows.net/{tenant}/` (v1) or the v2 form |
//! | `okta`     | `x-amzn-oidc-data`        | `email`        | `https://{org}.okta.com/oauth2/default` (custom AS) or `https://{org}.okta.com` (org AS) |
//! | `google`   | `x-amzn-oidc-data`        | `email`        | `https://accounts.google.com` |
//! | `keycloak` | `x-amzn-oidc-data`        | `email`        | `https://{host}/realms/{realm}` (before Keycloak 17: `https://{host}/auth/realms/{realm}`) |
//! | `other`    | `x-amzn-oidc-data`        | `email`        | any exact string |
//!
//! Azure is the odd one: the ALB's data token from Entra ID carries no `upn`, so the username
//! comes from the access token (a Microsoft Graph token), which albauth verifies itself
//! (RS256 against the tenant's JWKS, with the Graph `nonce` variant) before using it.

use serde::Deserialize;

/// The signed ALB data token header.
pub const DATA_HEADER: &str = "x-amzn-oidc-data";
/// The IdP access token header (not signed by the ALB).
pub const ACCESS_TOKEN_HEADER: &str = "x-amzn-oidc-accesstoken";
/// The `sub` in plain text (not signed by the ALB).
pub const IDENTITY_HEADER: &str = "x-amzn-oidc-identity";

/// Where the username and the other claims are read from (`token_header`). The data token
/// must verify either way; the access token is used only after it verifies too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenHeader {
    /// `x-amzn-oidc-data`: the ALB-signed token (userinfo claims).
    Data,
    /// `x-amzn-oidc-accesstoken`: the IdP's access token, verified against its JWKS.
    AccessToken,
}

impl TokenHeader {
    /// The header's name, lower case, as written in config.
    pub fn header_name(self) -> &'static str {
        match self {
            TokenHeader::Data => DATA_HEADER,
            TokenHeader::AccessToken => ACCESS_TOKEN_HEADER,
        }
    }

    /// The header named `name` (any case).
    pub fn from_name(name: &str) -> Option<TokenHeader> {
        [TokenHeader::Data, TokenHeader::AccessToken]
            .into_iter()
            .find(|h| h.header_name().eq_ignore_ascii_case(name))
    }
}

/// The audiences of a Microsoft Graph access token (v1 tokens carry either form): the `azure`
/// template's default `access_token_audience`.
pub const GRAPH_AUDIENCES: [&str; 2] = [
    "00000003-0000-0000-c000-000000000000",
    "https://graph.microsoft.com",
];

/// Which IdP sits behind the ALB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Template {
    /// Amazon Cognito user pools.
    Cognito,
    /// Microsoft Entra ID (Azure AD).
    Azure,
    /// Okta.
    Okta,
    /// Google Workspace.
    Google,
    /// Keycloak.
    Keycloak,
    /// Any other OIDC IdP (the default).
    #[default]
    Other,
}

impl Template {
    /// The header the username and other claims are read from by default.
    pub fn token_header(self) -> TokenHeader {
        match self {
            Template::Azure => TokenHeader::AccessToken,
            _ => TokenHeader::Data,
        }
    }

    /// The username claim by default.
    pub fn username_claim(self) -> &'static str {
        match self {
            Template::Azure => "upn",
            _ => "email",
        }
    }

    /// Every template, in the order a setup page offers them.
    pub const ALL: [Template; 6] = [
        Template::Cognito,
        Template::Azure,
        Template::Okta,
        Template::Google,
        Template::Keycloak,
        Template::Other,
    ];

    /// The IdP's name as an admin knows it.
    pub fn label(self) -> &'static str {
        match self {
            Template::Cognito => "Amazon Cognito",
            Template::Azure => "Microsoft Entra ID (Azure AD)",
            Template::Okta => "Okta",
            Template::Google => "Google Workspace",
            Template::Keycloak => "Keycloak",
            Template::Other => "Other OIDC IdP",
        }
    }

    /// The shape of the IdP's `issuer` (what the ALB listener rule's "Issuer" holds).
    pub fn issuer_pattern(self) -> &'static str {
        match self {
            Template::Cognito => "https://cognito-idp.{region}.amazonaws.com/{userPoolId}",
            Template::Azure => "https://login.microsoftonline.com/{tenant}/v2.0",
            Template::Okta => "https://{org}.okta.com/oauth2/default",
            Template::Google => "https://accounts.google.com",
            Template::Keycloak => "https://{host}/realms/{realm}",
            Template::Other => "the IdP's issuer, exactly as in the token's iss",
        }
    }

    /// Where an admin finds the issuer and client id (the same words as examples/config/README.md).
    pub fn hint(self) -> &'static str {
        match self {
            Template::Cognito => "Cognito console > User pools > the pool > \"Token signing key URL\" without /.well-known/jwks.json; the client id is the app client the ALB uses.",
            Template::Azure => "Entra admin center > Overview > Tenant ID goes into the issuer; the client id is the app registration's \"Application (client) ID\" (required). The username (upn) comes from the access token, verified against the tenant's keys.",
            Template::Okta => "/oauth2/default (or /oauth2/{authServerId}) for a custom authorization server, or just https://{org}.okta.com for the org server: use the one the ALB listener rule names. The client id is the Okta app's Client ID.",
            Template::Google => "The issuer is always https://accounts.google.com; the client id ends in .apps.googleusercontent.com. The ALB rule's scope must include email.",
            Template::Keycloak => "Use the host name the ALB reaches Keycloak by (before Keycloak 17: https://{host}/auth/realms/{realm}); the client id is the Keycloak client's Client ID.",
            Template::Other => "The ALB listener rule's \"Issuer\" field holds the same value; a trailing / matters.",
        }
    }

    /// The template's name as written in config.
    pub fn name(self) -> &'static str {
        match self {
            Template::Cognito => "cognito",
            Template::Azure => "azure",
            Template::Okta => "okta",
            Template::Google => "google",
            Template::Keycloak => "keycloak",
            Template::Other => "other",
        }
    }
}

/// Every template as JSON, for a setup page: a list of `{"name", "label", "token_header",
/// "username_claim", "issuer_pattern", "hint"}` (`name` is what the config's `template` takes).
pub fn templates_json() -> String {
    let list: Vec<serde_json::Value> = Template::ALL
        .iter()
        .map(|t| {
            serde_json::json!({
                "name": t.name(),
                "label": t.label(),
                "token_header": t.token_header().header_name(),
                "username_claim": t.username_claim(),
                "issuer_pattern": t.issuer_pattern(),
                "hint": t.hint(),
            })
        })
        .collect();
    serde_json::Value::Array(list).to_string()
}

/// The Entra tenant id in an issuer of the form `https://login.microsoftonline.com/{tid}/v2.0`
/// or `https://sts.windows.net/{tid}/`.
pub fn azure_tenant_from_issuer(issuer: &str) -> Option<&str> {
    let rest = issuer
        .strip_prefix("https://login.microsoftonline.com/")
        .or_else(|| issuer.strip_prefix("https://sts.windows.net/"))?;
    let tid = rest.split('/').next()?;
    (!tid.is_empty()).then_some(tid)
}

/// Default JWKS of an Entra tenant.
pub fn azure_jwks_url(tenant: &str) -> String {
    format!("https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys")
}

/// The access-token issuers an Entra tenant uses (v1 and v2 token formats).
pub fn azure_access_token_issuers(tenant: &str) -> Vec<String> {
    vec![
        format!("https://sts.windows.net/{tenant}/"),
        format!("https://login.microsoftonline.com/{tenant}/v2.0"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_json_lists_every_template_with_its_defaults() {
        let v: serde_json::Value = serde_json::from_str(&templates_json()).unwrap();
        let list = v.as_array().unwrap();
        assert_eq!(list.len(), Template::ALL.len());
        let azure = list.iter().find(|t| t["name"] == "azure").unwrap();
        assert_eq!(azure["token_header"], ACCESS_TOKEN_HEADER);
        assert_eq!(azure["username_claim"], "upn");
        for t in list {
            for field in ["label", "issuer_pattern", "hint"] {
                assert!(
                    !t[field].as_str().unwrap().is_empty(),
                    "{field} of {}",
                    t["name"]
                );
            }
        }
    }

    #[test]
    fn every_template_name_is_one_the_config_accepts() {
        for t in Template::ALL {
            let parsed: Template = serde_json::from_value(serde_json::json!(t.name())).unwrap();
            assert_eq!(parsed, t);
        }
    }
}
