//! Webhook signatures: `X-Expansion-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`
//! with the endpoint's secret, beside `X-Expansion-Timestamp: <unix seconds>`. Signing the
//! timestamp with the body lets a receiver refuse replays of old deliveries.
use hmac::{Hmac, Mac};
use sha2::Sha256;

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The header value for `body` sent at `timestamp` (Unix seconds).
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    format!("sha256={:x}", mac(secret, timestamp, body).finalize().into_bytes())
}

/// What a receiver does: recompute and compare in constant time.
pub fn verify(secret: &str, timestamp: i64, body: &[u8], header: &str) -> bool {
    let Some(hex) = header.strip_prefix("sha256=") else {
        return false;
    };
    let Some(expected) = decode_hex(hex) else {
        return false;
    };
    mac(secret, timestamp, body).verify_slice(&expected).is_ok()
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if hex.len() % 2 != 0 {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_is_the_hmac_of_timestamp_dot_body() {
        let header = sign("key", 0, b"x");
        assert!(header.starts_with("sha256=") && header.len() == 7 + 64);
        let mut mac = Hmac::<Sha256>::new_from_slice(b"key").expect("key");
        mac.update(b"0.x");
        assert_eq!(header, format!("sha256={:x}", mac.finalize().into_bytes()));
    }

    #[test]
    fn verification_refuses_another_body_timestamp_or_secret() {
        let header = sign("whsec_1", 1_700_000_000, b"{\"a\":1}");
        assert!(verify("whsec_1", 1_700_000_000, b"{\"a\":1}", &header));
        assert!(!verify("whsec_1", 1_700_000_000, b"{\"a\":2}", &header));
        assert!(!verify("whsec_1", 1_700_000_001, b"{\"a\":1}", &header));
        assert!(!verify("whsec_2", 1_700_000_000, b"{\"a\":1}", &header));
        assert!(!verify("whsec_1", 1_700_000_000, b"{\"a\":1}", "sha256=zz"));
    }
}
