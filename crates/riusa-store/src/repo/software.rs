//! The software catalog (decision 0024): records read from `publiccode.yml` files, identified
//! by their repository `url`.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use riusa_domain::organizations::normalize_ipa_code;
use riusa_domain::software::{Dependency, Description, Maintenance, NewSoftware, StoredFinding};
use riusa_domain::text::slug_from;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::catalog::UpsertOutcome;
use super::feed::{EntityKind, FeedOp};
use super::organizations::organization_views;
use super::write::{Actor, AuditEntry, Write};
use crate::entities::{organization, software};
use crate::views::OrganizationView;
use crate::{Page, Store, StoreError};

/// A software record as pages and the API show it (without the file's text: see
/// [`SoftwareRepo::source_by_slug`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SoftwareView {
    pub id: Uuid,
    pub slug: String,
    pub url: String,
    pub owner: Option<OrganizationView>,
    pub name: String,
    pub version: Option<String>,
    pub release_date: Option<NaiveDate>,
    pub development_status: Option<String>,
    pub software_type: Option<String>,
    pub license: Option<String>,
    pub platforms: Vec<String>,
    pub categories: Vec<String>,
    pub scopes: Vec<String>,
    pub descriptions: Vec<Description>,
    pub maintenance: Maintenance,
    pub dependencies: Vec<Dependency>,
    pub used_by: Vec<String>,
    pub landing_url: Option<String>,
    pub logo: Option<String>,
    pub active: bool,
    pub findings: Vec<StoredFinding>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What the public list is narrowed to; only active records are ever listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SoftwareFilter {
    /// A publiccode category (`cloud-management`).
    pub category: Option<String>,
    /// `development`, `beta`, `stable`, `obsolete`.
    pub development_status: Option<String>,
    /// An SPDX expression, as written.
    pub license: Option<String>,
}

/// The values the list can be filtered by, each once and sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SoftwareChoices {
    pub categories: BTreeSet<String>,
    pub development_statuses: BTreeSet<String>,
    pub licenses: BTreeSet<String>,
}

pub struct SoftwareRepo<'a> {
    store: &'a Store,
}

impl<'a> SoftwareRepo<'a> {
    pub(crate) fn new(store: &'a Store) -> Self {
        Self { store }
    }

    /// Creates the record of `record.url` or updates it: importing the same file again changes
    /// nothing, a changed file updates the row (keeping its id and slug). The owner is the
    /// administration the file names, when riusa knows it, else `importer`.
    pub async fn upsert(
        &self,
        record: &NewSoftware,
        importer: Option<Uuid>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<UpsertOutcome, StoreError> {
        let mut write = Write::begin(self.store, actor, now).await?;
        let txn = &write.txn;
        let named_owner = match &record.owner_ipa_code {
            Some(code) => organization::Entity::find()
                .filter(organization::Column::IpaCode.eq(normalize_ipa_code(code)))
                .one(txn)
                .await?
                .map(|o| o.id),
            None => None,
        };
        let owner_id = named_owner.or(importer);
        let existing = software::Entity::find()
            .filter(software::Column::Url.eq(record.url.as_str()))
            .one(txn)
            .await?;
        let (id, slug, created_at) = match &existing {
            Some(row) => (row.id, row.slug.clone(), row.created_at),
            None => (Uuid::now_v7(), free_slug(txn, &record.name).await?, now),
        };
        let row = software::Model {
            id,
            slug,
            url: record.url.clone(),
            owner_id,
            name: record.name.clone(),
            version: record.version.clone(),
            release_date: record.release_date,
            development_status: record.development_status.clone(),
            software_type: record.software_type.clone(),
            license: record.license.clone(),
            platforms: encode(&record.platforms)?,
            categories: encode(&record.categories)?,
            scopes: encode(&record.scopes)?,
            descriptions: encode(&record.descriptions)?,
            maintenance: encode(&record.maintenance)?,
            dependencies: encode(&record.dependencies)?,
            used_by: encode(&record.used_by)?,
            landing_url: record.landing_url.clone(),
            logo: record.logo.clone(),
            source: record.source.clone(),
            active: record.is_valid(),
            findings: encode(&record.findings)?,
            created_at,
            updated_at: now,
        };
        let outcome = match existing {
            Some(current) if same_content(&current, &row) => {
                write.txn.rollback().await?;
                return Ok(UpsertOutcome::Unchanged(id));
            }
            Some(_) => {
                software::Entity::update(sea_orm::ActiveModelTrait::reset_all(
                    sea_orm::IntoActiveModel::into_active_model(row.clone()),
                ))
                .exec(txn)
                .await?;
                UpsertOutcome::Updated(id)
            }
            None => {
                software::Entity::insert(sea_orm::IntoActiveModel::into_active_model(row.clone()))
                    .exec_without_returning(txn)
                    .await?;
                UpsertOutcome::Created(id)
            }
        };
        write.changed(EntityKind::Software, id, FeedOp::Upsert);
        write.audit(
            AuditEntry::new(match outcome {
                UpsertOutcome::Created(_) => "software.create",
                _ => "software.update",
            })
            .on("software", id)
            .with("active", row.active)
            .with("errors", record.error_count()),
        );
        write.commit().await?;
        Ok(outcome)
    }

    /// An active record, as the public sees it.
    pub async fn active_by_slug(&self, slug: &str) -> Result<SoftwareView, StoreError> {
        let row = software::Entity::find()
            .filter(software::Column::Slug.eq(slug))
            .filter(software::Column::Active.eq(true))
            .one(self.store.connection())
            .await?
            .ok_or(StoreError::NotFound)?;
        first(self.views(vec![row]).await?)
    }

    /// Any record, active or not (its owner fixing an invalid file).
    pub async fn by_slug(&self, slug: &str) -> Result<SoftwareView, StoreError> {
        let row = software::Entity::find()
            .filter(software::Column::Slug.eq(slug))
            .one(self.store.connection())
            .await?
            .ok_or(StoreError::NotFound)?;
        first(self.views(vec![row]).await?)
    }

    /// The `publiccode.yml` of an active record, as it was given.
    pub async fn source_by_slug(&self, slug: &str) -> Result<String, StoreError> {
        let source: Option<String> = software::Entity::find()
            .select_only()
            .column(software::Column::Source)
            .filter(software::Column::Slug.eq(slug))
            .filter(software::Column::Active.eq(true))
            .into_tuple()
            .one(self.store.connection())
            .await?;
        source.ok_or(StoreError::NotFound)
    }

    /// Active records matching `filter`, by name. A category is found inside the JSON list by
    /// its quoted form, which one `LIKE` serves on both backends.
    pub async fn list(
        &self,
        filter: &SoftwareFilter,
        offset: u64,
        limit: u64,
    ) -> Result<Page<SoftwareView>, StoreError> {
        let offset = in_sql_range(offset, "offset")?;
        let limit = in_sql_range(limit, "limit")?;
        let conn = self.store.connection();
        let condition = list_condition(filter);
        let rows = software::Entity::find()
            .filter(condition.clone())
            .order_by_asc(software::Column::Name)
            .order_by_asc(software::Column::Slug)
            .offset(offset)
            .limit(limit)
            .all(conn)
            .await?;
        let total = software::Entity::find()
            .filter(condition)
            .count(conn)
            .await?;
        Ok(Page {
            items: self.views(rows).await?,
            total,
        })
    }

    /// Active records matching `filter`.
    pub async fn count(&self, filter: &SoftwareFilter) -> Result<u64, StoreError> {
        Ok(software::Entity::find()
            .filter(list_condition(filter))
            .count(self.store.connection())
            .await?)
    }

    /// The categories, development statuses and licences of the active records, sorted: the
    /// choices of the list's filters. Read whole: a catalog holds hundreds of records, not
    /// millions.
    pub async fn choices(&self) -> Result<SoftwareChoices, StoreError> {
        let rows: Vec<(String, Option<String>, Option<String>)> = software::Entity::find()
            .select_only()
            .column(software::Column::Categories)
            .column(software::Column::DevelopmentStatus)
            .column(software::Column::License)
            .filter(software::Column::Active.eq(true))
            .into_tuple()
            .all(self.store.connection())
            .await?;
        let mut choices = SoftwareChoices::default();
        for (categories, status, license) in rows {
            let categories: Vec<String> = decode("software.categories", &categories)?;
            choices.categories.extend(categories);
            choices.development_statuses.extend(status);
            choices.licenses.extend(license);
        }
        Ok(choices)
    }

    async fn views(&self, rows: Vec<software::Model>) -> Result<Vec<SoftwareView>, StoreError> {
        let conn = self.store.connection();
        let owner_ids: Vec<Uuid> = rows.iter().filter_map(|r| r.owner_id).collect();
        let owners: HashMap<Uuid, OrganizationView> = if owner_ids.is_empty() {
            HashMap::new()
        } else {
            let models = organization::Entity::find()
                .filter(organization::Column::Id.is_in(owner_ids))
                .all(conn)
                .await?;
            organization_views(conn, models)
                .await?
                .into_iter()
                .map(|o| (o.id, o))
                .collect()
        };
        rows.into_iter()
            .map(|row| {
                Ok(SoftwareView {
                    owner: row.owner_id.and_then(|id| owners.get(&id).cloned()),
                    platforms: decode("software.platforms", &row.platforms)?,
                    categories: decode("software.categories", &row.categories)?,
                    scopes: decode("software.scopes", &row.scopes)?,
                    descriptions: decode("software.descriptions", &row.descriptions)?,
                    maintenance: decode("software.maintenance", &row.maintenance)?,
                    dependencies: decode("software.dependencies", &row.dependencies)?,
                    used_by: decode("software.used_by", &row.used_by)?,
                    findings: decode("software.findings", &row.findings)?,
                    id: row.id,
                    slug: row.slug,
                    url: row.url,
                    name: row.name,
                    version: row.version,
                    release_date: row.release_date,
                    development_status: row.development_status,
                    software_type: row.software_type,
                    license: row.license,
                    landing_url: row.landing_url,
                    logo: row.logo,
                    active: row.active,
                    created_at: row.created_at,
                    updated_at: row.updated_at,
                })
            })
            .collect()
    }
}

fn list_condition(filter: &SoftwareFilter) -> Condition {
    let mut condition = Condition::all().add(software::Column::Active.eq(true));
    if let Some(category) = &filter.category {
        let quoted = serde_json::Value::from(category.as_str()).to_string();
        condition = condition.add(software::Column::Categories.contains(quoted));
    }
    if let Some(status) = &filter.development_status {
        condition = condition.add(software::Column::DevelopmentStatus.eq(status.as_str()));
    }
    if let Some(license) = &filter.license {
        condition = condition.add(software::Column::License.eq(license.as_str()));
    }
    condition
}

/// Everything but the dates: an unchanged file leaves the row (and the feed) alone.
fn same_content(current: &software::Model, next: &software::Model) -> bool {
    software::Model {
        updated_at: next.updated_at,
        ..current.clone()
    } == *next
}

/// The slug of `name`, with `-2`, `-3`, … when another record has it; `software` for a name
/// with no letter riusa can put in a URL.
async fn free_slug(conn: &impl ConnectionTrait, name: &str) -> Result<String, StoreError> {
    let base = Some(slug_from(name))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "software".to_owned());
    let taken: Vec<String> = software::Entity::find()
        .select_only()
        .column(software::Column::Slug)
        .filter(software::Column::Slug.starts_with(base.as_str()))
        .into_tuple()
        .all(conn)
        .await?;
    if !taken.contains(&base) {
        return Ok(base);
    }
    let free = (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or(base);
    Ok(free)
}

fn first(mut views: Vec<SoftwareView>) -> Result<SoftwareView, StoreError> {
    if views.is_empty() {
        return Err(StoreError::NotFound);
    }
    Ok(views.remove(0))
}

fn encode<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::corrupt("software", e))
}

fn decode<T: DeserializeOwned>(what: &'static str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::corrupt(what, e))
}

/// SQL counts are signed 64-bit: a larger `u64` cannot be bound.
fn in_sql_range(value: u64, what: &'static str) -> Result<u64, StoreError> {
    match i64::try_from(value) {
        Ok(_) => Ok(value),
        Err(_) => Err(StoreError::Db(sea_orm::DbErr::ConvertFromU64(what))),
    }
}
