//! Keycloak's admin REST API: a client-credentials token at
//! `{base_url}/realms/{realm}/protocol/openid-connect/token`; users from
//! `{base_url}/admin/realms/{realm}/users` (`first`/`max` paging); a lookup with
//! `email=...&exact=true` (or `username=`), 0..n results (a realm may allow duplicate
//! e-mails); a user's groups from `/users/{id}/groups`; a group's members including its
//! subgroups' (`/groups/{id}/members`, walking `/groups/{id}/children`).

use std::collections::BTreeSet;

use serde_json::Value;

use super::config::{Connector, ConnectorConfig, ConnectorKind};
use super::connector::{
    all_items, retried_tokens, retrier, send_bearer, str_field, Api, ConnectOptions,
    DirectoryError, DirectoryErrorKind, PageOf, Service,
};
use crate::net::http::{HttpClient, NetError, Request, Response};
use crate::net::oauth::{client_credentials, Secret, TokenCache};
use crate::net::paging::encode;
use crate::net::retry::{no_throttle, Retrier};

const SERVICE: Service = Service {
    name: "keycloak",
    permissions: "the realm-management client roles view-users and query-groups on the client's service account",
    classify: None,
};

/// Page size of every listing.
pub const PAGE: usize = 100;
/// Subgroup nesting followed at most.
const MAX_DEPTH: usize = 32;

pub(crate) struct Keycloak {
    http: HttpClient,
    retry: Retrier,
    tokens: TokenCache,
    /// `{base_url}/admin/realms/{realm}`.
    admin: String,
}

impl Keycloak {
    pub(crate) fn new(config: &ConnectorConfig, options: &ConnectOptions) -> Keycloak {
        let Connector::Keycloak {
            base_url,
            realm,
            client_id,
            client_secret,
        } = &config.connector
        else {
            unreachable!("Keycloak::new is called for a keycloak connector")
        };
        let base = base_url.trim_end_matches('/');
        let token_url = format!(
            "{base}/realms/{}/protocol/openid-connect/token",
            encode(realm)
        );
        Keycloak {
            http: options.http.clone(),
            retry: retrier(options, no_throttle),
            tokens: TokenCache::new(
                retried_tokens(
                    client_credentials(
                        options.http.clone(),
                        token_url,
                        client_id.clone(),
                        Secret::new(client_secret.expose()),
                        None,
                    ),
                    retrier(options, no_throttle),
                ),
                options.clock.clone(),
            ),
            admin: format!("{base}/admin/realms/{}", encode(realm)),
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
            (ConnectorKind::Keycloak, PageOf::Users),
            pages,
            |r| self.send(r),
        )
    }

    /// The subgroups of group `id` (inline `subGroups` of older servers, else `/children`; a
    /// server without `/children` has none to add).
    fn children(
        &self,
        group: &Value,
        id: &str,
        pages: &mut usize,
    ) -> Result<Vec<Value>, DirectoryError> {
        if let Some(Value::Array(subs)) = group.get("subGroups") {
            if !subs.is_empty() {
                return Ok(subs.clone());
            }
        }
        if group.get("subGroupCount").and_then(Value::as_u64) == Some(0) {
            return Ok(vec![]);
        }
        let url = format!("{}/groups/{}/children", self.admin, encode(id));
        match self.list("subgroups", url, pages) {
            Err(e) if e.kind() == DirectoryErrorKind::NotFound => Ok(vec![]),
            other => other,
        }
    }

    /// Group `id` and its subgroups, depth first.
    fn subtree(
        &self,
        group: Value,
        pages: &mut usize,
        out: &mut Vec<(String, Value)>,
        seen: &mut BTreeSet<String>,
        depth: usize,
    ) -> Result<(), DirectoryError> {
        let id = str_field(&group, "id").ok_or_else(|| SERVICE.bad("groups", "`id` is missing"))?;
        if !seen.insert(id.clone()) || depth > MAX_DEPTH {
            return Ok(());
        }
        let children = self.children(&group, &id, pages)?;
        out.push((id, group));
        for c in children {
            self.subtree(c, pages, out, seen, depth + 1)?;
        }
        Ok(())
    }
}

impl Api for Keycloak {
    fn retrier(&self) -> &Retrier {
        &self.retry
    }

    fn find(
        &self,
        attribute: &str,
        value: &str,
        pages: &mut usize,
    ) -> Result<Vec<Value>, DirectoryError> {
        let field = if attribute == "username" {
            "username"
        } else {
            "email"
        };
        let url = format!(
            "{}/users?{field}={}&exact=true&briefRepresentation=false",
            self.admin,
            encode(value)
        );
        self.list("user lookup", url, pages)
    }

    fn attribute_of(&self, attribute: &str, user: &Value) -> Option<String> {
        let field = if attribute == "username" {
            "username"
        } else {
            "email"
        };
        Some(str_field(user, field).unwrap_or_default())
    }

    fn user_groups(&self, user: &Value, pages: &mut usize) -> Result<Vec<Value>, DirectoryError> {
        let id =
            str_field(user, "id").ok_or_else(|| SERVICE.bad("user lookup", "`id` is missing"))?;
        let url = format!("{}/users/{}/groups", self.admin, encode(&id));
        self.list("user groups", url, pages)
    }

    fn users(&self, pages: &mut usize) -> Result<Vec<Value>, DirectoryError> {
        self.list(
            "users",
            format!("{}/users?briefRepresentation=false", self.admin),
            pages,
        )
    }

    fn groups(&self, pages: &mut usize) -> Result<Vec<(String, Value)>, DirectoryError> {
        let top = self.list(
            "groups",
            format!("{}/groups?briefRepresentation=false", self.admin),
            pages,
        )?;
        let (mut out, mut seen) = (Vec::new(), BTreeSet::new());
        for g in top {
            self.subtree(g, pages, &mut out, &mut seen, 0)?;
        }
        Ok(out)
    }

    fn members(&self, id: &str, pages: &mut usize) -> Result<Vec<Value>, DirectoryError> {
        let (mut todo, mut seen, mut out) =
            (vec![(id.to_string(), 0usize)], BTreeSet::new(), Vec::new());
        while let Some((gid, depth)) = todo.pop() {
            if !seen.insert(gid.clone()) || depth > MAX_DEPTH {
                continue;
            }
            let url = format!(
                "{}/groups/{}/members?briefRepresentation=false",
                self.admin,
                encode(&gid)
            );
            out.extend(self.list("group members", url, pages)?);
            let url = format!("{}/groups/{}/children", self.admin, encode(&gid));
            let children = match self.list("subgroups", url, pages) {
                Err(e) if e.kind() == DirectoryErrorKind::NotFound => vec![],
                other => other?,
            };
            for c in children {
                if let Some(cid) = str_field(&c, "id") {
                    todo.push((cid, depth + 1));
                }
            }
        }
        Ok(out)
    }

    fn member_key(&self, user: &Value) -> Option<String> {
        str_field(user, "id")
    }
}
