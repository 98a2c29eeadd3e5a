use sea_orm::entity::prelude::*;

/// One committed change that followers (search index, later federation) must apply, in `seq` order.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "change_feed")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    pub entity: String,
    pub entity_id: Uuid,
    pub op: String,
    pub at: DateTimeUtc,
    /// The account that made the change; `None` for the operator's commands.
    pub actor_id: Option<Uuid>,
}

impl ActiveModelBehavior for ActiveModel {}
