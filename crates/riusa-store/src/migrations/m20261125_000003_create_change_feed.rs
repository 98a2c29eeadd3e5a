use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("change_feed")
                    .col(big_pk_auto("seq"))
                    .col(string("entity"))
                    .col(uuid("entity_id"))
                    .col(string("op"))
                    .col(timestamp_with_time_zone("at"))
                    .to_owned(),
            )
            .await
    }
}
