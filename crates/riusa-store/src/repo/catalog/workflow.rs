//! Writes the editorial workflow's decisions (`riusa_domain::catalog::workflow`) and reads
//! what the people working on a practice see: the newest text, revisions, remarks, the queue.
//!
//! The `practice` row holds what the public sees, or, for a practice never published, its
//! newest draft. Revisions hold every saved text. Only a change to what the public sees
//! (publication, archive, restore, purge) goes to the feed as `practice`: drafts go as
//! `practice_draft`, which the search index and the shared caches ignore.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use chrono::{DateTime, Utc};
use riusa_domain::catalog::workflow::{
    Action, Audience, DraftState, PracticeChange, WorkflowState,
};
use riusa_domain::catalog::{KnownReferences, OwnerRole, PracticeRecord, SectionKey, Status};
use riusa_domain::{DomainError, Refusal};
use sea_orm::{
    ActiveValue::{Set, Unchanged},
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::{CatalogRepo, RowWorkflow, practice_row, revision_number, write_children};
use crate::entities::{
    account, organization, practice, practice_owner, practice_revision, practice_theme,
    review_comment, theme,
};
use crate::repo::accounts::account_names;
use crate::repo::attachments::carry_over;
use crate::repo::feed::{EntityKind, FeedOp};
use crate::repo::organizations::municipalities_by_code;
use crate::repo::write::{Actor, AuditEntry, NewNotification, Recipient, Write};
use crate::{Page, StoreError};

/// zstd's default level: records compress about 4:1 at well over 100 MB/s.
const COMPRESSION_LEVEL: i32 = 3;
/// A revision's JSON is at most a few hundred KB (14 sections of 20,000 characters).
const RECORD_MAX_BYTES: u64 = 16 * 1024 * 1024;

/// The state of a practice after a change was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub practice_id: Uuid,
    pub slug: String,
    pub status: Status,
    pub draft: DraftState,
    pub head_revision: u32,
}

/// One line of a practice's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionSummary {
    pub number: u32,
    pub is_publication: bool,
    pub author_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// One revision with its whole text.
#[derive(Debug, Clone, PartialEq)]
pub struct RevisionView {
    pub summary: RevisionSummary,
    pub record: PracticeRecord,
}

/// An editor's remark, as its authors see it beside the section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentView {
    pub revision: u32,
    pub section: Option<SectionKey>,
    pub body: String,
    pub author_name: String,
    pub created_at: DateTime<Utc>,
}

/// Which submitted drafts the review queue shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    pub theme: Option<String>,
    pub organization: Option<String>,
}

/// A practice waiting for review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueItem {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub status: Status,
    pub head_revision: u32,
    pub submitted_at: Option<DateTime<Utc>>,
}

pub(crate) fn encode_record(record: &PracticeRecord) -> Result<Vec<u8>, StoreError> {
    let json = serde_json::to_vec(record).map_err(|e| StoreError::corrupt("revision", e))?;
    zstd::bulk::compress(&json, COMPRESSION_LEVEL).map_err(|e| StoreError::corrupt("revision", e))
}

fn decode_record(bytes: &[u8]) -> Result<PracticeRecord, StoreError> {
    let mut json = Vec::new();
    zstd::stream::read::Decoder::new(bytes)
        .map_err(|e| StoreError::corrupt("practice_revision.record", e))?
        .take(RECORD_MAX_BYTES)
        .read_to_end(&mut json)
        .map_err(|e| StoreError::corrupt("practice_revision.record", e))?;
    serde_json::from_slice(&json).map_err(|e| StoreError::corrupt("practice_revision.record", e))
}

pub(crate) fn revision_row(
    practice_id: Uuid,
    workflow: &RowWorkflow,
    record: &PracticeRecord,
    author: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<practice_revision::ActiveModel, StoreError> {
    Ok(practice_revision::ActiveModel {
        practice_id: Set(practice_id),
        number: Set(revision_number(workflow.head_revision)),
        kind: Set(if workflow.head_is_publication() {
            "publication".to_owned()
        } else {
            "draft".to_owned()
        }),
        record: Set(encode_record(record)?),
        author_id: Set(author),
        created_at: Set(now),
    })
}

fn to_u32(value: i32, what: &'static str) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(|e| StoreError::corrupt(what, e))
}

fn parse_status(value: &str) -> Result<Status, StoreError> {
    Status::parse(value).ok_or_else(|| StoreError::corrupt("practice.status", value))
}

fn parse_draft(value: &str) -> Result<DraftState, StoreError> {
    DraftState::parse(value).ok_or_else(|| StoreError::corrupt("practice.draft_state", value))
}

fn stale(expected: u32, current: u32) -> StoreError {
    StoreError::Invalid(DomainError::Refused(Refusal::Stale { expected, current }))
}

/// The newest text of a practice: its head revision, or the row for practices imported before
/// revisions existed.
async fn head_text(
    conn: &impl ConnectionTrait,
    row: &practice::Model,
) -> Result<PracticeRecord, StoreError> {
    if row.head_revision > 0
        && let Some(revision) = practice_revision::Entity::find_by_id((row.id, row.head_revision))
            .one(conn)
            .await?
    {
        return decode_record(&revision.record);
    }
    let views = super::load_views(conn, vec![row.clone()]).await?;
    Ok(super::first(views)?.to_record())
}

/// Organization ids of the administrations named as owners (not partners) by `record`.
async fn owner_ids(
    conn: &impl ConnectionTrait,
    record: &PracticeRecord,
) -> Result<Vec<Uuid>, StoreError> {
    let codes: Vec<&str> = record
        .owners
        .iter()
        .filter(|o| o.role == OwnerRole::Owner)
        .map(|o| o.ipa.as_str())
        .collect();
    Ok(organization::Entity::find()
        .filter(organization::Column::IpaCode.is_in(codes))
        .select_only()
        .column(organization::Column::Id)
        .into_tuple::<Uuid>()
        .all(conn)
        .await?)
}

/// Everything a record may name, looked up for this record only.
async fn references(
    conn: &impl ConnectionTrait,
    record: &PracticeRecord,
) -> Result<(KnownReferences, HashMap<String, Uuid>), StoreError> {
    let themes: HashMap<String, Uuid> = theme::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|t| (t.slug, t.id))
        .collect();
    let codes: Vec<&str> = record.owners.iter().map(|o| o.ipa.as_str()).collect();
    let organizations: HashMap<String, Uuid> = organization::Entity::find()
        .filter(organization::Column::IpaCode.is_in(codes))
        .select_only()
        .column(organization::Column::IpaCode)
        .column(organization::Column::Id)
        .into_tuple::<(String, Uuid)>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let places = municipalities_by_code(conn, record.places.iter().cloned().collect())
        .await?
        .into_keys()
        .collect();
    Ok((
        KnownReferences {
            themes: themes.keys().cloned().collect(),
            organizations,
            places,
        },
        themes,
    ))
}

impl CatalogRepo<'_> {
    /// The workflow side of a practice, for the domain to decide on.
    pub async fn workflow(&self, id: Uuid) -> Result<WorkflowState, StoreError> {
        let conn = self.store.connection();
        let row = practice::Entity::find_by_id(id)
            .one(conn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let text = head_text(conn, &row).await?;
        Ok(WorkflowState {
            status: parse_status(&row.status)?,
            draft: parse_draft(&row.draft_state)?,
            head_revision: to_u32(row.head_revision, "practice.head_revision")?,
            published_revision: row
                .published_revision
                .map(|n| to_u32(n, "practice.published_revision"))
                .transpose()?,
            owners: owner_ids(conn, &text).await?,
        })
    }

    /// The owner administrations a record names, as the workflow's rules need them.
    pub async fn owner_ids(&self, record: &PracticeRecord) -> Result<Vec<Uuid>, StoreError> {
        owner_ids(self.store.connection(), record).await
    }

    /// The newest text of a practice (what its authors edit) and its revision number.
    pub async fn head_record(&self, id: Uuid) -> Result<(PracticeRecord, u32), StoreError> {
        let conn = self.store.connection();
        let row = practice::Entity::find_by_id(id)
            .one(conn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let head = to_u32(row.head_revision, "practice.head_revision")?;
        Ok((head_text(conn, &row).await?, head))
    }

    /// Writes a decided change: rows, revision, remarks, feed entry and audit event in one
    /// transaction. A head revision newer than the one decided on is refused as stale.
    pub async fn apply(
        &self,
        change: PracticeChange,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Applied, StoreError> {
        let mut write = Write::begin(self.store, actor, now).await?;
        let applied = self.apply_in(&mut write, change).await?;
        write.commit().await?;
        Ok(applied)
    }

    /// [`CatalogRepo::apply`] inside a write that goes on (an attachment added to the new
    /// revision); the caller commits.
    pub(crate) async fn apply_in(
        &self,
        write: &mut Write,
        change: PracticeChange,
    ) -> Result<Applied, StoreError> {
        let now = write.now;
        let id = change.practice_id;
        let row = practice::Entity::find_by_id(id).one(&write.txn).await?;
        let workflow = RowWorkflow {
            draft: change.draft,
            head_revision: change.head_revision,
            published_revision: change.published_revision,
        };
        let audit = AuditEntry::new(audit_action(change.action))
            .on("practice", id)
            .with("revision", change.head_revision);
        let slug = match (change.action, row) {
            (Action::Create, Some(_)) => {
                return Err(StoreError::Conflict {
                    field: "id",
                    value: id.to_string(),
                });
            }
            (Action::Create, None) => {
                let record = content(&change)?;
                self.write_text(write, id, record, &workflow, None, now)
                    .await?;
                write.changed(EntityKind::PracticeDraft, id, FeedOp::Upsert);
                record.slug.clone()
            }
            (_, None) => return Err(StoreError::NotFound),
            (action, Some(row)) => {
                let current = to_u32(row.head_revision, "practice.head_revision")?;
                if let Some(expected) = change.expected_head
                    && expected != current
                {
                    return Err(stale(expected, current));
                }
                let title = row.title.clone();
                let slug = self
                    .apply_to_row(write, action, &change, &workflow, row, now)
                    .await?;
                notify_audience(write, action, id, &title, &slug).await?;
                slug
            }
        };
        write.audit(audit);
        Ok(Applied {
            practice_id: id,
            slug,
            status: change.status,
            draft: change.draft,
            head_revision: change.head_revision,
        })
    }

    async fn apply_to_row(
        &self,
        write: &mut Write,
        action: Action,
        change: &PracticeChange,
        workflow: &RowWorkflow,
        row: practice::Model,
        now: DateTime<Utc>,
    ) -> Result<String, StoreError> {
        let id = row.id;
        let author = write.actor().account_id;
        match action {
            Action::Create => unreachable_create(),
            Action::SaveDraft => {
                let record = content(change)?;
                check_slug_free(&write.txn, id, &record.slug).await?;
                let (known, _) = references(&write.txn, record).await?;
                record.check_references(&known)?;
                let revision = revision_row(id, workflow, record, author, now)?;
                practice_revision::Entity::insert(revision)
                    .exec_without_returning(&write.txn)
                    .await?;
                carry_over(
                    &write.txn,
                    &[(
                        id,
                        row.head_revision,
                        revision_number(workflow.head_revision),
                    )],
                )
                .await?;
                if row.published_revision.is_none() {
                    // Nobody outside sees a practice never published: its row follows the draft.
                    self.rewrite_row(write, &row, record, workflow, now).await?;
                } else {
                    update_workflow(&write.txn, &row, change.status, workflow, None).await?;
                }
                write.changed(EntityKind::PracticeDraft, id, FeedOp::Upsert);
                Ok(record.slug.clone())
            }
            Action::Submit => {
                update_workflow(&write.txn, &row, change.status, workflow, Some(now)).await?;
                write.changed(EntityKind::PracticeDraft, id, FeedOp::Upsert);
                Ok(row.slug)
            }
            Action::RequestChanges => {
                let author = author.ok_or_else(|| {
                    StoreError::corrupt("review_comment.author_id", "remarks need an editor")
                })?;
                let rows = change.comments.iter().map(|c| review_comment::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    practice_id: Set(id),
                    revision: Set(row.head_revision),
                    section: Set(c.section.map(|s| s.as_str().to_owned())),
                    body: Set(c.body.clone()),
                    author_id: Set(author),
                    created_at: Set(now),
                });
                review_comment::Entity::insert_many(rows)
                    .exec_without_returning(&write.txn)
                    .await?;
                update_workflow(&write.txn, &row, change.status, workflow, None).await?;
                write.changed(EntityKind::PracticeDraft, id, FeedOp::Upsert);
                Ok(row.slug)
            }
            Action::Publish => {
                let mut record = head_text(&write.txn, &row).await?;
                record.status = Status::Published;
                check_slug_free(&write.txn, id, &record.slug).await?;
                let (known, _) = references(&write.txn, &record).await?;
                record.check_references(&known)?;
                practice_revision::Entity::insert(revision_row(
                    id, workflow, &record, author, now,
                )?)
                .exec_without_returning(&write.txn)
                .await?;
                carry_over(
                    &write.txn,
                    &[(
                        id,
                        row.head_revision,
                        revision_number(workflow.head_revision),
                    )],
                )
                .await?;
                self.rewrite_row(write, &row, &record, workflow, now)
                    .await?;
                write.changed(EntityKind::Practice, id, FeedOp::Upsert);
                Ok(record.slug)
            }
            Action::Archive | Action::Restore => {
                update_workflow(&write.txn, &row, change.status, workflow, None).await?;
                let kind = if change.public_change {
                    EntityKind::Practice
                } else {
                    EntityKind::PracticeDraft
                };
                write.changed(kind, id, FeedOp::Upsert);
                Ok(row.slug)
            }
            Action::Purge => {
                practice::Entity::delete_by_id(id).exec(&write.txn).await?;
                write.changed(EntityKind::Practice, id, FeedOp::Delete);
                Ok(row.slug)
            }
        }
    }

    /// Writes a new practice: its row, children and first revision.
    async fn write_text(
        &self,
        write: &Write,
        id: Uuid,
        record: &PracticeRecord,
        workflow: &RowWorkflow,
        created_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        check_slug_free(&write.txn, id, &record.slug).await?;
        let (known, themes) = references(&write.txn, record).await?;
        record.check_references(&known)?;
        let row = practice_row(record, id, created_at.unwrap_or(now), now, workflow)?;
        practice::Entity::insert(row)
            .exec_without_returning(&write.txn)
            .await?;
        write_children(
            &write.txn,
            &[(id, record.clone())],
            &themes,
            &known.organizations,
        )
        .await?;
        let author = write.actor().account_id;
        practice_revision::Entity::insert(revision_row(id, workflow, record, author, now)?)
            .exec_without_returning(&write.txn)
            .await?;
        Ok(())
    }

    /// Replaces a practice row's text (and its themes, owners and places) with `record`.
    async fn rewrite_row(
        &self,
        write: &Write,
        row: &practice::Model,
        record: &PracticeRecord,
        workflow: &RowWorkflow,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (known, themes) = references(&write.txn, record).await?;
        let mut active = practice_row(record, row.id, row.created_at, now, workflow)?;
        active.id = Unchanged(row.id);
        practice::Entity::update(active).exec(&write.txn).await?;
        write_children(
            &write.txn,
            &[(row.id, record.clone())],
            &themes,
            &known.organizations,
        )
        .await
    }

    /// Every revision of a practice, newest first.
    pub async fn revisions(&self, id: Uuid) -> Result<Vec<RevisionSummary>, StoreError> {
        let conn = self.store.connection();
        let rows: Vec<(i32, String, Option<Uuid>, DateTime<Utc>)> =
            practice_revision::Entity::find()
                .filter(practice_revision::Column::PracticeId.eq(id))
                .select_only()
                .column(practice_revision::Column::Number)
                .column(practice_revision::Column::Kind)
                .column(practice_revision::Column::AuthorId)
                .column(practice_revision::Column::CreatedAt)
                .order_by_desc(practice_revision::Column::Number)
                .into_tuple()
                .all(conn)
                .await?;
        let names = account_names(conn, rows.iter().filter_map(|r| r.2)).await?;
        rows.into_iter()
            .map(|(number, kind, author, created_at)| {
                Ok(RevisionSummary {
                    number: to_u32(number, "practice_revision.number")?,
                    is_publication: kind == "publication",
                    author_name: author.and_then(|a| names.get(&a).cloned()),
                    created_at,
                })
            })
            .collect()
    }

    /// One revision with its whole text.
    pub async fn revision(&self, id: Uuid, number: u32) -> Result<RevisionView, StoreError> {
        let conn = self.store.connection();
        let row = practice_revision::Entity::find_by_id((id, revision_number(number)))
            .one(conn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let names = account_names(conn, row.author_id).await?;
        Ok(RevisionView {
            summary: RevisionSummary {
                number,
                is_publication: row.kind == "publication",
                author_name: row.author_id.and_then(|a| names.get(&a).cloned()),
                created_at: row.created_at,
            },
            record: decode_record(&row.record)?,
        })
    }

    /// The editors' remarks on a practice, newest revision first.
    pub async fn comments(&self, id: Uuid) -> Result<Vec<CommentView>, StoreError> {
        let conn = self.store.connection();
        let rows = review_comment::Entity::find()
            .filter(review_comment::Column::PracticeId.eq(id))
            .order_by_desc(review_comment::Column::Revision)
            .order_by_asc(review_comment::Column::CreatedAt)
            .all(conn)
            .await?;
        let names = account_names(conn, rows.iter().map(|r| r.author_id)).await?;
        rows.into_iter()
            .map(|row| {
                Ok(CommentView {
                    revision: to_u32(row.revision, "review_comment.revision")?,
                    section: row.section.as_deref().and_then(SectionKey::parse),
                    body: row.body,
                    author_name: names.get(&row.author_id).cloned().unwrap_or_default(),
                    created_at: row.created_at,
                })
            })
            .collect()
    }

    /// Drafts waiting for review, oldest submission first.
    pub async fn review_queue(
        &self,
        filter: &QueueFilter,
        offset: u64,
        limit: u64,
    ) -> Result<Page<QueueItem>, StoreError> {
        let conn = self.store.connection();
        let mut condition =
            Condition::all().add(practice::Column::DraftState.eq(DraftState::InReview.as_str()));
        if let Some(slug) = &filter.theme {
            let theme_id = theme::Entity::find()
                .filter(theme::Column::Slug.eq(slug.as_str()))
                .select_only()
                .column(theme::Column::Id)
                .into_tuple::<Uuid>()
                .one(conn)
                .await?;
            let in_theme = practice_theme::Entity::find()
                .filter(practice_theme::Column::ThemeId.eq(theme_id.unwrap_or_default()))
                .select_only()
                .column(practice_theme::Column::PracticeId)
                .into_tuple::<Uuid>()
                .all(conn)
                .await?;
            condition = condition.add(practice::Column::Id.is_in(in_theme));
        }
        if let Some(ipa) = &filter.organization {
            let organization_id = organization::Entity::find()
                .filter(organization::Column::IpaCode.eq(ipa.to_lowercase()))
                .select_only()
                .column(organization::Column::Id)
                .into_tuple::<Uuid>()
                .one(conn)
                .await?;
            let owned = practice_owner::Entity::find()
                .filter(
                    practice_owner::Column::OrganizationId.eq(organization_id.unwrap_or_default()),
                )
                .select_only()
                .column(practice_owner::Column::PracticeId)
                .into_tuple::<Uuid>()
                .all(conn)
                .await?;
            condition = condition.add(practice::Column::Id.is_in(owned));
        }
        let select = practice::Entity::find().filter(condition);
        let total = select.clone().count(conn).await?;
        let rows = select
            .order_by_asc(practice::Column::ReviewRequestedAt)
            .order_by_asc(practice::Column::Id)
            .offset(offset)
            .limit(limit)
            .all(conn)
            .await?;
        let items = rows
            .into_iter()
            .map(|row| {
                Ok(QueueItem {
                    id: row.id,
                    status: parse_status(&row.status)?,
                    head_revision: to_u32(row.head_revision, "practice.head_revision")?,
                    submitted_at: row.review_requested_at,
                    slug: row.slug,
                    title: row.title,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(Page { items, total })
    }

    /// Practices owned by these administrations, in any state, most recently changed first.
    pub async fn owned_by(
        &self,
        organizations: &[Uuid],
        limit: u64,
    ) -> Result<Vec<crate::PracticeView>, StoreError> {
        let conn = self.store.connection();
        let ids: HashSet<Uuid> = practice_owner::Entity::find()
            .filter(practice_owner::Column::OrganizationId.is_in(organizations.iter().copied()))
            .filter(practice_owner::Column::Role.eq(OwnerRole::Owner.as_str()))
            .select_only()
            .column(practice_owner::Column::PracticeId)
            .into_tuple::<Uuid>()
            .all(conn)
            .await?
            .into_iter()
            .collect();
        let rows = practice::Entity::find()
            .filter(practice::Column::Id.is_in(ids))
            .order_by_desc(practice::Column::UpdatedAt)
            .limit(limit)
            .all(conn)
            .await?;
        super::load_views(conn, rows).await
    }
}

/// Tells the action's audience (except whoever did it), in the inbox and by email.
async fn notify_audience(
    write: &mut Write,
    action: Action,
    practice_id: Uuid,
    title: &str,
    slug: &str,
) -> Result<(), StoreError> {
    let (Some(audience), Some(kind)) = (action.audience(), action.notification_kind()) else {
        return Ok(());
    };
    let recipients: Vec<Uuid> = match audience {
        Audience::Editors => {
            account::Entity::find()
                .filter(account::Column::IsEditor.eq(true))
                .filter(account::Column::DisabledAt.is_null())
                .select_only()
                .column(account::Column::Id)
                .into_tuple::<Uuid>()
                .all(&write.txn)
                .await?
        }
        Audience::Authors => {
            let authors: HashSet<Uuid> = practice_revision::Entity::find()
                .filter(practice_revision::Column::PracticeId.eq(practice_id))
                .filter(practice_revision::Column::Kind.eq("draft"))
                .select_only()
                .column(practice_revision::Column::AuthorId)
                .into_tuple::<Option<Uuid>>()
                .all(&write.txn)
                .await?
                .into_iter()
                .flatten()
                .collect();
            authors.into_iter().collect()
        }
    };
    let actor = write.actor().account_id;
    for account_id in recipients.into_iter().filter(|r| Some(*r) != actor) {
        write.notify(NewNotification {
            recipient: Recipient::Account(account_id),
            kind,
            practice_id: Some(practice_id),
            params: serde_json::json!({ "title": title, "slug": slug, "id": practice_id }),
            email: true,
        });
    }
    Ok(())
}

fn unreachable_create() -> Result<String, StoreError> {
    Err(StoreError::corrupt(
        "practice",
        "a creation reached an existing row",
    ))
}

fn content(change: &PracticeChange) -> Result<&PracticeRecord, StoreError> {
    change
        .content
        .as_ref()
        .ok_or_else(|| StoreError::corrupt("practice_revision", "a draft without text"))
}

fn audit_action(action: Action) -> &'static str {
    match action {
        Action::Create => "practice.create",
        Action::SaveDraft => "practice.save_draft",
        Action::Submit => "practice.submit",
        Action::RequestChanges => "practice.request_changes",
        Action::Publish => "practice.publish",
        Action::Archive => "practice.archive",
        Action::Restore => "practice.restore",
        Action::Purge => "practice.purge",
    }
}

/// A slug names one practice: another one holding it is a conflict on `slug`.
async fn check_slug_free(
    conn: &impl ConnectionTrait,
    id: Uuid,
    slug: &str,
) -> Result<(), StoreError> {
    let taken = practice::Entity::find()
        .filter(practice::Column::Slug.eq(slug))
        .filter(practice::Column::Id.ne(id))
        .count(conn)
        .await?;
    if taken > 0 {
        Err(StoreError::Conflict {
            field: "slug",
            value: slug.to_owned(),
        })
    } else {
        Ok(())
    }
}

/// Updates only the workflow columns: the public text and its `updated_at` stay as they are.
async fn update_workflow(
    conn: &impl ConnectionTrait,
    row: &practice::Model,
    status: Status,
    workflow: &RowWorkflow,
    review_requested_at: Option<DateTime<Utc>>,
) -> Result<(), StoreError> {
    let mut active = practice::ActiveModel {
        id: Unchanged(row.id),
        status: Set(status.as_str().to_owned()),
        draft_state: Set(workflow.draft.as_str().to_owned()),
        head_revision: Set(revision_number(workflow.head_revision)),
        published_revision: Set(workflow.published_revision.map(revision_number)),
        ..Default::default()
    };
    if review_requested_at.is_some() {
        active.review_requested_at = Set(review_requested_at);
    }
    practice::Entity::update(active).exec(conn).await?;
    Ok(())
}
