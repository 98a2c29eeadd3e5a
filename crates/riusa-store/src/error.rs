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
    Db(#[from] sea_orm::DbErr),
}

impl StoreError {
    pub(crate) fn corrupt(what: &'static str, reason: impl ToString) -> Self {
        StoreError::Corrupt {
            what,
            reason: reason.to_string(),
        }
    }
}
