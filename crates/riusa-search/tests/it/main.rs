//! Search integration tests: a real database (SQLite or PostgreSQL) and a real index.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod follower;
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
