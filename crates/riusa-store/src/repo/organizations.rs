use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use riusa_domain::catalog::Status;
use riusa_domain::organizations::{NewMunicipality, NewOrganization};
use riusa_domain::text::fold;
use sea_orm::sea_query::{Expr, Func, LikeExpr};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::feed::{EntityKind, FeedOp};
use super::write::{Actor, AuditEntry, Write};
use crate::entities::{municipality, organization, practice, practice_owner};
use crate::views::{MunicipalityView, OrganizationView};
use crate::{Page, Store, StoreError};

/// What an idempotent load did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpsertCounts {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
}

pub struct OrganizationRepo<'a> {
    store: &'a Store,
}

impl<'a> OrganizationRepo<'a> {
    pub(crate) fn new(store: &'a Store) -> Self {
        Self { store }
    }

    /// Inserts new comuni and updates changed ones, keyed by ISTAT code.
    pub async fn upsert_municipalities(
        &self,
        rows: &[NewMunicipality],
    ) -> Result<UpsertCounts, StoreError> {
        let txn = self.store.connection().begin().await?;
        let existing: HashMap<String, municipality::Model> = municipality::Entity::find()
            .all(&txn)
            .await?
            .into_iter()
            .map(|m| (m.istat_code.clone(), m))
            .collect();
        let mut counts = UpsertCounts::default();
        let mut fresh = Vec::new();
        for row in rows {
            let model = municipality::Model {
                istat_code: row.istat_code.clone(),
                name: row.name.clone(),
                region_code: row.region_code.clone(),
                region_name: row.region_name.clone(),
                province_code: row.province_code.clone(),
                province_name: row.province_name.clone(),
                province_abbr: row.province_abbr.clone(),
                cadastral_code: row.cadastral_code.clone(),
                population: row.population,
            };
            match existing.get(&row.istat_code) {
                None => fresh.push(municipality::ActiveModel::from(model)),
                Some(current) if *current == model => counts.unchanged += 1,
                Some(_) => {
                    municipality::Entity::update(sea_orm::ActiveModelTrait::reset_all(
                        sea_orm::IntoActiveModel::into_active_model(model),
                    ))
                    .exec(&txn)
                    .await?;
                    counts.updated += 1;
                }
            }
        }
        counts.inserted = fresh.len();
        for chunk in fresh.chunks(super::BATCH_ROWS) {
            municipality::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(counts)
    }

    /// Inserts new administrations and updates changed ones, keyed by IPA code. A changed
    /// administration goes to the change feed: practices show its name.
    pub async fn upsert_organizations(
        &self,
        rows: &[NewOrganization],
        now: DateTime<Utc>,
    ) -> Result<UpsertCounts, StoreError> {
        // The registry is loaded by the operator's command, never through the web.
        let operator = Actor::operator();
        let mut write = Write::begin(self.store, &operator, now).await?;
        let txn = &write.txn;
        let existing: HashMap<String, organization::Model> = organization::Entity::find()
            .all(txn)
            .await?
            .into_iter()
            .map(|m| (m.ipa_code.clone(), m))
            .collect();
        let mut counts = UpsertCounts::default();
        let mut fresh = Vec::new();
        let mut changed = Vec::new();
        let mut seen = HashSet::new();
        for row in rows {
            if !seen.insert(row.ipa_code.as_str()) {
                return Err(StoreError::Conflict {
                    field: "ipa_code",
                    value: row.ipa_code.clone(),
                });
            }
            let Some(current) = existing.get(&row.ipa_code) else {
                fresh.push(organization::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    ipa_code: Set(row.ipa_code.clone()),
                    name: Set(row.name.clone()),
                    search_name: Set(fold(&row.name)),
                    kind: Set(row.kind.clone()),
                    category_code: Set(row.category_code.clone()),
                    category_name: Set(row.category_name.clone()),
                    istat_code: Set(row.istat_code.clone()),
                    is_municipality: Set(row.is_municipality),
                    website: Set(row.website.clone()),
                    updated_at: Set(now),
                });
                continue;
            };
            let same = current.name == row.name
                && current.search_name == fold(&row.name)
                && current.kind == row.kind
                && current.category_code == row.category_code
                && current.category_name == row.category_name
                && current.istat_code == row.istat_code
                && current.is_municipality == row.is_municipality
                && current.website == row.website;
            if same {
                counts.unchanged += 1;
                continue;
            }
            organization::Entity::update(organization::ActiveModel {
                id: sea_orm::ActiveValue::Unchanged(current.id),
                name: Set(row.name.clone()),
                search_name: Set(fold(&row.name)),
                kind: Set(row.kind.clone()),
                category_code: Set(row.category_code.clone()),
                category_name: Set(row.category_name.clone()),
                istat_code: Set(row.istat_code.clone()),
                is_municipality: Set(row.is_municipality),
                website: Set(row.website.clone()),
                updated_at: Set(now),
                ..Default::default()
            })
            .exec(txn)
            .await?;
            changed.push(current.id);
        }
        counts.inserted = fresh.len();
        counts.updated = changed.len();
        for chunk in fresh.chunks(super::BATCH_ROWS) {
            organization::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(txn)
                .await?;
        }
        write.changed_all(EntityKind::Organization, &changed, FeedOp::Upsert);
        write.audit(
            AuditEntry::new("registry.import")
                .with("inserted", counts.inserted)
                .with("updated", counts.updated)
                .with("unchanged", counts.unchanged),
        );
        write.commit().await?;
        Ok(counts)
    }

    pub async fn count(&self) -> Result<u64, StoreError> {
        Ok(organization::Entity::find()
            .count(self.store.connection())
            .await?)
    }

    pub async fn count_municipalities(&self) -> Result<u64, StoreError> {
        Ok(municipality::Entity::find()
            .count(self.store.connection())
            .await?)
    }

    pub async fn get_by_ipa(&self, ipa_code: &str) -> Result<OrganizationView, StoreError> {
        let code = riusa_domain::organizations::normalize_ipa_code(ipa_code);
        let row = organization::Entity::find()
            .filter(organization::Column::IpaCode.eq(code))
            .one(self.store.connection())
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(self.with_municipalities(vec![row]).await?.remove(0))
    }

    /// The directory: administrations matching `filter`, those with the most published
    /// practices first, then by name. Counts are one grouped join (drafts, practices in review
    /// and archived ones never count). An `offset` or `limit` beyond the database's signed
    /// 64-bit range is an error (the SQL drivers panic).
    pub async fn list(
        &self,
        filter: &OrganizationFilter,
        offset: u64,
        limit: u64,
    ) -> Result<Page<DirectoryEntry>, StoreError> {
        let offset = in_sql_range(offset, "offset")?;
        let limit = in_sql_range(limit, "limit")?;
        let conn = self.store.connection();
        let mut ids = organization::Entity::find()
            .select_only()
            .column(organization::Column::Id);
        directory_query(QuerySelect::query(&mut ids), filter, true);
        let rows: Vec<(Uuid, i64)> = ids
            .order_by_desc(Expr::col(PUBLISHED))
            .order_by_asc(organization::Column::SearchName)
            .order_by_asc(organization::Column::IpaCode)
            .offset(offset)
            .limit(limit)
            .into_tuple()
            .all(conn)
            .await?;
        let mut count = organization::Entity::find();
        directory_query(QuerySelect::query(&mut count), filter, false);
        let total = count.count(conn).await?;
        let models: HashMap<Uuid, organization::Model> = organization::Entity::find()
            .filter(organization::Column::Id.is_in(rows.iter().map(|(id, _)| *id)))
            .all(conn)
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect();
        let (ordered, counts): (Vec<organization::Model>, Vec<i64>) = rows
            .iter()
            .filter_map(|(id, published)| models.get(id).map(|m| (m.clone(), *published)))
            .unzip();
        let views = self.with_municipalities(ordered).await?;
        Ok(Page {
            items: views
                .into_iter()
                .zip(counts)
                .map(|(organization, published)| DirectoryEntry {
                    organization,
                    published_practices: u64::try_from(published).unwrap_or_default(),
                })
                .collect(),
            total,
        })
    }

    /// How many administrations have at least one published practice.
    pub async fn count_with_practices(&self) -> Result<u64, StoreError> {
        let mut count = organization::Entity::find();
        let filter = OrganizationFilter {
            with_practices: true,
            ..OrganizationFilter::default()
        };
        directory_query(QuerySelect::query(&mut count), &filter, false);
        Ok(count.count(self.store.connection()).await?)
    }

    /// The IPA categories present in the registry (code, name), by name.
    pub async fn categories(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows: Vec<(String, String)> = organization::Entity::find()
            .select_only()
            .column(organization::Column::CategoryCode)
            .column(organization::Column::CategoryName)
            .distinct()
            .order_by_asc(organization::Column::CategoryName)
            .into_tuple()
            .all(self.store.connection())
            .await?;
        Ok(rows)
    }

    /// The regions of the ISTAT list, by name.
    pub async fn regions(&self) -> Result<Vec<String>, StoreError> {
        let rows: Vec<String> = municipality::Entity::find()
            .select_only()
            .column(municipality::Column::RegionName)
            .distinct()
            .order_by_asc(municipality::Column::RegionName)
            .into_tuple()
            .all(self.store.connection())
            .await?;
        Ok(rows)
    }

    /// The provinces (and metropolitan cities) of the ISTAT list, of one region when given.
    pub async fn provinces(&self, region: Option<&str>) -> Result<Vec<String>, StoreError> {
        let mut select = municipality::Entity::find()
            .select_only()
            .column(municipality::Column::ProvinceName)
            .distinct();
        if let Some(region) = region {
            select = select.filter(municipality::Column::RegionName.eq(region));
        }
        let rows: Vec<String> = select
            .order_by_asc(municipality::Column::ProvinceName)
            .into_tuple()
            .all(self.store.connection())
            .await?;
        Ok(rows)
    }

    /// Every IPA code with its id, for checking references of a batch of practices.
    pub async fn known_codes(&self) -> Result<HashMap<String, Uuid>, StoreError> {
        let rows: Vec<(String, Uuid)> = organization::Entity::find()
            .select_only()
            .column(organization::Column::IpaCode)
            .column(organization::Column::Id)
            .into_tuple()
            .all(self.store.connection())
            .await?;
        Ok(rows.into_iter().collect())
    }

    pub async fn municipality_codes(&self) -> Result<HashSet<String>, StoreError> {
        let rows: Vec<String> = municipality::Entity::find()
            .select_only()
            .column(municipality::Column::IstatCode)
            .into_tuple()
            .all(self.store.connection())
            .await?;
        Ok(rows.into_iter().collect())
    }

    pub(crate) async fn with_municipalities(
        &self,
        rows: Vec<organization::Model>,
    ) -> Result<Vec<OrganizationView>, StoreError> {
        organization_views(self.store.connection(), rows).await
    }
}

/// Administrations with the comune of their seat, read through `conn` (inside a write, its
/// transaction: a second pool connection could wait on the lock this transaction holds).
pub(crate) async fn organization_views(
    conn: &impl ConnectionTrait,
    rows: Vec<organization::Model>,
) -> Result<Vec<OrganizationView>, StoreError> {
    {
        let codes: HashSet<String> = rows.iter().filter_map(|r| r.istat_code.clone()).collect();
        let municipalities = municipalities_by_code(conn, codes).await?;
        Ok(rows
            .into_iter()
            .map(|row| OrganizationView {
                municipality: row
                    .istat_code
                    .as_ref()
                    .and_then(|c| municipalities.get(c).cloned()),
                id: row.id,
                ipa_code: row.ipa_code,
                name: row.name,
                kind: row.kind,
                category_code: row.category_code,
                category_name: row.category_name,
                website: row.website,
                is_municipality: row.is_municipality,
            })
            .collect())
    }
}

pub(crate) async fn municipalities_by_code(
    conn: &impl ConnectionTrait,
    codes: HashSet<String>,
) -> Result<HashMap<String, MunicipalityView>, StoreError> {
    let mut found = HashMap::new();
    let codes: Vec<String> = codes.into_iter().collect();
    for chunk in codes.chunks(super::BATCH_ROWS) {
        let rows = municipality::Entity::find()
            .filter(municipality::Column::IstatCode.is_in(chunk.iter().cloned()))
            .all(conn)
            .await?;
        for row in rows {
            found.insert(
                row.istat_code.clone(),
                MunicipalityView {
                    istat_code: row.istat_code,
                    name: row.name,
                    region_name: row.region_name,
                    province_name: row.province_name,
                    province_abbr: row.province_abbr,
                    population: row.population,
                },
            );
        }
    }
    Ok(found)
}

/// SQL counts are signed 64-bit: a larger `u64` cannot be bound, so it is refused here.
fn in_sql_range(value: u64, what: &'static str) -> Result<u64, StoreError> {
    match i64::try_from(value) {
        Ok(_) => Ok(value),
        Err(_) => Err(StoreError::Db(sea_orm::DbErr::ConvertFromU64(what))),
    }
}

/// What the directory of administrations is narrowed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrganizationFilter {
    /// Words of the name, in any order, each the start of a word of the name; folded.
    pub name: Option<String>,
    /// IPA category code (`L6`).
    pub category: Option<String>,
    /// Region name as ISTAT writes it.
    pub region: Option<String>,
    /// Province name as ISTAT writes it.
    pub province: Option<String>,
    /// Only administrations with at least one published practice.
    pub with_practices: bool,
}

/// An administration of the directory with its number of published practices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryEntry {
    pub organization: OrganizationView,
    pub published_practices: u64,
}

const COUNTS: &str = "published_counts";
const PUBLISHED: &str = "published";

/// Joins and conditions of the directory on a `SELECT … FROM organization`: the published
/// practices per administration (a grouped subquery), the comune of the seat for region and
/// province, the name words; with `counted`, the count as column `published`.
fn directory_query(
    query: &mut sea_orm::sea_query::SelectStatement,
    filter: &OrganizationFilter,
    counted: bool,
) {
    use sea_orm::sea_query::{JoinType, Query};
    let counts = Query::select()
        .column((
            practice_owner::Entity,
            practice_owner::Column::OrganizationId,
        ))
        .expr_as(
            Func::count(Expr::col((
                practice_owner::Entity,
                practice_owner::Column::PracticeId,
            ))),
            PUBLISHED,
        )
        .from(practice_owner::Entity)
        .inner_join(
            practice::Entity,
            Expr::col((practice::Entity, practice::Column::Id))
                .equals((practice_owner::Entity, practice_owner::Column::PracticeId)),
        )
        .and_where(
            Expr::col((practice::Entity, practice::Column::Status)).eq(Status::Published.as_str()),
        )
        .group_by_col((
            practice_owner::Entity,
            practice_owner::Column::OrganizationId,
        ))
        .to_owned();
    let join = if filter.with_practices {
        JoinType::InnerJoin
    } else {
        JoinType::LeftJoin
    };
    query.join_subquery(
        join,
        counts,
        COUNTS,
        Expr::col((COUNTS, "organization_id"))
            .equals((organization::Entity, organization::Column::Id)),
    );
    if counted {
        query.expr_as(
            Func::coalesce([Expr::col((COUNTS, PUBLISHED)), Expr::val(0i64)]),
            PUBLISHED,
        );
    }
    if filter.region.is_some() || filter.province.is_some() {
        query.inner_join(
            municipality::Entity,
            Expr::col((municipality::Entity, municipality::Column::IstatCode))
                .equals((organization::Entity, organization::Column::IstatCode)),
        );
    }
    if let Some(region) = &filter.region {
        query.and_where(
            Expr::col((municipality::Entity, municipality::Column::RegionName)).eq(region.as_str()),
        );
    }
    if let Some(province) = &filter.province {
        query.and_where(
            Expr::col((municipality::Entity, municipality::Column::ProvinceName))
                .eq(province.as_str()),
        );
    }
    if let Some(category) = &filter.category {
        query.and_where(
            Expr::col((organization::Entity, organization::Column::CategoryCode))
                .eq(category.as_str()),
        );
    }
    let words = filter.name.as_deref().map(fold).unwrap_or_default();
    for word in words.split(' ').filter(|w| !w.is_empty()) {
        // The start of any word of the folded name: "orv" finds "comune di orvieto".
        let word = escape_like(word);
        let column = || Expr::col((organization::Entity, organization::Column::SearchName));
        query.cond_where(
            sea_orm::Condition::any()
                .add(column().like(LikeExpr::new(format!("{word}%")).escape('\\')))
                .add(column().like(LikeExpr::new(format!("% {word}%")).escape('\\'))),
        );
    }
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::OrganizationFilter;
    use crate::testing::TestDatabase;

    #[tokio::test]
    async fn an_offset_beyond_the_database_range_is_an_error_not_a_panic() {
        let db = TestDatabase::new().await.with_reference_data().await;
        let repo = db.store.organizations();
        let all = OrganizationFilter::default();
        let named = OrganizationFilter {
            name: Some("comune".into()),
            ..OrganizationFilter::default()
        };
        assert!(repo.list(&all, u64::MAX, 10).await.is_err());
        assert!(repo.list(&named, 0, u64::MAX).await.is_err());
        let last = repo.list(&all, i64::MAX as u64, 10).await.unwrap();
        assert!(last.items.is_empty());
    }
}
