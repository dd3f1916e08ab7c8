//! From verified claims to a username, display name, e-mail and groups (pure, no I/O).

use serde_json::{Map, Value};

use crate::config::templates::Template;
use crate::config::Config;
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
        // A delimited claim ("a, b"): some IdPs send one comma-separated string.
        Value::String(s) => s
            .split(',')
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// The username of a login, or why there is none. In this order: the `username_claim`
/// (`claim_missing`); `email_verified`; the domain against `allowed_domains` and, with the
/// `google` template, the `hd` claim; look-alike characters (those four are
/// `username_not_allowed`); then the transforms, and empty after them is `claim_missing`.
/// Details name the check, never a claim value.
pub(crate) fn resolve_username(claims: &Map<String, Value>, config: &Config) -> Result<String> {
    let claim = config.username_claim.as_str();
    let raw = required_str(claims, claim)?;
    check_email_verified(claims)?;
    if let Some(allowed) = config.allowed_domains.as_deref() {
        check_domain(raw, allowed)?;
        if config.template == Template::Google {
            check_hosted_domain(claims, allowed)?;
        }
    }
    if has_case_lookalike(raw) {
        return Err(not_allowed(format!(
            "claim `{claim}` has a non-ASCII character whose lower or upper case is ASCII (a look-alike, such as the Kelvin sign for k)"
        )));
    }
    let name = apply_transforms(&config.username_transforms, raw);
    if name.is_empty() {
        return Err(Error::new(
            ErrorKind::ClaimMissing,
            format!("claim `{claim}` is empty after username_transforms"),
        ));
    }
    Ok(name)
}

fn not_allowed(detail: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::new(ErrorKind::UsernameNotAllowed, detail)
}

/// `email_verified` absent says nothing and is accepted; `true` / `"true"` (Cognito sends
/// strings; any ASCII case) is accepted; anything else, `false` and `"false"` first, is refused:
/// the IdP did not vouch for the address, and a value we cannot read fails closed.
fn check_email_verified(claims: &Map<String, Value>) -> Result<()> {
    match claims.get("email_verified") {
        None | Some(Value::Bool(true)) => Ok(()),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(()),
        Some(Value::Bool(false)) => Err(not_allowed(
            "email_verified is false: the IdP has not verified the e-mail address",
        )),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Err(not_allowed(
            "email_verified is false: the IdP has not verified the e-mail address",
        )),
        Some(_) => Err(not_allowed(
            "email_verified is neither true nor false (refused: fail closed)",
        )),
    }
}

/// The domain of a username: what follows its last `@`, if anything does. A `DOMAIN\user`
/// prefix is not a DNS domain and does not count.
pub(crate) fn domain_of(username: &str) -> Option<&str> {
    match username.rsplit_once('@') {
        Some((_, d)) if !d.is_empty() => Some(d),
        _ => None,
    }
}

/// The username's domain, before any transform, must be one of `allowed` (exact match, ASCII
/// case-insensitive; a subdomain is another domain). No `@domain` at all is refused.
fn check_domain(raw: &str, allowed: &[String]) -> Result<()> {
    match domain_of(raw) {
        None => Err(not_allowed(
            "username has no @domain, and allowed_domains is set",
        )),
        Some(d) if allowed.iter().any(|a| a.eq_ignore_ascii_case(d)) => Ok(()),
        Some(_) => Err(not_allowed("username's domain is not in allowed_domains")),
    }
}

/// Google Workspace names the user's organisation in `hd` (absent for personal accounts).
fn check_hosted_domain(claims: &Map<String, Value>, allowed: &[String]) -> Result<()> {
    match claims.get("hd") {
        Some(Value::String(hd)) if allowed.iter().any(|a| a.eq_ignore_ascii_case(hd)) => Ok(()),
        Some(Value::String(_)) => Err(not_allowed(
            "claim `hd` (Google Workspace domain) is not in allowed_domains",
        )),
        _ => Err(not_allowed(
            "claim `hd` (Google Workspace domain) is missing or not a string, and allowed_domains is set",
        )),
    }
}

/// Whether `s` holds a non-ASCII character whose Unicode lower or upper case contains an
/// ASCII character: U+212A Kelvin sign (k), U+017F long s (S), U+0131 dotless i (I), U+0130
/// (i + dot), U+00DF sharp s (SS), U+0149, U+01F0, U+1E96 to U+1E9A, the ligatures U+FB00 to
/// U+FB06; 19 characters in all. Such a name turns into another user's name under a lowercase
/// transform or a case-insensitive directory. (Other look-alikes, such as Cyrillic letters,
/// case-map to non-ASCII letters and are not caught by this rule.)
pub(crate) fn has_case_lookalike(s: &str) -> bool {
    s.chars().any(|c| {
        !c.is_ascii()
            && (c.to_lowercase().any(|l| l.is_ascii()) || c.to_uppercase().any(|u| u.is_ascii()))
    })
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
    // An exhaustive scan of all of Unicode: it runs in both `cargo test` suites; under Miri it
    // would take many minutes and checks no unsafe code.
    #[cfg_attr(miri, ignore)]
    fn case_lookalikes_are_the_19_characters_documented() {
        let found: Vec<u32> = (0..0x11_0000u32)
            .filter_map(char::from_u32)
            .filter(|c| has_case_lookalike(&c.to_string()))
            .map(|c| c as u32)
            .collect();
        let mut documented: Vec<u32> = vec![0xDF, 0x130, 0x131, 0x149, 0x17F, 0x1F0, 0x212A];
        documented.extend(0x1E96..=0x1E9A);
        documented.extend(0xFB00..=0xFB06);
        documented.sort_unstable();
        assert_eq!(found, documented);
    }

    #[test]
    fn domain_is_what_follows_the_last_at() {
        assert_eq!(domain_of("jane@example.com"), Some("example.com"));
        assert_eq!(domain_of("a@b@example.org"), Some("example.org"));
        assert_eq!(domain_of("CORP\\jane"), None);
        assert_eq!(domain_of("jane@"), None);
        assert_eq!(domain_of("jane"), None);
    }

    #[test]
    fn groups_accepts_list_string_and_encoded_list() {
        let c: Map<String, Value> =
            serde_json::from_str(r#"{"a":["x","y"],"b":"solo","c":"[\"p\",\"q\"]","d":5}"#)
                .unwrap();
        assert_eq!(groups(&c, Some("a")), vec!["x", "y"]);
        assert_eq!(groups(&c, Some("b")), vec!["solo"]);
        let d: Map<String, Value> =
            serde_json::from_str(r#"{"e":"jira-users, Engineering,,team-red"}"#).unwrap();
        assert_eq!(
            groups(&d, Some("e")),
            vec!["jira-users", "Engineering", "team-red"]
        );
        assert_eq!(groups(&c, Some("c")), vec!["p", "q"]);
        assert!(groups(&c, Some("d")).is_empty());
        assert!(groups(&c, None).is_empty());
    }
}
