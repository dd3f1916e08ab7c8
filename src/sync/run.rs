//! One sync run: list the IdP through the configured connector, plan against the host
//! snapshot, and report. The one implementation behind `albauth-sync`, the C ABI's
//! `albauth_sync_plan` and (later) Java's: the faces differ only in how they print.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::plan::{plan_sync, Summary, SyncPlan};
use super::snapshot::{read_snapshot, SnapshotError};
use crate::directory::{connect, ConnectOptions, DirectoryError, DirectoryErrorKind};
use crate::net::RetryPolicy;
use crate::provision::UserRecord;
use crate::Config;

/// What a run produced.
#[derive(Debug)]
pub enum SyncRun {
    /// A complete listing was planned (the plan may still be refused by the brake).
    Planned {
        /// The plan.
        plan: SyncPlan,
        /// Successful HTTP pages of every listing call.
        pages: usize,
        /// Throttled responses waited out.
        throttle_waits: usize,
        /// How long listing and planning took.
        duration: Duration,
    },
    /// The listing failed (after retries) or a required group does not exist: nothing at all
    /// is planned from a partial listing.
    Incomplete {
        /// Why (names the call and the host, never a secret).
        detail: String,
        /// How long it ran.
        duration: Duration,
    },
}

/// Why a run could not even start or list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SyncRunError {
    /// No `directory_sync` section, or a connector that cannot be set up.
    #[error("{0}")]
    Config(String),
    /// The connector failed: bad credentials, a missing permission, the service unreachable.
    #[error("{0}")]
    Connector(String),
}

/// The retries a sync uses: 3 after the first attempt, with backoff (issue 12).
pub fn sync_connect_options() -> ConnectOptions {
    ConnectOptions {
        retry: RetryPolicy {
            max_attempts: 4,
            ..RetryPolicy::default()
        },
        ..ConnectOptions::default()
    }
}

/// Lists the IdP through `config`'s connector and plans a sync against `host`.
pub fn run_sync(
    config: &Config,
    host: &[UserRecord],
    force: bool,
    options: ConnectOptions,
) -> Result<SyncRun, SyncRunError> {
    let sync = config.directory_sync().ok_or_else(|| {
        SyncRunError::Config("no `directory_sync` section (with a connector) to ask".into())
    })?;
    let directory = connect(&sync.connector, config.username_transforms(), options)
        .map_err(|e| SyncRunError::Config(e.to_string()))?;
    let started = Instant::now();
    let listing = match directory.list_users(&sync.required_groups) {
        Ok(l) => l,
        Err(e) if incomplete(&e) => {
            return Ok(SyncRun::Incomplete {
                detail: e.to_string(),
                duration: started.elapsed(),
            })
        }
        Err(e) => return Err(SyncRunError::Connector(e.to_string())),
    };
    let plan = plan_sync(
        &listing.users,
        &listing.groups,
        host,
        config.provisioning(),
        sync,
        force,
    );
    Ok(SyncRun::Planned {
        plan,
        pages: listing.pages,
        throttle_waits: listing.throttle_waits,
        duration: started.elapsed(),
    })
}

/// Why [`sync_report`] produced no report.
#[derive(Debug)]
#[non_exhaustive]
pub enum SyncRequestError {
    /// The configuration is refused, has no connector, or the connector cannot be set up.
    Config(crate::Error),
    /// The host snapshot is not valid (names the line and the field, never a value).
    Snapshot(SnapshotError),
    /// The connector failed: bad credentials, a missing permission, the service unreachable.
    Directory(String),
}

/// The whole request as a host's binding makes it (C `albauth_sync_plan`, Java
/// `AlbAuth.syncPlan`): the configuration and snapshot as text, the report as JSON. One
/// implementation, so that the faces cannot drift apart.
pub fn sync_report(
    config_json: &str,
    snapshot_jsonl: &str,
    force: bool,
) -> Result<String, SyncRequestError> {
    let config = Config::from_json(config_json).map_err(SyncRequestError::Config)?;
    let host = read_snapshot(snapshot_jsonl.as_bytes()).map_err(SyncRequestError::Snapshot)?;
    let run = run_sync(&config, &host, force, sync_connect_options()).map_err(|e| match e {
        SyncRunError::Config(why) => SyncRequestError::Config(crate::Error::config(why)),
        SyncRunError::Connector(why) => SyncRequestError::Directory(why),
    })?;
    Ok(run.report().to_string())
}

fn incomplete(e: &DirectoryError) -> bool {
    matches!(
        e.kind(),
        DirectoryErrorKind::Incomplete | DirectoryErrorKind::NotFound
    )
}

fn ms(d: Duration) -> u64 {
    d.as_millis().min(u64::MAX as u128) as u64
}

impl SyncRun {
    /// The run's report, as `albauth-sync` prints it: `{"summary", "actions", "pages",
    /// "throttle_waits", "duration_ms"}` plus `refused`, `detail` and `conflicts` when set; an
    /// incomplete listing is `{"refused": "incomplete_listing", "detail", "summary" (zeros),
    /// "actions": [], "duration_ms"}`.
    pub fn report(&self) -> Value {
        match self {
            SyncRun::Incomplete { detail, duration } => json!({
                "refused": "incomplete_listing",
                "detail": detail,
                "summary": Summary::default(),
                "actions": [],
                "duration_ms": ms(*duration),
            }),
            SyncRun::Planned {
                plan,
                pages,
                throttle_waits,
                duration,
            } => {
                let mut out = json!({
                    "summary": plan.summary,
                    "actions": plan.actions,
                    "pages": pages,
                    "throttle_waits": throttle_waits,
                    "duration_ms": ms(*duration),
                });
                if let Some(r) = plan.refused {
                    out["refused"] = json!(r);
                }
                if let Some(d) = &plan.detail {
                    out["detail"] = json!(d);
                }
                if !plan.conflicts.is_empty() {
                    out["conflicts"] = json!(plan.conflicts);
                }
                out
            }
        }
    }
}
