//! URL rules for key and JWKS endpoints: https only (http for loopback), a fixed host,
//! `{kid}` only in the path.

use crate::error::{Error, Result};

/// `https://` only, except loopback hosts; a key URL must contain `{kid}`.
pub(crate) fn check_url_template(url: &str, field: &str, needs_kid: bool) -> Result<()> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| Error::config(format!("`{field}`: not a URL")))?;
    let authority = rest.split('/').next().unwrap_or("");
    let host = host_of(authority);
    // `{region}` comes from a configured ARN (validated), so it may name the host; `{kid}`
    // comes from the token and may only appear in the path.
    let fixed_host = if needs_kid {
        host.replace("{region}", "region")
    } else {
        host.to_string()
    };
    if host.is_empty() || fixed_host.contains('{') {
        return Err(Error::config(format!(
            "`{field}`: host must be fixed (only `{{region}}` may appear in it)"
        )));
    }
    match scheme {
        "https" => {}
        "http" if is_loopback(host) => {}
        "http" => {
            return Err(Error::config(format!(
                "`{field}`: https is required (http only for loopback hosts)"
            )))
        }
        _ => return Err(Error::config(format!("`{field}`: scheme must be https"))),
    }
    if needs_kid && !url.contains("{kid}") {
        return Err(Error::config(format!("`{field}`: must contain {{kid}}")));
    }
    if rest.contains(['?', '#', '@', ' ']) && !needs_kid {
        // JWKS URLs may have a query; that is fine, but no userinfo or fragments.
        if rest.contains(['@', '#', ' ']) {
            return Err(Error::config(format!(
                "`{field}`: must not contain userinfo, fragments or spaces"
            )));
        }
    } else if rest.contains(['@', '#', ' ']) {
        return Err(Error::config(format!(
            "`{field}`: must not contain userinfo, fragments or spaces"
        )));
    }
    Ok(())
}

fn host_of(authority: &str) -> &str {
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or("");
    }
    authority.split(':').next().unwrap_or("")
}

/// 127.0.0.0/8, ::1 and localhost.
pub(crate) fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") || host == "::1" {
        return true;
    }
    match host.parse::<std::net::Ipv4Addr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => false,
    }
}
