use sea_orm_migration::{prelude::*, schema::*};

/// Notifications: the in-app inbox of each account and the outbox its emails are sent from.
/// A row is written in the transaction of the change it tells about; the mail job claims due
/// rows one by one (a conditional update, so two nodes never send one twice) and retries
/// failures with back-off.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("notification")
                    .col(pk_uuid("id"))
                    // The recipient: an account, or an address that has none yet (invitations).
                    .col(uuid_null("account_id"))
                    .col(string_null("email"))
                    .col(string("kind"))
                    .col(uuid_null("practice_id"))
                    .col(text("params"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("read_at"))
                    .col(string("email_state"))
                    .col(integer("attempts"))
                    .col(timestamp_with_time_zone_null("next_attempt_at"))
                    .col(timestamp_with_time_zone_null("claimed_until"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .col(text_null("last_error"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("notification", "account_id")
                            .to("account", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("notification_inbox_idx")
                    .table("notification")
                    .col("account_id")
                    .col("created_at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("notification_outbox_idx")
                    .table("notification")
                    .col("email_state")
                    .col("next_attempt_at")
                    .to_owned(),
            )
            .await
    }
}
