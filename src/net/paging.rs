//! Paging as an iterator over pages, for the five paging styles of the directory APIs:
//! Graph's `@odata.nextLink`, Okta's `Link: <...>; rel="next"`, Google's `nextPageToken` sent
//! back as `pageToken`, Cognito's `PaginationToken`/`NextToken` in the JSON body, and
//! Keycloak's `first`/`max` offsets.
//!
//! A next-page URL must stay on the first request's host: a link elsewhere would carry our
//! credentials to it, so it is refused ([`NetErrorKind::RedirectRefused`]). A next page that
//! was already fetched (a service bug) ends the walk with an error instead of looping.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use serde_json::Value;

use super::http::{origin_of, resolve, NetError, NetErrorKind, Request, Response};

/// How the next page is found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paging {
    /// Graph: follow the body's `@odata.nextLink` URL verbatim.
    ODataNextLink,
    /// Okta: follow the `Link` header with `rel="next"`.
    LinkHeader,
    /// Google: the body's `nextPageToken` goes back as the `pageToken` query parameter.
    PageToken,
    /// Cognito (AWS JSON): the body's `response_field` goes back as `request_field` in the
    /// JSON request body (`PaginationToken` for `ListUsers`, `NextToken` for the others).
    BodyToken {
        /// Field of the response holding the token.
        response_field: &'static str,
        /// Field of the request body to set.
        request_field: &'static str,
    },
    /// Keycloak: `first`/`max` query parameters; done after a page of fewer than `max` items.
    Offset {
        /// Page size.
        max: usize,
        /// JSON pointer to the page's item array (`""` for a top-level array).
        items: &'static str,
    },
}

impl Paging {
    /// Cognito `ListUsers`: `PaginationToken` both ways.
    pub const PAGINATION_TOKEN: Paging = Paging::BodyToken {
        response_field: "PaginationToken",
        request_field: "PaginationToken",
    };
    /// Cognito `ListUsersInGroup`, `ListGroups`, `AdminListGroupsForUser`: `NextToken`.
    pub const NEXT_TOKEN: Paging = Paging::BodyToken {
        response_field: "NextToken",
        request_field: "NextToken",
    };
}

/// One page: the response and its body as JSON.
#[derive(Debug, Clone)]
pub struct Page {
    /// The response (status 2xx).
    pub response: Response,
    /// The body, parsed.
    pub json: Value,
}

/// An iterator over the pages of one listing. It ends after the last page or the first error.
pub struct Pages<F> {
    fetch: F,
    paging: Paging,
    next: Option<Request>,
    first_origin: Option<super::http::Origin>,
    pages: usize,
    /// Fingerprints (URL and body) of the requests fetched, to stop a paging cycle.
    fetched: HashSet<u64>,
    max_pages: usize,
}

/// Pages fetched at most in one listing by default (two million users at Okta's 200 a page).
pub const DEFAULT_MAX_PAGES: usize = 10_000;

fn fingerprint(req: &Request) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    req.url.hash(&mut h);
    req.body.hash(&mut h);
    h.finish()
}

impl<F> Pages<F>
where
    F: FnMut(&Request) -> Result<Response, NetError>,
{
    /// Pages of `first`, each fetched by `fetch` (the service's client: retries, token,
    /// signing). For [`Paging::Offset`], `first` gets `first=0&max=N` added.
    pub fn new(first: Request, paging: Paging, fetch: F) -> Pages<F> {
        let first = match &paging {
            Paging::Offset { max, .. } => {
                let url = set_query_param(&first.url, "first", "0");
                let url = set_query_param(&url, "max", &max.to_string());
                Request { url, ..first }
            }
            _ => first,
        };
        Pages {
            fetch,
            first_origin: origin_of(&first.url),
            paging,
            next: Some(first),
            pages: 0,
            fetched: HashSet::new(),
            max_pages: DEFAULT_MAX_PAGES,
        }
    }

    /// Stops with an error after `n` pages (a service that ignores `first` would otherwise be
    /// paged forever).
    pub fn with_max_pages(mut self, n: usize) -> Pages<F> {
        self.max_pages = n;
        self
    }

    /// Pages fetched so far.
    pub fn pages(&self) -> usize {
        self.pages
    }

    fn fetch_page(&mut self, req: Request) -> Result<Page, NetError> {
        let host = self
            .first_origin
            .as_ref()
            .map(|o| o.host_port())
            .unwrap_or_default();
        if self.pages >= self.max_pages {
            return Err(NetError::new(
                NetErrorKind::BadResponse,
                host,
                format!("more than {} pages", self.max_pages),
            ));
        }
        self.fetched.insert(fingerprint(&req));
        let response = (self.fetch)(&req)?;
        if !response.is_success() {
            return Err(NetError::status(host, response));
        }
        let json: Value = response.json().map_err(|e| {
            NetError::new(
                NetErrorKind::BadResponse,
                &host,
                format!(
                    "page {} is not JSON ({})",
                    self.pages + 1,
                    e.classify_name()
                ),
            )
        })?;
        self.pages += 1;
        let next = next_request(&req, &response, &json, &self.paging)
            .map_err(|d| NetError::new(NetErrorKind::BadResponse, &host, d))?;
        if let Some(n) = &next {
            if origin_of(&n.url) != self.first_origin {
                return Err(NetError::new(
                    NetErrorKind::RedirectRefused,
                    &host,
                    "next-page link to another host refused",
                ));
            }
            if self.fetched.contains(&fingerprint(n)) {
                return Err(NetError::new(
                    NetErrorKind::BadResponse,
                    &host,
                    format!("page {} links back to a page already fetched", self.pages),
                ));
            }
        }
        self.next = next;
        Ok(Page { response, json })
    }
}

impl<F> Iterator for Pages<F>
where
    F: FnMut(&Request) -> Result<Response, NetError>,
{
    type Item = Result<Page, NetError>;

    fn next(&mut self) -> Option<Self::Item> {
        let req = self.next.take()?;
        Some(self.fetch_page(req))
    }
}

trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "I/O",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected data",
            serde_json::error::Category::Eof => "truncated",
        }
    }
}

/// The request for the page after `resp`, `None` after the last page, or why the response's
/// paging data is unusable.
pub fn next_request(
    req: &Request,
    resp: &Response,
    json: &Value,
    paging: &Paging,
) -> Result<Option<Request>, String> {
    let with_url = |url: String| Request { url, ..req.clone() };
    match paging {
        Paging::ODataNextLink => match json.get("@odata.nextLink") {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => resolve(&req.url, s)
                .map(|u| Some(with_url(u)))
                .ok_or_else(|| "`@odata.nextLink` is not a URL".to_string()),
            Some(_) => Err("`@odata.nextLink` is not a string".to_string()),
        },
        Paging::LinkHeader => {
            let values: Vec<&str> = resp.headers_all("link").collect();
            match next_link(&values) {
                None => Ok(None),
                Some(target) => resolve(&req.url, &target)
                    .map(|u| Some(with_url(u)))
                    .ok_or_else(|| "`Link` rel=next is not a URL".to_string()),
            }
        }
        Paging::PageToken => match token_field(json, "nextPageToken")? {
            None => Ok(None),
            Some(t) => Ok(Some(with_url(set_query_param(&req.url, "pageToken", &t)))),
        },
        Paging::BodyToken {
            response_field,
            request_field,
        } => match token_field(json, response_field)? {
            None => Ok(None),
            Some(t) => {
                let mut body: Value = req
                    .body
                    .as_deref()
                    .map(serde_json::from_slice)
                    .transpose()
                    .map_err(|_| "the request body is not JSON".to_string())?
                    .unwrap_or_else(|| Value::Object(Default::default()));
                let obj = body
                    .as_object_mut()
                    .ok_or_else(|| "the request body is not a JSON object".to_string())?;
                obj.insert(request_field.to_string(), Value::String(t));
                let mut next = req.clone();
                next.body = Some(serde_json::to_vec(&body).expect("JSON value serializes"));
                Ok(Some(next))
            }
        },
        Paging::Offset { max, items } => {
            let n = json
                .pointer(items)
                .and_then(Value::as_array)
                .map(Vec::len)
                .ok_or_else(|| "the page holds no item array".to_string())?;
            if n < *max || *max == 0 {
                return Ok(None);
            }
            let first = query_param(&req.url, "first")
                .and_then(|f| f.parse::<usize>().ok())
                .unwrap_or(0);
            let url = set_query_param(&req.url, "first", &(first + max).to_string());
            Ok(Some(with_url(set_query_param(
                &url,
                "max",
                &max.to_string(),
            ))))
        }
    }
}

/// A token field: absent, null or `""` is the end; anything but a string is an error.
fn token_field(json: &Value, field: &str) -> Result<Option<String>, String> {
    match json.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("`{field}` is not a string")),
    }
}

/// One link of a `Link` header (RFC 8288).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The target URI reference, between `<` and `>`.
    pub target: String,
    /// Parameters in order, names lower-cased, values unquoted.
    pub params: Vec<(String, String)>,
}

impl Link {
    /// Whether `rel` (a space-separated list, case-insensitive) holds `rel`.
    pub fn has_rel(&self, rel: &str) -> bool {
        self.params
            .iter()
            .filter(|(n, _)| n == "rel")
            .take(1) // RFC 8288 §3.3: only the first rel counts
            .any(|(_, v)| {
                v.split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case(rel))
            })
    }
}

/// Parses every `Link` header value (each may hold several comma-separated links). Malformed
/// links are skipped; a malformed tail ends parsing of that value.
pub fn parse_link_header(values: &[&str]) -> Vec<Link> {
    let mut out = Vec::new();
    for v in values {
        parse_link_value(v, &mut out);
    }
    out
}

/// The target of the first link with `rel="next"`.
pub fn next_link(values: &[&str]) -> Option<String> {
    parse_link_header(values)
        .into_iter()
        .find(|l| l.has_rel("next"))
        .map(|l| l.target)
}

fn parse_link_value(v: &str, out: &mut Vec<Link>) {
    let b = v.as_bytes();
    let mut i = 0;
    loop {
        while i < b.len() && (b[i] == b',' || b[i].is_ascii_whitespace()) {
            i += 1;
        }
        if i >= b.len() {
            return;
        }
        if b[i] != b'<' {
            // Not a link: skip to the next top-level comma.
            match skip_to_comma(b, i) {
                Some(j) => {
                    i = j;
                    continue;
                }
                None => return,
            }
        }
        let Some(end) = v[i + 1..].find('>') else {
            return;
        };
        let target = v[i + 1..i + 1 + end].trim().to_string();
        i = i + 1 + end + 1;
        let mut params = Vec::new();
        loop {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= b.len() || b[i] == b',' {
                break;
            }
            if b[i] != b';' {
                // Garbage after the link: drop to the next comma.
                match skip_to_comma(b, i) {
                    Some(j) => i = j,
                    None => i = b.len(),
                }
                break;
            }
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let start = i;
            while i < b.len() && !matches!(b[i], b'=' | b';' | b',') && !b[i].is_ascii_whitespace()
            {
                i += 1;
            }
            let name = v[start..i].to_ascii_lowercase();
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                if i < b.len() && b[i] == b'"' {
                    i += 1;
                    let mut chars = v[i..].char_indices();
                    let mut closed = false;
                    while let Some((k, c)) = chars.next() {
                        match c {
                            '\\' => {
                                if let Some((_, e)) = chars.next() {
                                    value.push(e);
                                }
                            }
                            '"' => {
                                i += k + 1;
                                closed = true;
                                break;
                            }
                            c => value.push(c),
                        }
                    }
                    if !closed {
                        i = b.len();
                    }
                } else {
                    let start = i;
                    while i < b.len() && !matches!(b[i], b';' | b',') {
                        i += 1;
                    }
                    value = v[start..i].trim().to_string();
                }
            }
            if !name.is_empty() {
                params.push((name, value));
            }
        }
        out.push(Link { target, params });
    }
}

/// The index just after the next comma outside quotes and `<...>`, from `i`.
fn skip_to_comma(b: &[u8], mut i: usize) -> Option<usize> {
    let (mut quoted, mut angled) = (false, false);
    while i < b.len() {
        match b[i] {
            b'\\' if quoted => i += 1,
            b'"' if !angled => quoted = !quoted,
            b'<' if !quoted => angled = true,
            b'>' if !quoted => angled = false,
            b',' if !quoted && !angled => return Some(i + 1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The first value of query parameter `name` (not percent-decoded).
pub fn query_param<'a>(url: &'a str, name: &str) -> Option<&'a str> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == name).then_some(v)
    })
}

/// `url` with query parameter `name` set to `value` (percent-encoded), replacing every earlier
/// value, or appended.
pub fn set_query_param(url: &str, name: &str, value: &str) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let (path, query) = base.split_once('?').unwrap_or((base, ""));
    let mut parts: Vec<String> = query
        .split('&')
        .filter(|kv| !kv.is_empty())
        .filter(|kv| kv.split('=').next() != Some(name))
        .map(str::to_string)
        .collect();
    parts.push(format!("{}={}", encode(name), encode(value)));
    let mut out = format!("{path}?{}", parts.join("&"));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(values: &[&str]) -> Vec<(String, Vec<(String, String)>)> {
        parse_link_header(values)
            .into_iter()
            .map(|l| (l.target, l.params))
            .collect()
    }

    #[test]
    fn okta_sends_self_and_next_as_separate_headers() {
        let h = [
            r#"<https://acme.okta.com/api/v1/users?limit=200>; rel="self""#,
            r#"<https://acme.okta.com/api/v1/users?after=00ubfjQEMYBLRUWIEDKK&limit=200>; rel="next""#,
        ];
        assert_eq!(
            next_link(&h).unwrap(),
            "https://acme.okta.com/api/v1/users?after=00ubfjQEMYBLRUWIEDKK&limit=200"
        );
        assert_eq!(next_link(&h[..1]), None);
    }

    #[test]
    fn several_links_in_one_header_with_quoted_params() {
        let h = [
            r#"<https://x/1>; rel="prev"; title="a, b; \"c\"", <https://x/3>;rel=next;x=1 , <https://x/9>; rel="last""#,
        ];
        let l = links(&h);
        assert_eq!(l.len(), 3, "{l:?}");
        assert_eq!(l[0].1[1], ("title".to_string(), r#"a, b; "c""#.to_string()));
        assert_eq!(next_link(&h).unwrap(), "https://x/3");
    }

    #[test]
    fn rel_lists_case_and_only_the_first_rel() {
        assert_eq!(next_link(&[r#"<a>; REL="prefetch NEXT""#]).unwrap(), "a");
        assert_eq!(next_link(&[r#"<a>; rel="self"; rel="next""#]), None);
        assert_eq!(next_link(&[r#"<a>; rel="nextpage""#]), None);
        assert_eq!(next_link(&[r#"<a>; title="rel=next""#]), None);
    }

    #[test]
    fn malformed_links_are_skipped() {
        assert_eq!(next_link(&["garbage, <b>; rel=next"]).unwrap(), "b");
        assert_eq!(next_link(&["<b; rel=next"]), None);
        assert_eq!(next_link(&[r#"<a>; rel="next"#]).unwrap(), "a");
        assert_eq!(
            next_link(&[r#"<a> junk; rel=prev, <c>; rel=next"#]).unwrap(),
            "c"
        );
        assert_eq!(
            next_link(&["", ",,, ;;", "<>", "<ä>; rel=next"]).unwrap(),
            "ä"
        );
        assert!(links(&["<x>; =; ;a"]).len() == 1);
    }

    #[test]
    fn query_params_are_set_replaced_and_encoded() {
        assert_eq!(
            set_query_param("https://h/u", "pageToken", "a b/+="),
            "https://h/u?pageToken=a%20b%2F%2B%3D"
        );
        assert_eq!(
            set_query_param("https://h/u?x=1&pageToken=old&y=2", "pageToken", "new"),
            "https://h/u?x=1&y=2&pageToken=new"
        );
        assert_eq!(
            set_query_param("https://h/u?#f", "a", "1"),
            "https://h/u?a=1#f"
        );
        assert_eq!(
            query_param("https://h/u?first=20&max=10", "first"),
            Some("20")
        );
        assert_eq!(query_param("https://h/u?firstx=1", "first"), None);
    }

    fn resp(headers: &[(&str, &str)]) -> Response {
        Response {
            status: 200,
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: Vec::new(),
        }
    }

    #[test]
    fn next_requests_per_style() {
        let req = Request::get("https://h.example/v1/users?customer=my_customer");
        let j = serde_json::json!({"nextPageToken": "tok/1", "@odata.nextLink": "https://h.example/v1/users?$skiptoken=X"});
        let n = next_request(&req, &resp(&[]), &j, &Paging::PageToken)
            .unwrap()
            .unwrap();
        assert_eq!(
            n.url,
            "https://h.example/v1/users?customer=my_customer&pageToken=tok%2F1"
        );
        let n = next_request(&req, &resp(&[]), &j, &Paging::ODataNextLink)
            .unwrap()
            .unwrap();
        assert_eq!(n.url, "https://h.example/v1/users?$skiptoken=X");
        let done = serde_json::json!({"nextPageToken": ""});
        assert_eq!(
            next_request(&req, &resp(&[]), &done, &Paging::PageToken).unwrap(),
            None
        );
        let bad = serde_json::json!({"nextPageToken": 5});
        assert!(next_request(&req, &resp(&[]), &bad, &Paging::PageToken).is_err());

        let post = Request::post(
            "https://c.example/",
            "application/x-amz-json-1.1",
            r#"{"UserPoolId":"p","Limit":60}"#,
        );
        let j = serde_json::json!({"Users": [], "PaginationToken": "pt=="});
        let n = next_request(&post, &resp(&[]), &j, &Paging::PAGINATION_TOKEN)
            .unwrap()
            .unwrap();
        assert_eq!(
            String::from_utf8(n.body.unwrap()).unwrap(),
            r#"{"UserPoolId":"p","Limit":60,"PaginationToken":"pt=="}"#
        );
        assert_eq!(
            next_request(
                &post,
                &resp(&[]),
                &serde_json::json!({"Users": []}),
                &Paging::NEXT_TOKEN
            )
            .unwrap(),
            None
        );

        let kc = Request::get("https://k.example/admin/realms/r/users?first=0&max=2");
        let off = Paging::Offset { max: 2, items: "" };
        let n = next_request(&kc, &resp(&[]), &serde_json::json!([1, 2]), &off)
            .unwrap()
            .unwrap();
        assert_eq!(
            n.url,
            "https://k.example/admin/realms/r/users?first=2&max=2"
        );
        assert_eq!(
            next_request(&kc, &resp(&[]), &serde_json::json!([1]), &off).unwrap(),
            None
        );
        assert!(next_request(&kc, &resp(&[]), &serde_json::json!({}), &off).is_err());

        let okta = Request::get("https://o.example/api/v1/users");
        let r = resp(&[("link", "</api/v1/users?after=x>; rel=\"next\"")]);
        let n = next_request(&okta, &r, &Value::Null, &Paging::LinkHeader)
            .unwrap()
            .unwrap();
        assert_eq!(n.url, "https://o.example/api/v1/users?after=x");
    }
}
