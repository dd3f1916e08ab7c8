//! README.md and docs/c-api.md against the code they document: the C status numbers, the
//! error-code table and the configuration fields are read from the documents and compared with
//! `albauth_status`, `ErrorKind` and `config::FIELDS`, so they cannot drift.

use albauth::config::FIELDS;
use albauth::ffi::{albauth_status, albauth_status_name};
use albauth::ErrorKind;

fn readme() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The text of the top-level README bullet that starts with `- **{title}**`, up to the next
/// bullet of that list.
fn bullet(readme: &str, title: &str) -> String {
    let start = format!("- **{title}**");
    let mut lines = readme.lines().skip_while(|l| !l.starts_with(&start));
    let first = lines
        .next()
        .unwrap_or_else(|| panic!("README has no `{start}` bullet"));
    let rest = lines.take_while(|l| l.starts_with("  ") && !l.trim().is_empty());
    std::iter::once(first)
        .chain(rest)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `NUMBER `name`` pairs of the README's C "Statuses" bullet, in order.
fn readme_statuses() -> Vec<(u32, String)> {
    let text = bullet(&readme(), "Statuses");
    let pair = regex::Regex::new(r"(\d+) `([a-z_]+)`").unwrap();
    pair.captures_iter(&text)
        .map(|c| (c[1].parse().unwrap(), c[2].to_string()))
        .collect()
}

/// The first-column codes of the README table whose header row is `| {first} | ...`.
fn table_column(readme: &str, first: &str) -> Vec<String> {
    let header = format!("| {first} |");
    let mut lines = readme.lines().skip_while(|l| !l.starts_with(&header));
    assert!(lines.next().is_some(), "README has no table `{header}`");
    lines
        .skip(1) // |---|---|
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cell = l.split('|').nth(1).unwrap().trim();
            cell.trim_matches('`').to_string()
        })
        .collect()
}

#[test]
fn readme_lists_every_c_status_with_its_number_and_name() {
    let expected: Vec<(u32, String)> = albauth_status::ALL
        .iter()
        .map(|s| (*s as u32, s.name().to_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        readme_statuses(),
        expected,
        "README's C \"Statuses\" bullet differs from src/ffi/status.rs"
    );
}

/// The (number, `ALBAUTH_NAME`, name) rows of docs/c-api.md's status table.
fn c_api_statuses() -> Vec<(u32, String, String)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/c-api.md");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let row =
        regex::Regex::new(r"(?m)^\|[^|]*\| (\d+) `(ALBAUTH_[A-Z_]+)` \| `([a-z_]+)`").unwrap();
    row.captures_iter(&text)
        .map(|c| (c[1].parse().unwrap(), c[2].to_string(), c[3].to_string()))
        .collect()
}

#[test]
fn c_api_reference_lists_every_c_status_with_its_number_and_names() {
    let expected: Vec<(u32, String, String)> = albauth_status::ALL
        .iter()
        .map(|s| {
            let name = s.name().to_str().unwrap().to_string();
            (*s as u32, format!("{s:?}"), name)
        })
        .collect();
    assert_eq!(
        c_api_statuses(),
        expected,
        "docs/c-api.md status table differs from src/ffi/status.rs"
    );
}

#[test]
fn status_names_in_the_readme_are_what_albauth_status_name_returns() {
    for s in albauth_status::ALL {
        assert_eq!(
            albauth_status_name(s.into()),
            s.name().as_ptr(),
            "albauth_status_name({})",
            s as u32
        );
    }
}

#[test]
fn readme_error_code_table_has_one_row_per_error_kind() {
    let codes: Vec<String> = ErrorKind::ALL
        .iter()
        .map(|k| k.code().to_string())
        .collect();
    let mut in_readme = table_column(&readme(), "code");
    let mut sorted = codes.clone();
    sorted.sort();
    in_readme.sort();
    assert_eq!(
        in_readme, sorted,
        "README error-code table vs ErrorKind::ALL"
    );
    for k in ErrorKind::ALL {
        let status = albauth_status::from_kind(k);
        assert!(
            readme_statuses().contains(&(status as u32, k.code().to_string())),
            "{} is not listed as status {}",
            k.code(),
            status as u32
        );
    }
}

#[test]
fn readme_configuration_table_lists_every_field() {
    let mut documented = table_column(&readme(), "field");
    documented.sort();
    let mut fields: Vec<String> = FIELDS.iter().map(|f| f.to_string()).collect();
    fields.sort();
    assert_eq!(
        documented, fields,
        "README configuration table vs config::FIELDS"
    );
}
