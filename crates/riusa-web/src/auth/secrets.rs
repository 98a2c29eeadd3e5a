//! Random secrets and what is kept of them. A session id, an access token, a link in an
//! email: 256 random bits, shown once, stored only as their SHA-256 (a leaked database does
//! not sign anybody in). CSRF tokens are not stored at all: they are an HMAC of the session
//! under a key every node shares.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// Prefix of personal access tokens, so that secret scanners and people recognise them.
pub const TOKEN_PREFIX: &str = "riusa_";

/// A new random secret, URL-safe.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A new personal access token (`riusa_…`).
pub fn new_access_token() -> String {
    format!("{TOKEN_PREFIX}{}", new_secret())
}

/// What the database keeps of a secret.
pub fn digest(secret: &str) -> String {
    let hash = Sha256::digest(secret.as_bytes());
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// The key that signs CSRF tokens; every node of a hub must use the same one.
#[derive(Clone)]
pub struct SigningKey([u8; 32]);

impl SigningKey {
    pub fn random() -> SigningKey {
        let mut bytes = [0u8; 32];
        rand::fill(&mut bytes);
        SigningKey(bytes)
    }

    /// From the text kept in the database's settings; `None` when it is not a key.
    pub fn from_text(text: &str) -> Option<SigningKey> {
        let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
        Some(SigningKey(bytes.try_into().ok()?))
    }

    pub fn to_text(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }

    fn mac(&self, purpose: &str, subject: &str) -> Hmac<Sha256> {
        // HMAC accepts keys of any length: this cannot fail for 32 bytes.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(subject.as_bytes());
        mac
    }

    /// A token that proves a form was served by riusa to this `subject` (a session or an
    /// anonymous browser's nonce).
    pub fn sign(&self, purpose: &str, subject: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(purpose, subject).finalize().into_bytes())
    }

    /// Constant-time check of [`SigningKey::sign`].
    pub fn verify(&self, purpose: &str, subject: &str, token: &str) -> bool {
        match URL_SAFE_NO_PAD.decode(token) {
            Ok(bytes) => self.mac(purpose, subject).verify_slice(&bytes).is_ok(),
            Err(_) => false,
        }
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_and_digests_stable() {
        let a = new_secret();
        assert_ne!(a, new_secret());
        assert_eq!(a.len(), 43, "256 bits in unpadded base64");
        assert_eq!(digest(&a), digest(&a));
        assert_eq!(digest("abc").len(), 64);
        assert!(new_access_token().starts_with("riusa_"));
    }

    #[test]
    fn a_signature_holds_only_for_its_key_purpose_and_subject() {
        let key = SigningKey::random();
        let token = key.sign("csrf", "session-1");
        assert!(key.verify("csrf", "session-1", &token));
        assert!(!key.verify("csrf", "session-2", &token));
        assert!(!key.verify("other", "session-1", &token));
        assert!(!SigningKey::random().verify("csrf", "session-1", &token));
        assert!(!key.verify("csrf", "session-1", "not base64!"));
        let round = SigningKey::from_text(&key.to_text()).unwrap();
        assert!(round.verify("csrf", "session-1", &token));
        assert!(!format!("{key:?}").contains(&key.to_text()));
    }
}
