//! The shared test identities (`../tests/fixtures/ids.properties`) as `ALBAUTH_TEST_*` env
//! vars for `src/lib.rs`, with the same reader as the main crate's build.rs.

include!("../tests/fixtures/fixture_env.rs");

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    fixture_env(std::path::Path::new("../tests/fixtures/ids.properties"));
}
