use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::entities::change_feed;
use crate::{Store, StoreError};

/// What a feed entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityKind {
    Practice,
    Organization,
    Theme,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Practice => "practice",
            EntityKind::Organization => "organization",
            EntityKind::Theme => "theme",
        }
    }

    fn parse(value: &str) -> Option<EntityKind> {
        match value {
            "practice" => Some(EntityKind::Practice),
            "organization" => Some(EntityKind::Organization),
            "theme" => Some(EntityKind::Theme),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeEntry {
    pub seq: i64,
    pub entity: EntityKind,
    pub entity_id: Uuid,
    pub at: DateTime<Utc>,
}

pub struct ChangeFeed<'a> {
    store: &'a Store,
}

impl<'a> ChangeFeed<'a> {
    pub(crate) fn new(store: &'a Store) -> Self {
        Self { store }
    }

    /// Entries after `seq`, oldest first.
    pub async fn since(&self, seq: i64, limit: u64) -> Result<Vec<ChangeEntry>, StoreError> {
        let rows = change_feed::Entity::find()
            .filter(change_feed::Column::Seq.gt(seq))
            .order_by_asc(change_feed::Column::Seq)
            .limit(limit)
            .all(self.store.connection())
            .await?;
        rows.into_iter()
            .map(|row| {
                let entity = EntityKind::parse(&row.entity)
                    .ok_or_else(|| StoreError::corrupt("change_feed.entity", &row.entity))?;
                Ok(ChangeEntry {
                    seq: row.seq,
                    entity,
                    entity_id: row.entity_id,
                    at: row.at,
                })
            })
            .collect()
    }

    /// The newest `seq`, 0 when the feed is empty.
    pub async fn last_seq(&self) -> Result<i64, StoreError> {
        let last = change_feed::Entity::find()
            .order_by_desc(change_feed::Column::Seq)
            .one(self.store.connection())
            .await?;
        Ok(last.map_or(0, |row| row.seq))
    }
}

/// Appends entries inside the caller's write transaction (see `repo::begin_write`).
pub(crate) async fn append(
    txn: &impl ConnectionTrait,
    entity: EntityKind,
    ids: &[Uuid],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    for chunk in ids.chunks(super::BATCH_ROWS) {
        let rows = chunk.iter().map(|id| change_feed::ActiveModel {
            entity: Set(entity.as_str().to_owned()),
            entity_id: Set(*id),
            op: Set("upsert".to_owned()),
            at: Set(at),
            ..Default::default()
        });
        change_feed::Entity::insert_many(rows)
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}
