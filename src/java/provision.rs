//! Just-in-time provisioning for `io.albauth.AlbAuth.planLogin`, `idpIdOf` and
//! `provisioningKey`: the Java
//! `Decision`'s fields become an [`Identity`] again, the plan is made by
//! [`crate::Verifier::plan_login`] (which asks the IdP's directory first with
//! `provisioning.source: directory`), and it goes back in the one
//! wire format ([`encode_plan`]), decoded by `io.albauth.PlanDecoder`.
//!
//! Called once per login (not per request), so these natives use the `jni` crate's checked
//! API throughout.

use jni::objects::{JByteArray, JClass, JObjectArray, JString};
use jni::sys::jlong;
use jni::{native_method, Env};

use super::policy::ThrowPanicError;
use super::reply::{failure, length, Reply};
use super::verifier;
use crate::ffi::albauth_status::{ALBAUTH_INVALID_ARGUMENT, ALBAUTH_NULL_ARGUMENT, ALBAUTH_OK};
use crate::provision::{self, Action, Plan, UserRecord};
use crate::verify::Identity;

/// The identity fields as Java passes them (a `Decision`'s): username, display name, e-mail,
/// sub and claims JSON (display name and e-mail may be null), and the groups.
struct Parts<'a, 'local> {
    username: &'a JString<'local>,
    display_name: &'a JString<'local>,
    email: &'a JString<'local>,
    sub: &'a JString<'local>,
    claims_json: &'a JString<'local>,
    groups: &'a JObjectArray<'local, JString<'local>>,
}

fn optional(env: &Env<'_>, s: &JString<'_>) -> jni::errors::Result<Option<String>> {
    match s.is_null() {
        true => Ok(None),
        false => s.try_to_string(env).map(Some),
    }
}

/// The [`Identity`] again, or the reply that refuses the call (`null_argument` for a missing
/// field, `invalid_argument` for claims that are not a JSON object).
fn identity(
    env: &mut Env<'_>,
    p: &Parts<'_, '_>,
) -> jni::errors::Result<Result<Identity, Vec<u8>>> {
    let null = |what: &str| {
        Ok(Err(failure(
            ALBAUTH_NULL_ARGUMENT,
            &format!("{what} is null"),
        )))
    };
    if p.username.is_null() {
        return null("the decision's username");
    }
    if p.sub.is_null() {
        return null("the decision's sub");
    }
    if p.claims_json.is_null() {
        return null("the decision's claims JSON");
    }
    if p.groups.is_null() {
        return null("the decision's groups");
    }
    let mut groups = Vec::new();
    for i in 0..p.groups.len(env)? {
        let g = p.groups.get_element(env, i)?;
        if g.is_null() {
            return null("a group of the decision");
        }
        groups.push(g.try_to_string(env)?);
        env.delete_local_ref(g);
    }
    let claims_json = p.claims_json.try_to_string(env)?;
    let Ok(claims) = serde_json::from_str(&claims_json) else {
        let why = "the decision's claims JSON is not a JSON object";
        return Ok(Err(failure(ALBAUTH_INVALID_ARGUMENT, why)));
    };
    Ok(Ok(Identity::from_parts(
        p.username.try_to_string(env)?,
        optional(env, p.display_name)?,
        optional(env, p.email)?,
        groups,
        p.sub.try_to_string(env)?,
        claims,
        claims_json,
    )))
}

/// A plan's reply: `ok`, then the refusal code and detail (strings, null when allowed), a
/// count, and per action its name, username and reason, then by name:
///
/// ```text
/// create_user        display_name, email, idp_id (strings, null when absent)
/// update_user        a count, then per change: field, old, new (old and new may be null)
/// reactivate_user    nothing
/// add_to_group       group
/// remove_from_group  group
/// ```
pub(super) fn encode_plan(plan: &Plan) -> Vec<u8> {
    let mut r = Reply::new(ALBAUTH_OK, 64 + plan.actions.len() * 96);
    r.string(plan.refused.map(|c| c.code()))
        .string(plan.detail.as_deref())
        .int(length(plan.actions.len()));
    for a in &plan.actions {
        r.string(Some(a.name()));
        match a {
            Action::CreateUser {
                username,
                display_name,
                email,
                idp_id,
                reason,
            } => {
                r.string(Some(username))
                    .string(Some(reason))
                    .string(display_name.as_deref())
                    .string(email.as_deref())
                    .string(idp_id.as_deref());
            }
            Action::UpdateUser {
                username,
                changes,
                reason,
            } => {
                r.string(Some(username))
                    .string(Some(reason))
                    .int(length(changes.len()));
                for (field, c) in changes {
                    r.string(Some(field))
                        .string(c.old.as_deref())
                        .string(c.new.as_deref());
                }
            }
            Action::ReactivateUser { username, reason } => {
                r.string(Some(username)).string(Some(reason));
            }
            Action::AddToGroup {
                username,
                group,
                reason,
            }
            | Action::RemoveFromGroup {
                username,
                group,
                reason,
            } => {
                r.string(Some(username))
                    .string(Some(reason))
                    .string(Some(group));
            }
        }
    }
    r.finish()
}

/// Plans a login: `current_user_json` is the host's record, or `None` when it has none. With
/// `provisioning.source: directory` the verifier asks the IdP's directory first
/// ([`crate::Verifier::plan_login`]).
fn plan(
    verifier: &crate::Verifier,
    identity: &Identity,
    current_user_json: Option<&str>,
) -> Vec<u8> {
    let current = match current_user_json.map(UserRecord::from_json) {
        None => None,
        Some(Ok(record)) => Some(record),
        Some(Err(e)) => return failure(ALBAUTH_INVALID_ARGUMENT, e.detail()),
    };
    encode_plan(&verifier.plan_login(identity, current.as_ref()))
}

/// `static native byte[] planLogin(long handle, String username, String displayName,
/// String email, String sub, String claimsJson, String[] groups, String currentUserJson)`:
/// the plan ([`encode_plan`]); `invalid_argument` when `currentUserJson` (null: the host has
/// no record) is not a valid record, naming the field, never a value.
const PLAN_LOGIN: jni::NativeMethod = native_method! {
    java_type = "io.albauth.NativeBridge",
    static extern fn plan_login_native(
        handle: jlong,
        username: JString,
        display_name: JString,
        email: JString,
        sub: JString,
        claims_json: JString,
        groups: JString[],
        current_user_json: JString,
    ) -> jbyte[],
    name = "planLogin",
    error_policy = ThrowPanicError,
};

#[allow(clippy::too_many_arguments)] // the Java signature's arguments, one each
fn plan_login_native<'local>(
    env: &mut Env<'local>,
    _class: JClass<'local>,
    handle: jlong,
    username: JString<'local>,
    display_name: JString<'local>,
    email: JString<'local>,
    sub: JString<'local>,
    claims_json: JString<'local>,
    groups: JObjectArray<'local, JString<'local>>,
    current_user_json: JString<'local>,
) -> jni::errors::Result<JByteArray<'local>> {
    let parts = Parts {
        username: &username,
        display_name: &display_name,
        email: &email,
        sub: &sub,
        claims_json: &claims_json,
        groups: &groups,
    };
    let reply = match verifier(handle) {
        None => failure(ALBAUTH_NULL_ARGUMENT, "verifier handle is 0"),
        Some(v) => match identity(env, &parts)? {
            Err(reply) => reply,
            Ok(id) => {
                let current = optional(env, &current_user_json)?;
                plan(v, &id, current.as_deref())
            }
        },
    };
    env.byte_array_from_slice(&reply)
}

/// `static native byte[] loginFacts(long handle, String username, String displayName,
/// String email, String sub, String claimsJson, String[] groups)`: `ok` and two strings, the
/// IdP id the host looks the user up by (null when the configured claim is absent), and the
/// login's [`login_key`].
const LOGIN_FACTS: jni::NativeMethod = native_method! {
    java_type = "io.albauth.NativeBridge",
    static extern fn login_facts(
        handle: jlong,
        username: JString,
        display_name: JString,
        email: JString,
        sub: JString,
        claims_json: JString,
        groups: JString[],
    ) -> jbyte[],
    error_policy = ThrowPanicError,
};

#[allow(clippy::too_many_arguments)] // the Java signature's arguments, one each
fn login_facts<'local>(
    env: &mut Env<'local>,
    _class: JClass<'local>,
    handle: jlong,
    username: JString<'local>,
    display_name: JString<'local>,
    email: JString<'local>,
    sub: JString<'local>,
    claims_json: JString<'local>,
    groups: JObjectArray<'local, JString<'local>>,
) -> jni::errors::Result<JByteArray<'local>> {
    let parts = Parts {
        username: &username,
        display_name: &display_name,
        email: &email,
        sub: &sub,
        claims_json: &claims_json,
        groups: &groups,
    };
    let reply = match verifier(handle) {
        None => failure(ALBAUTH_NULL_ARGUMENT, "verifier handle is 0"),
        Some(v) => match identity(env, &parts)? {
            Err(reply) => reply,
            Ok(id) => {
                let config = v.config().provisioning();
                Reply::new(ALBAUTH_OK, 128)
                    .string(provision::idp_id(&id, config))
                    .string(Some(&provision::login_key(&id, config)))
                    .finish()
            }
        },
    };
    env.byte_array_from_slice(&reply)
}

/// `static native boolean provisioningEnabled(long handle)`: the verifier's
/// `provisioning.enabled` (false for 0).
const PROVISIONING_ENABLED: jni::NativeMethod = native_method! {
    java_type = "io.albauth.NativeBridge",
    static extern fn provisioning_enabled(handle: jlong) -> jboolean,
    error_policy = ThrowPanicError,
};

fn provisioning_enabled<'local>(
    _env: &mut Env<'local>,
    _class: JClass<'local>,
    handle: jlong,
) -> jni::errors::Result<bool> {
    Ok(verifier(handle).is_some_and(|v| v.config().provisioning().enabled))
}

/// Keeps the exported natives referenced (the JVM finds them by their `Java_` symbol names).
#[allow(dead_code)]
pub(super) const NATIVES: [jni::NativeMethod; 3] = [PLAN_LOGIN, LOGIN_FACTS, PROVISIONING_ENABLED];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provision::{plan_login, ProvisioningConfig, Refusal};
    use serde_json::json;

    fn provisioning(section: serde_json::Value) -> ProvisioningConfig {
        ProvisioningConfig::from_json(section).unwrap()
    }

    fn alice(claims: serde_json::Value, groups: &[&str]) -> Identity {
        let serde_json::Value::Object(map) = claims else {
            panic!("claims must be an object")
        };
        let claims_json = serde_json::to_string(&map).unwrap();
        Identity::from_parts(
            "alice".into(),
            Some("Alice Example".into()),
            None,
            groups.iter().map(|g| g.to_string()).collect(),
            "sub-alice".into(),
            map,
            claims_json,
        )
    }

    /// Reads a reply back the way `io.albauth.WireReader` does.
    struct Read<'a>(&'a [u8], usize);

    impl Read<'_> {
        fn open(r: &[u8]) -> Read<'_> {
            assert_eq!(r[0], 1);
            let len = i32::from_be_bytes(r[5..9].try_into().unwrap()) as usize;
            assert_eq!(len, r.len() - 9, "declared payload length");
            Read(r, 9)
        }
        fn status(&self) -> i32 {
            i32::from_be_bytes(self.0[1..5].try_into().unwrap())
        }
        fn int(&mut self) -> i32 {
            let v = i32::from_be_bytes(self.0[self.1..self.1 + 4].try_into().unwrap());
            self.1 += 4;
            v
        }
        fn string(&mut self) -> Option<String> {
            let n = self.int();
            if n == -1 {
                return None;
            }
            let s = std::str::from_utf8(&self.0[self.1..self.1 + n as usize]).unwrap();
            self.1 += n as usize;
            Some(s.to_string())
        }
        fn end(&self) {
            assert_eq!(self.1, self.0.len(), "bytes left over");
        }
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn a_new_user_encodes_create_user_then_each_group() {
        let config = provisioning(json!({"enabled": true, "default_groups": ["users"]}));
        let plan = plan_login(&alice(json!({"sub": "sub-alice"}), &["eng"]), None, &config);
        let reply = encode_plan(&plan);
        let mut r = Read::open(&reply);
        assert_eq!(r.status(), ALBAUTH_OK as i32);
        assert_eq!((r.string(), r.string()), (None, None));
        assert_eq!(r.int(), 3);
        assert_eq!(r.string(), s("create_user"));
        assert_eq!(r.string(), s("alice"));
        assert!(r.string().is_some_and(|why| !why.is_empty()));
        assert_eq!((r.string(), r.string()), (s("Alice Example"), None));
        assert_eq!(r.string(), s("sub-alice"));
        for group in ["users", "eng"] {
            assert_eq!(r.string(), s("add_to_group"));
            assert_eq!(r.string(), s("alice"));
            assert!(r.string().is_some());
            assert_eq!(r.string(), s(group));
        }
        r.end();
    }

    #[test]
    fn an_update_encodes_each_change_with_old_and_new() {
        let config = provisioning(json!({"enabled": true}));
        let record = UserRecord::from_json(
            r#"{"username":"alice","display_name":"Old","active":false,"groups":[],"attributes":{}}"#,
        )
        .unwrap();
        let config = ProvisioningConfig {
            reactivate_users: true,
            ..config
        };
        let plan = plan_login(&alice(json!({}), &[]), Some(&record), &config);
        let reply = encode_plan(&plan);
        let mut r = Read::open(&reply);
        assert_eq!((r.string(), r.string()), (None, None));
        assert_eq!(r.int(), 2);
        assert_eq!(r.string(), s("reactivate_user"));
        assert_eq!(r.string(), s("alice"));
        assert!(r.string().is_some());
        assert_eq!(r.string(), s("update_user"));
        assert_eq!(r.string(), s("alice"));
        assert!(r.string().is_some());
        assert_eq!(r.int(), 2);
        assert_eq!(
            (r.string(), r.string(), r.string()),
            (s("display_name"), s("Old"), s("Alice Example"))
        );
        assert_eq!(
            (r.string(), r.string(), r.string()),
            (s("idp_id"), None, s("sub-alice"))
        );
        r.end();
    }

    #[test]
    fn a_removal_encodes_its_group() {
        let config = provisioning(json!({"group_filter": {"allow": ["eng"]}}));
        let record = UserRecord::from_json(
            r#"{"username":"alice","active":true,"groups":["eng"],"attributes":{"idp_id":"sub-alice"}}"#,
        )
        .unwrap();
        let plan = plan_login(&alice(json!({}), &[]), Some(&record), &config);
        let reply = encode_plan(&plan);
        let mut r = Read::open(&reply);
        assert_eq!((r.string(), r.string(), r.int()), (None, None, 2));
        assert_eq!(r.string(), s("update_user")); // display name
        let _ = (r.string(), r.string(), r.int());
        let _ = (r.string(), r.string(), r.string());
        assert_eq!(r.string(), s("remove_from_group"));
        assert_eq!(r.string(), s("alice"));
        assert!(r.string().is_some());
        assert_eq!(r.string(), s("eng"));
        r.end();
    }

    #[test]
    fn a_refusal_encodes_its_code_and_detail_and_no_actions() {
        let config = provisioning(json!({"create_users": false}));
        let plan = plan_login(&alice(json!({}), &[]), None, &config);
        assert_eq!(plan.refused, Some(Refusal::UnknownUser));
        let reply = encode_plan(&plan);
        let mut r = Read::open(&reply);
        assert_eq!(r.string(), s("unknown_user"));
        assert!(r.string().is_some_and(|d| d.contains("create_users")));
        assert_eq!(r.int(), 0);
        r.end();
    }

    #[test]
    fn an_invalid_record_is_invalid_argument_naming_the_field() {
        let verifier = crate::Verifier::from_json(
            r#"{"trusted_albs": ["arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188"],
                "issuer": null, "client_id": null}"#,
        )
        .unwrap();
        let reply = plan(
            &verifier,
            &alice(json!({}), &[]),
            Some(r#"{"username":"alice"}"#),
        );
        let mut r = Read::open(&reply);
        assert_eq!(r.status(), ALBAUTH_INVALID_ARGUMENT as i32);
        assert!(r.string().is_some_and(|d| d.contains("active")));
        r.end();
    }

    #[test]
    fn the_idp_id_is_sub_by_default() {
        let config = provisioning(json!({}));
        let id = alice(json!({}), &[]);
        assert_eq!(provision::idp_id(&id, &config), Some("sub-alice"));
    }

    #[test]
    fn the_idp_id_follows_idp_id_claim_whatever_would_refuse_a_creation() {
        let config = provisioning(json!({
            "idp_id_claim": "oid",
            "create_users": false,
            "required_groups_for_login": ["admins"]
        }));
        let id = alice(json!({"oid": "object-1"}), &[]);
        assert_eq!(provision::idp_id(&id, &config), Some("object-1"));
        let without = alice(json!({}), &[]);
        assert_eq!(provision::idp_id(&without, &config), None);
    }

    fn key(claims: serde_json::Value, groups: &[&str], config: &ProvisioningConfig) -> String {
        let id = alice(claims, groups);
        provision::login_key(&id, config)
    }

    #[test]
    fn the_login_key_ignores_claims_the_plan_does_not_read() {
        let config = provisioning(json!({}));
        let first = key(json!({"exp": 1, "iss": "x"}), &["eng"], &config);
        assert_eq!(first.len(), 64);
        assert_eq!(first, key(json!({"exp": 2, "iss": "x"}), &["eng"], &config));
    }

    #[test]
    fn the_login_key_changes_with_what_the_plan_reads() {
        let config = provisioning(json!({"attribute_fallbacks": {"email": ["mail"]}}));
        let base = key(json!({"mail": "a@x"}), &["eng"], &config);
        assert_ne!(base, key(json!({"mail": "b@x"}), &["eng"], &config));
        assert_ne!(base, key(json!({"mail": "a@x"}), &["ops"], &config));
        let mapped = provisioning(json!({
            "attribute_fallbacks": {"email": ["mail"]},
            "group_mapping": {"eng": "developers"}
        }));
        assert_ne!(base, key(json!({"mail": "a@x"}), &["eng"], &mapped));
    }

    #[test]
    fn the_login_key_changes_with_groups_a_filter_drops() {
        // required_groups_for_login reads the IdP groups, not the wanted ones.
        let config = provisioning(json!({"group_filter": {"allow": ["eng"]}}));
        assert_ne!(
            key(json!({}), &["eng"], &config),
            key(json!({}), &["eng", "admins"], &config)
        );
    }
}
