//! Full directory sync (Step 9), the planning half: the IdP's complete listing against the
//! host's snapshot, to one plan of actions, with the brake against mass deprovisioning. Pure:
//! the connector lists, the host applies; nothing here does I/O but reading a snapshot.
//!
//! Planning is a sorted merge on the IdP id (both sides sorted once), so memory is the two
//! lists and the plan: 100,000 users a side is tens of megabytes.

mod apply;
mod plan;
mod run;
mod snapshot;

pub use apply::{apply_to_snapshot, record_json, write_snapshot};
pub use plan::{plan_sync, pseudonym, Summary, SyncAction, SyncKind, SyncPlan, MANAGED_BY};
pub use run::{
    run_sync, sync_connect_options, sync_report, SyncRequestError, SyncRun, SyncRunError,
};
pub use snapshot::{read_snapshot, SnapshotError};
