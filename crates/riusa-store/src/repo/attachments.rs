//! Attachments of practices. A file belongs to revisions: adding or removing one is a new draft
//! revision (decided by the domain like any save) whose list differs from the one before, and
//! every other new revision copies the list of the one before it ([`carry_over`]), so a
//! publication keeps the files it was published with. The bytes are not here: the web layer
//! keeps them in the object store under their SHA-256 before it records them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use riusa_domain::catalog::Status;
use riusa_domain::catalog::workflow::{Action, PracticeChange};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::catalog::{Applied, CatalogRepo, revision_number};
use super::write::{Actor, AuditEntry, Write};
use crate::entities::{attachment, practice, revision_attachment};
use crate::{Store, StoreError};

/// A file just stored, to list in a new revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    /// Lowercase hex SHA-256 of the content.
    pub sha256: String,
    pub size: u64,
    /// The type found from the content.
    pub media_type: String,
    /// The name people see, already cleaned by the web layer.
    pub name: String,
}

/// An attachment as one revision lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentView {
    pub id: Uuid,
    pub name: String,
    pub sha256: String,
    pub size: u64,
    pub media_type: String,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<Uuid>,
}

/// What a download needs to decide who may have an attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentAccess {
    /// Named as the published revision lists it when public, else as the newest one does.
    pub attachment: AttachmentView,
    pub practice_id: Uuid,
    /// Listed in the published revision of a practice that is published: anybody may have it.
    pub public: bool,
}

pub struct AttachmentRepo<'a> {
    store: &'a Store,
}

impl<'a> AttachmentRepo<'a> {
    pub(crate) fn new(store: &'a Store) -> Self {
        Self { store }
    }

    /// Writes the decided draft save `change` (the same text) with `new` added to the end of
    /// its list, in one transaction. Returns the new revision and the attachment's id.
    pub async fn attach(
        &self,
        change: PracticeChange,
        new: NewAttachment,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(Applied, Uuid), StoreError> {
        check_save(&change)?;
        let mut write = Write::begin(self.store, actor, now).await?;
        let applied = CatalogRepo::new(self.store)
            .apply_in(&mut write, change)
            .await?;
        let id = Uuid::now_v7();
        let revision = revision_number(applied.head_revision);
        attachment::Entity::insert(attachment::ActiveModel {
            id: Set(id),
            sha256: Set(new.sha256),
            size: Set(i64::try_from(new.size).unwrap_or(i64::MAX)),
            media_type: Set(new.media_type),
            created_at: Set(now),
            created_by: Set(actor.account_id),
        })
        .exec_without_returning(&write.txn)
        .await?;
        let last: Option<i32> = revision_attachment::Entity::find()
            .filter(revision_attachment::Column::PracticeId.eq(applied.practice_id))
            .filter(revision_attachment::Column::Revision.eq(revision))
            .select_only()
            .column_as(revision_attachment::Column::Position.max(), "position")
            .into_tuple::<Option<i32>>()
            .one(&write.txn)
            .await?
            .flatten();
        revision_attachment::Entity::insert(revision_attachment::ActiveModel {
            practice_id: Set(applied.practice_id),
            revision: Set(revision),
            attachment_id: Set(id),
            name: Set(new.name),
            position: Set(last.map_or(0, |p| p.saturating_add(1))),
        })
        .exec_without_returning(&write.txn)
        .await?;
        write.audit(
            AuditEntry::new("attachment.add")
                .on("attachment", id)
                .with("practice", applied.practice_id.to_string())
                .with("revision", applied.head_revision),
        );
        write.commit().await?;
        Ok((applied, id))
    }

    /// Writes the decided draft save `change` (the same text) without attachment `id` in its
    /// list; `NotFound` when the newest revision does not list it (nothing is written).
    pub async fn detach(
        &self,
        change: PracticeChange,
        id: Uuid,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Applied, StoreError> {
        check_save(&change)?;
        let mut write = Write::begin(self.store, actor, now).await?;
        let applied = CatalogRepo::new(self.store)
            .apply_in(&mut write, change)
            .await?;
        let removed = revision_attachment::Entity::delete_many()
            .filter(revision_attachment::Column::PracticeId.eq(applied.practice_id))
            .filter(
                revision_attachment::Column::Revision.eq(revision_number(applied.head_revision)),
            )
            .filter(revision_attachment::Column::AttachmentId.eq(id))
            .exec(&write.txn)
            .await?;
        if removed.rows_affected == 0 {
            // Dropping the write rolls the new revision back.
            return Err(StoreError::NotFound);
        }
        write.audit(
            AuditEntry::new("attachment.remove")
                .on("attachment", id)
                .with("practice", applied.practice_id.to_string())
                .with("revision", applied.head_revision),
        );
        write.commit().await?;
        Ok(applied)
    }

    /// The attachments of one revision, in their order.
    pub async fn list(
        &self,
        practice_id: Uuid,
        revision: u32,
    ) -> Result<Vec<AttachmentView>, StoreError> {
        let conn = self.store.connection();
        let links = revision_attachment::Entity::find()
            .filter(revision_attachment::Column::PracticeId.eq(practice_id))
            .filter(revision_attachment::Column::Revision.eq(revision_number(revision)))
            .order_by_asc(revision_attachment::Column::Position)
            .all(conn)
            .await?;
        let rows: HashMap<Uuid, attachment::Model> = attachment::Entity::find()
            .filter(attachment::Column::Id.is_in(links.iter().map(|l| l.attachment_id)))
            .all(conn)
            .await?
            .into_iter()
            .map(|row| (row.id, row))
            .collect();
        links
            .into_iter()
            .map(|link| {
                let row = rows.get(&link.attachment_id).ok_or_else(|| {
                    StoreError::corrupt("revision_attachment.attachment_id", link.attachment_id)
                })?;
                view(row.clone(), link.name)
            })
            .collect()
    }

    /// An attachment, the practice it belongs to and whether it is public.
    pub async fn access(&self, id: Uuid) -> Result<AttachmentAccess, StoreError> {
        let conn = self.store.connection();
        let row = attachment::Entity::find_by_id(id)
            .one(conn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let links = revision_attachment::Entity::find()
            .filter(revision_attachment::Column::AttachmentId.eq(id))
            .order_by_desc(revision_attachment::Column::Revision)
            .all(conn)
            .await?;
        // A file is uploaded for one practice; a file in no revision is nobody's.
        let newest = links.first().ok_or(StoreError::NotFound)?;
        let practice = practice::Entity::find_by_id(newest.practice_id)
            .one(conn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let published = practice
            .published_revision
            .filter(|_| practice.status == Status::Published.as_str());
        let public_link = links
            .iter()
            .find(|l| l.practice_id == practice.id && Some(l.revision) == published);
        let name = public_link.unwrap_or(newest).name.clone();
        Ok(AttachmentAccess {
            attachment: view(row, name)?,
            practice_id: practice.id,
            public: public_link.is_some(),
        })
    }
}

fn check_save(change: &PracticeChange) -> Result<(), StoreError> {
    if change.action == Action::SaveDraft {
        Ok(())
    } else {
        Err(StoreError::corrupt(
            "revision_attachment",
            "attachments change only with a draft save",
        ))
    }
}

fn view(row: attachment::Model, name: String) -> Result<AttachmentView, StoreError> {
    Ok(AttachmentView {
        id: row.id,
        name,
        size: u64::try_from(row.size).map_err(|e| StoreError::corrupt("attachment.size", e))?,
        sha256: row.sha256,
        media_type: row.media_type,
        created_at: row.created_at,
        created_by: row.created_by,
    })
}

/// Copies the attachment lists of revisions `from` to the new revisions `to`, for each
/// `(practice, from, to)`: what a new revision lists unless it changes the list itself.
pub(crate) async fn carry_over(
    conn: &impl ConnectionTrait,
    steps: &[(Uuid, i32, i32)],
) -> Result<(), StoreError> {
    for chunk in steps.chunks(super::BATCH_ROWS) {
        let wanted: HashMap<(Uuid, i32), i32> = chunk
            .iter()
            .map(|(practice, from, to)| ((*practice, *from), *to))
            .collect();
        let sources = chunk
            .iter()
            .fold(Condition::any(), |any, (practice, from, _)| {
                any.add(
                    Condition::all()
                        .add(revision_attachment::Column::PracticeId.eq(*practice))
                        .add(revision_attachment::Column::Revision.eq(*from)),
                )
            });
        let rows: Vec<revision_attachment::ActiveModel> = revision_attachment::Entity::find()
            .filter(sources)
            .all(conn)
            .await?
            .into_iter()
            .filter_map(|link| {
                let to = *wanted.get(&(link.practice_id, link.revision))?;
                Some(revision_attachment::ActiveModel {
                    practice_id: Set(link.practice_id),
                    revision: Set(to),
                    attachment_id: Set(link.attachment_id),
                    name: Set(link.name),
                    position: Set(link.position),
                })
            })
            .collect();
        for rows in rows.chunks(super::BATCH_ROWS) {
            revision_attachment::Entity::insert_many(rows.to_vec())
                .exec_without_returning(conn)
                .await?;
        }
    }
    Ok(())
}
