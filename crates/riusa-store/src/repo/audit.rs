//! The audit trail: read by admins (search, CSV export) and by the rate limits, which count
//! recent events of one kind per address or per account. Writing happens only through
//! `Write`, with the change it records.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::accounts::account_names;
use crate::entities::audit_event;
use crate::{Page, Store, StoreError};

/// Which events a search or an export covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// An action (`practice.publish`) or a prefix ending in a dot (`session.`).
    pub action: Option<String>,
    pub actor_id: Option<Uuid>,
    pub entity_id: Option<Uuid>,
    pub ip: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Only events older than this one (keyset pagination for exports).
    pub before_id: Option<Uuid>,
}

/// One event as admins read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditView {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    pub action: String,
    pub entity: Option<String>,
    pub entity_id: Option<Uuid>,
    pub ip: Option<String>,
    pub detail: String,
}

/// Whose recent events a rate limit counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RateKey<'a> {
    /// Events from one client address.
    Address(&'a str),
    /// Events about one account (e.g. failed sign-ins to it, from anywhere).
    Account(Uuid),
    /// Events done by one account (e.g. invitations it sent).
    Actor(Uuid),
}

pub struct AuditRepo<'a> {
    store: &'a Store,
}

impl<'a> AuditRepo<'a> {
    pub(crate) fn new(store: &'a Store) -> Self {
        Self { store }
    }

    /// Events of `action` for `key` at or after `since` (indexed on both keys).
    pub async fn count_since(
        &self,
        action: &str,
        key: RateKey<'_>,
        since: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let by_key = match key {
            RateKey::Address(ip) => audit_event::Column::Ip.eq(ip),
            RateKey::Account(id) => audit_event::Column::EntityId.eq(id),
            RateKey::Actor(id) => audit_event::Column::ActorId.eq(id),
        };
        Ok(audit_event::Entity::find()
            .filter(by_key)
            .filter(audit_event::Column::Action.eq(action))
            .filter(audit_event::Column::At.gte(since))
            .count(self.store.connection())
            .await?)
    }

    /// The oldest of the events a rate limit counts, to tell when the window frees a slot.
    pub async fn oldest_since(
        &self,
        action: &str,
        key: RateKey<'_>,
        since: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let by_key = match key {
            RateKey::Address(ip) => audit_event::Column::Ip.eq(ip),
            RateKey::Account(id) => audit_event::Column::EntityId.eq(id),
            RateKey::Actor(id) => audit_event::Column::ActorId.eq(id),
        };
        Ok(audit_event::Entity::find()
            .filter(by_key)
            .filter(audit_event::Column::Action.eq(action))
            .filter(audit_event::Column::At.gte(since))
            .select_only()
            .column(audit_event::Column::At)
            .order_by_asc(audit_event::Column::At)
            .into_tuple::<DateTime<Utc>>()
            .one(self.store.connection())
            .await?)
    }

    /// Events matching `filter`, newest first.
    pub async fn search(
        &self,
        filter: &AuditFilter,
        offset: u64,
        limit: u64,
    ) -> Result<Page<AuditView>, StoreError> {
        let conn = self.store.connection();
        let select = audit_event::Entity::find().filter(condition(filter));
        let total = select.clone().count(conn).await?;
        let rows = select
            .order_by_desc(audit_event::Column::Id)
            .offset(offset)
            .limit(limit)
            .all(conn)
            .await?;
        let names = account_names(conn, rows.iter().filter_map(|r| r.actor_id)).await?;
        let items = rows
            .into_iter()
            .map(|row| AuditView {
                actor_name: row.actor_id.and_then(|a| names.get(&a).cloned()),
                id: row.id,
                at: row.at,
                actor_id: row.actor_id,
                action: row.action,
                entity: row.entity,
                entity_id: row.entity_id,
                ip: row.ip,
                detail: row.detail,
            })
            .collect();
        Ok(Page { items, total })
    }
}

fn condition(filter: &AuditFilter) -> Condition {
    let mut condition = Condition::all();
    if let Some(action) = filter.action.as_deref().filter(|a| !a.is_empty()) {
        condition = condition.add(if action.ends_with('.') {
            audit_event::Column::Action.starts_with(action)
        } else {
            audit_event::Column::Action.eq(action)
        });
    }
    if let Some(actor) = filter.actor_id {
        condition = condition.add(audit_event::Column::ActorId.eq(actor));
    }
    if let Some(entity) = filter.entity_id {
        condition = condition.add(audit_event::Column::EntityId.eq(entity));
    }
    if let Some(ip) = &filter.ip {
        condition = condition.add(audit_event::Column::Ip.eq(ip.as_str()));
    }
    if let Some(from) = filter.from {
        condition = condition.add(audit_event::Column::At.gte(from));
    }
    if let Some(until) = filter.until {
        condition = condition.add(audit_event::Column::At.lt(until));
    }
    if let Some(before) = filter.before_id {
        condition = condition.add(audit_event::Column::Id.lt(before));
    }
    condition
}
