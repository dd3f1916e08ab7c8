#!/usr/bin/env bash
# The Miri subset (nightly): the FFI boundary and the pure parsing code, on the pure-Rust
# backend (aws-lc is C and cannot run under Miri). What cannot run and why: docs/c-api.md and
# the README's "Miri" section.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo +nightly miri test --no-default-features --features rust-crypto --test ffi abi::
cargo +nightly miri test --no-default-features --features rust-crypto --lib -- token:: claims:: --skip regex
cargo +nightly miri test --no-default-features --features rust-crypto --test fuzz_regressions
