//! Argon2id password hashes (PHC strings). Hashing costs about 20 MB and tens of milliseconds
//! by design: it runs on the blocking pool, never on the async workers.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::error::AppError;

/// A hash to compare with when the email is unknown, so that a sign-in takes as long for an
/// address nobody registered as for a wrong password (no account enumeration by timing).
const DECOY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$uBz8Jq9P3m7+9dYt3m1ZkT0x7eQnY8VwzU0d9Qm4h1k";

pub fn hash_blocking(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::Internal(format!("password hash: {e}")))
}

fn verify_blocking(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Hashes a new password.
pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
}

/// Whether `password` matches `hash`; with no hash (unknown email, an account without a
/// password) it still spends the time of one verification and answers no.
pub async fn verify(password: String, hash: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || match hash {
        Some(hash) => verify_blocking(&password, &hash),
        None => {
            let _ = verify_blocking(&password, DECOY_HASH);
            false
        }
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let hash = hash_blocking("lampione-girasole-trattore").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_blocking("lampione-girasole-trattore", &hash));
        assert!(!verify_blocking("lampione-girasole-trattori", &hash));
        assert!(!verify_blocking("x", "not a hash"));
    }

    #[test]
    fn the_decoy_is_a_valid_hash_that_matches_nothing_typed() {
        assert!(PasswordHash::new(DECOY_HASH).is_ok());
        assert!(!verify_blocking("", DECOY_HASH));
    }
}
