use sea_orm::entity::prelude::*;

/// Software described by a `publiccode.yml` (decision 0024). Lists and nested parts are JSON
/// text (decision 0002).
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "software")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub slug: String,
    /// The repository (`url` of the file): the identity a re-import updates.
    #[sea_orm(unique)]
    pub url: String,
    pub owner_id: Option<Uuid>,
    pub name: String,
    pub version: Option<String>,
    pub release_date: Option<Date>,
    pub development_status: Option<String>,
    pub software_type: Option<String>,
    pub license: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub platforms: String,
    #[sea_orm(column_type = "Text")]
    pub categories: String,
    #[sea_orm(column_type = "Text")]
    pub scopes: String,
    #[sea_orm(column_type = "Text")]
    pub descriptions: String,
    #[sea_orm(column_type = "Text")]
    pub maintenance: String,
    #[sea_orm(column_type = "Text")]
    pub dependencies: String,
    #[sea_orm(column_type = "Text")]
    pub used_by: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub landing_url: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub logo: Option<String>,
    /// The file as given.
    #[sea_orm(column_type = "Text")]
    pub source: String,
    /// Valid: shown to the public. Invalid files wait for their owner with their findings.
    pub active: bool,
    #[sea_orm(column_type = "Text")]
    pub findings: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
