use sea_orm::entity::prelude::*;

/// An administration of the IPA registry.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organization")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub ipa_code: String,
    pub name: String,
    /// `name` folded as people type it (`riusa_domain::text::fold`), for the directory.
    pub search_name: String,
    pub kind: String,
    pub category_code: String,
    pub category_name: String,
    /// The comune where the administration has its seat.
    pub istat_code: Option<String>,
    /// The administration is itself that comune.
    pub is_municipality: bool,
    pub website: Option<String>,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
