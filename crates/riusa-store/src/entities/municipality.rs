use sea_orm::entity::prelude::*;

/// A comune from the ISTAT list, keyed by its six-digit code.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "municipality")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub istat_code: String,
    pub name: String,
    pub region_code: String,
    pub region_name: String,
    pub province_code: String,
    pub province_name: String,
    pub province_abbr: Option<String>,
    pub cadastral_code: String,
    pub population: Option<i64>,
}

impl ActiveModelBehavior for ActiveModel {}
