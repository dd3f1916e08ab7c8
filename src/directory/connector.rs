//! The IdP connectors: one blocking trait, [`Directory`], over the five directory APIs
//! (Graph, Okta, Google, Cognito, Keycloak), built by [`connect`] from the
//! `directory_sync.connector` config.
//!
//! Each IdP's file (`graph.rs`, `okta.rs`, ...) speaks its API through the small `Api`
//! trait (find users, list users, groups and group members); the shared `Connected` adapter
//! turns that into lookups (case-insensitive, 0 = none, several = ambiguous) and complete
//! listings (every page, every group, or an error: never a partial listing). Every call goes
//! through the `net` foundation: the retry budget (throttles and 5xx, counted), the token
//! cache (refreshed once on a 401) and the HTTP client's limits.
//!
//! Errors ([`DirectoryError`]) say what kind of failure it was and name the host and the
//! failing step, never a secret, a token or a request's query.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use super::config::{Connector, ConnectorConfig, ConnectorKind};
use super::map::{group_name, map_user, IdpUser};
use crate::net::http::{HttpClient, HttpConfig, NetError, NetErrorKind, Request, Response};
use crate::net::oauth::{Token, TokenSource};
use crate::net::paging::{Page, Pages, Paging};
use crate::net::retry::{Clock, Retrier, RetryPolicy, Sleeper, SystemClock, ThreadSleeper};
use crate::verify::claims::Transform;

/// What kind of failure a connector call had.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DirectoryErrorKind {
    /// Bad credentials or a refused token (401, a token endpoint's refusal, AWS's
    /// `UnrecognizedClientException`/`InvalidSignatureException`).
    Auth,
    /// The credentials work but lack a permission (403); the message names what is missing.
    Permission,
    /// A required group (or the configured pool/realm) does not exist.
    NotFound,
    /// A lookup matched several users.
    Ambiguous,
    /// The listing or lookup failed after retries: 5xx, an exhausted retry budget, a
    /// malformed response.
    Incomplete,
    /// The service could not be reached (connect, timeout, I/O).
    Unavailable,
}

impl DirectoryErrorKind {
    /// A stable snake_case name.
    pub const fn code(self) -> &'static str {
        match self {
            DirectoryErrorKind::Auth => "auth",
            DirectoryErrorKind::Permission => "permission",
            DirectoryErrorKind::NotFound => "not_found",
            DirectoryErrorKind::Ambiguous => "ambiguous",
            DirectoryErrorKind::Incomplete => "incomplete",
            DirectoryErrorKind::Unavailable => "unavailable",
        }
    }
}

impl fmt::Display for DirectoryErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A connector failure: its kind and a detail holding no secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryError {
    kind: DirectoryErrorKind,
    detail: String,
}

impl DirectoryError {
    /// An error of `kind`; `detail` must hold no secret.
    pub fn new(kind: DirectoryErrorKind, detail: impl Into<String>) -> DirectoryError {
        DirectoryError {
            kind,
            detail: detail.into(),
        }
    }

    /// The kind.
    pub fn kind(&self) -> DirectoryErrorKind {
        self.kind
    }

    /// The detail.
    pub fn detail(&self) -> &str {
        &self.detail
    }
}

impl fmt::Display for DirectoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "directory {}: {}", self.kind, self.detail)
    }
}

impl std::error::Error for DirectoryError {}

/// A complete listing of the directory (or of the required groups' members).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Listing {
    /// The users, sorted by IdP id, each with their group names.
    pub users: Vec<IdpUser>,
    /// Every IdP group name, sorted.
    pub groups: Vec<String>,
    /// Pages fetched.
    pub pages: usize,
    /// Waits the service's throttling caused.
    pub throttle_waits: usize,
}

/// One IdP directory. Blocking; safe to share between threads.
pub trait Directory: Send + Sync {
    /// Which API this is.
    fn kind(&self) -> ConnectorKind;

    /// The user whose `attribute` (`email`, `upn`, `oid`, `username`, ...) is `value`,
    /// compared case-insensitively, with their groups. `None` when there is none; several
    /// matches are a [`DirectoryErrorKind::Ambiguous`] error.
    fn lookup(&self, attribute: &str, value: &str) -> Result<Option<IdpUser>, DirectoryError>;

    /// Every user (or, with `required_groups` (IdP group ids), their nested members), each
    /// with their group names, and every group name. Complete or an error.
    fn list_users(&self, required_groups: &[String]) -> Result<Listing, DirectoryError>;
}

/// How a connector reaches the network: the HTTP client, the retry policy, and the clock and
/// sleeper (tests pass fakes so nothing sleeps for real).
#[derive(Clone)]
pub struct ConnectOptions {
    /// The HTTP client (timeouts, body limit).
    pub http: HttpClient,
    /// Retries and their budget, per call.
    pub retry: RetryPolicy,
    /// The clock (token expiry, `Retry-After` dates, SigV4 and JWT times).
    pub clock: Arc<dyn Clock>,
    /// What waits between retries.
    pub sleeper: Arc<dyn Sleeper>,
}

impl fmt::Debug for ConnectOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectOptions")
            .field("http", &self.http)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Default for ConnectOptions {
    /// The default client and retry policy on the system clock.
    fn default() -> ConnectOptions {
        ConnectOptions {
            http: HttpClient::new(HttpConfig::default()),
            retry: RetryPolicy::default(),
            clock: Arc::new(SystemClock),
            sleeper: Arc::new(ThreadSleeper),
        }
    }
}

/// Builds the connector `config` describes. `transforms` are the `username_transforms` the
/// usernames get (as a token's do). Fails only on a config the connector cannot use (a Google
/// key that is not an RSA PEM).
pub fn connect(
    config: &ConnectorConfig,
    transforms: &[Transform],
    options: ConnectOptions,
) -> Result<Box<dyn Directory>, DirectoryError> {
    let kind = config.kind();
    let api: Box<dyn Api> = match &config.connector {
        Connector::Graph { .. } => Box::new(super::graph::Graph::new(config, &options)),
        Connector::Okta { .. } => Box::new(super::okta::Okta::new(config, &options)),
        Connector::Google { .. } => Box::new(super::google::Google::new(config, &options)?),
        Connector::Cognito { .. } => Box::new(super::cognito::Cognito::new(config, &options)),
        Connector::Keycloak { .. } => Box::new(super::keycloak::Keycloak::new(config, &options)),
    };
    Ok(Box::new(Connected {
        kind,
        api,
        username_attribute: config.username_attribute.clone(),
        transforms: transforms.to_vec(),
    }))
}

// ---------------------------------------------------------------------------------------------
// What each IdP file implements.

/// One IdP API, at the level of its calls. Users and groups are the API's own JSON; the
/// adapter maps them.
pub(crate) trait Api: Send + Sync {
    /// The retrier every call goes through (its counters give the throttle waits).
    fn retrier(&self) -> &Retrier;

    /// Candidate users for a lookup (the adapter then compares case-insensitively).
    fn find(
        &self,
        attribute: &str,
        value: &str,
        pages: &mut usize,
    ) -> Result<Vec<Value>, DirectoryError>;

    /// The value of `attribute` in a found user, for the case-insensitive comparison;
    /// `None` when the API's lookup is itself exact (a lookup by id or UPN).
    fn attribute_of(&self, attribute: &str, user: &Value) -> Option<String>;

    /// One user's groups (transitive where the API can), as the API returns groups.
    fn user_groups(&self, user: &Value, pages: &mut usize) -> Result<Vec<Value>, DirectoryError>;

    /// Every user.
    fn users(&self, pages: &mut usize) -> Result<Vec<Value>, DirectoryError>;

    /// Every group: `(id, group JSON)`.
    fn groups(&self, pages: &mut usize) -> Result<Vec<(String, Value)>, DirectoryError>;

    /// The members of group `id`, nested ones included, as user JSON (or, where the API's
    /// member objects are not users, objects whose [`Api::member_key`] matches the user's).
    /// A group that does not exist is [`DirectoryErrorKind::NotFound`].
    fn members(&self, id: &str, pages: &mut usize) -> Result<Vec<Value>, DirectoryError>;

    /// The key linking a user to a member entry (`id`; Cognito's `Username`).
    fn member_key(&self, user_or_member: &Value) -> Option<String>;

    /// Whether [`Api::members`] returns full user objects (so a required-group listing needs
    /// no user listing).
    fn members_are_users(&self) -> bool {
        true
    }
}

/// The adapter from an [`Api`] to a [`Directory`].
struct Connected {
    kind: ConnectorKind,
    api: Box<dyn Api>,
    username_attribute: Option<String>,
    transforms: Vec<Transform>,
}

impl Connected {
    fn map(&self, user: &Value, groups: Vec<String>) -> Result<IdpUser, DirectoryError> {
        map_user(
            self.kind,
            user,
            self.username_attribute.as_deref(),
            &self.transforms,
            groups,
        )
        .map_err(|e| DirectoryError::new(DirectoryErrorKind::Incomplete, e.detail()))
    }

    fn group_names(&self, groups: &[Value]) -> Result<Vec<String>, DirectoryError> {
        let mut names = BTreeSet::new();
        for g in groups {
            let n = group_name(self.kind, g)
                .map_err(|e| DirectoryError::new(DirectoryErrorKind::Incomplete, e.detail()))?;
            names.insert(n);
        }
        Ok(names.into_iter().collect())
    }
}

impl Directory for Connected {
    fn kind(&self) -> ConnectorKind {
        self.kind
    }

    fn lookup(&self, attribute: &str, value: &str) -> Result<Option<IdpUser>, DirectoryError> {
        let mut pages = 0;
        let found = self.api.find(attribute, value, &mut pages)?;
        let wanted = value.to_lowercase();
        let matching: Vec<&Value> = found
            .iter()
            .filter(|u| match self.api.attribute_of(attribute, u) {
                None => true,
                Some(v) => v.to_lowercase() == wanted,
            })
            .collect();
        match matching.as_slice() {
            [] => Ok(None),
            [user] => {
                let groups = self.api.user_groups(user, &mut pages)?;
                let names = self.group_names(&groups)?;
                self.map(user, names).map(Some)
            }
            several => Err(DirectoryError::new(
                DirectoryErrorKind::Ambiguous,
                format!(
                    "the lookup by {} is ambiguous: {} users match",
                    attribute.chars().take(32).collect::<String>(),
                    several.len()
                ),
            )),
        }
    }

    fn list_users(&self, required_groups: &[String]) -> Result<Listing, DirectoryError> {
        let waits_before = self.api.retrier().throttle_waits();
        let mut pages = 0;
        let groups = self.api.groups(&mut pages)?;
        let mut names: BTreeSet<String> = BTreeSet::new();
        // member key -> the names of the groups they are in.
        let mut member_of: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (id, g) in &groups {
            let name = group_name(self.kind, g)
                .map_err(|e| DirectoryError::new(DirectoryErrorKind::Incomplete, e.detail()))?;
            names.insert(name.clone());
            for m in self.api.members(id, &mut pages)? {
                if let Some(k) = self.api.member_key(&m) {
                    member_of.entry(k).or_default().insert(name.clone());
                }
            }
        }
        let raw: Vec<Value> = if required_groups.is_empty() {
            self.api.users(&mut pages)?
        } else {
            let mut wanted: BTreeMap<String, Value> = BTreeMap::new();
            for g in required_groups {
                let members = self.api.members(g, &mut pages).map_err(|e| {
                    if e.kind() == DirectoryErrorKind::NotFound {
                        DirectoryError::new(
                            DirectoryErrorKind::NotFound,
                            format!(
                                "{}: the required group `{}` does not exist (directory_sync.required_groups)",
                                self.kind.name(),
                                g.chars().take(128).collect::<String>()
                            ),
                        )
                    } else {
                        e
                    }
                })?;
                for m in members {
                    if let Some(k) = self.api.member_key(&m) {
                        wanted.insert(k, m);
                    }
                }
            }
            if self.api.members_are_users() {
                wanted.into_values().collect()
            } else {
                self.api
                    .users(&mut pages)?
                    .into_iter()
                    .filter(|u| {
                        self.api
                            .member_key(u)
                            .is_some_and(|k| wanted.contains_key(&k))
                    })
                    .collect()
            }
        };
        let mut users = Vec::with_capacity(raw.len());
        let mut seen = BTreeSet::new();
        for u in &raw {
            let key = self.api.member_key(u);
            let groups = key
                .as_ref()
                .and_then(|k| member_of.get(k))
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default();
            let user = self.map(u, groups)?;
            if seen.insert(user.idp_id.clone()) {
                users.push(user);
            }
        }
        users.sort_by(|a, b| a.idp_id.cmp(&b.idp_id));
        Ok(Listing {
            users,
            groups: names.into_iter().collect(),
            pages,
            throttle_waits: (self.api.retrier().throttle_waits() - waits_before) as usize,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers the IdP files share.

/// How a service's failures read: its name and what a 403 means it lacks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Service {
    /// `graph`, `okta`, ...
    pub name: &'static str,
    /// What a 403 says is missing (the permission or scope the connector needs).
    pub permissions: &'static str,
    /// The service's own reading of an error response (Cognito's `__type`), before the
    /// status-based one.
    pub classify: Option<fn(&NetError) -> Option<DirectoryErrorKind>>,
}

impl Service {
    /// A [`NetError`] as a connector error; `step` says what was being fetched (no values).
    pub fn error(&self, step: &str, e: &NetError) -> DirectoryError {
        use DirectoryErrorKind as K;
        let status = e.http_status();
        let kind = match self.classify.and_then(|c| c(e)) {
            Some(k) => k,
            None => match (e.kind(), status) {
                (NetErrorKind::Token, _) => K::Auth,
                (NetErrorKind::HttpStatus, Some(401)) => K::Auth,
                (NetErrorKind::HttpStatus, Some(403)) => K::Permission,
                (NetErrorKind::HttpStatus, Some(404)) => K::NotFound,
                (NetErrorKind::HttpStatus, Some(s)) if (400..500).contains(&s) => K::Incomplete,
                (NetErrorKind::Connect | NetErrorKind::Timeout | NetErrorKind::Io, _) => {
                    K::Unavailable
                }
                (NetErrorKind::RetryBudgetExhausted, None) => K::Unavailable,
                _ => K::Incomplete,
            },
        };
        let hint = match kind {
            K::Auth => "; check the connector's credentials",
            K::Permission => self.permissions,
            _ => "",
        };
        let sep = if kind == K::Permission {
            "; it needs "
        } else {
            ""
        };
        DirectoryError::new(kind, format!("{} {step}: {e}{sep}{hint}", self.name))
    }

    /// A response the API does not document (`what` names the field, never a value).
    pub fn bad(&self, step: &str, what: &str) -> DirectoryError {
        DirectoryError::new(
            DirectoryErrorKind::Incomplete,
            format!("{} {step}: {what}", self.name),
        )
    }
}

/// The retrier for one connector.
pub(crate) fn retrier(options: &ConnectOptions, throttle: crate::net::Throttle) -> Retrier {
    Retrier::with_time(
        options.retry,
        throttle,
        options.clock.clone(),
        options.sleeper.clone(),
    )
}

/// `source` with its transient failures (a token endpoint answering 5xx or 429, a dropped
/// connection) retried under `retry`; a refusal (400/401: bad credentials) is final at once.
/// A token endpoint still failing when the budget is spent is a token error.
pub(crate) fn retried_tokens(source: TokenSource, retry: Retrier) -> TokenSource {
    Box::new(move || {
        let mut got: Option<Token> = None;
        let outcome = retry.run(|| match source() {
            Ok(t) => {
                got = Some(t);
                Ok(Response {
                    status: 200,
                    headers: Vec::new(),
                    body: Vec::new(),
                })
            }
            // Let the retrier judge the token endpoint's answer (429, 5xx, Retry-After).
            Err(e) if e.kind() == NetErrorKind::Token && e.response().is_some() => {
                let resp = e.response().cloned().unwrap_or_else(|| Response {
                    status: 500,
                    headers: Vec::new(),
                    body: Vec::new(),
                });
                if matches!(resp.status, 408 | 429 | 500 | 502 | 503 | 504) {
                    Ok(resp)
                } else {
                    Err(e)
                }
            }
            Err(e) => Err(e),
        });
        match (got, outcome) {
            (Some(t), Ok(_)) => Ok(t),
            (_, Err(e)) if e.kind() == NetErrorKind::RetryBudgetExhausted => Err(NetError::new(
                NetErrorKind::Token,
                e.host(),
                format!("the token endpoint is still failing: {}", e.detail()),
            )),
            (_, Err(e)) => Err(e),
            (None, Ok(resp)) => Err(NetError::new(
                NetErrorKind::Token,
                "",
                format!("token endpoint answered HTTP {}", resp.status),
            )),
        }
    })
}

/// One call with an OAuth bearer token, retried under the connector's budget: the token is
/// renewed once on a 401 ([`crate::net::oauth::TokenCache::call`]). What Graph, Google and Keycloak send.
pub(crate) fn send_bearer(
    retry: &Retrier,
    tokens: &crate::net::oauth::TokenCache,
    http: &HttpClient,
    req: &Request,
) -> Result<Response, NetError> {
    retry.run(|| tokens.call(|t| http.send(&crate::net::oauth::bearer(req, t))))
}

/// Every item of every page of `first`, a `what` listing of `kind`'s API, fetched with
/// `fetch`; where the items sit and how pages follow is [`page_shape`]'s.
pub(crate) fn all_items<F>(
    service: &Service,
    step: &str,
    first: Request,
    (kind, what): (ConnectorKind, PageOf),
    pages: &mut usize,
    fetch: F,
) -> Result<Vec<Value>, DirectoryError>
where
    F: FnMut(&Request) -> Result<Response, NetError>,
{
    // One table of page shapes for the connectors and `parse_page` (the fuzzed half).
    let (paging, items, missing_is_empty) = page_shape(kind, what);
    let mut out = Vec::new();
    let mut it = Pages::new(first, paging, fetch);
    for page in it.by_ref() {
        let Page { json, .. } = page.map_err(|e| service.error(step, &e))?;
        *pages += 1;
        match json.pointer(items) {
            Some(Value::Array(a)) => out.extend(a.iter().cloned()),
            None | Some(Value::Null) if missing_is_empty => {}
            _ => {
                return Err(service.bad(
                    step,
                    &format!("a page has no `{}` list", items.trim_start_matches('/')),
                ))
            }
        }
    }
    Ok(out)
}

/// One call's final response as JSON: `Ok(None)` for a 404 (when `not_found_is_none`), an
/// error for another non-2xx or a body that is not JSON.
pub(crate) fn json_of(
    service: &Service,
    step: &str,
    host: &str,
    resp: Result<Response, NetError>,
    not_found_is_none: bool,
) -> Result<Option<Value>, DirectoryError> {
    let resp = resp.map_err(|e| service.error(step, &e))?;
    if resp.status == 404 && not_found_is_none {
        return Ok(None);
    }
    if !resp.is_success() {
        return Err(service.error(step, &NetError::status(host, resp)));
    }
    resp.json()
        .map(Some)
        .map_err(|_| service.bad(step, "the response is not JSON"))
}

/// A string field of a JSON object.
pub(crate) fn str_field(v: &Value, path: &str) -> Option<String> {
    path.split('.')
        .try_fold(v, |v, k| v.get(k))
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// `host[:port]` of a URL, for error text.
pub(crate) fn host_of(url: &str) -> String {
    crate::net::http::origin_of(url)
        .map(|o| o.host_port())
        .unwrap_or_default()
}

/// A JSON string literal's inside: `"` and `\` escaped (for Okta's and Cognito's filters).
pub(crate) fn quoted(value: &str) -> String {
    let mut s = String::with_capacity(value.len() + 2);
    s.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('"');
    s
}

/// What a listing page holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageOf {
    /// Users (`/users`, a lookup's search, `ListUsers`).
    Users,
    /// Groups (every group, or one user's).
    Groups,
    /// A group's members.
    Members,
}

impl PageOf {
    /// Every kind of page.
    pub const ALL: [PageOf; 3] = [PageOf::Users, PageOf::Groups, PageOf::Members];
}

/// How `kind`'s API pages a `what` listing: the paging style, the JSON pointer to the items
/// (`""`: the body is the array), and whether an absent item list means an empty page.
pub fn page_shape(kind: ConnectorKind, what: PageOf) -> (Paging, &'static str, bool) {
    match (kind, what) {
        (ConnectorKind::Graph, _) => (Paging::ODataNextLink, "/value", false),
        (ConnectorKind::Okta, _) => (Paging::LinkHeader, "", false),
        (ConnectorKind::Google, PageOf::Users) => (Paging::PageToken, "/users", true),
        (ConnectorKind::Google, PageOf::Groups) => (Paging::PageToken, "/groups", true),
        (ConnectorKind::Google, PageOf::Members) => (Paging::PageToken, "/members", true),
        (ConnectorKind::Cognito, PageOf::Users) => (Paging::PAGINATION_TOKEN, "/Users", false),
        (ConnectorKind::Cognito, PageOf::Groups) => (Paging::NEXT_TOKEN, "/Groups", false),
        (ConnectorKind::Cognito, PageOf::Members) => (Paging::NEXT_TOKEN, "/Users", false),
        (ConnectorKind::Keycloak, _) => (
            Paging::Offset {
                max: super::keycloak::PAGE,
                items: "",
            },
            "",
            false,
        ),
    }
}

/// One listing page as a connector reads it ([`parse_page`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedPage {
    /// Items on the page.
    pub items: usize,
    /// The users mapped (user and member pages; Google's member entries are not users).
    pub users: Vec<IdpUser>,
    /// The group names (group pages).
    pub groups: Vec<String>,
    /// The next page's URL, if any (on the request's host, or the page is refused).
    pub next: Option<String>,
}

/// Parses one page of `kind`'s `what` listing, answered `response` to `request`, exactly as
/// the connectors do (items, mapping, next page, same-host rule): the pure half of a listing,
/// for tests and fuzzing.
pub fn parse_page(
    kind: ConnectorKind,
    what: PageOf,
    request: &Request,
    response: &Response,
) -> Result<ParsedPage, DirectoryError> {
    let incomplete = |d: String| DirectoryError::new(DirectoryErrorKind::Incomplete, d);
    let name = kind.name();
    let json: Value = response
        .json()
        .map_err(|_| incomplete(format!("{name}: a page is not JSON")))?;
    let (paging, items, missing_is_empty) = page_shape(kind, what);
    let next = crate::net::paging::next_request(request, response, &json, &paging)
        .map_err(|d| incomplete(format!("{name}: {d}")))?;
    let next = match next {
        None => None,
        Some(n) => {
            let same =
                crate::net::http::origin_of(&n.url) == crate::net::http::origin_of(&request.url);
            if !same {
                return Err(incomplete(format!(
                    "{name}: a next-page link to another host is refused"
                )));
            }
            Some(n.url)
        }
    };
    let list: &[Value] = match json.pointer(items) {
        Some(Value::Array(a)) => a,
        None | Some(Value::Null) if missing_is_empty => &[],
        _ => return Err(incomplete(format!("{name}: a page has no item list"))),
    };
    let mut page = ParsedPage {
        items: list.len(),
        next,
        ..ParsedPage::default()
    };
    let map_err = |e: super::map::ResponseError| incomplete(e.detail().to_string());
    for item in list {
        match what {
            PageOf::Groups => page.groups.push(group_name(kind, item).map_err(map_err)?),
            PageOf::Members if kind == ConnectorKind::Google => {}
            _ => page
                .users
                .push(map_user(kind, item, None, &[], Vec::new()).map_err(map_err)?),
        }
    }
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_quotes_and_backslashes() {
        assert_eq!(quoted(r#"a"b\c"#), r#""a\"b\\c""#);
    }

    fn okta_page(link: &str) -> Result<ParsedPage, DirectoryError> {
        let request = Request::get("https://idp.example.com/api/v1/users?limit=200");
        let response = Response {
            status: 200,
            headers: vec![("link".into(), format!("<{link}>; rel=\"next\""))],
            body: br#"[{"id": "u1", "status": "ACTIVE", "profile": {"email": "a@x"}}]"#.to_vec(),
        };
        parse_page(ConnectorKind::Okta, PageOf::Users, &request, &response)
    }

    /// Fuzz finding (connector_page): hosts compare case-insensitively, so a next link to
    /// `Idp.example.com` is the same host and is followed.
    #[test]
    fn a_next_link_differing_only_in_host_case_is_followed() {
        let page = okta_page("https://Idp.example.com/api/v1/users?after=1").unwrap();
        assert_eq!(
            page.next.as_deref(),
            Some("https://Idp.example.com/api/v1/users?after=1")
        );
    }

    #[test]
    fn a_next_link_to_another_host_is_refused() {
        let e = okta_page("https://idp.example.org/api/v1/users?after=1").unwrap_err();
        assert_eq!(e.kind(), DirectoryErrorKind::Incomplete);
        assert!(e.to_string().contains("another host"), "{e}");
    }

    #[test]
    fn statuses_map_to_kinds() {
        let s = Service {
            name: "okta",
            permissions: "okta.users.read",
            classify: None,
        };
        let resp = |status| Response {
            status,
            headers: vec![],
            body: vec![],
        };
        let k = |status| {
            s.error("users", &NetError::status("h", resp(status)))
                .kind()
        };
        assert_eq!(k(401), DirectoryErrorKind::Auth);
        assert_eq!(k(403), DirectoryErrorKind::Permission);
        assert_eq!(k(404), DirectoryErrorKind::NotFound);
        assert_eq!(k(500), DirectoryErrorKind::Incomplete);
        let e = s.error("users", &NetError::status("h", resp(403)));
        assert!(e.to_string().contains("okta.users.read"), "{e}");
    }
}
