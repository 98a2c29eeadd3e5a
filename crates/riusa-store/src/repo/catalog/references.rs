//! The references of one record, looked up for it alone: an API write checks what a practice
//! names before deciding on it, so that an invalid record's unknown themes, administrations
//! and places are reported with its other problems.

use std::collections::{HashMap, HashSet};

use riusa_domain::catalog::{KnownReferences, PracticeRecord};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::CatalogRepo;
use crate::StoreError;
use crate::entities::{municipality, organization, theme};
use crate::repo::BATCH_ROWS;

impl CatalogRepo<'_> {
    /// Which of the themes, administrations and places `record` names exist, as
    /// `PracticeRecord::check_references` needs them, without loading every code of the
    /// registry as an import batch does ([`CatalogRepo::known_references`]).
    pub async fn references_of(
        &self,
        record: &PracticeRecord,
    ) -> Result<KnownReferences, StoreError> {
        let conn = self.store.connection();
        let mut themes = HashSet::new();
        for chunk in record.themes.chunks(BATCH_ROWS) {
            themes.extend(
                theme::Entity::find()
                    .filter(theme::Column::Slug.is_in(chunk.iter().cloned()))
                    .select_only()
                    .column(theme::Column::Slug)
                    .into_tuple::<String>()
                    .all(conn)
                    .await?,
            );
        }
        let codes: Vec<String> = record.owners.iter().map(|o| o.ipa.clone()).collect();
        let mut organizations = HashMap::new();
        for chunk in codes.chunks(BATCH_ROWS) {
            organizations.extend(
                organization::Entity::find()
                    .filter(organization::Column::IpaCode.is_in(chunk.iter().cloned()))
                    .select_only()
                    .column(organization::Column::IpaCode)
                    .column(organization::Column::Id)
                    .into_tuple::<(String, Uuid)>()
                    .all(conn)
                    .await?,
            );
        }
        let mut places = HashSet::new();
        for chunk in record.places.chunks(BATCH_ROWS) {
            places.extend(
                municipality::Entity::find()
                    .filter(municipality::Column::IstatCode.is_in(chunk.iter().cloned()))
                    .select_only()
                    .column(municipality::Column::IstatCode)
                    .into_tuple::<String>()
                    .all(conn)
                    .await?,
            );
        }
        Ok(KnownReferences {
            themes,
            organizations,
            places,
        })
    }
}
