use riusa_domain::DomainError;

/// The one error type of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// `value` of `field` already belongs to another record (or twice to one import).
    #[error("conflict on {field} {value}")]
    Conflict { field: &'static str, value: String },
    #[error(transparent)]
    Invalid(#[from] DomainError),
    #[error("stored value of {what} cannot be read: {reason}")]
    Corrupt { what: &'static str, reason: String },
    #[error("unsupported database URL (expected sqlite: or postgres:): {0}")]
    UnsupportedUrl(String),
    #[error("database error: {0}")]
    Db(sea_orm::DbErr),
}

/// A unique constraint the database enforces becomes a `Conflict` naming the column, so that
/// a race no check could see (two people taking one email at once) still reads as a conflict.
impl From<sea_orm::DbErr> for StoreError {
    fn from(error: sea_orm::DbErr) -> Self {
        match error.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(message)) => StoreError::Conflict {
                field: conflicting_column(&message),
                value: String::new(),
            },
            _ => StoreError::Db(error),
        }
    }
}

/// Unique columns of the schema; anything else is a primary key.
const UNIQUE_COLUMNS: [&str; 5] = ["email", "slug", "ipa_code", "token_hash", "url"];

/// SQLite says `UNIQUE constraint failed: account.email`; PostgreSQL names the constraint,
/// `account_email_key` for a column declared unique.
fn conflicting_column(message: &str) -> &'static str {
    UNIQUE_COLUMNS
        .into_iter()
        .find(|column| {
            message.contains(&format!(".{column}")) || message.contains(&format!("_{column}_key"))
        })
        .unwrap_or("id")
}

impl StoreError {
    /// The domain refused the change (a stale revision, a role, a transition).
    pub fn refusal(&self) -> Option<&riusa_domain::Refusal> {
        match self {
            StoreError::Invalid(DomainError::Refused(refusal)) => Some(refusal),
            _ => None,
        }
    }

    pub(crate) fn corrupt(what: &'static str, reason: impl ToString) -> Self {
        StoreError::Corrupt {
            what,
            reason: reason.to_string(),
        }
    }
}
