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

// The shared test identities as Rust consts (`fixture_env`), shared with fuzz/build.rs.
include!("tests/fixtures/fixture_env.rs");

fn test_fixture_env() {
    fixture_env(std::path::Path::new("tests/fixtures/ids.properties"));
}
