//! Limits on what an attacker would repeat: failed sign-ins, password resets, invitations.
//! They count recent audit events in the database, so every node of a hub sees the same
//! count and nothing else needs to be kept: the audit trail is the counter.

use chrono::{DateTime, Duration, Utc};
use riusa_store::RateKey;

use crate::AppState;
use crate::error::AppError;

/// At most `max` events of `action` per key within `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub action: &'static str,
    pub max: u64,
    pub window_secs: i64,
}

/// A password guessed from one address, whichever accounts it tries.
pub const SIGN_IN_PER_ADDRESS: Limit = Limit {
    action: "session.sign_in_failed",
    max: 20,
    window_secs: 15 * 60,
};
/// One account's password guessed from many addresses.
pub const SIGN_IN_PER_ACCOUNT: Limit = Limit {
    action: "session.sign_in_failed",
    max: 5,
    window_secs: 15 * 60,
};
pub const RESET_PER_ADDRESS: Limit = Limit {
    action: "account.reset_requested",
    max: 5,
    window_secs: 3600,
};
pub const RESET_PER_ACCOUNT: Limit = Limit {
    action: "account.reset_requested",
    max: 3,
    window_secs: 3600,
};
pub const INVITATIONS_PER_ACCOUNT: Limit = Limit {
    action: "invitation.create",
    max: 50,
    window_secs: 24 * 3600,
};
pub const INVITATIONS_PER_ADDRESS: Limit = Limit {
    action: "invitation.create",
    max: 100,
    window_secs: 24 * 3600,
};

/// Refuses with 429 and the seconds until the oldest counted event leaves the window.
pub async fn check(
    app: &AppState,
    limit: Limit,
    key: RateKey<'_>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let since = now - Duration::seconds(limit.window_secs);
    let audit = app.store.audit();
    let count = audit.count_since(limit.action, key.clone(), since).await?;
    if count < limit.max {
        return Ok(());
    }
    let oldest = audit
        .oldest_since(limit.action, key, since)
        .await?
        .unwrap_or(now);
    let free_at = oldest + Duration::seconds(limit.window_secs);
    let retry_after_secs = (free_at - now).num_seconds().max(1) as u64;
    Err(AppError::TooManyRequests { retry_after_secs })
}
