//! The host's directory snapshot: one user record a line (JSON lines), each the Step 6 record
//! `{"username", "display_name", "email", "active", "groups", "attributes": {"idp_id"}}`.

use std::io::BufRead;

use crate::provision::UserRecord;

/// Most users a snapshot may hold: a bound on what a file can make albauth allocate.
pub const MAX_SNAPSHOT_USERS: usize = 1_000_000;

/// A snapshot that cannot be read: the line and the field, never a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("snapshot line {line}: {detail}")]
pub struct SnapshotError {
    /// 1-based line number (0: the file itself).
    pub line: usize,
    /// What is wrong with it.
    pub detail: String,
}

/// Reads every record; blank lines are skipped. A duplicate IdP id or username (two host
/// accounts claiming one person) is an error: planning against it could act on the wrong one.
pub fn read_snapshot(reader: impl BufRead) -> Result<Vec<UserRecord>, SnapshotError> {
    let mut out = Vec::new();
    let mut line_of = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let n = i + 1;
        let line = line.map_err(|e| SnapshotError {
            line: n,
            detail: format!("unreadable ({})", e.kind()),
        })?;
        if line.trim().is_empty() {
            continue;
        }
        if out.len() == MAX_SNAPSHOT_USERS {
            return Err(SnapshotError {
                line: n,
                detail: format!("more than {MAX_SNAPSHOT_USERS} users"),
            });
        }
        let record = UserRecord::from_json(&line).map_err(|e| SnapshotError {
            line: n,
            detail: e.detail().to_string(),
        })?;
        out.push(record);
        line_of.push(n);
    }
    let mut ids: Vec<(&str, usize)> = Vec::new();
    let mut names: Vec<(String, usize)> = Vec::with_capacity(out.len());
    for (i, r) in out.iter().enumerate() {
        if let Some(id) = r.idp_id() {
            ids.push((id, i));
        }
        names.push((r.username.to_lowercase(), i));
    }
    ids.sort_unstable();
    if let Some(w) = ids.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(SnapshotError {
            line: line_of[w[1].1],
            detail: "two users carry the same attributes.idp_id".into(),
        });
    }
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(SnapshotError {
            line: line_of[w[1].1],
            detail: "two users have the same username (compared case-insensitively)".into(),
        });
    }
    Ok(out)
}
