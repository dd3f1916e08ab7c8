//! Randomness for test keys and kids, straight from the operating system (getrandom).

use p256::ecdsa::SigningKey;

fn fill(buf: &mut [u8]) -> Result<(), String> {
    getrandom::fill(buf).map_err(|e| format!("the system random source failed: {e}"))
}

/// A fresh random P-256 key: 32 random bytes, drawn again in the (2^-32 unlikely) case they
/// are not a valid scalar, so the key is uniform over all keys.
pub fn signing_key() -> Result<SigningKey, String> {
    let mut bytes = [0u8; 32];
    loop {
        fill(&mut bytes)?;
        if let Ok(k) = SigningKey::from_slice(&bytes) {
            bytes.fill(0);
            return Ok(k);
        }
    }
}

/// A random (version 4) UUID, lowercase `8-4-4-4-12` hex: the shape of an ALB `kid`.
pub fn uuid_v4() -> Result<String, String> {
    let mut b = [0u8; 16];
    fill(&mut b)?;
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}
