use sea_orm::entity::prelude::*;

/// One saved draft or one publication of a practice: the whole record.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "practice_revision")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub practice_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub number: i32,
    /// `draft` or `publication`.
    pub kind: String,
    /// The practice record as zstd-compressed JSON.
    #[sea_orm(column_type = "Blob")]
    pub record: Vec<u8>,
    pub author_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
