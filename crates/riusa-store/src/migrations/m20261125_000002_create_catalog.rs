use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("theme")
                    .col(pk_uuid("id"))
                    .col(string_uniq("slug"))
                    .col(string("name"))
                    .col(text("description"))
                    .col(integer("position"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("practice")
                    .col(pk_uuid("id"))
                    .col(string_uniq("slug"))
                    .col(string("title"))
                    .col(text("summary"))
                    .col(string("status"))
                    .col(string("license"))
                    .col(string("language"))
                    .col(date_null("period_start"))
                    .col(date_null("period_end"))
                    .col(text("funding"))
                    .col(text("sections"))
                    .col(text("support_offered"))
                    .col(text("metrics"))
                    .col(text("links"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("practice_status_idx")
                    .table("practice")
                    .col("status")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("practice_theme")
                    .col(uuid("practice_id"))
                    .col(uuid("theme_id"))
                    .col(integer("position"))
                    .primary_key(Index::create().col("practice_id").col("theme_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("practice_theme", "practice_id")
                            .to("practice", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("practice_theme", "theme_id")
                            .to("theme", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("practice_theme_theme_idx")
                    .table("practice_theme")
                    .col("theme_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("practice_owner")
                    .col(uuid("practice_id"))
                    .col(uuid("organization_id"))
                    .col(string("role"))
                    .col(integer("position"))
                    .primary_key(Index::create().col("practice_id").col("organization_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("practice_owner", "practice_id")
                            .to("practice", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("practice_owner", "organization_id")
                            .to("organization", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("practice_owner_organization_idx")
                    .table("practice_owner")
                    .col("organization_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("practice_place")
                    .col(uuid("practice_id"))
                    .col(string("istat_code"))
                    .col(integer("position"))
                    .primary_key(Index::create().col("practice_id").col("istat_code"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("practice_place", "practice_id")
                            .to("practice", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("practice_place", "istat_code")
                            .to("municipality", "istat_code"),
                    )
                    .to_owned(),
            )
            .await
    }
}
