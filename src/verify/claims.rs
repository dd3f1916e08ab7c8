//! From verified claims to a username, display name, e-mail and groups (pure, no I/O).

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};

/// Upper bound on a compiled username regex (bytes of program), so a config cannot make the
/// per-request transform expensive.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// One step of `username_transforms`.
#[derive(Debug, Clone)]
pub enum Transform {
    /// `"lowercase"`: Unicode lowercase.
    Lowercase,
    /// `"strip_domain"`: drops an `@domain` suffix and a `DOMAIN\` prefix.
    StripDomain,
    /// `{"regex": "...", "replace": "..."}`: replaces every match; `$1`-style groups.
    Regex {
        /// The compiled pattern.
        regex: regex::Regex,
        /// The replacement, with `$1` / `${name}` groups.
        replace: String,
    },
}

impl Transform {
    /// Parses one transform from its JSON form.
    pub fn from_json(v: &Value) -> std::result::Result<Transform, String> {
        match v {
            Value::String(s) if s == "lowercase" => Ok(Transform::Lowercase),
            Value::String(s) if s == "strip_domain" => Ok(Transform::StripDomain),
            Value::String(_) => Err(
                "expected \"lowercase\", \"strip_domain\" or {\"regex\": ..., \"replace\": ...}"
                    .into(),
            ),
            Value::Object(o) => {
                if let Some(k) = o.keys().find(|k| *k != "regex" && *k != "replace") {
                    return Err(format!(
                        "unknown field `{}` (expected regex and replace)",
                        k.chars().take(64).collect::<String>()
                    ));
                }
                let (Some(Value::String(re)), Some(Value::String(rep))) =
                    (o.get("regex"), o.get("replace"))
                else {
                    return Err(
                        "expected {\"regex\": \"...\", \"replace\": \"...\"} (both strings)".into(),
                    );
                };
                let regex = Self::compile(re)?;
                Ok(Transform::Regex {
                    regex,
                    replace: rep.clone(),
                })
            }
            _ => Err(
                "expected \"lowercase\", \"strip_domain\" or {\"regex\": ..., \"replace\": ...}"
                    .into(),
            ),
        }
    }

    /// Compiles a username regex within the size limit.
    pub fn compile(pattern: &str) -> std::result::Result<regex::Regex, String> {
        regex::RegexBuilder::new(pattern)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map_err(|e| format!("invalid regex: {e}"))
    }

    /// Applies this transform.
    pub fn apply(&self, s: &str) -> String {
        match self {
            Transform::Lowercase => s.to_lowercase(),
            Transform::StripDomain => strip_domain(s).to_string(),
            Transform::Regex { regex, replace } => {
                regex.replace_all(s, replace.as_str()).into_owned()
            }
        }
    }
}

/// `alice@example.com` and `EXAMPLE\alice` both become `alice`.
pub fn strip_domain(s: &str) -> &str {
    let s = match s.rfind('\\') {
        Some(i) => &s[i + 1..],
        None => s,
    };
    match s.rfind('@') {
        Some(i) => &s[..i],
        None => s,
    }
}

/// Applies transforms in order.
pub fn apply_transforms(transforms: &[Transform], username: &str) -> String {
    let mut out = username.to_string();
    for t in transforms {
        out = t.apply(&out);
    }
    out
}

/// A required string claim, non-empty.
pub fn required_str<'a>(claims: &'a Map<String, Value>, name: &str) -> Result<&'a str> {
    match claims.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        Some(Value::String(_)) => Err(Error::new(
            ErrorKind::ClaimMissing,
            format!("claim `{name}` is empty"),
        )),
        Some(_) => Err(Error::new(
            ErrorKind::ClaimMissing,
            format!("claim `{name}` is not a string"),
        )),
        None => Err(Error::new(
            ErrorKind::ClaimMissing,
            format!("claim `{name}` is missing"),
        )),
    }
}

/// An optional string claim: `None` when absent, empty or not a string.
pub fn optional_str(claims: &Map<String, Value>, name: &str) -> Option<String> {
    match claims.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// Groups: a list of strings, a single string, or a JSON-encoded list in a string (Cognito
/// encodes some list claims that way). Anything else is no groups.
pub fn groups(claims: &Map<String, Value>, name: Option<&str>) -> Vec<String> {
    let Some(v) = name.and_then(|n| claims.get(n)) else {
        return Vec::new();
    };
    match v {
        Value::Array(items) => items
            .iter()
            .filter_map(|i| i.as_str())
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        Value::String(s) if s.starts_with('[') => serde_json::from_str::<Vec<Value>>(s)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.as_str())
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        Value::String(s) if !s.is_empty() => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// The username: the claim, transformed; empty after transforms is `claim_missing`.
pub fn username(
    claims: &Map<String, Value>,
    claim: &str,
    transforms: &[Transform],
) -> Result<String> {
    let raw = required_str(claims, claim)?;
    let name = apply_transforms(transforms, raw);
    if name.is_empty() {
        return Err(Error::new(
            ErrorKind::ClaimMissing,
            format!("claim `{claim}` is empty after username_transforms"),
        ));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_domain_removes_suffix_and_prefix() {
        assert_eq!(strip_domain("alice@example.com"), "alice");
        assert_eq!(strip_domain("EXAMPLE\\alice"), "alice");
        assert_eq!(strip_domain("EXAMPLE\\alice@x.org"), "alice");
        assert_eq!(strip_domain("alice"), "alice");
    }

    #[test]
    fn regex_replaces_every_match_with_groups() {
        let t = Transform::from_json(
            &serde_json::json!({"regex": "^(\\w+)\\.(\\w+)$", "replace": "${2}_$1"}),
        )
        .unwrap();
        assert_eq!(t.apply("jane.doe"), "doe_jane");
        let t = Transform::from_json(&serde_json::json!({"regex": "a", "replace": "b"})).unwrap();
        assert_eq!(t.apply("banana"), "bbnbnb");
    }

    #[test]
    fn groups_accepts_list_string_and_encoded_list() {
        let c: Map<String, Value> =
            serde_json::from_str(r#"{"a":["x","y"],"b":"solo","c":"[\"p\",\"q\"]","d":5}"#)
                .unwrap();
        assert_eq!(groups(&c, Some("a")), vec!["x", "y"]);
        assert_eq!(groups(&c, Some("b")), vec!["solo"]);
        assert_eq!(groups(&c, Some("c")), vec!["p", "q"]);
        assert!(groups(&c, Some("d")).is_empty());
        assert!(groups(&c, None).is_empty());
    }
}
