use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use riusa_domain::catalog::workflow::DraftState;
use riusa_domain::catalog::{KnownReferences, OwnerRole, Period, PracticeRecord, Sections, Status};
use riusa_domain::{DomainError, FieldError, Violation};
use sea_orm::{
    ActiveValue::{Set, Unchanged},
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::de::DeserializeOwned;
use uuid::Uuid;

mod references;
mod workflow;

pub use workflow::{Applied, CommentView, QueueFilter, QueueItem, RevisionSummary, RevisionView};

use super::feed::{EntityKind, FeedOp};
use super::organizations::{municipalities_by_code, organization_views};
use super::write::{Actor, AuditEntry, Write};
use crate::entities::{
    organization, practice, practice_owner, practice_place, practice_revision, practice_theme,
    theme,
};
use crate::views::{OwnerView, PlaceView, PracticeView, ThemeRef, ThemeView};
use crate::{Store, StoreError};

/// A theme of the curated taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct NewTheme {
    pub slug: String,
    pub name: String,
    pub description: String,
}

/// What an idempotent practice import did to one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpsertOutcome {
    Created(Uuid),
    Updated(Uuid),
    Unchanged(Uuid),
}

impl UpsertOutcome {
    pub fn id(self) -> Uuid {
        match self {
            UpsertOutcome::Created(id)
            | UpsertOutcome::Updated(id)
            | UpsertOutcome::Unchanged(id) => id,
        }
    }
}

/// Which practices a listing or an export covers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PracticeFilter {
    pub status: Option<Status>,
}

impl PracticeFilter {
    pub fn published() -> Self {
        Self {
            status: Some(Status::Published),
        }
    }

    fn condition(self) -> Condition {
        let mut condition = Condition::all();
        if let Some(status) = self.status {
            condition = condition.add(practice::Column::Status.eq(status.as_str()));
        }
        condition
    }
}

pub struct CatalogRepo<'a> {
    store: &'a Store,
}

/// An import in progress (see [`CatalogRepo::begin_import`]): nothing it writes is visible
/// before [`PracticeImport::commit`], and dropping it uncommitted writes nothing.
pub struct PracticeImport {
    write: Write,
    themes: HashMap<String, Uuid>,
    /// Every practice written so far: a later record naming one again is a conflict.
    targets: HashSet<Uuid>,
    /// Created or updated practices, sent to the change feed at commit.
    changed: Vec<Uuid>,
    created: usize,
    now: DateTime<Utc>,
}

impl PracticeImport {
    /// Creates or updates these records; an identical record is left alone.
    pub async fn add(
        &mut self,
        records: &[PracticeRecord],
    ) -> Result<Vec<UpsertOutcome>, StoreError> {
        let mut outcomes = Vec::with_capacity(records.len());
        for chunk in records.chunks(super::BATCH_ROWS) {
            let batch = upsert_batch(
                &self.write.txn,
                chunk,
                &self.themes,
                &mut self.targets,
                self.now,
            )
            .await?;
            self.created += batch
                .iter()
                .filter(|o| matches!(o, UpsertOutcome::Created(_)))
                .count();
            self.changed.extend(
                batch
                    .iter()
                    .filter(|o| !matches!(o, UpsertOutcome::Unchanged(_)))
                    .map(|o| o.id()),
            );
            outcomes.extend(batch);
        }
        Ok(outcomes)
    }

    /// Writes the change feed and commits: every record added is written, or none is.
    pub async fn commit(mut self) -> Result<(), StoreError> {
        self.write
            .changed_all(EntityKind::Practice, &self.changed, FeedOp::Upsert);
        self.write.audit(
            AuditEntry::new("practice.import")
                .with("created", self.created)
                .with("updated", self.changed.len() - self.created),
        );
        self.write.commit().await
    }
}

impl<'a> CatalogRepo<'a> {
    pub(crate) fn new(store: &'a Store) -> Self {
        Self { store }
    }

    /// Adds the themes that are missing, by slug; existing ones are left as editors left them.
    pub async fn ensure_themes(
        &self,
        themes: &[NewTheme],
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let operator = Actor::operator();
        let mut write = Write::begin(self.store, &operator, now).await?;
        let txn = &write.txn;
        let existing: HashSet<String> = theme::Entity::find()
            .select_only()
            .column(theme::Column::Slug)
            .into_tuple::<String>()
            .all(txn)
            .await?
            .into_iter()
            .collect();
        let mut added = Vec::new();
        for (position, new) in themes.iter().enumerate() {
            if existing.contains(&new.slug) {
                continue;
            }
            let id = Uuid::now_v7();
            theme::Entity::insert(theme::ActiveModel {
                id: Set(id),
                slug: Set(new.slug.clone()),
                name: Set(new.name.clone()),
                description: Set(new.description.clone()),
                position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            })
            .exec_without_returning(txn)
            .await?;
            added.push(id);
        }
        if !added.is_empty() {
            write.changed_all(EntityKind::Theme, &added, FeedOp::Upsert);
            write.audit(AuditEntry::new("theme.add").with("added", added.len()));
        }
        write.commit().await?;
        Ok(added.len())
    }

    /// All themes, in the taxonomy's order.
    pub async fn themes(&self) -> Result<Vec<ThemeView>, StoreError> {
        Ok(theme::Entity::find()
            .order_by_asc(theme::Column::Position)
            .order_by_asc(theme::Column::Slug)
            .all(self.store.connection())
            .await?
            .into_iter()
            .map(theme_view)
            .collect())
    }

    pub async fn theme_by_slug(&self, slug: &str) -> Result<ThemeView, StoreError> {
        theme::Entity::find()
            .filter(theme::Column::Slug.eq(slug))
            .one(self.store.connection())
            .await?
            .map(theme_view)
            .ok_or(StoreError::NotFound)
    }

    /// The themes, administrations and places a batch of records may name.
    pub async fn known_references(&self) -> Result<KnownReferences, StoreError> {
        let themes = theme::Entity::find()
            .select_only()
            .column(theme::Column::Slug)
            .into_tuple::<String>()
            .all(self.store.connection())
            .await?
            .into_iter()
            .collect();
        Ok(KnownReferences {
            themes,
            organizations: self.store.organizations().known_codes().await?,
            places: self.store.organizations().municipality_codes().await?,
        })
    }

    pub async fn count(&self, filter: PracticeFilter) -> Result<u64, StoreError> {
        Ok(practice::Entity::find()
            .filter(filter.condition())
            .count(self.store.connection())
            .await?)
    }

    /// Creates or updates validated records in one transaction: the same id or slug updates,
    /// never duplicates; an identical record is left alone and not sent to the change feed.
    pub async fn upsert_practices(
        &self,
        records: &[PracticeRecord],
        now: DateTime<Utc>,
    ) -> Result<Vec<UpsertOutcome>, StoreError> {
        let mut import = self.begin_import(now).await?;
        let outcomes = import.add(records).await?;
        import.commit().await?;
        Ok(outcomes)
    }

    /// Starts an import that takes its records batch by batch, all in one transaction, so that
    /// a file of any size is written whole or not at all without being held in memory.
    /// Imports are the operator's: the records replace the public text as they are.
    pub async fn begin_import(&self, now: DateTime<Utc>) -> Result<PracticeImport, StoreError> {
        let write = Write::begin(self.store, &Actor::operator(), now).await?;
        let themes: HashMap<String, Uuid> = theme::Entity::find()
            .all(&write.txn)
            .await?
            .into_iter()
            .map(|t| (t.slug, t.id))
            .collect();
        Ok(PracticeImport {
            write,
            themes,
            targets: HashSet::new(),
            changed: Vec::new(),
            created: 0,
            now,
        })
    }

    /// A practice as the public sees it: published, or not found (drafts, practices in review
    /// and archived ones do not exist for visitors).
    pub async fn published_by_slug(&self, slug: &str) -> Result<PracticeView, StoreError> {
        self.published(practice::Column::Slug.eq(slug)).await
    }

    /// [`CatalogRepo::published_by_slug`], by id.
    pub async fn published_by_id(&self, id: Uuid) -> Result<PracticeView, StoreError> {
        self.published(practice::Column::Id.eq(id)).await
    }

    async fn published(
        &self,
        key: sea_orm::sea_query::SimpleExpr,
    ) -> Result<PracticeView, StoreError> {
        let row = practice::Entity::find()
            .filter(key)
            .filter(practice::Column::Status.eq(Status::Published.as_str()))
            .one(self.store.connection())
            .await?
            .ok_or(StoreError::NotFound)?;
        first(load_views(self.store.connection(), vec![row]).await?)
    }

    /// Any practice, whatever its state: for the people working on it and the operator.
    pub async fn view_by_slug(&self, slug: &str) -> Result<PracticeView, StoreError> {
        let row = practice::Entity::find()
            .filter(practice::Column::Slug.eq(slug))
            .one(self.store.connection())
            .await?
            .ok_or(StoreError::NotFound)?;
        first(load_views(self.store.connection(), vec![row]).await?)
    }

    /// Any practice, whatever its state: for the people working on it and the operator.
    pub async fn view_by_id(&self, id: Uuid) -> Result<PracticeView, StoreError> {
        let row = practice::Entity::find_by_id(id)
            .one(self.store.connection())
            .await?
            .ok_or(StoreError::NotFound)?;
        first(load_views(self.store.connection(), vec![row]).await?)
    }

    /// The practices with these ids, in the order given; unknown ids are skipped.
    pub async fn views(&self, ids: &[Uuid]) -> Result<Vec<PracticeView>, StoreError> {
        let mut found = HashMap::new();
        for chunk in ids.chunks(super::BATCH_ROWS) {
            let rows = practice::Entity::find()
                .filter(practice::Column::Id.is_in(chunk.iter().copied()))
                .all(self.store.connection())
                .await?;
            for view in load_views(self.store.connection(), rows).await? {
                found.insert(view.id, view);
            }
        }
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// A page of practices ordered by slug, after `after_slug`: exports walk the catalog this way.
    pub async fn views_after_slug(
        &self,
        after_slug: Option<&str>,
        limit: u64,
        filter: PracticeFilter,
    ) -> Result<Vec<PracticeView>, StoreError> {
        let mut select = practice::Entity::find().filter(filter.condition());
        if let Some(after) = after_slug {
            select = select.filter(practice::Column::Slug.gt(after));
        }
        let rows = select
            .order_by_asc(practice::Column::Slug)
            .limit(limit)
            .all(self.store.connection())
            .await?;
        load_views(self.store.connection(), rows).await
    }

    /// The sections of these practices, for search snippets (one light query).
    pub async fn sections(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, Sections>, StoreError> {
        let rows: Vec<(Uuid, String)> = practice::Entity::find()
            .filter(practice::Column::Id.is_in(ids.iter().copied()))
            .select_only()
            .column(practice::Column::Id)
            .column(practice::Column::Sections)
            .into_tuple()
            .all(self.store.connection())
            .await?;
        rows.into_iter()
            .map(|(id, sections)| Ok((id, decode("practice.sections", &sections)?)))
            .collect()
    }

    /// Ids of practices that name this administration as owner or partner.
    pub async fn ids_by_organization(
        &self,
        organization_id: Uuid,
    ) -> Result<Vec<Uuid>, StoreError> {
        Ok(practice_owner::Entity::find()
            .filter(practice_owner::Column::OrganizationId.eq(organization_id))
            .select_only()
            .column(practice_owner::Column::PracticeId)
            .into_tuple::<Uuid>()
            .all(self.store.connection())
            .await?)
    }

    /// Ids of practices filed under this theme.
    pub async fn ids_by_theme(&self, theme_id: Uuid) -> Result<Vec<Uuid>, StoreError> {
        Ok(practice_theme::Entity::find()
            .filter(practice_theme::Column::ThemeId.eq(theme_id))
            .select_only()
            .column(practice_theme::Column::PracticeId)
            .into_tuple::<Uuid>()
            .all(self.store.connection())
            .await?)
    }
}

fn theme_view(row: theme::Model) -> ThemeView {
    ThemeView {
        id: row.id,
        slug: row.slug,
        name: row.name,
        description: row.description,
    }
}

fn first(mut views: Vec<PracticeView>) -> Result<PracticeView, StoreError> {
    if views.is_empty() {
        Err(StoreError::NotFound)
    } else {
        Ok(views.swap_remove(0))
    }
}

async fn upsert_batch(
    txn: &impl ConnectionTrait,
    records: &[PracticeRecord],
    themes: &HashMap<String, Uuid>,
    targets: &mut HashSet<Uuid>,
    now: DateTime<Utc>,
) -> Result<Vec<UpsertOutcome>, StoreError> {
    let ipa_codes: HashSet<&str> = records
        .iter()
        .flat_map(|r| r.owners.iter().map(|o| o.ipa.as_str()))
        .collect();
    let organizations: HashMap<String, Uuid> = organization::Entity::find()
        .filter(organization::Column::IpaCode.is_in(ipa_codes))
        .select_only()
        .column(organization::Column::IpaCode)
        .column(organization::Column::Id)
        .into_tuple::<(String, Uuid)>()
        .all(txn)
        .await?
        .into_iter()
        .collect();
    let place_codes: HashSet<String> = records
        .iter()
        .flat_map(|r| r.places.iter().cloned())
        .collect();
    let places: HashSet<String> = municipalities_by_code(txn, place_codes)
        .await?
        .into_keys()
        .collect();
    let known = KnownReferences {
        themes: themes.keys().cloned().collect(),
        organizations,
        places,
    };
    for record in records {
        record.check_references(&known)?;
    }

    let ids: Vec<Uuid> = records.iter().filter_map(|r| r.id).collect();
    let slugs: Vec<&str> = records.iter().map(|r| r.slug.as_str()).collect();
    let existing_rows = practice::Entity::find()
        .filter(
            Condition::any()
                .add(practice::Column::Id.is_in(ids))
                .add(practice::Column::Slug.is_in(slugs)),
        )
        .all(txn)
        .await?;
    let by_slug: HashMap<String, Uuid> = existing_rows
        .iter()
        .map(|r| (r.slug.clone(), r.id))
        .collect();
    let existing: HashMap<Uuid, PracticeView> = load_views(txn, existing_rows)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();

    let mut outcomes = Vec::with_capacity(records.len());
    let mut fresh = Vec::new();
    let mut rewritten = Vec::new();
    let mut revisions = Vec::new();
    let mut carried = Vec::new();
    for record in records {
        let slug_owner = by_slug.get(&record.slug).copied();
        let id = match (record.id, slug_owner) {
            (Some(id), Some(other)) if other != id => {
                return Err(StoreError::Conflict {
                    field: "slug",
                    value: record.slug.clone(),
                });
            }
            (Some(id), _) => id,
            (None, Some(id)) => id,
            (None, None) => Uuid::now_v7(),
        };
        if !targets.insert(id) {
            return Err(StoreError::Conflict {
                field: "slug",
                value: record.slug.clone(),
            });
        }
        let mut wanted = record.clone();
        wanted.id = Some(id);
        // The source's date says when the text changed; a date ahead of this clock is not
        // believed. It is not content, so it is neither compared nor kept in revisions.
        let updated_at = wanted.updated.take().map_or(now, |date| date.min(now));
        match existing.get(&id) {
            Some(current) if current.to_record() == wanted => {
                outcomes.push(UpsertOutcome::Unchanged(id))
            }
            Some(current) => {
                let workflow = RowWorkflow::imported(
                    &wanted,
                    current.head_revision,
                    current.published_revision,
                );
                revisions.push(workflow::revision_row(id, &workflow, &wanted, None, now)?);
                carried.push((
                    id,
                    revision_number(current.head_revision),
                    revision_number(workflow.head_revision),
                ));
                let mut row = practice_row(&wanted, id, current.created_at, updated_at, &workflow)?;
                row.id = Unchanged(id);
                practice::Entity::update(row).exec(txn).await?;
                rewritten.push((id, wanted));
                outcomes.push(UpsertOutcome::Updated(id));
            }
            None => {
                let workflow = RowWorkflow::imported(&wanted, 0, None);
                revisions.push(workflow::revision_row(id, &workflow, &wanted, None, now)?);
                fresh.push(practice_row(&wanted, id, now, updated_at, &workflow)?);
                rewritten.push((id, wanted));
                outcomes.push(UpsertOutcome::Created(id));
            }
        }
    }
    if !fresh.is_empty() {
        practice::Entity::insert_many(fresh)
            .exec_without_returning(txn)
            .await?;
    }
    write_children(txn, &rewritten, themes, &known.organizations).await?;
    for chunk in revisions.chunks(super::BATCH_ROWS) {
        practice_revision::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    // An imported text replaces the words, not the files.
    super::attachments::carry_over(txn, &carried).await?;
    Ok(outcomes)
}

/// The workflow columns a practice row is written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RowWorkflow {
    pub(crate) draft: DraftState,
    pub(crate) head_revision: u32,
    pub(crate) published_revision: Option<u32>,
}

impl RowWorkflow {
    /// An imported record is the newest text: one revision more, a publication when it is
    /// published; a draft somebody had in progress is left in the history.
    fn imported(record: &PracticeRecord, head: u32, published: Option<u32>) -> RowWorkflow {
        let head_revision = head + 1;
        RowWorkflow {
            draft: DraftState::None,
            head_revision,
            published_revision: if record.status == Status::Published {
                Some(head_revision)
            } else {
                published
            },
        }
    }

    /// Whether the revision with the head number is a publication.
    pub(crate) fn head_is_publication(&self) -> bool {
        self.published_revision == Some(self.head_revision)
    }
}

pub(crate) fn revision_number(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

fn practice_row(
    record: &PracticeRecord,
    id: Uuid,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    workflow: &RowWorkflow,
) -> Result<practice::ActiveModel, StoreError> {
    let json = |what: &'static str, value: serde_json::Result<String>| {
        value.map_err(|e| StoreError::corrupt(what, e))
    };
    Ok(practice::ActiveModel {
        id: Set(id),
        slug: Set(record.slug.clone()),
        title: Set(record.title.clone()),
        summary: Set(record.summary.clone()),
        status: Set(record.status.as_str().to_owned()),
        license: Set(record.license.clone()),
        language: Set(record.language.clone()),
        period_start: Set(record.period.as_ref().map(|p| p.start)),
        period_end: Set(record.period.as_ref().and_then(|p| p.end)),
        funding: Set(json("funding", serde_json::to_string(&record.funding))?),
        sections: Set(json("sections", serde_json::to_string(&record.sections))?),
        support_offered: Set(json(
            "support_offered",
            serde_json::to_string(&record.support_offered),
        )?),
        metrics: Set(json("metrics", serde_json::to_string(&record.metrics))?),
        links: Set(json("links", serde_json::to_string(&record.links))?),
        created_at: Set(created_at),
        updated_at: Set(updated_at),
        draft_state: Set(workflow.draft.as_str().to_owned()),
        head_revision: Set(revision_number(workflow.head_revision)),
        published_revision: Set(workflow.published_revision.map(revision_number)),
        review_requested_at: sea_orm::ActiveValue::NotSet,
    })
}

async fn write_children(
    txn: &impl ConnectionTrait,
    rewritten: &[(Uuid, PracticeRecord)],
    themes: &HashMap<String, Uuid>,
    organizations: &HashMap<String, Uuid>,
) -> Result<(), StoreError> {
    if rewritten.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = rewritten.iter().map(|(id, _)| *id).collect();
    practice_theme::Entity::delete_many()
        .filter(practice_theme::Column::PracticeId.is_in(ids.clone()))
        .exec(txn)
        .await?;
    practice_owner::Entity::delete_many()
        .filter(practice_owner::Column::PracticeId.is_in(ids.clone()))
        .exec(txn)
        .await?;
    practice_place::Entity::delete_many()
        .filter(practice_place::Column::PracticeId.is_in(ids))
        .exec(txn)
        .await?;

    let missing = |field: String, violation: Violation| {
        StoreError::Invalid(DomainError::Invalid(vec![FieldError::new(
            field, violation,
        )]))
    };
    let mut theme_rows = Vec::new();
    let mut owner_rows = Vec::new();
    let mut place_rows = Vec::new();
    for (id, record) in rewritten {
        for (position, slug) in record.themes.iter().enumerate() {
            let theme_id = themes.get(slug).ok_or_else(|| {
                missing(
                    format!("themes[{position}]"),
                    Violation::UnknownTheme { slug: slug.clone() },
                )
            })?;
            theme_rows.push(practice_theme::ActiveModel {
                practice_id: Set(*id),
                theme_id: Set(*theme_id),
                position: Set(position_of(position)),
            });
        }
        for (position, owner) in record.owners.iter().enumerate() {
            let organization_id = organizations.get(&owner.ipa).ok_or_else(|| {
                missing(
                    format!("owners[{position}].ipa"),
                    Violation::UnknownOrganization {
                        ipa: owner.ipa.clone(),
                    },
                )
            })?;
            owner_rows.push(practice_owner::ActiveModel {
                practice_id: Set(*id),
                organization_id: Set(*organization_id),
                role: Set(owner.role.as_str().to_owned()),
                position: Set(position_of(position)),
            });
        }
        for (position, istat) in record.places.iter().enumerate() {
            place_rows.push(practice_place::ActiveModel {
                practice_id: Set(*id),
                istat_code: Set(istat.clone()),
                position: Set(position_of(position)),
            });
        }
    }
    for chunk in theme_rows.chunks(super::BATCH_ROWS) {
        practice_theme::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    for chunk in owner_rows.chunks(super::BATCH_ROWS) {
        practice_owner::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    for chunk in place_rows.chunks(super::BATCH_ROWS) {
        practice_place::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

fn position_of(index: usize) -> i32 {
    i32::try_from(index).unwrap_or(i32::MAX)
}

fn decode<T: DeserializeOwned>(what: &'static str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::corrupt(what, e))
}

/// Resolves themes, owners and places of a batch of rows with one query per table.
async fn load_views(
    conn: &impl ConnectionTrait,
    rows: Vec<practice::Model>,
) -> Result<Vec<PracticeView>, StoreError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let themes: HashMap<Uuid, theme::Model> = theme::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();

    let mut theme_links = practice_theme::Entity::find()
        .filter(practice_theme::Column::PracticeId.is_in(ids.clone()))
        .all(conn)
        .await?;
    theme_links.sort_by_key(|l| l.position);
    let mut owner_links = practice_owner::Entity::find()
        .filter(practice_owner::Column::PracticeId.is_in(ids.clone()))
        .all(conn)
        .await?;
    owner_links.sort_by_key(|l| l.position);
    let mut place_links = practice_place::Entity::find()
        .filter(practice_place::Column::PracticeId.is_in(ids))
        .all(conn)
        .await?;
    place_links.sort_by_key(|l| l.position);

    let organization_ids: HashSet<Uuid> = owner_links.iter().map(|l| l.organization_id).collect();
    let organizations = organization::Entity::find()
        .filter(organization::Column::Id.is_in(organization_ids))
        .all(conn)
        .await?;
    let organizations: HashMap<Uuid, _> = organization_views(conn, organizations)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let municipalities = municipalities_by_code(
        conn,
        place_links.iter().map(|l| l.istat_code.clone()).collect(),
    )
    .await?;

    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        let status = Status::parse(&row.status)
            .ok_or_else(|| StoreError::corrupt("practice.status", &row.status))?;
        let period = row.period_start.map(|start| Period {
            start,
            end: row.period_end,
        });
        let theme_refs = theme_links
            .iter()
            .filter(|l| l.practice_id == row.id)
            .filter_map(|l| themes.get(&l.theme_id))
            .map(|t| ThemeRef {
                slug: t.slug.clone(),
                name: t.name.clone(),
            })
            .collect();
        let mut owners = Vec::new();
        for link in owner_links.iter().filter(|l| l.practice_id == row.id) {
            let role = OwnerRole::parse(&link.role)
                .ok_or_else(|| StoreError::corrupt("practice_owner.role", &link.role))?;
            if let Some(org) = organizations.get(&link.organization_id) {
                owners.push(OwnerView {
                    ipa_code: org.ipa_code.clone(),
                    name: org.name.clone(),
                    role,
                    category_name: org.category_name.clone(),
                    region_name: org.region_name().map(str::to_owned),
                });
            }
        }
        let places = place_links
            .iter()
            .filter(|l| l.practice_id == row.id)
            .filter_map(|l| municipalities.get(&l.istat_code))
            .map(|m| PlaceView {
                istat_code: m.istat_code.clone(),
                name: m.name.clone(),
                province_abbr: m.province_abbr.clone(),
                region_name: m.region_name.clone(),
            })
            .collect();
        views.push(PracticeView {
            id: row.id,
            funding: decode("practice.funding", &row.funding)?,
            sections: decode("practice.sections", &row.sections)?,
            support_offered: decode("practice.support_offered", &row.support_offered)?,
            metrics: decode("practice.metrics", &row.metrics)?,
            links: decode("practice.links", &row.links)?,
            slug: row.slug,
            title: row.title,
            summary: row.summary,
            status,
            license: row.license,
            language: row.language,
            period,
            themes: theme_refs,
            owners,
            places,
            created_at: row.created_at,
            updated_at: row.updated_at,
            draft: DraftState::parse(&row.draft_state)
                .ok_or_else(|| StoreError::corrupt("practice.draft_state", &row.draft_state))?,
            head_revision: u32::try_from(row.head_revision)
                .map_err(|e| StoreError::corrupt("practice.head_revision", e))?,
            published_revision: row
                .published_revision
                .map(u32::try_from)
                .transpose()
                .map_err(|e| StoreError::corrupt("practice.published_revision", e))?,
        });
    }
    Ok(views)
}
