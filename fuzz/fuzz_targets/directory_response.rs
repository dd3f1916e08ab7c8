//! IdP directory responses (outside input: whatever the IdP's API, or something posing as it,
//! answers) through the user mapping of every connector, and the `directory_sync` config
//! section through its parser.
//!
//! Input: one byte choosing the connector (mod 5; 5 and up also parse the bytes after it as a
//! `directory_sync` section), then JSON. Checks, for every input: nothing panics; a mapped user
//! has a non-empty IdP id and username; an error names a field and never quotes more than 64
//! characters of one; a parsed section's `Debug` never shows its secrets (quoted, as `Debug`
//! prints a string; a secret no longer than a field name's fragment, or equal to another
//! field's text, is told apart from it this way).
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
            const SECRETS: [&str; 3] = ["client_secret", "api_token", "secret_access_key"];
            for secret in SECRETS {
                if let Some(s) = value["connector"][secret].as_str() {
                    // A secret printed by `Debug` appears quoted; the same text as another
                    // field's value, or inside one, would be printed for that field.
                    let elsewhere = other_strings(&value, &SECRETS)
                        .iter()
                        .any(|o| o.contains(s));
                    let quoted = format!("{s:?}");
                    assert!(elsewhere || !shown.contains(&quoted), "{secret} printed");
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

/// Every string in `v` (keys and values) but the values of the `secrets` fields.
fn other_strings<'a>(v: &'a serde_json::Value, secrets: &[&str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    match v {
        serde_json::Value::String(s) => out.push(s.as_str()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| out.extend(other_strings(x, secrets))),
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                out.push(k.as_str());
                if !(secrets.contains(&k.as_str()) && x.is_string()) {
                    out.extend(other_strings(x, secrets));
                }
            }
        }
        _ => {}
    }
    out
}
