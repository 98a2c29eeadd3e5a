use sea_orm::entity::prelude::*;

/// A signed-in browser, keyed by the SHA-256 of the cookie value.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "session")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id_hash: String,
    pub account_id: Uuid,
    pub created_at: DateTimeUtc,
    pub last_seen_at: DateTimeUtc,
    /// Absolute expiry; idle expiry is `last_seen_at` plus the configured idle time.
    pub expires_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
