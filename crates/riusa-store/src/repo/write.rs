//! The one way a store function writes: a transaction that collects the change-feed entries
//! and audit events of what it did and writes them together with the rows, at commit. No
//! function commits rows without them, because none holds a transaction any other way.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use serde_json::Value;
use uuid::Uuid;

use super::feed::{EntityKind, FeedOp};
use crate::entities::{audit_event, change_feed, notification};
use crate::{Store, StoreError};

/// Who made a change and from which address: every feed entry and audit event names it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Actor {
    /// `None` for the operator's commands on the server.
    pub account_id: Option<Uuid>,
    /// The client address as the web layer saw it.
    pub ip: Option<String>,
}

impl Actor {
    /// The operator at the command line.
    pub fn operator() -> Actor {
        Actor::default()
    }

    pub fn account(account_id: Uuid, ip: Option<String>) -> Actor {
        Actor {
            account_id: Some(account_id),
            ip,
        }
    }

    /// Somebody not signed in (a failed sign-in, a reset request), known only by address.
    pub fn anonymous(ip: Option<String>) -> Actor {
        Actor {
            account_id: None,
            ip,
        }
    }
}

/// One audit event to record.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub action: &'static str,
    pub entity: Option<&'static str>,
    pub entity_id: Option<Uuid>,
    /// Ids, counts and codes; never names, emails or fiscal numbers.
    pub detail: Value,
}

impl AuditEntry {
    pub fn new(action: &'static str) -> AuditEntry {
        AuditEntry {
            action,
            entity: None,
            entity_id: None,
            detail: Value::Object(serde_json::Map::new()),
        }
    }

    pub fn on(mut self, entity: &'static str, id: Uuid) -> AuditEntry {
        self.entity = Some(entity);
        self.entity_id = Some(id);
        self
    }

    pub fn with(mut self, key: &str, value: impl Into<Value>) -> AuditEntry {
        if let Value::Object(map) = &mut self.detail {
            map.insert(key.to_owned(), value.into());
        }
        self
    }
}

/// Somebody to tell about a change: in the inbox (accounts) and by email.
#[derive(Debug, Clone, PartialEq)]
pub struct NewNotification {
    /// An account, or an address without one (invitations).
    pub recipient: Recipient,
    /// `practice.submitted`, `invitation`, … (the web layer words it).
    pub kind: &'static str,
    pub practice_id: Option<Uuid>,
    /// What the message needs; a `link` carrying a secret is erased once sent.
    pub params: Value,
    pub email: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    Account(Uuid),
    Address(String),
}

pub(crate) struct Write {
    pub(crate) txn: DatabaseTransaction,
    actor: Actor,
    pub(crate) now: DateTime<Utc>,
    feed: Vec<(EntityKind, Uuid, FeedOp)>,
    audit: Vec<AuditEntry>,
    notifications: Vec<NewNotification>,
    ordered: bool,
}

/// A write transaction that holds SQLite's write lock from its first statement. A deferred
/// one reads first and upgrades at its first write; if another writer committed meanwhile,
/// SQLite refuses the upgrade at once (`SQLITE_BUSY_SNAPSHOT`) instead of waiting its busy
/// timeout, and concurrent saves fail with 500. PostgreSQL ignores the option.
async fn begin_writing(store: &Store) -> Result<DatabaseTransaction, StoreError> {
    Ok(store
        .connection()
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await?)
}

impl Write {
    /// A transaction that may append to the change feed. On PostgreSQL it first takes an
    /// advisory lock, so that feed writers are serialised and `seq` order is commit order
    /// (decision 0003): a follower reading `seq > last` never skips a slow transaction.
    pub(crate) async fn begin(
        store: &Store,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Write, StoreError> {
        let txn = begin_writing(store).await?;
        if txn.get_database_backend() == DbBackend::Postgres {
            txn.execute_unprepared("SELECT pg_advisory_xact_lock(7274872)")
                .await?;
        }
        Ok(Write {
            txn,
            actor: actor.clone(),
            now,
            feed: Vec::new(),
            audit: Vec::new(),
            notifications: Vec::new(),
            ordered: true,
        })
    }

    /// A transaction that only records audit events and rows nobody follows (sign-ins, token
    /// use): it need not wait for the feed writers' lock.
    pub(crate) async fn begin_unordered(
        store: &Store,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Write, StoreError> {
        Ok(Write {
            txn: begin_writing(store).await?,
            actor: actor.clone(),
            now,
            feed: Vec::new(),
            audit: Vec::new(),
            notifications: Vec::new(),
            ordered: false,
        })
    }

    pub(crate) fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Followers (search index, notifications) must apply this change.
    pub(crate) fn changed(&mut self, entity: EntityKind, id: Uuid, op: FeedOp) {
        self.feed.push((entity, id, op));
    }

    pub(crate) fn changed_all(&mut self, entity: EntityKind, ids: &[Uuid], op: FeedOp) {
        self.feed.extend(ids.iter().map(|id| (entity, *id, op)));
    }

    pub(crate) fn audit(&mut self, entry: AuditEntry) {
        self.audit.push(entry);
    }

    /// Tells somebody, once the transaction commits (never for an uncommitted change).
    pub(crate) fn notify(&mut self, notification: NewNotification) {
        self.notifications.push(notification);
    }

    /// Writes the feed entries and audit events, then commits: all of it, or nothing.
    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        if !self.ordered && !self.feed.is_empty() {
            return Err(StoreError::corrupt(
                "change_feed",
                "feed entries written outside an ordered transaction",
            ));
        }
        let actor_id = self.actor.account_id;
        for chunk in self.feed.chunks(super::BATCH_ROWS) {
            let rows = chunk
                .iter()
                .map(|(entity, id, op)| change_feed::ActiveModel {
                    entity: Set(entity.as_str().to_owned()),
                    entity_id: Set(*id),
                    op: Set(op.as_str().to_owned()),
                    at: Set(self.now),
                    actor_id: Set(actor_id),
                    ..Default::default()
                });
            change_feed::Entity::insert_many(rows)
                .exec_without_returning(&self.txn)
                .await?;
        }
        for chunk in self.audit.chunks(super::BATCH_ROWS) {
            let rows = chunk.iter().map(|entry| audit_event::ActiveModel {
                id: Set(Uuid::now_v7()),
                at: Set(self.now),
                actor_id: Set(actor_id),
                action: Set(entry.action.to_owned()),
                entity: Set(entry.entity.map(str::to_owned)),
                entity_id: Set(entry.entity_id),
                ip: Set(self.actor.ip.clone()),
                detail: Set(entry.detail.to_string()),
            });
            audit_event::Entity::insert_many(rows)
                .exec_without_returning(&self.txn)
                .await?;
        }
        for chunk in self.notifications.chunks(super::BATCH_ROWS) {
            let rows = chunk.iter().map(|n| {
                let (account_id, email) = match &n.recipient {
                    Recipient::Account(id) => (Some(*id), None),
                    Recipient::Address(address) => (None, Some(address.clone())),
                };
                notification::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    account_id: Set(account_id),
                    email: Set(email),
                    kind: Set(n.kind.to_owned()),
                    practice_id: Set(n.practice_id),
                    params: Set(n.params.to_string()),
                    created_at: Set(self.now),
                    read_at: Set(None),
                    email_state: Set(if n.email { "pending" } else { "none" }.to_owned()),
                    attempts: Set(0),
                    next_attempt_at: Set(n.email.then_some(self.now)),
                    claimed_until: Set(None),
                    sent_at: Set(None),
                    last_error: Set(None),
                }
            });
            notification::Entity::insert_many(rows)
                .exec_without_returning(&self.txn)
                .await?;
        }
        self.txn.commit().await?;
        Ok(())
    }
}
