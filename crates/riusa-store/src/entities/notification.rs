use sea_orm::entity::prelude::*;

/// One thing somebody should know about: an inbox entry and, when `email_state` says so, an
/// email to send.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Option<Uuid>,
    /// Only for recipients without an account (an invitation); erased once sent.
    pub email: Option<String>,
    pub kind: String,
    pub practice_id: Option<Uuid>,
    /// JSON object: what the message needs (a title, a link); links with secrets are erased
    /// once the email is sent.
    #[sea_orm(column_type = "Text")]
    pub params: String,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
    /// `pending`, `sent`, `failed` (gave up) or `none` (inbox only).
    pub email_state: String,
    pub attempts: i32,
    pub next_attempt_at: Option<DateTimeUtc>,
    pub claimed_until: Option<DateTimeUtc>,
    pub sent_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
