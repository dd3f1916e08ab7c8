//! The shared test identities (`../tests/fixtures/ids.properties`) as Rust consts
//! for `src/lib.rs` (`OUT_DIR/test_ids.rs`), with the same reader as the main build.rs.

include!("../tests/fixtures/fixture_env.rs");

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    fixture_env(std::path::Path::new("../tests/fixtures/ids.properties"));
}
