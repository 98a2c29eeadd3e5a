use sea_orm_migration::{prelude::*, schema::*};

/// Attachments of practices. `attachment` is one uploaded file: its bytes live in the object
/// store under their SHA-256 (the same bytes are stored once), the row keeps what the content
/// was found to be. `revision_attachment` lists the files of each revision, with the name
/// people see: every new revision copies the list of the one before, so a publication keeps
/// the files it was published with.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("attachment")
                    .col(pk_uuid("id"))
                    // Lowercase hex; also the object's key (`sha256/ab/cd/<hash>`).
                    .col(string_len("sha256", 64))
                    .col(big_integer("size"))
                    // Found from the content, never taken from the client.
                    .col(string("media_type"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(uuid_null("created_by"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("attachment_sha256_idx")
                    .table("attachment")
                    .col("sha256")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("revision_attachment")
                    .col(uuid("practice_id"))
                    .col(integer("revision"))
                    .col(uuid("attachment_id"))
                    .col(string("name"))
                    .col(integer("position"))
                    .primary_key(
                        Index::create()
                            .col("practice_id")
                            .col("revision")
                            .col("attachment_id"),
                    )
                    // A purged practice takes its revisions and their lists with it.
                    .foreign_key(
                        ForeignKey::create()
                            .from_tbl("revision_attachment")
                            .from_col("practice_id")
                            .from_col("revision")
                            .to_tbl("practice_revision")
                            .to_col("practice_id")
                            .to_col("number")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("revision_attachment", "attachment_id")
                            .to("attachment", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        // Downloads look an attachment's revisions up by its id.
        manager
            .create_index(
                Index::create()
                    .name("revision_attachment_attachment_idx")
                    .table("revision_attachment")
                    .col("attachment_id")
                    .to_owned(),
            )
            .await
    }
}
