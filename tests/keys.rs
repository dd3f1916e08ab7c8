//! ALB key retrieval against a real HTTP key server on 127.0.0.1: when a key is fetched (and
//! when never), how failures look, single-flight, negative caching, the rate limit, several
//! regions, pinned keys, prefetch and the cache bound. A `Fetcher` that records URLs is used
//! only where the URL is an AWS default that tests must never contact.

mod common;

use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Barrier, Condvar, Mutex};
use std::time::Duration;

use albauth::keys::Fetcher;
use albauth::{Config, Verifier};
use common::*;
use serde_json::{json, Value};

/// A verifier fetching from `server`, token cache off so each call looks the key up.
fn fetching(server: &KeyServer, extra: Value) -> Verifier {
    let mut extra = extra;
    extra
        .as_object_mut()
        .unwrap()
        .entry("token_cache_size")
        .or_insert(json!(0));
    Verifier::from_json(&config(Some(server), &[], extra)).unwrap()
}

fn verify(v: &Verifier, token: &str) -> albauth::Outcome {
    v.verify(headers(token), Some(NOW))
}

fn code(v: &Verifier, token: &str) -> &'static str {
    outcome_code(&verify(v, token))
}

fn detail(v: &Verifier, token: &str) -> String {
    verify(v, token)
        .error()
        .map(|e| e.detail().to_string())
        .unwrap_or_default()
}

/// Serves every URL whose last segment is a known kid; records every URL asked for.
struct RecordingFetcher {
    keys: Vec<TestKey>,
    urls: Mutex<Vec<String>>,
}

impl RecordingFetcher {
    fn new(keys: &[&TestKey]) -> Arc<RecordingFetcher> {
        Arc::new(RecordingFetcher {
            keys: keys.iter().map(|k| (*k).clone()).collect(),
            urls: Mutex::new(Vec::new()),
        })
    }
    fn urls(&self) -> Vec<String> {
        self.urls.lock().unwrap().clone()
    }
}

impl Fetcher for RecordingFetcher {
    fn get(&self, url: &str) -> Result<Vec<u8>, String> {
        self.urls.lock().unwrap().push(url.to_string());
        self.keys
            .iter()
            .find(|k| url.ends_with(&format!("/{}", k.kid)))
            .map(|k| k.pem().into_bytes())
            .ok_or_else(|| "HTTP status 404".to_string())
    }
}

fn recording_verifier(json: &str, fetcher: &Arc<RecordingFetcher>) -> Verifier {
    Verifier::with_fetcher(Config::from_json(json).unwrap(), fetcher.clone()).unwrap()
}

// ---- No fetch before the signer is trusted and the kid is a UUID ----

#[test]
fn rejected_tokens_before_the_key_step_cause_no_fetch() {
    let k = TestKey::new(1);
    let s = KeyServer::start(&[&k]);
    let v = fetching(&s, json!({}));
    let cases = [
        (
            AlbToken::new(&k).header("signer", ALB_OTHER).sign(&k),
            "signer_not_trusted",
        ),
        (
            AlbToken::new(&k)
                .header("kid", "../../latest/meta-data")
                .sign(&k),
            "invalid_key_id",
        ),
        (
            AlbToken::new(&k).header("kid", Value::Null).sign(&k),
            "invalid_key_id",
        ),
        (
            AlbToken::new(&k).header("alg", "none").sign(&k),
            "unsupported_algorithm",
        ),
        ("a.b.c".to_string(), "malformed_token"),
    ];
    for (t, expected) in &cases {
        assert_eq!(code(&v, t), *expected);
    }
    assert_eq!(s.requests(), 0);
    assert_eq!(v.stats().key_fetches, 0);
}

#[test]
fn key_is_fetched_once_and_kept_for_every_later_token() {
    let k = TestKey::new(1);
    let s = KeyServer::start(&[&k]);
    let v = fetching(&s, json!({}));
    for i in 0..5 {
        let t = AlbToken::new(&k).claim("sub", format!("user-{i}")).sign(&k);
        assert_eq!(code(&v, &t), "authenticated");
    }
    assert_eq!(s.requests_for(&format!("/{}", k.kid)), 1);
    assert_eq!(v.cached_keys(), 1);
    assert_eq!(v.stats().key_fetches, 1);
}

// ---- Key server failures ----

#[test]
fn key_server_down_is_key_unavailable() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let k = TestKey::new(1);
    let cfg = config(
        None,
        &[],
        json!({"key_url": format!("http://127.0.0.1:{port}/{{kid}}")}),
    );
    let v = Verifier::from_json(&cfg).unwrap();
    let o = verify(&v, &AlbToken::new(&k).sign(&k));
    assert_eq!(outcome_code(&o), "key_unavailable");
    let d = o.error().unwrap().detail();
    let url = format!("http://127.0.0.1:{port}/{}", k.kid);
    assert!(
        d.starts_with(&format!("key fetch from {url} failed: ")),
        "{d}"
    );
    assert_eq!(v.stats().key_fetch_failures, 1);
}

#[test]
fn slow_key_server_times_out_as_key_unavailable() {
    let k = TestKey::new(1);
    let s = KeyServer::start(&[]);
    s.route(
        &format!("/{}", k.kid),
        Reply::Slow(Duration::from_secs(3), Box::new(Reply::Body(k.pem()))),
    );
    let v = fetching(&s, json!({"key_fetch_timeout_ms": 200}));
    let t = AlbToken::new(&k).sign(&k);
    assert_eq!(code(&v, &t), "key_unavailable");
    assert!(
        detail(&v, &t).contains("backing off"),
        "the timeout is negative-cached"
    );
    let v = fetching(&s, json!({"key_fetch_timeout_ms": 200}));
    assert!(detail(&v, &t).contains("timed out"), "{}", detail(&v, &t));
}

#[test]
fn key_server_status_errors_are_key_unavailable() {
    let k = TestKey::new(1);
    for status in [404, 403, 500] {
        let s = KeyServer::start(&[]);
        s.route(&format!("/{}", k.kid), Reply::Status(status));
        let v = fetching(&s, json!({}));
        let d = detail(&v, &AlbToken::new(&k).sign(&k));
        assert!(d.contains(&format!("HTTP status {status}")), "{d}");
    }
}

#[test]
fn key_server_hanging_up_is_key_unavailable() {
    let k = TestKey::new(1);
    let s = KeyServer::start(&[]);
    s.route(&format!("/{}", k.kid), Reply::Hangup);
    let v = fetching(&s, json!({}));
    assert_eq!(code(&v, &AlbToken::new(&k).sign(&k)), "key_unavailable");
}

#[test]
fn anything_but_a_p256_public_key_is_key_unavailable() {
    let k = TestKey::new(1);
    let bodies = [
        "garbage".to_string(),
        String::new(),
        fixture("rsa-public.pem"),
        fixture("p384-public.pem"),
        fixture("access-token-rsa-1.pem"),
        format!("{{\"keys\": [{}]}}", fixture("jwks-1.json")),
        k.pem().replace("PUBLIC KEY", "CERTIFICATE"),
    ];
    for body in bodies {
        let s = KeyServer::start(&[]);
        s.route(&format!("/{}", k.kid), Reply::Body(body.clone()));
        let v = fetching(&s, json!({}));
        let d = detail(&v, &AlbToken::new(&k).sign(&k));
        let url = s.url(&format!("/{}", k.kid));
        assert!(
            d.starts_with(&format!("key fetch from {url} returned no usable key: ")),
            "{body:.40}: {d}"
        );
        assert_eq!(s.requests(), 1);
    }
}

#[test]
fn pem_with_crlf_or_without_final_newline_is_accepted() {
    let k = TestKey::new(1);
    for pem in [
        k.pem().replace('\n', "\r\n"),
        k.pem().trim_end().to_string(),
    ] {
        let s = KeyServer::start(&[]);
        s.route(&format!("/{}", k.kid), Reply::Body(pem));
        let v = fetching(&s, json!({}));
        assert_eq!(code(&v, &AlbToken::new(&k).sign(&k)), "authenticated");
    }
}

#[test]
fn key_response_over_key_fetch_max_bytes_is_key_unavailable() {
    let k = TestKey::new(1);
    let s = KeyServer::start(&[]);
    s.route(
        &format!("/{}", k.kid),
        Reply::Body(format!("{}{}", k.pem(), " ".repeat(2000))),
    );
    let t = AlbToken::new(&k).sign(&k);
    let capped = fetching(&s, json!({"key_fetch_max_bytes": 1024}));
    let d = detail(&capped, &t);
    assert!(d.contains("larger than"), "{d}");
    let roomy = fetching(&s, json!({}));
    assert_eq!(
        code(&roomy, &t),
        "authenticated",
        "the same body fits the default cap"
    );
}

// ---- Concurrency, negative caching, rate limit ----

#[test]
fn sixteen_threads_asking_for_one_unknown_kid_cause_one_fetch() {
    let k = TestKey::new(1);
    let s = KeyServer::start(&[]);
    s.route(
        &format!("/{}", k.kid),
        Reply::Slow(Duration::from_millis(500), Box::new(Reply::Body(k.pem()))),
    );
    let v = Arc::new(fetching(&s, json!({})));
    let barrier = Arc::new(Barrier::new(16));
    let threads: Vec<_> = (0..16)
        .map(|i| {
            let (v, barrier, k) = (v.clone(), barrier.clone(), k.clone());
            std::thread::spawn(move || {
                let t = AlbToken::new(&k).claim("sub", format!("user-{i}")).sign(&k);
                barrier.wait();
                outcome_code(&v.verify(headers(&t), Some(NOW)))
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), "authenticated");
    }
    assert_eq!(s.requests(), 1);
    assert_eq!(v.stats().key_fetches, 1);
}

#[test]
fn failed_kid_is_not_fetched_again_until_the_backoff_ends() {
    let k = TestKey::new(1);
    let s = KeyServer::start(&[]);
    let path = format!("/{}", k.kid);
    s.route(&path, Reply::Status(404));
    let v = fetching(&s, json!({"key_fetch_backoff_secs": 2}));
    let t = AlbToken::new(&k).sign(&k);
    assert_eq!(code(&v, &t), "key_unavailable");
    s.route(&path, Reply::Body(k.pem()));
    assert!(detail(&v, &t).contains("backing off"));
    assert_eq!(s.requests_for(&path), 1, "no fetch while backing off");
    assert_eq!(v.stats().key_fetches_suppressed, 1);
    std::thread::sleep(Duration::from_millis(2100));
    assert_eq!(code(&v, &t), "authenticated");
    assert_eq!(s.requests_for(&path), 2);
}

#[test]
fn key_fetch_backoff_secs_of_zero_is_a_config_error_naming_the_field() {
    let k = TestKey::new(1);
    let s = KeyServer::start(&[&k]);
    let e = Config::from_json(&config(Some(&s), &[], json!({"key_fetch_backoff_secs": 0})))
        .unwrap_err();
    assert_eq!(e.code(), "config_invalid");
    assert!(
        e.detail().contains("`key_fetch_backoff_secs`") && e.detail().contains("1 to 3600"),
        "{}",
        e.detail()
    );
}

#[test]
fn fetches_beyond_key_fetch_max_per_minute_are_refused_without_a_request() {
    let known = TestKey::new(1);
    let s = KeyServer::start(&[&known]);
    let v = fetching(&s, json!({"key_fetch_max_per_minute": 3}));
    assert_eq!(
        code(&v, &AlbToken::new(&known).sign(&known)),
        "authenticated"
    );
    for seed in [10, 11] {
        let unknown = TestKey::new(seed);
        assert_eq!(
            code(&v, &AlbToken::new(&unknown).sign(&unknown)),
            "key_unavailable"
        );
    }
    let over = TestKey::new(12);
    let d = detail(&v, &AlbToken::new(&over).sign(&over));
    assert!(d.contains("rate limit"), "{d}");
    assert_eq!(s.requests(), 3);
    assert_eq!(
        code(&v, &AlbToken::new(&known).sign(&known)),
        "authenticated",
        "cached keys still work"
    );
}

// ---- Several regions ----

#[test]
fn trusted_albs_in_two_regions_use_each_regions_key_url() {
    let east = TestKey::new(1);
    let mut west = TestKey::new(2);
    west.kid = east.kid.clone(); // same kid, different key: the region decides
    let s = KeyServer::start(&[]);
    s.route(&format!("/us-east-1/{}", east.kid), Reply::Body(east.pem()));
    s.route(&format!("/eu-west-1/{}", west.kid), Reply::Body(west.pem()));
    let v = fetching(
        &s,
        json!({
            "trusted_albs": [ALB, ALB_DR],
            "key_url": format!("http://127.0.0.1:{}/{{region}}/{{kid}}", s.port),
        }),
    );
    let from_east = AlbToken::new(&east).header("signer", ALB).sign(&east);
    let from_west = AlbToken::new(&west).header("signer", ALB_DR).sign(&west);
    assert_eq!(code(&v, &from_east), "authenticated");
    assert_eq!(code(&v, &from_west), "authenticated");
    let west_key_east_signer = AlbToken::new(&west).header("signer", ALB).sign(&west);
    assert_eq!(code(&v, &west_key_east_signer), "invalid_signature");
    assert_eq!(s.requests_for(&format!("/us-east-1/{}", east.kid)), 1);
    assert_eq!(s.requests_for(&format!("/eu-west-1/{}", west.kid)), 1);
    assert_eq!(v.cached_keys(), 2);
}

#[test]
fn default_key_urls_are_the_aws_endpoints_of_each_signers_partition_and_region() {
    let k = TestKey::new(1);
    let gov =
        "arn:aws-us-gov:elasticloadbalancing:us-gov-east-1:123456789012:loadbalancer/app/j/0a";
    let cn = "arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:loadbalancer/app/j/0a";
    let fetcher = RecordingFetcher::new(&[&k]);
    let json = json!({
        "trusted_albs": [ALB, ALB_DR, gov, cn],
        "issuer": ISSUER,
        "client_id": CLIENT,
    });
    let v = recording_verifier(&json.to_string(), &fetcher);
    for signer in [ALB, ALB_DR, gov, cn] {
        let t = AlbToken::new(&k).header("signer", signer).sign(&k);
        assert_eq!(code(&v, &t), "authenticated", "{signer}");
    }
    assert_eq!(
        fetcher.urls(),
        [
            format!("https://public-keys.auth.elb.us-east-1.amazonaws.com/{KID}"),
            format!("https://public-keys.auth.elb.eu-west-1.amazonaws.com/{KID}"),
            format!("https://s3-us-gov-east-1.amazonaws.com/aws-elb-public-keys-prod-us-gov-east-1/{KID}"),
            format!("https://public-keys.auth.elb.cn-north-1.amazonaws.com.cn/{KID}"),
        ]
    );
}

// ---- Pinned keys ----

#[test]
fn pinned_keys_without_key_url_never_fetch() {
    let k = TestKey::new(1);
    let stranger = TestKey::new(2);
    let fetcher = RecordingFetcher::new(&[&k, &stranger]);
    let v = recording_verifier(&config(None, &[&k], json!({})), &fetcher);
    assert_eq!(code(&v, &AlbToken::new(&k).sign(&k)), "authenticated");
    let d = detail(&v, &AlbToken::new(&stranger).sign(&stranger));
    assert!(d.contains("pinned_keys"), "{d}");
    assert_eq!(
        v.prefetch(&[&stranger.kid]).unwrap_err().code(),
        "key_unavailable"
    );
    assert!(fetcher.urls().is_empty());
    assert_eq!(v.stats().key_fetches, 0);
}

#[test]
fn pinned_keys_with_key_url_fetch_only_the_others() {
    let pinned = TestKey::new(1);
    let served = TestKey::new(2);
    let s = KeyServer::start(&[&pinned, &served]);
    let mut cfg: Value = serde_json::from_str(&config(Some(&s), &[], json!({}))).unwrap();
    cfg["pinned_keys"] = json!({pinned.kid.clone(): pinned.pem()});
    let v = Verifier::from_json(&cfg.to_string()).unwrap();
    assert_eq!(
        code(&v, &AlbToken::new(&pinned).sign(&pinned)),
        "authenticated"
    );
    assert_eq!(s.requests(), 0);
    assert_eq!(
        code(&v, &AlbToken::new(&served).sign(&served)),
        "authenticated"
    );
    assert_eq!(s.requests_for(&format!("/{}", served.kid)), 1);
}

#[test]
fn pinned_key_wins_over_a_different_key_served_under_its_kid() {
    let pinned = TestKey::new(1);
    let mut impostor = TestKey::new(2);
    impostor.kid = pinned.kid.clone();
    let s = KeyServer::start(&[&impostor]);
    let mut cfg: Value = serde_json::from_str(&config(Some(&s), &[], json!({}))).unwrap();
    cfg["pinned_keys"] = json!({pinned.kid.clone(): pinned.pem()});
    let v = Verifier::from_json(&cfg.to_string()).unwrap();
    assert_eq!(
        code(&v, &AlbToken::new(&impostor).sign(&impostor)),
        "invalid_signature"
    );
    assert_eq!(s.requests(), 0);
}

// ---- Prefetch ----

#[test]
fn prefetch_warms_the_cache_so_requests_fetch_nothing() {
    let (a, b) = (TestKey::new(1), TestKey::new(2));
    let s = KeyServer::start(&[&a, &b]);
    let v = fetching(&s, json!({}));
    assert_eq!(v.prefetch(&[&a.kid, &b.kid]).unwrap(), 2);
    assert_eq!(s.requests(), 2);
    assert_eq!(v.cached_keys(), 2);
    assert_eq!(code(&v, &AlbToken::new(&a).sign(&a)), "authenticated");
    assert_eq!(code(&v, &AlbToken::new(&b).sign(&b)), "authenticated");
    assert_eq!(s.requests(), 2);
}

#[test]
fn prefetch_reports_how_many_keys_it_got_and_the_first_failure_when_none() {
    let a = TestKey::new(1);
    let missing = TestKey::new(7);
    let s = KeyServer::start(&[&a]);
    let v = fetching(&s, json!({}));
    assert_eq!(v.prefetch(&[&missing.kid, &a.kid]).unwrap(), 1);
    let v = fetching(&s, json!({}));
    assert_eq!(
        v.prefetch(&[&missing.kid]).unwrap_err().code(),
        "key_unavailable"
    );
    assert_eq!(
        v.prefetch(&["not-a-uuid"]).unwrap_err().code(),
        "invalid_key_id"
    );
    assert_eq!(v.prefetch(&[]).unwrap(), 0);
}

#[test]
fn prefetch_fetches_each_kid_from_every_region() {
    let k = TestKey::new(1);
    let s = KeyServer::start(&[]);
    s.route(&format!("/us-east-1/{}", k.kid), Reply::Body(k.pem()));
    s.route(&format!("/eu-west-1/{}", k.kid), Reply::Body(k.pem()));
    let v = fetching(
        &s,
        json!({
            "trusted_albs": [ALB, ALB_DR],
            "key_url": format!("http://127.0.0.1:{}/{{region}}/{{kid}}", s.port),
        }),
    );
    assert_eq!(v.prefetch(&[&k.kid]).unwrap(), 2);
    assert_eq!(s.requests(), 2);
}

// ---- Cache bound ----

#[test]
fn key_cache_keeps_at_most_key_cache_size_keys_evicting_the_oldest() {
    let keys: Vec<TestKey> = (1..=3).map(TestKey::new).collect();
    let refs: Vec<&TestKey> = keys.iter().collect();
    let s = KeyServer::start(&refs);
    let v = fetching(&s, json!({"key_cache_size": 2}));
    for k in &keys {
        assert_eq!(code(&v, &AlbToken::new(k).sign(k)), "authenticated");
    }
    assert_eq!(v.cached_keys(), 2);
    let hits = |k: &TestKey| s.requests_for(&format!("/{}", k.kid));
    assert_eq!(
        code(&v, &AlbToken::new(&keys[2]).sign(&keys[2])),
        "authenticated"
    );
    assert_eq!(hits(&keys[2]), 1, "the newest key is still cached");
    assert_eq!(
        code(&v, &AlbToken::new(&keys[0]).sign(&keys[0])),
        "authenticated"
    );
    assert_eq!(
        hits(&keys[0]),
        2,
        "the oldest key was evicted and fetched again"
    );
    assert_eq!(v.cached_keys(), 2);
}

#[test]
fn verifier_is_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Verifier>();
}

// ---- What key_unavailable says: the key URL (kid filled in) and the reason ----

#[test]
fn key_unavailable_names_the_key_url_with_the_kid_and_the_reason() {
    let unknown = TestKey::new(7);
    let fetcher = RecordingFetcher::new(&[]);
    let json = json!({"trusted_albs": [ALB], "issuer": ISSUER, "client_id": CLIENT});
    let v = recording_verifier(&json.to_string(), &fetcher);
    assert_eq!(
        detail(&v, &AlbToken::new(&unknown).sign(&unknown)),
        format!(
            "key fetch from https://public-keys.auth.elb.us-east-1.amazonaws.com/{} failed: HTTP status 404",
            unknown.kid
        )
    );
}

#[test]
fn a_kid_backing_off_names_the_key_url_and_the_earlier_failure() {
    let k = TestKey::new(1);
    let s = KeyServer::start(&[]);
    s.route(&format!("/{}", k.kid), Reply::Status(404));
    let v = fetching(&s, json!({}));
    let t = AlbToken::new(&k).sign(&k);
    let first = detail(&v, &t);
    let url = s.url(&format!("/{}", k.kid));
    assert_eq!(
        first,
        format!("key fetch from {url} failed: HTTP status 404")
    );
    let d = detail(&v, &t);
    assert!(d.starts_with(&first), "{d}");
    assert!(d.contains("backing off"), "{d}");
    assert!(d.contains("key_fetch_backoff_secs"), "{d}");
}

#[test]
fn a_fetch_refused_by_the_rate_limit_names_the_key_url() {
    let k = TestKey::new(1);
    let over = TestKey::new(2);
    let s = KeyServer::start(&[&k, &over]);
    let v = fetching(&s, json!({"key_fetch_max_per_minute": 1}));
    assert_eq!(code(&v, &AlbToken::new(&k).sign(&k)), "authenticated");
    let d = detail(&v, &AlbToken::new(&over).sign(&over));
    let url = s.url(&format!("/{}", over.kid));
    assert!(
        d.starts_with(&format!("key fetch from {url} refused: ")),
        "{d}"
    );
    assert!(d.contains("key_fetch_max_per_minute"), "{d}");
}

// ---- Whatever happens in a fetch, its waiters are released ----

/// A gate threads wait at until it is opened.
#[derive(Default)]
struct Gate {
    open: Mutex<bool>,
    opened: Condvar,
}

impl Gate {
    fn open(&self) {
        *self.open.lock().unwrap() = true;
        self.opened.notify_all();
    }
    fn wait(&self) {
        let mut open = self.open.lock().unwrap();
        while !*open {
            open = self.opened.wait(open).unwrap();
        }
    }
}

/// How the first fetch of a [`StallingFetcher`] ends once released.
#[derive(Clone, Copy, PartialEq)]
enum FirstFetch {
    Panics,
    ServesTheKey,
}

/// Serves `key`, except that its first fetch signals `entered`, stalls until `release` is
/// opened, then panics or serves the key.
struct StallingFetcher {
    key: TestKey,
    first: FirstFetch,
    calls: AtomicUsize,
    entered: Gate,
    release: Gate,
}

impl StallingFetcher {
    fn new(key: &TestKey, first: FirstFetch) -> Arc<StallingFetcher> {
        Arc::new(StallingFetcher {
            key: key.clone(),
            first,
            calls: AtomicUsize::new(0),
            entered: Gate::default(),
            release: Gate::default(),
        })
    }
}

impl Fetcher for StallingFetcher {
    fn get(&self, _url: &str) -> Result<Vec<u8>, String> {
        if self.calls.fetch_add(1, Ordering::SeqCst) == 0 {
            self.entered.open();
            self.release.wait();
            if self.first == FirstFetch::Panics {
                panic!("a bug in the fetcher");
            }
        }
        Ok(self.key.pem().into_bytes())
    }
}

/// A verifier fetching through `fetcher` (the URL is never contacted), token cache off.
fn stalling_verifier(fetcher: &Arc<StallingFetcher>, extra: Value) -> Arc<Verifier> {
    let mut extra = extra;
    let obj = extra.as_object_mut().unwrap();
    obj.insert("key_url".into(), json!("http://127.0.0.1:9/{kid}"));
    obj.insert("token_cache_size".into(), json!(0));
    let cfg = Config::from_json(&config(None, &[], extra)).unwrap();
    Arc::new(Verifier::with_fetcher(cfg, fetcher.clone()).unwrap())
}

/// Verifies `token` on another thread; the outcome code and detail arrive on the receiver.
fn verify_in_thread(v: &Arc<Verifier>, token: &str) -> mpsc::Receiver<(&'static str, String)> {
    let (tx, rx) = mpsc::channel();
    let (v, token) = (v.clone(), token.to_string());
    std::thread::spawn(move || {
        let o = v.verify(headers(&token), Some(NOW));
        let d = o
            .error()
            .map(|e| e.detail().to_string())
            .unwrap_or_default();
        let _ = tx.send((outcome_code(&o), d));
    });
    rx
}

/// The outcome from `rx`; fails (rather than hangs) when none arrives within 20 s.
fn returned(rx: &mpsc::Receiver<(&'static str, String)>) -> (&'static str, String) {
    rx.recv_timeout(Duration::from_secs(20))
        .expect("the request did not return: it hangs on the key fetch")
}

#[test]
fn a_panicking_fetcher_releases_every_waiter_and_leaves_nothing_stuck() {
    let k = TestKey::new(1);
    let fetcher = StallingFetcher::new(&k, FirstFetch::Panics);
    let v = stalling_verifier(&fetcher, json!({"key_fetch_backoff_secs": 1}));
    let t = AlbToken::new(&k).sign(&k);
    let leader = verify_in_thread(&v, &t);
    fetcher.entered.wait();
    let waiters: Vec<_> = (0..3).map(|_| verify_in_thread(&v, &t)).collect();
    std::thread::sleep(Duration::from_millis(200)); // let them reach the wait
    fetcher.release.open();
    let (code, d) = returned(&leader);
    assert_eq!(code, "key_unavailable");
    assert_eq!(
        d,
        format!(
            "key fetch from http://127.0.0.1:9/{} failed: the fetcher panicked",
            k.kid
        )
    );
    for w in &waiters {
        assert_eq!(returned(w).0, "key_unavailable");
    }
    // The failure backs off like any other; then the kid is fetched again and works.
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(returned(&verify_in_thread(&v, &t)).0, "authenticated");
    assert_eq!(fetcher.calls.load(Ordering::SeqCst), 2);
    assert_eq!(v.cached_keys(), 1);
}

#[test]
fn waiters_give_up_after_twice_key_fetch_timeout_ms_while_a_fetch_hangs() {
    let k = TestKey::new(1);
    let fetcher = StallingFetcher::new(&k, FirstFetch::ServesTheKey);
    let v = stalling_verifier(&fetcher, json!({"key_fetch_timeout_ms": 200}));
    let t = AlbToken::new(&k).sign(&k);
    let leader = verify_in_thread(&v, &t);
    fetcher.entered.wait();
    let waiters: Vec<_> = (0..3).map(|_| verify_in_thread(&v, &t)).collect();
    let url = format!("http://127.0.0.1:9/{}", k.kid);
    for w in &waiters {
        let (code, d) = returned(w);
        assert_eq!(code, "key_unavailable");
        assert_eq!(
            d,
            format!(
                "key fetch from {url} did not complete within 400 ms (2 x key_fetch_timeout_ms)"
            )
        );
    }
    // A request arriving after that returns at once too, while the fetch still hangs.
    assert_eq!(returned(&verify_in_thread(&v, &t)).0, "key_unavailable");
    assert!(leader.try_recv().is_err(), "the fetch is still hanging");
    fetcher.release.open();
    assert_eq!(returned(&leader).0, "authenticated");
    assert_eq!(returned(&verify_in_thread(&v, &t)).0, "authenticated");
    assert_eq!(fetcher.calls.load(Ordering::SeqCst), 1);
}
