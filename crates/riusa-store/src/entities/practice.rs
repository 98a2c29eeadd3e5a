use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "practice")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    pub status: String,
    pub license: String,
    pub language: String,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub funding: String,
    #[sea_orm(column_type = "Text")]
    pub sections: String,
    #[sea_orm(column_type = "Text")]
    pub support_offered: String,
    #[sea_orm(column_type = "Text")]
    pub metrics: String,
    #[sea_orm(column_type = "Text")]
    pub links: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Where the newest unpublished revision stands (`riusa_domain::catalog::workflow::DraftState`).
    pub draft_state: String,
    /// The newest revision's number (0: none yet).
    pub head_revision: i32,
    pub published_revision: Option<i32>,
    pub review_requested_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
