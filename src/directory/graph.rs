//! Microsoft Graph (Entra ID): a client-credentials token from
//! `{authority_url}/{tenant_id}/oauth2/v2.0/token` (scope `https://graph.microsoft.com/.default`);
//! users from `{graph_url}/v1.0/users?$select=...&$top=999` (`@odata.nextLink` paging); a
//! lookup by UPN (guest `#EXT#` UPNs percent-encoded) or object id with `GET /users/{key}`,
//! by e-mail with `$filter=mail eq '...'`; a user's groups by `transitiveMemberOf`, a group's
//! nested members by `transitiveMembers`.

use serde_json::Value;

use super::config::{Connector, ConnectorConfig, ConnectorKind};
use super::connector::{
    all_items, host_of, json_of, retried_tokens, retrier, send_bearer, str_field, Api,
    ConnectOptions, DirectoryError, PageOf, Service,
};
use crate::net::http::{HttpClient, NetError, Request, Response};
use crate::net::oauth::{client_credentials, Secret, TokenCache};
use crate::net::paging::encode;
use crate::net::retry::{no_throttle, Retrier};

/// The user properties read (`accountEnabled` is not in Graph's default set).
pub const SELECT: &str =
    "id,userPrincipalName,mail,displayName,givenName,surname,accountEnabled,userType";

const SERVICE: Service = Service {
    name: "graph",
    permissions:
        "the application permissions User.Read.All and GroupMember.Read.All (admin consent granted)",
    classify: None,
};

pub(crate) struct Graph {
    http: HttpClient,
    retry: Retrier,
    tokens: TokenCache,
    /// `{graph_url}/v1.0`.
    api: String,
}

impl Graph {
    pub(crate) fn new(config: &ConnectorConfig, options: &ConnectOptions) -> Graph {
        let Connector::Graph {
            tenant_id,
            client_id,
            client_secret,
            authority_url,
            graph_url,
        } = &config.connector
        else {
            unreachable!("Graph::new is called for a graph connector")
        };
        let token_url = format!(
            "{}/{}/oauth2/v2.0/token",
            authority_url.trim_end_matches('/'),
            encode(tenant_id)
        );
        let tokens = TokenCache::new(
            retried_tokens(
                client_credentials(
                    options.http.clone(),
                    token_url,
                    client_id.clone(),
                    Secret::new(client_secret.expose()),
                    Some("https://graph.microsoft.com/.default".to_string()),
                ),
                retrier(options, no_throttle),
            ),
            options.clock.clone(),
        );
        Graph {
            http: options.http.clone(),
            retry: retrier(options, no_throttle),
            tokens,
            api: format!("{}/v1.0", graph_url.trim_end_matches('/')),
        }
    }

    fn send(&self, req: &Request) -> Result<Response, NetError> {
        send_bearer(&self.retry, &self.tokens, &self.http, req)
    }

    fn list(
        &self,
        step: &str,
        url: String,
        pages: &mut usize,
    ) -> Result<Vec<Value>, DirectoryError> {
        all_items(
            &SERVICE,
            step,
            Request::get(url).header("accept", "application/json"),
            (ConnectorKind::Graph, PageOf::Users),
            pages,
            |r| self.send(r),
        )
    }
}

/// The path segment addressing one user by id or UPN: percent-encoded (`#EXT#` becomes
/// `%23EXT%23`); a UPN starting with `$` uses the `('...')` form Graph requires.
pub fn user_key(value: &str) -> String {
    if value.starts_with('$') {
        format!("('{}')", encode(&value.replace('\'', "''")))
    } else {
        format!("/{}", encode(value))
    }
}

impl Api for Graph {
    fn retrier(&self) -> &Retrier {
        &self.retry
    }

    fn find(
        &self,
        attribute: &str,
        value: &str,
        pages: &mut usize,
    ) -> Result<Vec<Value>, DirectoryError> {
        match attribute {
            "email" | "mail" => {
                let filter = format!("mail eq '{}'", value.replace('\'', "''"));
                let url = format!(
                    "{}/users?$filter={}&$select={SELECT}",
                    self.api,
                    encode(&filter)
                );
                self.list("user lookup", url, pages)
            }
            _ => {
                let url = format!("{}/users{}?$select={SELECT}", self.api, user_key(value));
                *pages += 1;
                let resp = self.send(&Request::get(&url).header("accept", "application/json"));
                Ok(
                    json_of(&SERVICE, "user lookup", &host_of(&url), resp, true)?
                        .into_iter()
                        .collect(),
                )
            }
        }
    }

    fn attribute_of(&self, attribute: &str, user: &Value) -> Option<String> {
        match attribute {
            "email" | "mail" => Some(str_field(user, "mail").unwrap_or_default()),
            _ => None,
        }
    }

    fn user_groups(&self, user: &Value, pages: &mut usize) -> Result<Vec<Value>, DirectoryError> {
        let id =
            str_field(user, "id").ok_or_else(|| SERVICE.bad("user lookup", "`id` is missing"))?;
        let url = format!(
            "{}/users/{}/transitiveMemberOf/microsoft.graph.group?$select=id,displayName&$top=999",
            self.api,
            encode(&id)
        );
        self.list("user groups", url, pages)
    }

    fn users(&self, pages: &mut usize) -> Result<Vec<Value>, DirectoryError> {
        let url = format!("{}/users?$select={SELECT}&$top=999", self.api);
        self.list("users", url, pages)
    }

    fn groups(&self, pages: &mut usize) -> Result<Vec<(String, Value)>, DirectoryError> {
        let url = format!("{}/groups?$select=id,displayName&$top=999", self.api);
        let groups = self.list("groups", url, pages)?;
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
            "{}/groups/{}/transitiveMembers/microsoft.graph.user?$select={SELECT}&$top=999",
            self.api,
            encode(id)
        );
        self.list("group members", url, pages)
    }

    fn member_key(&self, user: &Value) -> Option<String> {
        str_field(user, "id")
    }
}
