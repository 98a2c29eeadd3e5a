use sea_orm_migration::{prelude::*, schema::*};

/// Accounts and everything that signs them in: sessions, personal access tokens, single-use
/// links (email confirmation, password reset), invitations and OpenID Connect identities.
/// Secrets are never stored: only the SHA-256 of each token.
#[derive(DeriveMigrationName)]
pub struct Migration;

fn to_account(table: &'static str, column: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to("account", "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("account")
                    .col(pk_uuid("id"))
                    .col(string_uniq("email"))
                    .col(string("name"))
                    .col(string_null("password_hash"))
                    .col(timestamp_with_time_zone_null("email_confirmed_at"))
                    .col(boolean("is_admin"))
                    .col(boolean("is_editor"))
                    .col(timestamp_with_time_zone_null("disabled_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("membership")
                    .col(uuid("account_id"))
                    .col(uuid("organization_id"))
                    .col(string("role"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(Index::create().col("account_id").col("organization_id"))
                    .foreign_key(&mut to_account("membership", "account_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("membership", "organization_id")
                            .to("organization", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("membership_organization_idx")
                    .table("membership")
                    .col("organization_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("session")
                    .col(string("id_hash").primary_key())
                    .col(uuid("account_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("last_seen_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .foreign_key(&mut to_account("session", "account_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("session_account_idx")
                    .table("session")
                    .col("account_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("access_token")
                    .col(pk_uuid("id"))
                    .col(uuid("account_id"))
                    .col(string("label"))
                    .col(string_uniq("token_hash"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("last_used_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(&mut to_account("access_token", "account_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("one_time_token")
                    .col(string("token_hash").primary_key())
                    .col(string("purpose"))
                    .col(uuid("account_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("used_at"))
                    .foreign_key(&mut to_account("one_time_token", "account_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("invitation")
                    .col(pk_uuid("id"))
                    .col(string_uniq("token_hash"))
                    .col(string("email"))
                    .col(uuid("organization_id"))
                    .col(string("role"))
                    .col(uuid("invited_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("accepted_at"))
                    .col(uuid_null("accepted_by"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("invitation", "organization_id")
                            .to("organization", "id"),
                    )
                    .foreign_key(&mut to_account("invitation", "invited_by"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("invitation_organization_idx")
                    .table("invitation")
                    .col("organization_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("oidc_identity")
                    .col(string("provider"))
                    .col(string("subject"))
                    .col(uuid("account_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(Index::create().col("provider").col("subject"))
                    .foreign_key(&mut to_account("oidc_identity", "account_id"))
                    .to_owned(),
            )
            .await?;
        // Server-wide values every node must share (e.g. the key that signs CSRF tokens).
        manager
            .create_table(
                Table::create()
                    .table("setting")
                    .col(string("key").primary_key())
                    .col(text("value"))
                    .to_owned(),
            )
            .await
    }
}
