use sea_orm_migration::{prelude::*, schema::*};

/// Revisions of practices and the editors' remarks on them. The `practice` row keeps what the
/// public sees (or, before the first publication, the newest draft); every draft save and
/// every publication is a `practice_revision` holding the whole record, zstd-compressed JSON.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for column in [
            string("draft_state").default("none").to_owned(),
            integer("head_revision").default(0).to_owned(),
            integer_null("published_revision"),
            // When the draft was last submitted: the review queue is oldest first.
            timestamp_with_time_zone_null("review_requested_at"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("practice")
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("practice_draft_state_idx")
                    .table("practice")
                    .col("draft_state")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("practice_revision")
                    .col(uuid("practice_id"))
                    .col(integer("number"))
                    .col(string("kind"))
                    .col(blob("record"))
                    .col(uuid_null("author_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(Index::create().col("practice_id").col("number"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("practice_revision", "practice_id")
                            .to("practice", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("review_comment")
                    .col(pk_uuid("id"))
                    .col(uuid("practice_id"))
                    .col(integer("revision"))
                    .col(string_null("section"))
                    .col(text("body"))
                    .col(uuid("author_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("review_comment", "practice_id")
                            .to("practice", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("review_comment_practice_idx")
                    .table("review_comment")
                    .col("practice_id")
                    .col("revision")
                    .to_owned(),
            )
            .await
    }
}
