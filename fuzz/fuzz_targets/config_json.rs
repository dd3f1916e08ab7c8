//! Config JSON parsing (`Config::from_json`) on any text. A refused config is always
//! `config_invalid`; an accepted one always builds a verifier (pinned keys parsed once) and
//! reports its warnings. No network: the verifier gets a fetcher that refuses every URL.
#![no_main]

use std::sync::Arc;

use albauth::keys::Fetcher;
use albauth::{Config, ErrorKind, Verifier};
use libfuzzer_sys::fuzz_target;

struct Offline;

impl Fetcher for Offline {
    fn get(&self, _url: &str) -> Result<Vec<u8>, String> {
        Err("offline".into())
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Config::from_json(text) {
        Err(e) => assert_eq!(e.kind(), ErrorKind::ConfigInvalid),
        Ok(config) => {
            let _ = config.warnings();
            assert!(!config.trusted_albs().is_empty());
            assert!(config.clock_skew_secs() <= albauth::config::MAX_CLOCK_SKEW_SECS);
            if config.uses_access_token() {
                assert!(config.client_id().is_some(), "the access token is bound");
            }
            Verifier::with_fetcher(config, Arc::new(Offline)).expect("a valid config builds");
        }
    }
});
