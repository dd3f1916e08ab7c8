//! Picking the identity headers out of a request: names in any case, a size bound before any
//! decoding, and a repeated identity header refused as smuggling.

use crate::config::templates::{ACCESS_TOKEN_HEADER, DATA_HEADER, IDENTITY_HEADER};
use crate::error::{Error, ErrorKind, Result};
use crate::MAX_HEADER_BYTES;

/// The identity headers as found (moved out of the caller's iterator, so no copy).
pub(crate) struct Found<V> {
    pub(crate) data: Option<V>,
    pub(crate) identity: Option<V>,
    pub(crate) access: Option<V>,
}

/// The identity headers of one request, borrowed.
pub(crate) struct Headers<'a> {
    pub(crate) data: Option<&'a str>,
    pub(crate) identity: Option<&'a str>,
    pub(crate) access: Option<&'a str>,
}

impl<V: AsRef<str>> Found<V> {
    /// The headers as borrowed strings.
    pub(crate) fn borrowed(&self) -> Headers<'_> {
        Headers {
            data: self.data.as_ref().map(AsRef::as_ref),
            identity: self.identity.as_ref().map(AsRef::as_ref),
            access: self.access.as_ref().map(AsRef::as_ref),
        }
    }
}

/// Picks out the identity headers (names in any case). Any `x-amzn-oidc-*` header over
/// 16 KiB is refused before decoding; a repeated identity header is refused as smuggling.
pub(crate) fn gather<I, N, V>(headers: I) -> Result<Found<V>>
where
    I: IntoIterator<Item = (N, V)>,
    N: AsRef<str>,
    V: AsRef<str>,
{
    const PREFIX: &str = "x-amzn-oidc-";
    let mut h = Found {
        data: None,
        identity: None,
        access: None,
    };
    for (name, value) in headers {
        let name = name.as_ref();
        if name.len() < PREFIX.len()
            || !name.as_bytes()[..PREFIX.len()].eq_ignore_ascii_case(PREFIX.as_bytes())
        {
            continue;
        }
        if value.as_ref().len() > MAX_HEADER_BYTES {
            return Err(Error::new(
                ErrorKind::HeaderTooLarge,
                format!("an x-amzn-oidc-* header is larger than {MAX_HEADER_BYTES} bytes"),
            ));
        }
        let slot = if name.eq_ignore_ascii_case(DATA_HEADER) {
            &mut h.data
        } else if name.eq_ignore_ascii_case(IDENTITY_HEADER) {
            &mut h.identity
        } else if name.eq_ignore_ascii_case(ACCESS_TOKEN_HEADER) {
            &mut h.access
        } else {
            continue;
        };
        if slot.is_some() {
            return Err(Error::new(
                ErrorKind::MalformedToken,
                "an x-amzn-oidc-* identity header appears more than once",
            ));
        }
        *slot = Some(value);
    }
    Ok(h)
}
