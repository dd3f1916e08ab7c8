//! The networking foundation (`albauth::net`) against a real HTTP server on 127.0.0.1:
//! paging in every style, throttling and 5xx retries (waits through a fake sleeper, never for
//! real), the retry budget, body limits, timeouts, redirects, OAuth 401 refresh, SigV4 on the
//! wire, and no secret in any error text.

#[path = "common/scripted.rs"]
mod scripted;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use albauth::net::oauth::{bearer, client_credentials, Secret, TokenCache};
use albauth::net::paging::{Pages, Paging};
use albauth::net::retry::{cognito_throttle, google_throttle, no_throttle, Clock, Sleeper};
use albauth::net::sigv4::{self, Credentials};
use albauth::net::{
    HttpClient, HttpConfig, NetError, NetErrorKind, Request, Response, Retrier, RetryPolicy,
};
use scripted::{Reply, ScriptedServer};
use serde_json::json;

/// A clock that only moves when the retrier "sleeps".
struct FakeTime {
    now: Mutex<SystemTime>,
    slept: Mutex<Vec<Duration>>,
}

impl FakeTime {
    fn new(at: SystemTime) -> Arc<FakeTime> {
        Arc::new(FakeTime {
            now: Mutex::new(at),
            slept: Mutex::new(Vec::new()),
        })
    }
    fn slept(&self) -> Vec<Duration> {
        self.slept.lock().unwrap().clone()
    }
}

impl Clock for FakeTime {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap()
    }
}

impl Sleeper for FakeTime {
    fn sleep(&self, d: Duration) {
        self.slept.lock().unwrap().push(d);
        *self.now.lock().unwrap() += d;
    }
}

fn client() -> HttpClient {
    HttpClient::new(HttpConfig {
        timeout: Duration::from_secs(5),
        max_body_bytes: 64 * 1024,
        max_redirects: 3,
    })
}

fn retrier(throttle: albauth::net::Throttle) -> (Retrier, Arc<FakeTime>) {
    let t = FakeTime::new(SystemTime::now());
    let policy = RetryPolicy {
        max_attempts: 4,
        max_total_wait: Duration::from_secs(120),
        base_delay: Duration::from_millis(200),
        max_delay: Duration::from_secs(5),
    };
    (
        Retrier::with_time(policy, throttle, t.clone(), t.clone()),
        t,
    )
}

fn ids(pages: Vec<Result<albauth::net::Page, NetError>>, items: &str) -> Vec<String> {
    pages
        .into_iter()
        .flat_map(|p| {
            let p = p.expect("page");
            p.json
                .pointer(items)
                .and_then(|v| v.as_array())
                .expect("items")
                .iter()
                .map(|u| u["id"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn okta_link_header_pages() {
    let s = ScriptedServer::start();
    let next1 = s.url("/api/v1/users?after=u2&limit=2");
    let next2 = s.url("/api/v1/users?after=u4&limit=2");
    s.on(
        "/api/v1/users?limit=2",
        vec![Reply::new(200, r#"[{"id":"u1"},{"id":"u2"}]"#)
            .header(
                "Link",
                &format!("<{}>; rel=\"self\"", s.url("/api/v1/users?limit=2")),
            )
            .header("Link", &format!("<{next1}>; rel=\"next\""))],
    );
    // Several links in one header, quoted params, rel in upper case.
    s.on(
        "/api/v1/users?after=u2&limit=2",
        vec![Reply::new(200, r#"[{"id":"u3"},{"id":"u4"}]"#).header(
            "Link",
            &format!("<{next1}>; rel=\"self\"; title=\"a, b\", <{next2}>; REL=\"next\""),
        )],
    );
    s.on(
        "/api/v1/users?after=u4&limit=2",
        vec![
            Reply::new(200, r#"[{"id":"u5"}]"#).header("Link", &format!("<{next2}>; rel=\"self\""))
        ],
    );
    let c = client();
    let mut pages = Pages::new(
        Request::get(s.url("/api/v1/users?limit=2")).header("authorization", "SSWS t0ken"),
        Paging::LinkHeader,
        |r| c.send(r),
    );
    let all: Vec<_> = pages.by_ref().collect();
    assert_eq!(pages.pages(), 3);
    assert_eq!(ids(all, ""), ["u1", "u2", "u3", "u4", "u5"]);
    assert!(s
        .seen()
        .iter()
        .all(|r| r.header("authorization") == Some("SSWS t0ken")));
}

#[test]
fn graph_odata_next_link_pages_and_off_host_links_are_refused() {
    let s = ScriptedServer::start();
    let other = ScriptedServer::start();
    s.on(
        "/v1.0/users",
        vec![Reply::json(
            json!({"value": [{"id": "a"}], "@odata.nextLink": s.url("/v1.0/users?$skiptoken=X1")}),
        )],
    );
    s.on(
        "/v1.0/users?$skiptoken=X1",
        vec![Reply::json(json!({"value": [{"id": "b"}]}))],
    );
    let c = client();
    let mut pages = Pages::new(
        Request::get(s.url("/v1.0/users")),
        Paging::ODataNextLink,
        |r| c.send(r),
    );
    let all: Vec<_> = pages.by_ref().collect();
    assert_eq!(
        (ids(all, "/value"), pages.pages()),
        (vec!["a".into(), "b".into()], 2)
    );

    // A next link to another host would carry the bearer token there: refused, not fetched.
    s.on(
        "/v1.0/groups",
        vec![Reply::json(
            json!({"value": [], "@odata.nextLink": other.url("/v1.0/groups?$skiptoken=steal")}),
        )],
    );
    let mut pages = Pages::new(
        Request::get(s.url("/v1.0/groups")).header("authorization", "Bearer sekrit"),
        Paging::ODataNextLink,
        |r| c.send(r),
    );
    let e = pages.next().unwrap().unwrap_err();
    assert_eq!(e.kind(), NetErrorKind::RedirectRefused);
    assert!(pages.next().is_none());
    assert!(other.seen().is_empty());
}

#[test]
fn google_page_tokens_cognito_pagination_tokens_and_keycloak_offsets() {
    let s = ScriptedServer::start();
    let c = client();

    s.on(
        "/admin/directory/v1/users?customer=my_customer",
        vec![Reply::json(
            json!({"users": [{"id": "g1"}], "nextPageToken": "p/2+"}),
        )],
    );
    s.on(
        "/admin/directory/v1/users?customer=my_customer&pageToken=p%2F2%2B",
        vec![Reply::json(json!({"users": [{"id": "g2"}]}))],
    );
    let pages: Vec<_> = Pages::new(
        Request::get(s.url("/admin/directory/v1/users?customer=my_customer")),
        Paging::PageToken,
        |r| c.send(r),
    )
    .collect();
    assert_eq!(ids(pages, "/users"), ["g1", "g2"]);

    s.on(
        "/",
        vec![
            Reply::json(json!({"Users": [{"id": "c1"}], "PaginationToken": "tok=="})),
            Reply::json(json!({"Users": [{"id": "c2"}]})),
        ],
    );
    let first = Request::post(
        s.url("/"),
        "application/x-amz-json-1.1",
        r#"{"UserPoolId":"eu-west-1_X","Limit":60}"#,
    );
    let pages: Vec<_> = Pages::new(first, Paging::PAGINATION_TOKEN, |r| c.send(r)).collect();
    assert_eq!(ids(pages, "/Users"), ["c1", "c2"]);
    let bodies: Vec<String> = s
        .seen()
        .iter()
        .filter(|r| r.method == "POST")
        .map(|r| String::from_utf8(r.body.clone()).unwrap())
        .collect();
    assert_eq!(
        bodies,
        [
            r#"{"UserPoolId":"eu-west-1_X","Limit":60}"#,
            r#"{"UserPoolId":"eu-west-1_X","Limit":60,"PaginationToken":"tok=="}"#
        ]
    );

    s.on(
        "/admin/realms/r/users?exact=true&first=0&max=2",
        vec![Reply::new(200, r#"[{"id":"k1"},{"id":"k2"}]"#)],
    );
    s.on(
        "/admin/realms/r/users?exact=true&first=2&max=2",
        vec![Reply::new(200, r#"[{"id":"k3"},{"id":"k4"}]"#)],
    );
    s.on(
        "/admin/realms/r/users?exact=true&first=4&max=2",
        vec![Reply::new(200, "[]")],
    );
    let mut pages = Pages::new(
        Request::get(s.url("/admin/realms/r/users?exact=true")),
        Paging::Offset { max: 2, items: "" },
        |r| c.send(r),
    );
    let all: Vec<_> = pages.by_ref().collect();
    assert_eq!(pages.pages(), 3);
    assert_eq!(ids(all, ""), ["k1", "k2", "k3", "k4"]);
}

#[test]
fn a_failed_page_ends_the_walk_with_the_error_body_kept() {
    let s = ScriptedServer::start();
    s.on(
        "/users",
        vec![Reply::new(
            403,
            r#"{"error":{"code":"Authorization_RequestDenied"}}"#,
        )],
    );
    s.on("/bad", vec![Reply::new(200, "{not json")]);
    let c = client();
    let mut pages = Pages::new(Request::get(s.url("/users")), Paging::ODataNextLink, |r| {
        c.send(r)
    });
    let e = pages.next().unwrap().unwrap_err();
    assert_eq!(
        (e.kind(), e.http_status()),
        (NetErrorKind::HttpStatus, Some(403))
    );
    let body = e.response().unwrap().json().unwrap();
    assert_eq!(body["error"]["code"], "Authorization_RequestDenied");
    assert!(pages.next().is_none());
    let e = Pages::new(Request::get(s.url("/bad")), Paging::ODataNextLink, |r| {
        c.send(r)
    })
    .next()
    .unwrap()
    .unwrap_err();
    assert_eq!(e.kind(), NetErrorKind::BadResponse);

    // A cycle of next links (a service bug) stops instead of looping.
    s.on(
        "/a",
        vec![Reply::json(
            json!({"value": [], "@odata.nextLink": s.url("/b")}),
        )],
    );
    s.on(
        "/b",
        vec![Reply::json(
            json!({"value": [], "@odata.nextLink": s.url("/a")}),
        )],
    );
    let out: Vec<_> = Pages::new(Request::get(s.url("/a")), Paging::ODataNextLink, |r| {
        c.send(r)
    })
    .collect();
    assert_eq!(out.len(), 2);
    let e = out[1].as_ref().unwrap_err();
    assert_eq!(e.kind(), NetErrorKind::BadResponse);
    assert!(e.to_string().contains("already fetched"), "{e}");

    // A server that ignores `first` (always a full page) stops at the page limit.
    s.on("/kc", vec![Reply::new(200, r#"[{"id":"x"},{"id":"y"}]"#)]);
    let out: Vec<_> = Pages::new(
        Request::get(s.url("/kc")),
        Paging::Offset { max: 2, items: "" },
        |r| c.send(r),
    )
    .with_max_pages(5)
    .collect();
    assert_eq!(out.len(), 6);
    assert!(out[..5].iter().all(|p| p.is_ok()));
    assert!(out[5]
        .as_ref()
        .unwrap_err()
        .to_string()
        .contains("more than 5 pages"));
    assert_eq!(s.hits("/kc"), 5);
}

#[test]
fn throttled_then_success_waits_as_told_and_counts() {
    let s = ScriptedServer::start();
    let c = client();

    // Graph: 429 with Retry-After seconds.
    s.on(
        "/graph",
        vec![
            Reply::new(429, r#"{"error":{"code":"activityLimitReached"}}"#)
                .header("Retry-After", "7"),
            Reply::json(json!({"ok": 1})),
        ],
    );
    let (r, t) = retrier(no_throttle);
    let resp = r.run(|| c.send(&Request::get(s.url("/graph")))).unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(t.slept(), [Duration::from_secs(7)]);
    assert_eq!((r.throttle_waits(), r.retries()), (1, 1));

    // Retry-After as an HTTP-date, 30 s after the fake clock's now.
    let (r, t) = retrier(no_throttle);
    let at = t.now() + Duration::from_secs(30);
    let secs = at.duration_since(UNIX_EPOCH).unwrap().as_secs();
    s.on(
        "/date",
        vec![
            Reply::new(503, "").header("Retry-After", &http_date(secs)),
            Reply::new(200, "ok"),
        ],
    );
    r.run(|| c.send(&Request::get(s.url("/date")))).unwrap();
    let slept = t.slept();
    assert_eq!(slept.len(), 1);
    assert!(
        slept[0] <= Duration::from_secs(30) && slept[0] >= Duration::from_secs(29),
        "{slept:?}"
    );
    assert_eq!(r.throttle_waits(), 0, "a 503 is not a throttle");

    // Okta: X-Rate-Limit-Reset against the response's Date header (our clock is a day off).
    let (r, t) = retrier(no_throttle);
    s.on(
        "/okta",
        vec![
            Reply::new(429, r#"{"errorCode":"E0000047"}"#)
                .header("Date", "Sun, 06 Nov 1994 08:49:37 GMT")
                .header("X-Rate-Limit-Reset", "784111789"),
            Reply::new(200, "[]"),
        ],
    );
    r.run(|| c.send(&Request::get(s.url("/okta")))).unwrap();
    assert_eq!(t.slept(), [Duration::from_secs(12)]);
    assert_eq!(r.throttle_waits(), 1);

    // Cognito: 400 TooManyRequestsException; Google: 403 userRateLimitExceeded. Backoff.
    let (r, t) = retrier(cognito_throttle);
    s.on(
        "/cognito",
        vec![
            Reply::new(
                400,
                r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#,
            ),
            Reply::new(200, "{}"),
        ],
    );
    r.run(|| {
        c.send(&Request::post(
            s.url("/cognito"),
            "application/x-amz-json-1.1",
            "{}",
        ))
    })
    .unwrap();
    assert_eq!((t.slept().len(), r.throttle_waits()), (1, 1));
    let (r, t) = retrier(google_throttle);
    s.on(
        "/google",
        vec![
            Reply::new(
                403,
                r#"{"error":{"code":403,"errors":[{"domain":"usageLimits","reason":"userRateLimitExceeded"}]}}"#,
            ),
            Reply::new(200, "{}"),
        ],
    );
    r.run(|| c.send(&Request::get(s.url("/google")))).unwrap();
    assert_eq!((t.slept().len(), r.throttle_waits()), (1, 1));
    assert!(
        t.slept()[0] >= Duration::from_millis(100) && t.slept()[0] <= Duration::from_millis(200)
    );
}

fn http_date(epoch: u64) -> String {
    // Via the crate's own parser's inverse is not public; format with the sigv4 date helper.
    let d = sigv4::amz_date(UNIX_EPOCH + Duration::from_secs(epoch));
    const M: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month: usize = d[4..6].parse().unwrap();
    format!(
        "Mon, {} {} {} {}:{}:{} GMT",
        &d[6..8],
        M[month - 1],
        &d[0..4],
        &d[9..11],
        &d[11..13],
        &d[13..15]
    )
}

#[test]
fn server_errors_then_success_back_off() {
    let s = ScriptedServer::start();
    s.on(
        "/x",
        vec![
            Reply::new(503, ""),
            Reply::new(502, ""),
            Reply::new(200, "fine"),
        ],
    );
    let c = client();
    let (r, t) = retrier(no_throttle);
    let resp = r.run(|| c.send(&Request::get(s.url("/x")))).unwrap();
    assert_eq!(resp.body, b"fine");
    let slept = t.slept();
    assert_eq!(slept.len(), 2);
    assert!(slept[0] >= Duration::from_millis(100) && slept[0] <= Duration::from_millis(200));
    assert!(slept[1] >= Duration::from_millis(200) && slept[1] <= Duration::from_millis(400));
    assert_eq!((r.retries(), r.throttle_waits(), s.hits("/x")), (2, 0, 3));

    // A server that hangs up (a restart) is a transient failure too.
    s.on("/flaky", vec![Reply::hangup(), Reply::new(200, "back")]);
    let (r, t) = retrier(no_throttle);
    let resp = r.run(|| c.send(&Request::get(s.url("/flaky")))).unwrap();
    assert_eq!((resp.body.as_slice(), t.slept().len()), (&b"back"[..], 1));
}

#[test]
fn retry_budget_exhausted() {
    let s = ScriptedServer::start();
    s.on("/down", vec![Reply::new(503, r#"{"error":"maintenance"}"#)]);
    let c = client();
    let (r, t) = retrier(no_throttle);
    let e = r.run(|| c.send(&Request::get(s.url("/down")))).unwrap_err();
    assert_eq!(e.kind(), NetErrorKind::RetryBudgetExhausted);
    assert_eq!(s.hits("/down"), 4, "max_attempts");
    assert_eq!(t.slept().len(), 3);
    assert_eq!(e.response().unwrap().body, br#"{"error":"maintenance"}"#);
    assert_eq!(r.budget_exhausted(), 1);

    // A throttle asking for longer than the budget: one request, no wait at all.
    s.on(
        "/slow",
        vec![Reply::new(429, "").header("Retry-After", "3600")],
    );
    let (r, t) = retrier(no_throttle);
    let e = r.run(|| c.send(&Request::get(s.url("/slow")))).unwrap_err();
    assert_eq!(e.kind(), NetErrorKind::RetryBudgetExhausted);
    assert_eq!((s.hits("/slow"), t.slept().len()), (1, 0));

    // Connection refused is retried too, within the budget.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (r, t) = retrier(no_throttle);
    let e = r
        .run(|| c.send(&Request::get(format!("http://127.0.0.1:{dead}/"))))
        .unwrap_err();
    assert_eq!(e.kind(), NetErrorKind::RetryBudgetExhausted);
    assert!(e.to_string().contains("connect"), "{e}");
    assert_eq!(t.slept().len(), 3);
}

#[test]
fn bodies_over_the_limit_are_refused_and_error_bodies_kept() {
    let s = ScriptedServer::start();
    s.on("/big", vec![Reply::new(200, vec![b'x'; 64 * 1024 + 1])]);
    s.on("/ok", vec![Reply::new(200, vec![b'x'; 64 * 1024])]);
    s.on(
        "/err",
        vec![Reply::new(500, r#"{"error":{"message":"boom"}}"#).header("X-Trace", "t1")],
    );
    let c = client();
    let e = c.send(&Request::get(s.url("/big"))).unwrap_err();
    assert_eq!(e.kind(), NetErrorKind::TooLarge);
    assert_eq!(
        c.send(&Request::get(s.url("/ok"))).unwrap().body.len(),
        64 * 1024
    );
    let r = c.send(&Request::get(s.url("/err"))).unwrap();
    assert_eq!(r.status, 500);
    assert_eq!(r.header("x-trace"), Some("t1"));
    assert_eq!(r.json().unwrap()["error"]["message"], "boom");
}

#[test]
fn a_slow_server_times_out() {
    let s = ScriptedServer::start();
    s.on(
        "/slow",
        vec![Reply::new(200, "late").delay(Duration::from_secs(3))],
    );
    let c = HttpClient::new(HttpConfig {
        timeout: Duration::from_millis(300),
        ..HttpConfig::default()
    });
    let started = std::time::Instant::now();
    let e = c.send(&Request::get(s.url("/slow"))).unwrap_err();
    assert_eq!(e.kind(), NetErrorKind::Timeout, "{e}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn redirects_stay_on_the_host() {
    let s = ScriptedServer::start();
    let other = ScriptedServer::start();
    s.on(
        "/moved",
        vec![Reply::new(301, "").header("Location", "/here?x=1")],
    );
    s.on("/here", vec![Reply::new(200, "arrived")]);
    s.on(
        "/away",
        vec![Reply::new(302, "").header("Location", &other.url("/steal"))],
    );
    s.on(
        "/loop",
        vec![Reply::new(307, "").header("Location", "/loop")],
    );
    s.on(
        "/see",
        vec![Reply::new(303, "").header("Location", "/here")],
    );
    let c = client();
    let r = c
        .send(&Request::get(s.url("/moved")).header("authorization", "Bearer t"))
        .unwrap();
    assert_eq!(r.body, b"arrived");
    assert_eq!(s.seen()[1].target, "/here?x=1");
    assert_eq!(s.seen()[1].header("authorization"), Some("Bearer t"));

    let e = c
        .send(&Request::get(s.url("/away")).header("authorization", "Bearer sekrit"))
        .unwrap_err();
    assert_eq!(e.kind(), NetErrorKind::RedirectRefused);
    assert!(other.seen().is_empty(), "the other host got nothing");
    // Same host name, other port: another origin.
    assert_eq!(e.host(), format!("127.0.0.1:{}", s.port));

    let e = c.send(&Request::get(s.url("/loop"))).unwrap_err();
    assert_eq!(e.kind(), NetErrorKind::TooManyRedirects);
    assert_eq!(s.hits("/loop"), 4);

    let r = c
        .send(&Request::post(s.url("/see"), "application/json", "{}"))
        .unwrap();
    assert_eq!(r.body, b"arrived");
    let last = s.seen().pop().unwrap();
    assert_eq!((last.method.as_str(), last.body.len()), ("GET", 0));
}

#[test]
fn a_401_refreshes_the_token_once() {
    let idp = ScriptedServer::start();
    idp.on(
        "/token",
        vec![
            Reply::json(
                json!({"access_token": "tok-1", "expires_in": 3600, "token_type": "Bearer"}),
            ),
            Reply::json(
                json!({"access_token": "tok-2", "expires_in": 3600, "token_type": "Bearer"}),
            ),
            Reply::json(
                json!({"access_token": "tok-3", "expires_in": 3600, "token_type": "Bearer"}),
            ),
        ],
    );
    idp.on(
        "/api",
        vec![
            Reply::new(200, "a"),
            Reply::new(401, r#"{"error":"invalid_token"}"#),
            Reply::new(200, "b"),
            Reply::new(401, ""),
        ],
    );
    let c = client();
    let clock = FakeTime::new(SystemTime::now());
    let cache = TokenCache::new(
        client_credentials(
            c.clone(),
            idp.url("/token"),
            "my-client".into(),
            Secret::new("cl1ent-s3cret&="),
            Some("https://graph.microsoft.com/.default".into()),
        ),
        clock,
    );
    let get = || cache.call(|t| c.send(&bearer(&Request::get(idp.url("/api")), t)));
    assert_eq!(get().unwrap().body, b"a");
    assert_eq!(get().unwrap().body, b"b", "401, new token, retried once");
    assert_eq!(cache.fetches(), 2);
    // Now the API always answers 401: one refresh, then the 401 is the answer.
    assert_eq!(get().unwrap().status, 401);
    assert_eq!(cache.fetches(), 3);
    let auths: Vec<String> = idp
        .seen()
        .iter()
        .filter(|r| r.target == "/api")
        .map(|r| r.header("authorization").unwrap().to_string())
        .collect();
    assert_eq!(
        auths,
        [
            "Bearer tok-1",
            "Bearer tok-1",
            "Bearer tok-2",
            "Bearer tok-2",
            "Bearer tok-3"
        ]
    );
    let form = String::from_utf8(idp.seen()[0].body.clone()).unwrap();
    assert_eq!(
        form,
        "grant_type=client_credentials&client_id=my-client&client_secret=cl1ent-s3cret%26%3D&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
    );
}

#[test]
fn sigv4_requests_verify_on_the_server() {
    let s = ScriptedServer::start();
    s.on("/", vec![Reply::json(json!({"Users": []}))]);
    let creds = Credentials {
        access_key_id: "AKIDEXAMPLE".into(),
        secret_access_key: Secret::new("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        session_token: None,
    };
    let mut req = Request::post(
        s.url("/"),
        "application/x-amz-json-1.1",
        r#"{"UserPoolId":"us-east-1_X","Limit":60}"#,
    )
    .header(
        "x-amz-target",
        "AWSCognitoIdentityProviderService.ListUsers",
    );
    sigv4::sign(
        &mut req,
        &creds,
        "us-east-1",
        "cognito-idp",
        SystemTime::now(),
    )
    .unwrap();
    c_send_ok(&req);
    let seen = s.seen().pop().unwrap();
    // Recompute the signature from what arrived, as AWS does.
    let auth = seen.header("authorization").unwrap().to_string();
    let signed = auth
        .split("SignedHeaders=")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap();
    assert_eq!(signed, "content-type;host;x-amz-date;x-amz-target");
    let headers: Vec<(String, String)> = signed
        .split(';')
        .map(|n| (n.to_string(), seen.header(n).unwrap().to_string()))
        .collect();
    let date = seen.header("x-amz-date").unwrap();
    let again = sigv4::signature(
        &seen.method,
        &seen.target,
        "",
        &headers,
        &seen.body,
        &creds,
        sigv4::Scope {
            region: "us-east-1",
            service: "cognito-idp",
            amz_date: date,
        },
    );
    assert_eq!(again.authorization, auth);
    assert_eq!(
        seen.header("host").unwrap(),
        format!("127.0.0.1:{}", s.port)
    );

    fn c_send_ok(req: &Request) {
        assert_eq!(client().send(req).unwrap().status, 200);
    }
}

#[test]
fn no_secret_in_any_error_text() {
    const SECRETS: [&str; 4] = ["cl1ent-s3cret", "tok-xyz", "alice@example.com", "wJalrXUtn"];
    let s = ScriptedServer::start();
    let other = ScriptedServer::start();
    s.on(
        "/token",
        vec![Reply::new(
            401,
            r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided: cl1ent-s3cret"}"#,
        )],
    );
    s.on(
        "/users/alice@example.com",
        vec![Reply::new(503, "alice@example.com is down")],
    );
    s.on(
        "/redir/alice@example.com",
        vec![Reply::new(302, "").header("Location", &other.url("/alice@example.com?tok-xyz"))],
    );
    s.on(
        "/big/alice@example.com",
        vec![Reply::new(200, vec![b'a'; 70_000])],
    );
    s.on(
        "/slow/alice@example.com",
        vec![Reply::new(200, "").delay(Duration::from_secs(2))],
    );
    let c = client();
    let with_auth =
        |path: &str| Request::get(s.url(path)).header("authorization", "Bearer tok-xyz");
    let mut errors: Vec<NetError> = Vec::new();

    let cache = TokenCache::new(
        client_credentials(
            c.clone(),
            s.url("/token"),
            "client".into(),
            Secret::new("cl1ent-s3cret"),
            None,
        ),
        FakeTime::new(SystemTime::now()),
    );
    errors.push(cache.token().unwrap_err());
    let (r, _) = retrier(no_throttle);
    errors.push(
        r.run(|| c.send(&with_auth("/users/alice@example.com")))
            .unwrap_err(),
    );
    errors.push(c.send(&with_auth("/redir/alice@example.com")).unwrap_err());
    errors.push(c.send(&with_auth("/big/alice@example.com")).unwrap_err());
    let quick = HttpClient::new(HttpConfig {
        timeout: Duration::from_millis(200),
        ..HttpConfig::default()
    });
    errors.push(
        quick
            .send(&with_auth("/slow/alice@example.com"))
            .unwrap_err(),
    );
    errors.push(
        c.send(&Request::get(
            "http://example.com/alice@example.com?tok-xyz",
        ))
        .unwrap_err(),
    );
    let mut pages = Pages::new(
        with_auth("/users/alice@example.com"),
        Paging::ODataNextLink,
        |r| c.send(r),
    );
    errors.push(pages.next().unwrap().unwrap_err());
    let e: Result<Response, NetError> = albauth::net::sigv4::sign(
        &mut Request::get("not a url"),
        &Credentials {
            access_key_id: "AKID".into(),
            secret_access_key: Secret::new("wJalrXUtn"),
            session_token: None,
        },
        "r",
        "s",
        SystemTime::now(),
    )
    .map(|_| unreachable!());
    errors.push(e.unwrap_err());

    let kinds: Vec<NetErrorKind> = errors.iter().map(|e| e.kind()).collect();
    assert_eq!(
        kinds,
        [
            NetErrorKind::Token,
            NetErrorKind::RetryBudgetExhausted,
            NetErrorKind::RedirectRefused,
            NetErrorKind::TooLarge,
            NetErrorKind::Timeout,
            NetErrorKind::InvalidUrl,
            NetErrorKind::HttpStatus,
            NetErrorKind::InvalidUrl,
        ]
    );
    for e in &errors {
        for text in [e.to_string(), format!("{e:?}")] {
            for secret in SECRETS {
                assert!(!text.contains(secret), "{secret} in {text}");
            }
        }
    }
}

/// How a connector composes the pieces: pages, each fetched under the retry budget, with the
/// cached token (renewed once on a 401). A throttle and an expired token mid-listing cost one
/// wait and one token fetch, and the listing completes.
#[test]
fn a_listing_survives_a_throttle_and_an_expired_token_mid_run() {
    let s = ScriptedServer::start();
    s.on(
        "/token",
        vec![
            Reply::json(json!({"access_token": "tok-1", "expires_in": 3600})),
            Reply::json(json!({"access_token": "tok-2", "expires_in": 3600})),
        ],
    );
    let page = |ids: &[&str], next: Option<&str>| {
        let users: Vec<_> = ids.iter().map(|i| json!({"id": i})).collect();
        let r = Reply::new(200, serde_json::Value::Array(users).to_string());
        match next {
            Some(n) => r.header("Link", &format!("<{}>; rel=\"next\"", s.url(n))),
            None => r,
        }
    };
    s.on(
        "/api/v1/users?limit=1",
        vec![page(&["a"], Some("/api/v1/users?after=a"))],
    );
    s.on(
        "/api/v1/users?after=a",
        vec![
            Reply::new(429, "").header("Retry-After", "2"),
            Reply::new(401, r#"{"errorCode":"E0000011"}"#),
            page(&["b"], Some("/api/v1/users?after=b")),
        ],
    );
    s.on("/api/v1/users?after=b", vec![page(&["c"], None)]);

    let c = client();
    let (retry, time) = retrier(no_throttle);
    let tokens = TokenCache::new(
        client_credentials(
            c.clone(),
            s.url("/token"),
            "id".into(),
            Secret::new("x"),
            None,
        ),
        time.clone(),
    );
    let mut pages = Pages::new(
        Request::get(s.url("/api/v1/users?limit=1")),
        Paging::LinkHeader,
        |r| retry.run(|| tokens.call(|t| c.send(&bearer(r, t)))),
    );
    let all: Vec<_> = pages.by_ref().collect();
    assert_eq!(ids(all, ""), ["a", "b", "c"]);
    assert_eq!(pages.pages(), 3);
    assert_eq!((retry.throttle_waits(), tokens.fetches()), (1, 2));
    assert_eq!(time.slept(), [Duration::from_secs(2)]);
    let auths: Vec<_> = s
        .seen()
        .iter()
        .filter(|r| r.target.starts_with("/api"))
        .map(|r| r.header("authorization").unwrap().to_string())
        .collect();
    assert_eq!(
        auths,
        [
            "Bearer tok-1",
            "Bearer tok-1",
            "Bearer tok-1",
            "Bearer tok-2",
            "Bearer tok-2"
        ]
    );
}
