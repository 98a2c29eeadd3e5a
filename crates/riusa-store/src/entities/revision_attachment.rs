use sea_orm::entity::prelude::*;

/// An attachment listed in one revision of a practice, under the name people see.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "revision_attachment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub practice_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub revision: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub attachment_id: Uuid,
    pub name: String,
    pub position: i32,
}

impl ActiveModelBehavior for ActiveModel {}
