//! Okta's management API: `Authorization: SSWS {api_token}`; users from
//! `/api/v1/users?limit=200` (`Link: rel="next"` paging), plus the DEPROVISIONED users that
//! listing leaves out (`filter=status eq "DEPROVISIONED"`); a lookup with
//! `search=profile.email eq "..."` (case-insensitive on the value; `filter` would be
//! case-sensitive) or `profile.login`; a user's groups from `/api/v1/users/{id}/groups`; a
//! group's members from `/api/v1/groups/{id}/users` (Okta groups do not nest). Okta's
//! `X-Rate-Limit-Reset` throttles are honoured by the retrier.

use serde_json::Value;

use super::config::{Connector, ConnectorConfig, ConnectorKind};
use super::connector::{
    all_items, quoted, retrier, str_field, Api, ConnectOptions, DirectoryError, PageOf, Service,
};
use crate::net::http::{HttpClient, NetError, Request, Response};
use crate::net::oauth::Secret;
use crate::net::paging::encode;
use crate::net::retry::{no_throttle, Retrier};

const SERVICE: Service = Service {
    name: "okta",
    permissions: "an API token of an admin allowed to read users and groups (e.g. the Read-Only Administrator role)",
    classify: None,
};

pub(crate) struct Okta {
    http: HttpClient,
    retry: Retrier,
    token: Secret,
    org: String,
}

impl Okta {
    pub(crate) fn new(config: &ConnectorConfig, options: &ConnectOptions) -> Okta {
        let Connector::Okta { org_url, api_token } = &config.connector else {
            unreachable!("Okta::new is called for an okta connector")
        };
        Okta {
            http: options.http.clone(),
            retry: retrier(options, no_throttle),
            token: Secret::new(api_token.expose()),
            org: org_url.trim_end_matches('/').to_string(),
        }
    }

    fn send(&self, req: &Request) -> Result<Response, NetError> {
        self.retry.run(|| {
            let mut r = req.clone();
            r.set_header("authorization", format!("SSWS {}", self.token.expose()));
            r.set_header("accept", "application/json");
            self.http.send(&r)
        })
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
            Request::get(url),
            (ConnectorKind::Okta, PageOf::Users),
            pages,
            |r| self.send(r),
        )
    }
}

/// The profile field a lookup attribute searches.
fn profile_field(attribute: &str) -> String {
    match attribute {
        "email" => "profile.email".to_string(),
        "login" | "username" => "profile.login".to_string(),
        a if a.starts_with("profile.") => a.to_string(),
        a => format!("profile.{a}"),
    }
}

impl Api for Okta {
    fn retrier(&self) -> &Retrier {
        &self.retry
    }

    fn find(
        &self,
        attribute: &str,
        value: &str,
        pages: &mut usize,
    ) -> Result<Vec<Value>, DirectoryError> {
        let search = format!("{} eq {}", profile_field(attribute), quoted(value));
        let url = format!("{}/api/v1/users?search={}", self.org, encode(&search));
        self.list("user lookup", url, pages)
    }

    fn attribute_of(&self, attribute: &str, user: &Value) -> Option<String> {
        Some(str_field(user, &profile_field(attribute)).unwrap_or_default())
    }

    fn user_groups(&self, user: &Value, pages: &mut usize) -> Result<Vec<Value>, DirectoryError> {
        let id =
            str_field(user, "id").ok_or_else(|| SERVICE.bad("user lookup", "`id` is missing"))?;
        let url = format!("{}/api/v1/users/{}/groups", self.org, encode(&id));
        self.list("user groups", url, pages)
    }

    fn users(&self, pages: &mut usize) -> Result<Vec<Value>, DirectoryError> {
        let mut users = self.list(
            "users",
            format!("{}/api/v1/users?limit=200", self.org),
            pages,
        )?;
        // The default listing leaves out DEPROVISIONED users; a sync must see them (as
        // inactive), or `on_missing: keep` would keep a leaver active.
        let filter = encode(r#"status eq "DEPROVISIONED""#);
        users.extend(self.list(
            "deprovisioned users",
            format!("{}/api/v1/users?filter={filter}&limit=200", self.org),
            pages,
        )?);
        Ok(users)
    }

    fn groups(&self, pages: &mut usize) -> Result<Vec<(String, Value)>, DirectoryError> {
        let groups = self.list(
            "groups",
            format!("{}/api/v1/groups?limit=200", self.org),
            pages,
        )?;
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
        let url = format!("{}/api/v1/groups/{}/users?limit=1000", self.org, encode(id));
        self.list("group members", url, pages)
    }

    fn member_key(&self, user: &Value) -> Option<String> {
        str_field(user, "id")
    }
}
