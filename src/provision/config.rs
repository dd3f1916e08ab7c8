//! The `provisioning` section of the config: what a login may create and change.
//!
//! Every field has a default that changes nothing the admin did not ask for: provisioning is
//! off, and without a `group_filter` no host group is ever removed. Errors name the field as
//! `provisioning.<field>`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// Upper bound on one compiled group regex, as for username transforms: a config cannot make
/// a login's planning expensive.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Which IdP groups albauth manages (adds, and removes when the IdP no longer lists them).
#[derive(Debug, Clone, Default)]
pub struct GroupFilter {
    /// Exact IdP group names admitted.
    pub allow: Vec<String>,
    /// Patterns admitting IdP group names; each must match the whole name.
    pub regex: Vec<regex::Regex>,
}

impl GroupFilter {
    /// Whether the filter admits an IdP group name.
    pub fn admits(&self, idp_group: &str) -> bool {
        self.allow.iter().any(|a| a == idp_group)
            || self.regex.iter().any(|r| r.is_match(idp_group))
    }
}

/// Where a login's attributes and groups come from (`provisioning.source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Source {
    /// The verified token's claims (the default).
    #[default]
    Claims,
    /// The IdP's directory, asked at login through `directory_sync.connector`: its attributes
    /// and groups win over the claims, and a user it reports disabled or does not know is refused.
    Directory,
}

/// What a login does when the directory cannot be asked (`provisioning.lookup_failure`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LookupFailure {
    /// Plan from the claims (the default: the IdP's API being down must not lock everyone
    /// out); the host warns, at most once a minute.
    #[default]
    Claims,
    /// Refuse the login (`directory_unavailable`).
    Refuse,
}

/// `provisioning`: just-in-time creation and update of the host's user at login.
#[derive(Debug, Clone)]
pub struct ProvisioningConfig {
    /// `enabled` (default false): whether the host plans and applies at login. The check
    /// tool plans whether or not it is set, so an admin can see a plan before enabling it.
    pub enabled: bool,
    /// `create_users` (default true): a login without a host record creates the user;
    /// false refuses it (`unknown_user`).
    pub create_users: bool,
    /// `reactivate_users` (default false): a login of a user the host deactivated
    /// reactivates them; false refuses it (`user_inactive`).
    pub reactivate_users: bool,
    /// `idp_id_claim` (default `sub`, the verified data token's): the IdP's immutable user
    /// id, stored on the host as `attributes.idp_id`. A renamed e-mail or UPN keeps it.
    pub idp_id_claim: String,
    /// `default_groups`: host groups always assigned and never removed (application access
    /// such as `jira-software-users`).
    pub default_groups: Vec<String>,
    /// `group_filter` (default none: every IdP group is added, none is managed or removed).
    pub group_filter: Option<GroupFilter>,
    /// `group_mapping`: IdP group name to host group name; unmapped names pass unchanged.
    pub group_mapping: BTreeMap<String, String>,
    /// `required_groups_for_login`: when set, a login is refused (`not_allowed`) unless the
    /// user is in one of these IdP groups (names as the IdP sends them).
    pub required_groups_for_login: Option<Vec<String>>,
    /// `attribute_fallbacks`: for `display_name` and `email`, claim expressions tried in
    /// order when the configured claim is absent; `"a b"` joins claims `a` and `b` with one
    /// blank.
    pub attribute_fallbacks: BTreeMap<String, Vec<Vec<String>>>,
    /// `source` (default `claims`): claims, or a lookup in the IdP's directory at login.
    pub source: Source,
    /// `lookup_attribute`: what the directory is asked by: `upn` or `oid` (Entra), `email`
    /// (every connector). Default: `upn` for Graph, `email` for the others (the whole config
    /// resolves it, since it depends on the connector: [`crate::Config::lookup_attribute`]).
    pub lookup_attribute: Option<String>,
    /// `lookup_cache_secs` (default 300): a lookup's answer is reused this long, so a burst of
    /// one user's logins asks the directory once.
    pub lookup_cache_secs: u64,
    /// `lookup_failure` (default `claims`).
    pub lookup_failure: LookupFailure,
}

impl Default for ProvisioningConfig {
    fn default() -> ProvisioningConfig {
        ProvisioningConfig {
            enabled: false,
            create_users: true,
            reactivate_users: false,
            idp_id_claim: "sub".to_string(),
            default_groups: Vec::new(),
            group_filter: None,
            group_mapping: BTreeMap::new(),
            required_groups_for_login: None,
            attribute_fallbacks: BTreeMap::new(),
            source: Source::Claims,
            lookup_attribute: None,
            lookup_cache_secs: 300,
            lookup_failure: LookupFailure::Claims,
        }
    }
}

/// Every field of the `provisioning` section.
pub const FIELDS: &[&str] = &[
    "enabled",
    "create_users",
    "reactivate_users",
    "idp_id_claim",
    "default_groups",
    "group_filter",
    "group_mapping",
    "required_groups_for_login",
    "attribute_fallbacks",
    "source",
    "lookup_attribute",
    "lookup_cache_secs",
    "lookup_failure",
];

/// The attributes `attribute_fallbacks` may name.
const FALLBACK_ATTRIBUTES: &[&str] = &["display_name", "email"];

fn err(field: &str, why: impl std::fmt::Display) -> Error {
    Error::config(format!("`provisioning.{field}`: {why}"))
}

fn take_bool(obj: &mut Map<String, Value>, field: &str, default: bool) -> Result<bool> {
    match obj.remove(field) {
        None => Ok(default),
        Some(Value::Bool(b)) => Ok(b),
        Some(_) => Err(err(field, "expected true or false")),
    }
}

fn names(field: &str, v: Value) -> Result<Vec<String>> {
    let list: Vec<String> =
        serde_json::from_value(v).map_err(|_| err(field, "expected a list of names"))?;
    if list.iter().any(|s| s.trim().is_empty()) {
        return Err(err(field, "a name is empty"));
    }
    Ok(list)
}

impl ProvisioningConfig {
    /// Parses the `provisioning` object. Unknown fields are refused.
    pub fn from_json(v: Value) -> Result<ProvisioningConfig> {
        let Value::Object(mut obj) = v else {
            return Err(Error::config("`provisioning`: expected an object"));
        };
        let mut c = ProvisioningConfig {
            enabled: take_bool(&mut obj, "enabled", false)?,
            create_users: take_bool(&mut obj, "create_users", true)?,
            reactivate_users: take_bool(&mut obj, "reactivate_users", false)?,
            ..ProvisioningConfig::default()
        };
        if let Some(v) = obj.remove("idp_id_claim") {
            match v {
                Value::String(s) if !s.is_empty() => c.idp_id_claim = s,
                _ => return Err(err("idp_id_claim", "expected a claim name")),
            }
        }
        if let Some(v) = obj.remove("default_groups") {
            c.default_groups = names("default_groups", v)?;
        }
        if let Some(v) = obj.remove("group_filter") {
            c.group_filter = Some(group_filter(v)?);
        }
        if let Some(v) = obj.remove("group_mapping") {
            c.group_mapping = serde_json::from_value(v).map_err(|_| {
                err(
                    "group_mapping",
                    "expected an object of IdP group to host group",
                )
            })?;
            if c.group_mapping
                .iter()
                .any(|(k, v)| k.is_empty() || v.trim().is_empty())
            {
                return Err(err("group_mapping", "a group name is empty"));
            }
        }
        if let Some(v) = obj.remove("required_groups_for_login") {
            let list = names("required_groups_for_login", v)?;
            if list.is_empty() {
                return Err(err(
                    "required_groups_for_login",
                    "must not be empty (it would refuse every login; leave it out to allow all)",
                ));
            }
            c.required_groups_for_login = Some(list);
        }
        if let Some(v) = obj.remove("attribute_fallbacks") {
            c.attribute_fallbacks = fallbacks(v)?;
        }
        match obj.remove("source") {
            None => {}
            Some(Value::String(s)) if s == "claims" => c.source = Source::Claims,
            Some(Value::String(s)) if s == "directory" => c.source = Source::Directory,
            Some(_) => return Err(err("source", "expected \"claims\" or \"directory\"")),
        }
        match obj.remove("lookup_attribute") {
            None => {}
            Some(Value::String(s)) if ["upn", "oid", "email"].contains(&s.as_str()) => {
                c.lookup_attribute = Some(s)
            }
            Some(_) => return Err(err("lookup_attribute", "expected upn, oid or email")),
        }
        if let Some(v) = obj.remove("lookup_cache_secs") {
            c.lookup_cache_secs = v
                .as_u64()
                .filter(|s| *s <= 86_400)
                .ok_or_else(|| err("lookup_cache_secs", "expected seconds, 0 to 86400"))?;
        }
        match obj.remove("lookup_failure") {
            None => {}
            Some(Value::String(s)) if s == "claims" => c.lookup_failure = LookupFailure::Claims,
            Some(Value::String(s)) if s == "refuse" => c.lookup_failure = LookupFailure::Refuse,
            Some(_) => return Err(err("lookup_failure", "expected \"claims\" or \"refuse\"")),
        }
        if let Some(unknown) = obj.keys().next() {
            return Err(Error::config(format!(
                "unknown field `provisioning.{}` (known fields: {})",
                unknown.chars().take(64).collect::<String>(),
                FIELDS.join(", ")
            )));
        }
        Ok(c)
    }

    /// The host groups IdP groups become: those `group_filter` admits (all without a
    /// filter), named by `group_mapping`; sorted, without repeats. (`default_groups` are not
    /// the IdP's and are not added.)
    pub fn host_groups(&self, idp_groups: &[String]) -> Vec<String> {
        let set: std::collections::BTreeSet<String> = idp_groups
            .iter()
            .filter(|g| self.group_filter.as_ref().is_none_or(|f| f.admits(g)))
            .map(|g| self.host_group(g).to_string())
            .collect();
        set.into_iter().collect()
    }

    /// The host group an IdP group maps to.
    pub fn host_group<'a>(&'a self, idp_group: &'a str) -> &'a str {
        self.group_mapping
            .get(idp_group)
            .map_or(idp_group, String::as_str)
    }

    /// Whether albauth manages a host group: it is the (mapped) name of an IdP group that
    /// `group_filter` admits, and not a default group. Only managed groups are ever removed.
    pub fn manages(&self, host_group: &str) -> bool {
        let Some(filter) = &self.group_filter else {
            return false;
        };
        if self.default_groups.iter().any(|g| g == host_group) {
            return false;
        }
        let mapped_to = self
            .group_mapping
            .iter()
            .any(|(idp, host)| host == host_group && filter.admits(idp));
        let passes_unmapped =
            !self.group_mapping.contains_key(host_group) && filter.admits(host_group);
        mapped_to || passes_unmapped
    }
}

fn group_filter(v: Value) -> Result<GroupFilter> {
    let Value::Object(mut obj) = v else {
        return Err(err(
            "group_filter",
            "expected {\"allow\": [...], \"regex\": [...]}",
        ));
    };
    let allow = match obj.remove("allow") {
        None => Vec::new(),
        Some(v) => names("group_filter.allow", v)?,
    };
    let patterns = match obj.remove("regex") {
        None => Vec::new(),
        Some(v) => names("group_filter.regex", v)?,
    };
    if let Some(k) = obj.keys().next() {
        return Err(err(
            "group_filter",
            format!(
                "unknown field `{}` (expected allow and regex)",
                k.chars().take(64).collect::<String>()
            ),
        ));
    }
    let mut regex = Vec::with_capacity(patterns.len());
    for (i, p) in patterns.iter().enumerate() {
        // Anchored: a pattern admits whole names, so `jira-.*` never admits `not-jira-x`.
        let compiled = regex::RegexBuilder::new(&format!("^(?:{p})$"))
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map_err(|e| {
                err(
                    &format!("group_filter.regex[{i}]"),
                    format!("invalid regex: {e}"),
                )
            })?;
        regex.push(compiled);
    }
    if allow.is_empty() && regex.is_empty() {
        return Err(err(
            "group_filter",
            "admits nothing: give allow or regex (leave group_filter out to manage no group)",
        ));
    }
    Ok(GroupFilter { allow, regex })
}

fn fallbacks(v: Value) -> Result<BTreeMap<String, Vec<Vec<String>>>> {
    let Value::Object(obj) = v else {
        return Err(err(
            "attribute_fallbacks",
            "expected an object of attribute to a list of claim expressions",
        ));
    };
    let mut out = BTreeMap::new();
    for (attr, list) in obj {
        if !FALLBACK_ATTRIBUTES.contains(&attr.as_str()) {
            return Err(err(
                "attribute_fallbacks",
                format!(
                    "unknown attribute `{}` (expected {})",
                    attr.chars().take(64).collect::<String>(),
                    FALLBACK_ATTRIBUTES.join(" or ")
                ),
            ));
        }
        let field = format!("attribute_fallbacks.{attr}");
        let exprs = names(&field, list)?
            .iter()
            .map(|e| e.split_whitespace().map(str::to_string).collect())
            .collect();
        out.insert(attr, exprs);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: Value) -> Result<ProvisioningConfig> {
        ProvisioningConfig::from_json(v)
    }

    #[test]
    fn defaults_change_nothing_unasked() {
        let c = parse(json!({})).unwrap();
        assert!(!c.enabled && c.create_users && !c.reactivate_users);
        assert_eq!(c.idp_id_claim, "sub");
        assert!(c.group_filter.is_none() && c.default_groups.is_empty());
    }

    #[test]
    fn unknown_field_is_named() {
        let e = parse(json!({"create_user": false})).unwrap_err();
        assert!(
            e.detail().contains("`provisioning.create_user`"),
            "{}",
            e.detail()
        );
    }

    #[test]
    fn wrong_type_names_the_field() {
        let e = parse(json!({"reactivate_users": "yes"})).unwrap_err();
        assert!(
            e.detail().starts_with("`provisioning.reactivate_users`"),
            "{}",
            e.detail()
        );
    }

    #[test]
    fn group_regex_must_compile_and_is_anchored() {
        let e = parse(json!({"group_filter": {"regex": ["("]}})).unwrap_err();
        assert!(
            e.detail().contains("group_filter.regex[0]"),
            "{}",
            e.detail()
        );
        let c = parse(json!({"group_filter": {"regex": ["jira-.*"]}})).unwrap();
        let f = c.group_filter.unwrap();
        assert!(f.admits("jira-devs"));
        assert!(!f.admits("not-jira-devs"));
    }

    #[test]
    fn an_empty_group_filter_is_refused() {
        assert!(parse(json!({"group_filter": {}})).is_err());
    }

    #[test]
    fn empty_required_groups_is_refused() {
        assert!(parse(json!({"required_groups_for_login": []})).is_err());
    }

    #[test]
    fn fallbacks_split_expressions_on_blanks() {
        let c = parse(
            json!({"attribute_fallbacks": {"display_name": ["name", "given_name family_name"]}}),
        )
        .unwrap();
        assert_eq!(
            c.attribute_fallbacks["display_name"],
            vec![
                vec!["name".to_string()],
                vec!["given_name".into(), "family_name".into()]
            ]
        );
        assert!(parse(json!({"attribute_fallbacks": {"phone": ["x"]}})).is_err());
    }

    #[test]
    fn managed_groups_are_admitted_mapped_names_never_defaults() {
        let c = parse(json!({
            "default_groups": ["jira-software-users"],
            "group_filter": {"allow": ["Engineering", "jira-software-users"], "regex": ["team-.*"]},
            "group_mapping": {"Engineering": "jira-developers", "Sales": "jira-sales"}
        }))
        .unwrap();
        assert!(
            c.manages("jira-developers"),
            "mapped from an admitted group"
        );
        assert!(c.manages("team-red"), "admitted and unmapped");
        assert!(
            !c.manages("jira-sales"),
            "mapped from a group the filter does not admit"
        );
        assert!(
            !c.manages("Engineering"),
            "remapped: the IdP name is not the host name"
        );
        assert!(
            !c.manages("jira-software-users"),
            "a default group is never removed"
        );
        assert!(!c.manages("jira-administrators"));
    }

    #[test]
    fn without_a_filter_nothing_is_managed() {
        let c = parse(json!({"group_mapping": {"a": "b"}})).unwrap();
        assert!(!c.manages("b") && !c.manages("a"));
    }
}
