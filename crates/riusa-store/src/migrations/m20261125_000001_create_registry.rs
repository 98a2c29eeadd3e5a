use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("municipality")
                    .col(string("istat_code").primary_key())
                    .col(string("name"))
                    .col(string("region_code"))
                    .col(string("region_name"))
                    .col(string("province_code"))
                    .col(string("province_name"))
                    .col(string_null("province_abbr"))
                    .col(string("cadastral_code"))
                    .col(big_integer_null("population"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("organization")
                    .col(pk_uuid("id"))
                    .col(string_uniq("ipa_code"))
                    .col(string("name"))
                    .col(string("kind"))
                    .col(string("category_code"))
                    .col(string("category_name"))
                    .col(string_null("istat_code"))
                    .col(boolean("is_municipality"))
                    .col(string_null("website"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("organization_istat_code_idx")
                    .table("organization")
                    .col("istat_code")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("organization_name_idx")
                    .table("organization")
                    .col("name")
                    .to_owned(),
            )
            .await
    }
}
