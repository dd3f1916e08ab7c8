//! The committed C header is exactly what cbindgen generates from src/ffi/, and the
//! numbers in it are the ones the library uses.

use std::path::Path;

/// What build.rs generated from the current sources (pinned cbindgen, cbindgen.toml).
const GENERATED: &str = include_str!(concat!(env!("OUT_DIR"), "/albauth.h"));

fn committed() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("include/albauth.h");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn committed_header_matches_cbindgen_output() {
    let committed = committed();
    if committed == GENERATED {
        return;
    }
    let line = committed
        .lines()
        .zip(GENERATED.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| committed.lines().count().min(GENERATED.lines().count()));
    panic!(
        "include/albauth.h is out of date with src/ffi/ (first difference at line {}: committed {:?}, generated {:?}).\n\
         Refresh it with:\n    cp {}/albauth.h include/albauth.h\n\
         (build.rs regenerates that file on every build that touches src/ffi/ or cbindgen.toml.)",
        line + 1,
        committed.lines().nth(line).unwrap_or("<end of file>"),
        GENERATED.lines().nth(line).unwrap_or("<end of file>"),
        env!("OUT_DIR"),
    );
}

/// The value a `#define NAME value` line gives in the committed header.
fn define(name: &str) -> String {
    let prefix = format!("#define {name} ");
    committed()
        .lines()
        .find_map(|l| l.strip_prefix(&prefix).map(|v| v.trim().to_string()))
        .unwrap_or_else(|| panic!("include/albauth.h has no #define {name}"))
}

#[test]
fn header_abi_version_is_the_librarys() {
    assert_eq!(
        define("ALBAUTH_ABI_VERSION"),
        albauth::ffi::albauth_abi_version().to_string()
    );
}

#[test]
fn header_max_headers_is_the_librarys() {
    assert_eq!(
        define("ALBAUTH_MAX_HEADERS"),
        albauth::ffi::ALBAUTH_MAX_HEADERS.to_string()
    );
}

#[test]
fn header_status_values_are_the_librarys() {
    let header = committed();
    for status in albauth::ffi::albauth_status::ALL {
        let line = format!("  {status:?} = {},", status as u32);
        assert!(header.contains(&line), "include/albauth.h lacks `{line}`");
    }
}

#[test]
fn header_declares_every_contract_function() {
    let header = committed();
    for decl in [
        "uint32_t albauth_abi_version(void);",
        "const char *albauth_version(void);",
        "const char *albauth_status_name(albauth_status status);",
        "enum albauth_status albauth_verifier_new(struct albauth_str config_json,",
        "void albauth_verifier_free(struct albauth_verifier *v);",
        "enum albauth_status albauth_verify(const struct albauth_verifier *v,",
        "struct albauth_str albauth_identity_username(const struct albauth_identity *id);",
        "struct albauth_str albauth_identity_display_name(const struct albauth_identity *id);",
        "struct albauth_str albauth_identity_email(const struct albauth_identity *id);",
        "struct albauth_str albauth_identity_sub(const struct albauth_identity *id);",
        "size_t albauth_identity_group_count(const struct albauth_identity *id);",
        "struct albauth_str albauth_identity_group(const struct albauth_identity *id, size_t index);",
        "struct albauth_str albauth_identity_claims_json(const struct albauth_identity *id);",
        "void albauth_identity_free(struct albauth_identity *id);",
        "typedef struct albauth_verifier albauth_verifier;",
        "typedef struct albauth_identity albauth_identity;",
        "typedef enum albauth_status {",
        "char message[256];",
    ] {
        assert!(header.contains(decl), "include/albauth.h lacks `{decl}`");
    }
}
