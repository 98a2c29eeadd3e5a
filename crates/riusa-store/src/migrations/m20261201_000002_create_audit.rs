use sea_orm_migration::{prelude::*, schema::*};

/// The audit trail (append-only: triggers refuse updates and deletes on both backends) and
/// the actor of each change-feed entry.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("audit_event")
                    .col(pk_uuid("id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(uuid_null("actor_id"))
                    .col(string("action"))
                    .col(string_null("entity"))
                    .col(uuid_null("entity_id"))
                    .col(string_null("ip"))
                    .col(text("detail"))
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("audit_event_at_idx", &["at"][..]),
            ("audit_event_actor_idx", &["actor_id", "at"][..]),
            ("audit_event_entity_idx", &["entity_id", "action", "at"][..]),
            ("audit_event_ip_idx", &["ip", "action", "at"][..]),
        ] {
            let mut index = Index::create();
            index.name(name).table("audit_event");
            for column in columns {
                index.col(*column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        let db = manager.get_connection();
        match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
                     BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event \
                     FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
                )
                .await?;
            }
            _ => {
                for operation in ["UPDATE", "DELETE"] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER audit_event_no_{} BEFORE {operation} ON audit_event \
                         BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
                        operation.to_lowercase()
                    ))
                    .await?;
                }
            }
        }
        manager
            .alter_table(
                Table::alter()
                    .table("change_feed")
                    .add_column(uuid_null("actor_id"))
                    .to_owned(),
            )
            .await
    }
}
