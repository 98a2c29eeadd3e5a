use sea_orm_migration::{prelude::*, schema::*};

/// The software catalog (decision 0024): one row a `publiccode.yml`, identified by its
/// repository `url` so that importing the same file again updates the row. Lists and the
/// nested parts of the file are JSON text (decision 0002); `source` keeps the file as given
/// so that export returns it byte for byte. An invalid file is kept with `active = false` and
/// the validator's `findings`, for its owner to fix.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("software")
                    .col(pk_uuid("id"))
                    .col(string_uniq("slug"))
                    .col(string_uniq("url"))
                    .col(uuid_null("owner_id"))
                    .col(string("name"))
                    .col(string_null("version"))
                    .col(date_null("release_date"))
                    .col(string_null("development_status"))
                    .col(string_null("software_type"))
                    .col(string_null("license"))
                    .col(text("platforms"))
                    .col(text("categories"))
                    .col(text("scopes"))
                    .col(text("descriptions"))
                    .col(text("maintenance"))
                    .col(text("dependencies"))
                    .col(text("used_by"))
                    .col(text_null("landing_url"))
                    .col(text_null("logo"))
                    .col(text("source"))
                    .col(boolean("active"))
                    .col(text("findings"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("software", "owner_id")
                            .to("organization", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        // The public list shows active records by name.
        manager
            .create_index(
                Index::create()
                    .name("software_active_name_idx")
                    .table("software")
                    .col("active")
                    .col("name")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("software_owner_idx")
                    .table("software")
                    .col("owner_id")
                    .to_owned(),
            )
            .await
    }
}
