//! What planning one login costs (per login, not per request): a user with 20 IdP groups, a
//! group filter with an allow list and a regex, a mapping, and a host record with 20 groups of
//! which some are to be added and some removed. Target: under 5 µs.
//!
//! `cargo bench --bench provision` runs criterion, then prints the median of interleaved
//! samples against the target.

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::Instant;

use albauth::provision::{plan_login, ProvisioningConfig, UserRecord};
use albauth::{Identity, Verifier};
use common::*;
use criterion::Criterion;
use serde_json::json;

fn identity() -> Identity {
    let k = TestKey::new(1);
    let v = Verifier::from_json(&config(None, &[&k], json!({"groups_claim": "groups"}))).unwrap();
    let groups: Vec<String> = (0..20).map(|i| format!("team-{i}")).collect();
    let t = AlbToken::new(&k)
        .claim("sub", "idp-jane")
        .claim("groups", groups)
        .sign(&k);
    let o = v.verify(headers(&t), Some(NOW));
    o.identity().cloned().expect("verified")
}

fn setup() -> (Identity, UserRecord, ProvisioningConfig) {
    let cfg = ProvisioningConfig::from_json(json!({
        "default_groups": ["jira-software-users"],
        "group_filter": {"allow": ["Engineering"], "regex": ["team-.*"]},
        "group_mapping": {"team-0": "jira-admins-team", "Engineering": "jira-developers"}
    }))
    .unwrap();
    // Half the groups already held, five stale managed groups, and a display-name change.
    let mut held: Vec<String> = (0..10).map(|i| format!("team-{i}")).collect();
    held.extend((100..105).map(|i| format!("team-{i}")));
    held.push("local-group".into());
    let record = UserRecord::from_json(
        &json!({"username": "jane@example.com", "display_name": "Old Name", "email": "jane@example.com",
                "active": true, "groups": held, "attributes": {"idp_id": "idp-jane"}})
        .to_string(),
    )
    .unwrap();
    (identity(), record, cfg)
}

fn main() {
    let (id, record, cfg) = setup();
    let plan = plan_login(&id, Some(&record), &cfg);
    assert!(plan.is_allowed() && plan.actions.len() > 10, "{plan:?}");

    let mut c = Criterion::default().configure_from_args();
    c.bench_function("plan_login, 20 IdP groups, 16 host groups", |b| {
        b.iter(|| black_box(plan_login(black_box(&id), Some(black_box(&record)), &cfg)))
    });
    c.bench_function("plan_login, new user, 20 IdP groups", |b| {
        b.iter(|| black_box(plan_login(black_box(&id), None, &cfg)))
    });

    // Summary: median of 201 samples of 1000 plans each.
    let mut samples: Vec<f64> = (0..201)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..1000 {
                black_box(plan_login(black_box(&id), Some(black_box(&record)), &cfg));
            }
            start.elapsed().as_nanos() as f64 / 1000.0
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    let median = samples[samples.len() / 2];
    println!(
        "\nsummary: plan_login with 20 IdP groups: {:.2} µs median ({} actions); target < 5 µs: {}",
        median / 1000.0,
        plan.actions.len(),
        if median < 5000.0 { "met" } else { "NOT met" }
    );
}
