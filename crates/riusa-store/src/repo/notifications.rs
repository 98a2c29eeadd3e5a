//! The inbox of each account and the outbox of emails. Emails are claimed row by row with a
//! conditional update and a lease, so that several nodes may run the mail job and none sends
//! a message twice; a failure is retried later, with back-off, until it is given up.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::{Set, Unchanged},
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::Value;
use uuid::Uuid;

use super::write::{Actor, AuditEntry, Write};
use crate::entities::{account, notification};
use crate::{Page, Store, StoreError};

/// Kinds shown in the inbox (account emails such as a reset link are email only).
const INBOX_KINDS: [&str; 4] = [
    "practice.submitted",
    "practice.changes_requested",
    "practice.published",
    "invitation",
];

/// An inbox entry.
#[derive(Debug, Clone, PartialEq)]
pub struct NotificationView {
    pub id: Uuid,
    pub kind: String,
    pub practice_id: Option<Uuid>,
    pub params: Value,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

/// An email to send now.
#[derive(Debug, Clone, PartialEq)]
pub struct OutgoingEmail {
    pub id: Uuid,
    pub to: String,
    pub name: Option<String>,
    pub kind: String,
    pub params: Value,
    pub attempts: u32,
}

pub struct NotificationRepo<'a> {
    store: &'a Store,
}

impl<'a> NotificationRepo<'a> {
    pub(crate) fn new(store: &'a Store) -> Self {
        Self { store }
    }

    pub async fn inbox(
        &self,
        account_id: Uuid,
        offset: u64,
        limit: u64,
    ) -> Result<Page<NotificationView>, StoreError> {
        let conn = self.store.connection();
        let select = notification::Entity::find()
            .filter(notification::Column::AccountId.eq(account_id))
            .filter(notification::Column::Kind.is_in(INBOX_KINDS));
        let total = select.clone().count(conn).await?;
        let items = select
            .order_by_desc(notification::Column::CreatedAt)
            .order_by_desc(notification::Column::Id)
            .offset(offset)
            .limit(limit)
            .all(conn)
            .await?
            .into_iter()
            .map(|row| NotificationView {
                id: row.id,
                params: serde_json::from_str(&row.params).unwrap_or(Value::Null),
                kind: row.kind,
                practice_id: row.practice_id,
                created_at: row.created_at,
                read: row.read_at.is_some(),
            })
            .collect();
        Ok(Page { items, total })
    }

    pub async fn unread(&self, account_id: Uuid) -> Result<u64, StoreError> {
        Ok(notification::Entity::find()
            .filter(notification::Column::AccountId.eq(account_id))
            .filter(notification::Column::Kind.is_in(INBOX_KINDS))
            .filter(notification::Column::ReadAt.is_null())
            .count(self.store.connection())
            .await?)
    }

    /// Marks the account's notifications read (one, or all with `None`).
    pub async fn mark_read(
        &self,
        account_id: Uuid,
        id: Option<Uuid>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut write = Write::begin_unordered(self.store, actor, now).await?;
        let mut update = notification::Entity::update_many()
            .filter(notification::Column::AccountId.eq(account_id))
            .filter(notification::Column::ReadAt.is_null());
        if let Some(id) = id {
            update = update.filter(notification::Column::Id.eq(id));
        }
        let marked = update
            .col_expr(notification::Column::ReadAt, now.into())
            .exec(&write.txn)
            .await?;
        write.audit(
            AuditEntry::new("notification.read")
                .on("account", account_id)
                .with("count", marked.rows_affected),
        );
        write.commit().await
    }

    /// Claims up to `limit` due emails for `lease`: until then no other node takes them.
    pub async fn claim_due(
        &self,
        now: DateTime<Utc>,
        limit: u64,
        lease: Duration,
    ) -> Result<Vec<OutgoingEmail>, StoreError> {
        let conn = self.store.connection();
        let due = notification::Entity::find()
            .filter(notification::Column::EmailState.eq("pending"))
            .filter(notification::Column::NextAttemptAt.lte(now))
            .filter(
                Condition::any()
                    .add(notification::Column::ClaimedUntil.is_null())
                    .add(notification::Column::ClaimedUntil.lt(now)),
            )
            .order_by_asc(notification::Column::NextAttemptAt)
            .limit(limit)
            .all(conn)
            .await?;
        let mut claimed = Vec::new();
        for row in due {
            let mut claim = notification::Entity::update_many()
                .filter(notification::Column::Id.eq(row.id))
                .filter(notification::Column::EmailState.eq("pending"));
            claim = match row.claimed_until {
                Some(until) => claim.filter(notification::Column::ClaimedUntil.eq(until)),
                None => claim.filter(notification::Column::ClaimedUntil.is_null()),
            };
            let taken = claim
                .col_expr(notification::Column::ClaimedUntil, (now + lease).into())
                .exec(conn)
                .await?;
            if taken.rows_affected != 1 {
                continue;
            }
            let (to, name) = match (row.account_id, &row.email) {
                (Some(account_id), _) => {
                    let Some(person) = account::Entity::find_by_id(account_id).one(conn).await?
                    else {
                        continue;
                    };
                    if person.disabled_at.is_some() {
                        self.give_up(row.id, "account disabled").await?;
                        continue;
                    }
                    (person.email, Some(person.name))
                }
                (None, Some(address)) => (address.clone(), None),
                (None, None) => {
                    self.give_up(row.id, "no recipient").await?;
                    continue;
                }
            };
            claimed.push(OutgoingEmail {
                id: row.id,
                to,
                name,
                params: serde_json::from_str(&row.params).unwrap_or(Value::Null),
                kind: row.kind,
                attempts: u32::try_from(row.attempts).unwrap_or(0),
            });
        }
        Ok(claimed)
    }

    /// The email went out: the address of a non-account and any secret link are erased.
    pub async fn mark_sent(&self, id: Uuid, now: DateTime<Utc>) -> Result<(), StoreError> {
        let conn = self.store.connection();
        let Some(row) = notification::Entity::find_by_id(id).one(conn).await? else {
            return Ok(());
        };
        let mut params: Value = serde_json::from_str(&row.params).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut params {
            map.remove("link");
        }
        notification::Entity::update(notification::ActiveModel {
            id: Unchanged(id),
            email: Set(None),
            params: Set(params.to_string()),
            email_state: Set("sent".into()),
            sent_at: Set(Some(now)),
            attempts: Set(row.attempts + 1),
            claimed_until: Set(None),
            last_error: Set(None),
            ..Default::default()
        })
        .exec(conn)
        .await?;
        Ok(())
    }

    /// The email failed: retried at `retry_at`, or given up with `None`.
    pub async fn mark_failed(
        &self,
        id: Uuid,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        let conn = self.store.connection();
        let Some(row) = notification::Entity::find_by_id(id).one(conn).await? else {
            return Ok(());
        };
        notification::Entity::update(notification::ActiveModel {
            id: Unchanged(id),
            email_state: Set(if retry_at.is_some() {
                "pending"
            } else {
                "failed"
            }
            .into()),
            attempts: Set(row.attempts + 1),
            next_attempt_at: Set(retry_at),
            claimed_until: Set(None),
            last_error: Set(Some(error.chars().take(500).collect())),
            ..Default::default()
        })
        .exec(conn)
        .await?;
        Ok(())
    }

    async fn give_up(&self, id: Uuid, reason: &str) -> Result<(), StoreError> {
        self.mark_failed(id, reason, None).await
    }

    /// Emails not sent yet, for health checks and tests.
    pub async fn pending_emails(&self) -> Result<u64, StoreError> {
        Ok(notification::Entity::find()
            .filter(notification::Column::EmailState.eq("pending"))
            .count(self.store.connection())
            .await?)
    }
}
