//! The host's record of a user: one row of a host snapshot, as JSON.
//!
//! ```json
//! {"username": "jdoe", "display_name": "Jane Doe", "email": "jane@example.com",
//!  "active": true, "groups": ["jira-software-users"], "attributes": {"idp_id": "00u1"}}
//! ```
//!
//! It comes from the host (and, for directory sync, from snapshots), so it is parsed as
//! outside input: bounded in size, strict in types, unknown top-level fields refused (a typo
//! would otherwise read as "no groups"); other `attributes` are kept but not used.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// Largest record accepted (1 MiB).
pub const MAX_RECORD_BYTES: usize = 1 << 20;
/// Most groups a record may list.
pub const MAX_GROUPS: usize = 10_000;

/// A user as the host has it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserRecord {
    /// The host username (compared case-insensitively).
    pub username: String,
    /// Full name, if any.
    #[serde(default)]
    pub display_name: Option<String>,
    /// E-mail, if any.
    #[serde(default)]
    pub email: Option<String>,
    /// Whether the account is active (required: a missing flag must not read as active).
    pub active: bool,
    /// The host groups the user is in.
    #[serde(default)]
    pub groups: Vec<String>,
    /// Host attributes; `idp_id` is the IdP's immutable id stored at creation.
    #[serde(default)]
    pub attributes: Map<String, Value>,
}

impl UserRecord {
    /// Parses one record. Errors are `config_invalid`-kind with a detail naming the field,
    /// never a value.
    pub fn from_json(json: &str) -> Result<UserRecord> {
        if json.len() > MAX_RECORD_BYTES {
            return Err(Error::config("current user record is larger than 1 MiB"));
        }
        let bad = |why: String| Error::config(format!("current user record: {why}"));
        let value: Value = serde_json::from_str(json).map_err(|e| {
            bad(format!(
                "not valid JSON (line {}, column {})",
                e.line(),
                e.column()
            ))
        })?;
        let Value::Object(obj) = &value else {
            return Err(bad("not a JSON object".into()));
        };
        // Each field checked by name first, so an error always names it (never its value).
        for (field, v) in obj {
            let ok = match field.as_str() {
                "username" => v.is_string(),
                "display_name" | "email" => v.is_string() || v.is_null(),
                "active" => v.is_boolean(),
                "groups" => v
                    .as_array()
                    .is_some_and(|g| g.iter().all(Value::is_string)),
                "attributes" => v.is_object(),
                other => {
                    return Err(bad(format!(
                        "unknown field `{}` (expected username, display_name, email, active, groups, attributes)",
                        other.chars().take(64).collect::<String>()
                    )))
                }
            };
            if !ok {
                let expected = match field.as_str() {
                    "username" => "a string",
                    "display_name" | "email" => "a string or null",
                    "active" => "true or false",
                    "groups" => "a list of strings",
                    _ => "an object",
                };
                return Err(bad(format!("`{field}` must be {expected}")));
            }
        }
        for required in ["username", "active"] {
            if !obj.contains_key(required) {
                return Err(bad(format!("`{required}` is missing")));
            }
        }
        let r: UserRecord = serde_json::from_value(value)
            .map_err(|_| bad("does not have the expected shape".into()))?;
        if r.username.is_empty() {
            return Err(bad("`username` is empty".into()));
        }
        if r.groups.len() > MAX_GROUPS {
            return Err(bad(format!("more than {MAX_GROUPS} groups")));
        }
        if !matches!(
            r.attributes.get("idp_id"),
            None | Some(Value::Null | Value::String(_))
        ) {
            return Err(bad("`attributes.idp_id` must be a string".into()));
        }
        Ok(r)
    }

    /// The stored IdP id, if any.
    pub fn idp_id(&self) -> Option<&str> {
        self.attributes.get("idp_id").and_then(Value::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_record_parses() {
        let r = UserRecord::from_json(
            r#"{"username":"jdoe","display_name":"J","email":"j@x","active":true,"groups":["g"],"attributes":{"idp_id":"1","other":5}}"#,
        )
        .unwrap();
        assert_eq!(r.idp_id(), Some("1"));
        assert_eq!(r.groups, ["g"]);
    }

    #[test]
    fn active_is_required() {
        let e = UserRecord::from_json(r#"{"username":"jdoe"}"#).unwrap_err();
        assert!(e.detail().contains("active"), "{}", e.detail());
    }

    #[test]
    fn unknown_fields_are_refused() {
        assert!(UserRecord::from_json(r#"{"username":"a","active":true,"group":["g"]}"#).is_err());
    }

    #[test]
    fn a_wrong_type_names_the_field() {
        let e = UserRecord::from_json(r#"{"username":"a","active":"yes"}"#).unwrap_err();
        assert!(
            e.detail().contains("`active` must be true or false"),
            "{}",
            e.detail()
        );
        let e =
            UserRecord::from_json(r#"{"username":"a","active":true,"groups":[1]}"#).unwrap_err();
        assert!(e.detail().contains("`groups`"), "{}", e.detail());
    }

    #[test]
    fn errors_never_echo_values() {
        let e = UserRecord::from_json(r#"{"username":"a","active":"secret-value"}"#).unwrap_err();
        assert!(!e.detail().contains("secret-value"), "{}", e.detail());
    }

    #[test]
    fn idp_id_must_be_a_string() {
        assert!(UserRecord::from_json(
            r#"{"username":"a","active":true,"attributes":{"idp_id":5}}"#
        )
        .is_err());
    }
}
