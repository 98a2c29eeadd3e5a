//! Identities at OpenID Connect providers: which account a provider's subject signs in to.
//! The subject is the provider's pseudonymous id; nothing else of what the provider says is
//! kept here (see `docs/decisions/0017-oidc-e-codice-fiscale.md`).

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{AccountRepo, Credentials, NewAccount, insert_account};
use crate::StoreError;
use crate::entities::{account, oidc_identity};
use crate::repo::write::{Actor, AuditEntry, Write};

impl AccountRepo<'_> {
    /// The account `subject` of `provider` signs in to, if it was linked before.
    pub async fn oidc_account(
        &self,
        provider: &str,
        subject: &str,
    ) -> Result<Option<Credentials>, StoreError> {
        let conn = self.store.connection();
        let Some(link) =
            oidc_identity::Entity::find_by_id((provider.to_owned(), subject.to_owned()))
                .one(conn)
                .await?
        else {
            return Ok(None);
        };
        Ok(account::Entity::find_by_id(link.account_id)
            .one(conn)
            .await?
            .map(|row| Credentials {
                account_id: row.id,
                password_hash: None,
                confirmed: row.email_confirmed_at.is_some(),
                disabled: row.disabled_at.is_some(),
            }))
    }

    /// Links `subject` of `provider` to an existing account whose email the provider verified.
    /// An account whose email was never confirmed is confirmed now and loses its password:
    /// whoever registered the address without proving it must keep no way in.
    pub async fn link_oidc(
        &self,
        account_id: Uuid,
        provider: &str,
        subject: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut write = Write::begin_unordered(self.store, actor, now).await?;
        let unconfirmed = account::Entity::update_many()
            .filter(account::Column::Id.eq(account_id))
            .filter(account::Column::EmailConfirmedAt.is_null())
            .col_expr(account::Column::EmailConfirmedAt, now.into())
            .col_expr(account::Column::PasswordHash, Option::<String>::None.into())
            .col_expr(account::Column::UpdatedAt, now.into())
            .exec(&write.txn)
            .await?;
        insert_identity(&write.txn, account_id, provider, subject, now).await?;
        write.audit(
            AuditEntry::new("account.oidc_link")
                .on("account", account_id)
                .with("provider", provider)
                .with("confirmed_now", unconfirmed.rows_affected > 0),
        );
        write.commit().await
    }

    /// Creates an account at a first sign-in through `provider`, linked to `subject`.
    pub async fn create_with_oidc(
        &self,
        new: NewAccount,
        provider: &str,
        subject: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Uuid, StoreError> {
        let mut write = Write::begin_unordered(self.store, actor, now).await?;
        let id = Uuid::now_v7();
        insert_account(&write.txn, id, &new, now).await?;
        insert_identity(&write.txn, id, provider, subject, now).await?;
        write.audit(
            AuditEntry::new("account.create")
                .on("account", id)
                .with("method", "oidc")
                .with("provider", provider)
                .with("confirmed", new.email_confirmed),
        );
        write.commit().await?;
        Ok(id)
    }
}

async fn insert_identity(
    conn: &impl sea_orm::ConnectionTrait,
    account_id: Uuid,
    provider: &str,
    subject: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    oidc_identity::Entity::insert(oidc_identity::ActiveModel {
        provider: Set(provider.to_owned()),
        subject: Set(subject.to_owned()),
        account_id: Set(account_id),
        created_at: Set(now),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}
