use sea_orm::entity::prelude::*;

/// One uploaded file; its bytes are in the object store under `sha256`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Lowercase hex SHA-256 of the content.
    pub sha256: String,
    pub size: i64,
    /// The type found from the content (`application/pdf`, …).
    pub media_type: String,
    pub created_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
}

impl ActiveModelBehavior for ActiveModel {}
