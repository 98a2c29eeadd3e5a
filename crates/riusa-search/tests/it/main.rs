//! Search integration tests: a real database (SQLite or PostgreSQL) and a real index.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod follower;
mod heldout;
mod relevance;
mod search;

use std::sync::Arc;

use riusa_search::{SearchIndex, SearchRequest, SearchResults, rebuild};
use riusa_store::testing::TestDatabase;

/// A database with reference data, practices from `build`, and an index rebuilt from it.
pub async fn indexed(
    build: impl AsyncFnOnce(&riusa_store::Store),
) -> (TestDatabase, Arc<SearchIndex>) {
    let db = TestDatabase::new().await.with_reference_data().await;
    build(&db.store).await;
    let index = Arc::new(SearchIndex::in_memory().unwrap());
    rebuild(&db.store, &index, |_| {}).await.unwrap();
    (db, index)
}

pub fn search(index: &SearchIndex, text: &str) -> SearchResults {
    index
        .search(&SearchRequest {
            text: text.into(),
            ..SearchRequest::default()
        })
        .unwrap()
}

pub fn slugs(results: &SearchResults) -> Vec<String> {
    results.hits.iter().map(|h| h.card.slug.clone()).collect()
}

/// A database with the bundled registry (IPA, ISTAT) and the practices of these JSON Lines
/// files, and an index rebuilt from it.
pub async fn catalog_index(files: &[Vec<u8>]) -> (TestDatabase, Arc<SearchIndex>) {
    use chrono::Utc;
    use riusa_formats::{Limits, read_municipalities, read_organizations, read_practices};

    let db = TestDatabase::new().await;
    let store = &db.store;
    store
        .catalog()
        .ensure_themes(&riusa_store::testing::themes(), Utc::now())
        .await
        .unwrap();
    let registry = |name: &str| {
        std::fs::read(format!(
            "{}/../../data/registry/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    };
    let municipalities = read_municipalities(
        &registry("istat_elenco_comuni_italiani_2024.csv"),
        &registry("comuni_popolazione_2020.json"),
    )
    .unwrap();
    let organizations =
        read_organizations(&registry("ipa_enti_2024-07-31.csv"), &municipalities).unwrap();
    store
        .organizations()
        .upsert_municipalities(&municipalities)
        .await
        .unwrap();
    store
        .organizations()
        .upsert_organizations(&organizations, Utc::now())
        .await
        .unwrap();
    for file in files {
        let read = read_practices(file, &Limits::default());
        assert!(read.errors.is_empty(), "{:?}", read.errors);
        let records: Vec<_> = read.records.into_iter().map(|r| r.record).collect();
        for chunk in records.chunks(500) {
            store
                .catalog()
                .upsert_practices(chunk, Utc::now())
                .await
                .unwrap();
        }
    }
    let index = Arc::new(SearchIndex::in_memory().unwrap());
    rebuild(store, &index, |_| {}).await.unwrap();
    (db, index)
}
