//! Lookup at login, in front of a connector: each answer is reused for `lookup_cache_secs`,
//! one lookup runs per value at a time (a burst of one user's logins asks the directory once:
//! the others wait for that answer), and the cache holds a bounded number of values.
//!
//! A failed lookup is reused for a short time too ([`FAILURE_TTL`] at most), so an outage
//! does not make every login wait for the connector's retries. When `lookup_failure: claims`
//! lets a login through on its claims, a warning goes to the warn hook at most once a minute.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use parking_lot::Mutex;

use super::lookup::{lookup_value, plan_login_looked_up, Lookup};
use super::{LookupFailure, Plan, ProvisioningConfig, Refusal, UserRecord};
use crate::directory::Directory;
use crate::net::retry::{Clock, SystemClock};
use crate::verify::Identity;

/// How long a failed lookup is reused (or `lookup_cache_secs`, if shorter).
pub const FAILURE_TTL: Duration = Duration::from_secs(15);
/// Warnings about logins planned from claims after a failed lookup: at most one per this.
pub const WARN_EVERY: Duration = Duration::from_secs(60);
/// How an ambiguous lookup's error reads (see [`crate::directory::DirectoryError`]'s Display).
const AMBIGUOUS: &str = "directory ambiguous:";
/// Values held by default.
pub const DEFAULT_CAPACITY: usize = 10_000;

struct Slot {
    answer: Mutex<Option<(Lookup, SystemTime)>>,
}

/// Where warnings go.
pub type WarnHook = Box<dyn Fn(&str) + Send + Sync>;

/// A connector with its answers cached (see the module doc).
pub struct LookupCache {
    directory: Box<dyn Directory>,
    attribute: String,
    ttl: Duration,
    capacity: usize,
    clock: Arc<dyn Clock>,
    slots: Mutex<HashMap<String, Arc<Slot>>>,
    lookups: std::sync::atomic::AtomicU64,
    last_warning: Mutex<Option<SystemTime>>,
    warn: WarnHook,
}

impl std::fmt::Debug for LookupCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LookupCache")
            .field("attribute", &self.attribute)
            .field("ttl", &self.ttl)
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

impl LookupCache {
    /// A cache over `directory`, asking by `attribute` (see
    /// [`crate::Config::lookup_attribute`]), answers kept for `ttl`. Warnings go to stderr.
    pub fn new(directory: Box<dyn Directory>, attribute: &str, ttl: Duration) -> LookupCache {
        LookupCache {
            directory,
            attribute: attribute.to_string(),
            ttl,
            capacity: DEFAULT_CAPACITY,
            clock: Arc::new(SystemClock),
            slots: Mutex::new(HashMap::new()),
            lookups: Default::default(),
            last_warning: Mutex::new(None),
            warn: Box::new(|w| eprintln!("albauth: {w}")),
        }
    }

    /// At most `capacity` values held (at least 1).
    pub fn with_capacity(mut self, capacity: usize) -> LookupCache {
        self.capacity = capacity.max(1);
        self
    }

    /// Timed by `clock` (tests pass a fake).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> LookupCache {
        self.clock = clock;
        self
    }

    /// Warnings go to `warn`.
    pub fn with_warn(mut self, warn: WarnHook) -> LookupCache {
        self.warn = warn;
        self
    }

    /// Lookups that went to the directory so far.
    pub fn lookups(&self) -> u64 {
        self.lookups.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Values held now.
    pub fn len(&self) -> usize {
        self.slots.lock().len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn fresh(&self, answer: &Lookup, at: SystemTime, now: SystemTime) -> bool {
        let ttl = match answer {
            Lookup::Unavailable(_) => self.ttl.min(FAILURE_TTL),
            _ => self.ttl,
        };
        now.duration_since(at).map(|age| age < ttl).unwrap_or(false)
    }

    fn slot(&self, key: &str) -> Arc<Slot> {
        let mut slots = self.slots.lock();
        if let Some(s) = slots.get(key) {
            return s.clone();
        }
        if slots.len() >= self.capacity {
            let now = self.clock.now();
            // Drop what is stale, then (still full) the oldest answers.
            slots.retain(|_, s| match s.answer.try_lock() {
                Some(a) => a.as_ref().is_some_and(|(l, at)| self.fresh(l, *at, now)),
                None => true,
            });
            while slots.len() >= self.capacity {
                let oldest = slots
                    .iter()
                    .min_by_key(|(_, s)| {
                        s.answer
                            .try_lock()
                            .and_then(|a| a.as_ref().map(|(_, at)| *at))
                            .unwrap_or(SystemTime::UNIX_EPOCH)
                    })
                    .map(|(k, _)| k.clone());
                match oldest {
                    Some(k) => slots.remove(&k),
                    None => break,
                };
            }
        }
        let s = Arc::new(Slot {
            answer: Mutex::new(None),
        });
        slots.insert(key.to_string(), s.clone());
        s
    }

    /// The directory's answer for `value` (compared case-insensitively), cached.
    pub fn lookup(&self, value: &str) -> Lookup {
        let key = value.to_lowercase();
        let slot = self.slot(&key);
        // Held while asking: a second login of the same user waits for this answer.
        let mut answer = slot.answer.lock();
        let now = self.clock.now();
        if let Some((l, at)) = answer.as_ref() {
            if self.fresh(l, *at, now) {
                return l.clone();
            }
        }
        self.lookups
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let l = match self.directory.lookup(&self.attribute, value) {
            Ok(Some(u)) => Lookup::Found(u),
            Ok(None) => Lookup::NotFound,
            Err(e) => Lookup::Unavailable(e.to_string()),
        };
        *answer = Some((l.clone(), self.clock.now()));
        l
    }

    /// Plans `identity`'s login with the directory's answer ([`plan_login_looked_up`]); warns
    /// (at most once a minute) when a failed lookup falls back to the claims.
    pub fn plan_login(
        &self,
        identity: &Identity,
        current: Option<&UserRecord>,
        config: &ProvisioningConfig,
    ) -> Plan {
        let Some(value) = lookup_value(identity, &self.attribute) else {
            return Plan::refuse(
                Refusal::NotAllowed,
                format!(
                    "the verified token has no {} to look the user up by (provisioning.lookup_attribute)",
                    self.attribute
                ),
            );
        };
        let lookup = self.lookup(value);
        if let Lookup::Unavailable(why) = &lookup {
            // Several IdP users for one login: refusing beats guessing, and the directory did
            // answer, so this is no reason to fall back to the claims.
            if why.starts_with(AMBIGUOUS) {
                return Plan::refuse(Refusal::NotAllowed, why.clone());
            }
            if config.lookup_failure == LookupFailure::Claims {
                self.warn_throttled(&format!(
                    "the IdP's directory could not be asked ({why}); logins are planned from the token's claims (provisioning.lookup_failure: claims)"
                ));
            }
        }
        plan_login_looked_up(identity, &lookup, current, config)
    }

    fn warn_throttled(&self, message: &str) {
        let now = self.clock.now();
        let mut last = self.last_warning.lock();
        let due = match *last {
            None => true,
            Some(t) => now
                .duration_since(t)
                .map(|d| d >= WARN_EVERY)
                .unwrap_or(true),
        };
        if due {
            *last = Some(now);
            (self.warn)(message);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::directory::{ConnectorKind, DirectoryError, DirectoryErrorKind, IdpUser, Listing};

    struct Fake {
        calls: Arc<AtomicUsize>,
        answer: fn(&str) -> Result<Option<IdpUser>, DirectoryError>,
        delay: Duration,
    }

    impl Directory for Fake {
        fn kind(&self) -> ConnectorKind {
            ConnectorKind::Okta
        }
        fn lookup(&self, _: &str, value: &str) -> Result<Option<IdpUser>, DirectoryError> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(self.delay);
            (self.answer)(value)
        }
        fn list_users(&self, _: &[String]) -> Result<Listing, DirectoryError> {
            Ok(Listing::default())
        }
    }

    fn user(value: &str) -> Result<Option<IdpUser>, DirectoryError> {
        Ok(Some(IdpUser {
            idp_id: format!("id-{}", value.to_lowercase()),
            username: value.to_lowercase(),
            display_name: Some("Alice".into()),
            email: Some(value.to_lowercase()),
            active: true,
            groups: vec!["jira-users".into()],
        }))
    }

    fn down(_: &str) -> Result<Option<IdpUser>, DirectoryError> {
        Err(DirectoryError::new(
            DirectoryErrorKind::Unavailable,
            "okta users: connect",
        ))
    }

    struct Time(Mutex<SystemTime>);
    impl Clock for Time {
        fn now(&self) -> SystemTime {
            *self.0.lock()
        }
    }
    impl Time {
        fn advance(&self, d: Duration) {
            *self.0.lock() += d;
        }
    }

    fn cache(
        answer: fn(&str) -> Result<Option<IdpUser>, DirectoryError>,
        delay: Duration,
    ) -> (LookupCache, Arc<AtomicUsize>, Arc<Time>) {
        let calls = Arc::new(AtomicUsize::new(0));
        let time = Arc::new(Time(Mutex::new(
            SystemTime::UNIX_EPOCH + Duration::from_secs(1 << 30),
        )));
        let c = LookupCache::new(
            Box::new(Fake {
                calls: calls.clone(),
                answer,
                delay,
            }),
            "email",
            Duration::from_secs(300),
        )
        .with_clock(time.clone());
        (c, calls, time)
    }

    #[test]
    fn a_burst_of_one_users_logins_does_one_lookup() {
        let (c, calls, _) = cache(user, Duration::from_millis(50));
        let c = Arc::new(c);
        let threads: Vec<_> = (0..8)
            .map(|i| {
                let c = c.clone();
                let v = if i % 2 == 0 {
                    "alice@example.com"
                } else {
                    "Alice@Example.com"
                };
                std::thread::spawn(move || c.lookup(v))
            })
            .collect();
        for t in threads {
            assert!(matches!(t.join().unwrap(), Lookup::Found(_)));
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn answers_expire_after_the_ttl_and_failures_sooner() {
        let (c, calls, time) = cache(user, Duration::ZERO);
        c.lookup("a@x");
        time.advance(Duration::from_secs(299));
        c.lookup("a@x");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        time.advance(Duration::from_secs(1));
        c.lookup("a@x");
        assert_eq!(calls.load(Ordering::SeqCst), 2);

        let (c, calls, time) = cache(down, Duration::ZERO);
        assert!(matches!(c.lookup("a@x"), Lookup::Unavailable(_)));
        c.lookup("a@x");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        time.advance(FAILURE_TTL);
        c.lookup("a@x");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn the_cache_is_bounded() {
        let (c, calls, time) = cache(user, Duration::ZERO);
        let c = c.with_capacity(3);
        for i in 0..10 {
            c.lookup(&format!("u{i}@x"));
            time.advance(Duration::from_secs(1));
        }
        assert_eq!(c.len(), 3);
        assert_eq!(calls.load(Ordering::SeqCst), 10);
        // The newest are kept.
        c.lookup("u9@x");
        assert_eq!(calls.load(Ordering::SeqCst), 10);
    }

    fn identity(email: &str) -> Identity {
        Identity::from_parts(
            "alice".into(),
            None,
            Some(email.into()),
            vec![],
            "sub-1".into(),
            Default::default(),
            "{}".into(),
        )
    }

    #[test]
    fn a_failed_lookup_falling_back_to_claims_warns_once_a_minute() {
        let warnings = Arc::new(Mutex::new(Vec::<String>::new()));
        let (c, _, time) = cache(down, Duration::ZERO);
        let w = warnings.clone();
        let c = c.with_warn(Box::new(move |m| w.lock().push(m.to_string())));
        let config = ProvisioningConfig {
            enabled: true,
            ..ProvisioningConfig::default()
        };
        for _ in 0..5 {
            let plan = c.plan_login(&identity("a@x"), None, &config);
            assert!(plan.refused.is_none(), "planned from the claims");
            time.advance(Duration::from_secs(20));
        }
        // 0 s, 60 s: two warnings in 100 s.
        assert_eq!(warnings.lock().len(), 2, "{:?}", warnings.lock());
        assert!(warnings.lock()[0].contains("lookup_failure: claims"));

        let refuse = ProvisioningConfig {
            lookup_failure: LookupFailure::Refuse,
            ..config
        };
        let plan = c.plan_login(&identity("a@x"), None, &refuse);
        assert_eq!(plan.refused, Some(Refusal::DirectoryUnavailable));
    }

    #[test]
    fn an_ambiguous_lookup_is_refused_not_planned_from_claims() {
        let (c, _, _) = cache(
            |_| {
                Err(DirectoryError::new(
                    DirectoryErrorKind::Ambiguous,
                    "the lookup by email is ambiguous: 2 users match",
                ))
            },
            Duration::ZERO,
        );
        let plan = c.plan_login(&identity("a@x"), None, &ProvisioningConfig::default());
        assert_eq!(plan.refused, Some(Refusal::NotAllowed));
    }

    #[test]
    fn the_directorys_answer_feeds_the_plan() {
        let (c, _, _) = cache(user, Duration::ZERO);
        let config = ProvisioningConfig {
            enabled: true,
            ..ProvisioningConfig::default()
        };
        let plan = c.plan_login(&identity("Alice@x"), None, &config);
        assert!(plan.refused.is_none(), "{plan:?}");
        let json = serde_json::to_string(&plan).unwrap();
        assert!(json.contains("jira-users"), "{json}");
        let no_email = Identity::from_parts(
            "alice".into(),
            None,
            None,
            vec![],
            "s".into(),
            Default::default(),
            "{}".into(),
        );
        assert_eq!(
            c.plan_login(&no_email, None, &config).refused,
            Some(Refusal::NotAllowed)
        );
    }
}
