//! Google Workspace Admin SDK Directory API: a service-account JWT (RS256, signed with the
//! key's `private_key`; `iss` the key's `client_email`, `sub` the `admin_subject` for
//! domain-wide delegation, `aud` the token URL) exchanged at `token_url` for an access token;
//! users from `{api_url}/admin/directory/v1/users?customer=...` (`pageToken` paging); a lookup
//! with `users.get` by e-mail (case-insensitive, aliases resolved); groups and their members
//! with `includeDerivedMembership=true` (nested groups). Google's rate-limit 403s are
//! throttles.

use std::sync::Arc;
use std::time::UNIX_EPOCH;

use serde_json::{json, Value};

use super::config::{Connector, ConnectorConfig, ConnectorKind};
use super::connector::{
    all_items, host_of, json_of, retried_tokens, retrier, send_bearer, str_field, Api,
    ConnectOptions, DirectoryError, DirectoryErrorKind, PageOf, Service,
};
use crate::net::http::{HttpClient, NetError, NetErrorKind, Request, Response};
use crate::net::oauth::{parse_token_response, Secret, Token, TokenCache};
use crate::net::paging::encode;
use crate::net::retry::{google_throttle, no_throttle, Clock, Retrier};

/// The read-only scopes the service account is delegated.
pub const SCOPES: &str = "https://www.googleapis.com/auth/admin.directory.user.readonly https://www.googleapis.com/auth/admin.directory.group.readonly";

const SERVICE: Service = Service {
    name: "google",
    permissions: "domain-wide delegation of the scopes admin.directory.user.readonly and admin.directory.group.readonly, and an admin_subject allowed to read the directory",
    classify: None,
};

pub(crate) struct Google {
    http: HttpClient,
    retry: Retrier,
    tokens: TokenCache,
    /// `{api_url}/admin/directory/v1`.
    api: String,
    customer: String,
}

/// The signed assertion for the token request (RFC 7523).
pub fn assertion(
    key: &jsonwebtoken::EncodingKey,
    client_email: &str,
    admin_subject: &str,
    token_url: &str,
    now_secs: u64,
) -> Result<String, String> {
    let claims = json!({
        "iss": client_email,
        "sub": admin_subject,
        "scope": SCOPES,
        "aud": token_url,
        "iat": now_secs,
        "exp": now_secs + 3600,
    });
    let header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    jsonwebtoken::encode(&header, &claims, key).map_err(|_| "signing failed".to_string())
}

impl Google {
    pub(crate) fn new(
        config: &ConnectorConfig,
        options: &ConnectOptions,
    ) -> Result<Google, DirectoryError> {
        let Connector::Google {
            service_account,
            admin_subject,
            customer,
            token_url,
            api_url,
        } = &config.connector
        else {
            unreachable!("Google::new is called for a google connector")
        };
        let key = jsonwebtoken::EncodingKey::from_rsa_pem(
            service_account.private_key.expose().as_bytes(),
        )
        .map_err(|_| {
            DirectoryError::new(
                DirectoryErrorKind::Auth,
                "google: directory_sync.connector.service_account.private_key is not an RSA private key (PEM)",
            )
        })?;
        let http = options.http.clone();
        let clock: Arc<dyn Clock> = options.clock.clone();
        let (email, subject, url) = (
            service_account.client_email.clone(),
            admin_subject.clone(),
            token_url.clone(),
        );
        let source_http = http.clone();
        let source_clock = clock.clone();
        let source = Box::new(move || -> Result<Token, NetError> {
            let now = source_clock
                .now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            let jwt = assertion(&key, &email, &subject, &url, now)
                .map_err(|d| NetError::new(NetErrorKind::Token, host_of(&url), d))?;
            let jwt = Secret::new(jwt);
            let form = format!(
                "grant_type={}&assertion={}",
                encode("urn:ietf:params:oauth:grant-type:jwt-bearer"),
                encode(jwt.expose())
            );
            let req = Request::post(&url, "application/x-www-form-urlencoded", form)
                .header("accept", "application/json");
            let resp = source_http.send(&req)?;
            parse_token_response(&url, resp)
        });
        Ok(Google {
            http,
            retry: retrier(options, google_throttle),
            tokens: TokenCache::new(retried_tokens(source, retrier(options, no_throttle)), clock),
            api: format!("{}/admin/directory/v1", api_url.trim_end_matches('/')),
            customer: customer.clone(),
        })
    }

    fn send(&self, req: &Request) -> Result<Response, NetError> {
        send_bearer(&self.retry, &self.tokens, &self.http, req)
    }

    fn list(
        &self,
        step: &str,
        url: String,
        what: PageOf,
        pages: &mut usize,
    ) -> Result<Vec<Value>, DirectoryError> {
        all_items(
            &SERVICE,
            step,
            Request::get(url).header("accept", "application/json"),
            (ConnectorKind::Google, what),
            pages,
            |r| self.send(r),
        )
    }
}

impl Api for Google {
    fn retrier(&self) -> &Retrier {
        &self.retry
    }

    fn find(
        &self,
        _attribute: &str,
        value: &str,
        pages: &mut usize,
    ) -> Result<Vec<Value>, DirectoryError> {
        // users.get: by primary e-mail, alias or id; a direct read (users.list's search index
        // lags by hours).
        let url = format!("{}/users/{}?projection=basic", self.api, encode(value));
        *pages += 1;
        let resp = self.send(&Request::get(&url).header("accept", "application/json"));
        Ok(
            json_of(&SERVICE, "user lookup", &host_of(&url), resp, true)?
                .into_iter()
                .collect(),
        )
    }

    fn attribute_of(&self, _attribute: &str, _user: &Value) -> Option<String> {
        // users.get matched the key itself (an alias returns the primary address).
        None
    }

    fn user_groups(&self, user: &Value, pages: &mut usize) -> Result<Vec<Value>, DirectoryError> {
        let id =
            str_field(user, "id").ok_or_else(|| SERVICE.bad("user lookup", "`id` is missing"))?;
        let url = format!("{}/groups?userKey={}&maxResults=200", self.api, encode(&id));
        self.list("user groups", url, PageOf::Groups, pages)
    }

    fn users(&self, pages: &mut usize) -> Result<Vec<Value>, DirectoryError> {
        let url = format!(
            "{}/users?customer={}&maxResults=500&projection=basic",
            self.api,
            encode(&self.customer)
        );
        self.list("users", url, PageOf::Users, pages)
    }

    fn groups(&self, pages: &mut usize) -> Result<Vec<(String, Value)>, DirectoryError> {
        let url = format!(
            "{}/groups?customer={}&maxResults=200",
            self.api,
            encode(&self.customer)
        );
        let groups = self.list("groups", url, PageOf::Groups, pages)?;
        groups
            .into_iter()
            .map(|g| {
                let id =
                    str_field(&g, "id").ok_or_else(|| SERVICE.bad("groups", "`id` is missing"))?;
                Ok((id, g))
            })
            .collect()
    }

    fn members(&self, id: &str, pages: &mut usize) -> Result<Vec<Value>, DirectoryError> {
        let url = format!(
            "{}/groups/{}/members?maxResults=200&includeDerivedMembership=true",
            self.api,
            encode(id)
        );
        let members = self.list("group members", url, PageOf::Members, pages)?;
        // Only people: nested groups are already expanded, CUSTOMER entries are not users.
        Ok(members
            .into_iter()
            .filter(|m| m.get("type").and_then(Value::as_str).unwrap_or("USER") == "USER")
            .collect())
    }

    fn member_key(&self, user: &Value) -> Option<String> {
        str_field(user, "id")
    }

    fn members_are_users(&self) -> bool {
        false
    }
}
