//! What planning a full directory sync costs: 100,000 host users (a JSON-lines snapshot, read
//! and parsed) against 100,000 IdP users, 1% of them changed (new, gone, renamed, a group
//! added, a group removed), with a group filter and mapping. Targets: under 2 s on one core,
//! peak heap under 200 MB.
//!
//! `cargo bench --bench sync` prints the median of 5 runs of read + plan and the peak heap of
//! one run, measured by a counting allocator (heap bytes in use at the worst moment, inputs
//! included).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

use albauth::directory::{DirectorySyncConfig, IdpUser};
use albauth::provision::ProvisioningConfig;
use albauth::sync::{plan_sync, read_snapshot};
use serde_json::json;

struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        IN_USE.fetch_sub(layout.size(), Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const USERS: usize = 100_000;

fn groups_of(i: usize) -> Vec<String> {
    vec![
        "jira-software-users".to_string(),
        format!("team-{}", i % 50),
        format!("Project {}", i % 7),
    ]
}

/// The host snapshot as JSON lines: every user in sync with the IdP but for 1%.
fn snapshot() -> String {
    let mut out = String::with_capacity(USERS * 220);
    for i in 0..USERS {
        // The host has the mapped names.
        let mut groups: Vec<String> = groups_of(i)
            .into_iter()
            .map(|g| {
                if g == "Project 0" {
                    "jira-project-zero".into()
                } else {
                    g
                }
            })
            .collect();
        let mut name = format!("user{i}@example.com");
        match i % 100 {
            1 => name = format!("old-name{i}@example.com"), // renamed in the IdP
            2 => groups.push("team-stale".into()),          // a managed group to remove
            3 => groups.pop().map(|_| ()).unwrap_or(()),    // a group to add
            _ => {}
        }
        let line = json!({"username": name, "display_name": format!("User {i}"),
                          "email": format!("user{i}@example.com"), "active": true,
                          "groups": groups, "attributes": {"idp_id": format!("00u{i:08}")}});
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

/// The IdP listing: the same people, minus 0.25% gone, plus 0.25% new.
fn listing() -> Vec<IdpUser> {
    (0..USERS)
        .filter(|i| i % 400 != 4)
        .chain(USERS..USERS + USERS / 400)
        .map(|i| IdpUser {
            idp_id: format!("00u{i:08}"),
            username: format!("user{i}@example.com"),
            display_name: Some(format!("User {i}")),
            email: Some(format!("user{i}@example.com")),
            active: true,
            groups: groups_of(i),
        })
        .collect()
}

fn main() {
    let provisioning = ProvisioningConfig::from_json(json!({
        "default_groups": ["jira-software-users"],
        "group_filter": {"regex": ["team-.*", "Project .*"]},
        "group_mapping": {"Project 0": "jira-project-zero"}
    }))
    .unwrap();
    let sync = DirectorySyncConfig::from_json(json!({
        "connector": {"type": "okta", "org_url": "https://example.okta.com", "api_token": "x"}
    }))
    .unwrap();
    let mut idp_groups: Vec<String> = (0..50).map(|i| format!("team-{i}")).collect();
    idp_groups.extend((0..7).map(|i| format!("Project {i}")));
    idp_groups.push("team-stale".into());

    let text = snapshot();
    let idp = listing();
    let base = IN_USE.load(Relaxed);
    PEAK.store(base, Relaxed);

    let mut times = Vec::new();
    let mut actions = 0;
    for run in 0..5 {
        let start = Instant::now();
        let host = read_snapshot(text.as_bytes()).expect("snapshot");
        let plan = plan_sync(&idp, &idp_groups, &host, &provisioning, &sync, false);
        times.push(start.elapsed().as_secs_f64());
        actions = plan.actions.len();
        if run == 0 {
            assert!(plan.refused.is_none(), "{:?}", plan.detail);
            println!("plan: {:?}", plan.summary);
        }
    }
    times.sort_by(f64::total_cmp);
    let peak = PEAK.load(Relaxed);
    println!(
        "sync plan, {USERS} host x {} IdP users, {actions} actions: median {:.3} s (min {:.3}, max {:.3}), target < 2 s",
        idp.len(),
        times[2],
        times[0],
        times[4]
    );
    println!(
        "peak heap {:.1} MB (inputs included: snapshot text {:.1} MB, IdP listing and the plan), target < 200 MB",
        peak as f64 / 1e6,
        text.len() as f64 / 1e6
    );
}
