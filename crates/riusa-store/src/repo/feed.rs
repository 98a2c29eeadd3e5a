use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entities::change_feed;
use crate::{Store, StoreError};

/// What a feed entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityKind {
    /// What the public sees of a practice changed (publication, archive, import).
    Practice,
    /// A draft revision was saved, submitted or sent back: only its authors and the editors
    /// see it, so the search index and the shared caches ignore it.
    PracticeDraft,
    Organization,
    Theme,
    /// A software record (decision 0024); the practice search does not follow it.
    Software,
    /// Written by a newer version of riusa: an older node reading the same database (during
    /// a rolling upgrade) skips it instead of stopping.
    Unknown,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Practice => "practice",
            EntityKind::PracticeDraft => "practice_draft",
            EntityKind::Organization => "organization",
            EntityKind::Theme => "theme",
            EntityKind::Software => "software",
            EntityKind::Unknown => "unknown",
        }
    }

    fn parse(value: &str) -> EntityKind {
        match value {
            "practice" => EntityKind::Practice,
            "practice_draft" => EntityKind::PracticeDraft,
            "organization" => EntityKind::Organization,
            "theme" => EntityKind::Theme,
            "software" => EntityKind::Software,
            _ => EntityKind::Unknown,
        }
    }
}

/// Whether the entity was written or removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedOp {
    Upsert,
    Delete,
}

impl FeedOp {
    pub fn as_str(self) -> &'static str {
        match self {
            FeedOp::Upsert => "upsert",
            FeedOp::Delete => "delete",
        }
    }

    fn parse(value: &str) -> FeedOp {
        if value == "delete" {
            FeedOp::Delete
        } else {
            FeedOp::Upsert
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeEntry {
    pub seq: i64,
    pub entity: EntityKind,
    pub entity_id: Uuid,
    pub op: FeedOp,
    /// The account that made the change; `None` for the operator's commands.
    pub actor_id: Option<Uuid>,
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
        Ok(rows
            .into_iter()
            .map(|row| ChangeEntry {
                seq: row.seq,
                entity: EntityKind::parse(&row.entity),
                entity_id: row.entity_id,
                op: FeedOp::parse(&row.op),
                actor_id: row.actor_id,
                at: row.at,
            })
            .collect())
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
