//! Generates the C header from `src/ffi/` into `OUT_DIR/albauth.h` with cbindgen.
//!
//! It never writes into the source tree: `include/albauth.h` is committed, and
//! `tests/header.rs` fails (saying how to refresh it) when it differs from this output.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    test_fixture_env();
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=src/ffi");

    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR")).join("albauth.h");
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml"))
        .unwrap_or_else(|e| panic!("cbindgen.toml: {e}"));
    // Only the FFI module: the rest of the crate is not part of the C API.
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(root.join("src/ffi/mod.rs"))
        .generate()
        .unwrap_or_else(|e| panic!("cbindgen could not generate the header from src/ffi: {e}"))
        .write_to_file(&out);
}

/// The shared test identities (`tests/fixtures/ids.properties`) as compile-time env vars
/// `ALBAUTH_TEST_<KEY>`, so `tests/common` has them as `const`s from the one file that the
/// fuzz targets and the Java tests read too. Absent file (a packaged crate): nothing is set.
fn test_fixture_env() {
    let path = "tests/fixtures/ids.properties";
    println!("cargo:rerun-if-changed={path}");
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("{path}: `{line}` is not key=value"));
        println!(
            "cargo:rustc-env=ALBAUTH_TEST_{}={}",
            key.trim().to_ascii_uppercase(),
            value.trim()
        );
    }
}
