//! Searches as pages and the API run them: the index on the blocking pool (tantivy work is
//! CPU-bound and must not stall the async workers), snippets from the texts in the database,
//! and the finished results kept by request and index generation. What civil servants search
//! for repeats a lot, and an entry is never stale: any change reloads the index and changes
//! the generation.

use std::collections::HashMap;
use std::sync::Arc;

use quick_cache::Weighter;
use quick_cache::sync::Cache;
use riusa_search::{PracticeCard, SearchRequest, SearchResults, snippet_source};
use riusa_store::PracticeView;
use uuid::Uuid;

use crate::error::AppError;
use crate::{AppState, messages};

/// What a facet value is called on pages and in the API: a theme's name, a support's label, an
/// administration type as people write it; regions and years as they are.
pub fn facet_label(
    kind: riusa_search::FacetKind,
    value: &str,
    theme_names: &HashMap<String, String>,
) -> String {
    use riusa_search::FacetKind;
    match kind {
        FacetKind::Theme => theme_names
            .get(value)
            .cloned()
            .unwrap_or_else(|| value.to_owned()),
        FacetKind::Support => riusa_domain::catalog::SupportKind::parse(value).map_or_else(
            || value.to_owned(),
            |s| messages::support_label(s).to_owned(),
        ),
        FacetKind::OrgType => riusa_domain::names::display_name(value),
        FacetKind::Region | FacetKind::Period => value.to_owned(),
    }
}

pub struct ResultCache {
    results: Cache<(u64, SearchRequest), SearchResults, ResultWeight>,
}

#[derive(Clone)]
struct ResultWeight;

impl Weighter<(u64, SearchRequest), SearchResults> for ResultWeight {
    fn weight(&self, (_, request): &(u64, SearchRequest), results: &SearchResults) -> u64 {
        let hits: usize = results
            .hits
            .iter()
            .map(|h| {
                256 + h.card.title.len()
                    + h.card.summary.len()
                    + h.snippet.as_ref().map_or(0, String::len)
            })
            .sum();
        let facets: usize = results.facets.iter().map(|g| g.values.len() * 64).sum();
        (hits + facets + request.text.len() + 128) as u64
    }
}

impl ResultCache {
    /// `None` when `max_bytes` is 0: every search runs.
    pub fn new(max_bytes: u64) -> Option<ResultCache> {
        // About 16 KB per cached page of results.
        (max_bytes > 0).then(|| ResultCache {
            results: Cache::with_weighter(
                (max_bytes / 16_384).max(16) as usize,
                max_bytes,
                ResultWeight,
            ),
        })
    }
}

/// Runs a search, or answers 503 while the node's index is not ready: an index still being
/// built would return too few results, and they would look final.
pub async fn search(app: &AppState, request: SearchRequest) -> Result<SearchResults, AppError> {
    if !app.index.status().is_ready() {
        return Err(AppError::IndexNotReady);
    }
    let generation = app.index.generation();
    let key = (generation, request);
    if let Some(results) = app.results.as_ref().and_then(|c| c.results.get(&key)) {
        return Ok(results);
    }
    let index = Arc::clone(&app.index);
    let request = key.1.clone();
    let mut results = tokio::task::spawn_blocking(move || index.search(&request))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
    add_snippets(app, &mut results).await?;
    if let Some(cache) = &app.results {
        cache.results.insert(key, results.clone());
    }
    Ok(results)
}

async fn add_snippets(app: &AppState, results: &mut SearchResults) -> Result<(), AppError> {
    let Some(highlighter) = results.highlighter.take() else {
        return Ok(());
    };
    let ids: Vec<Uuid> = results.hits.iter().map(|h| h.card.id).collect();
    let mut sections = app.store.catalog().sections(&ids).await?;
    for hit in &mut results.hits {
        if let Some(sections) = sections.remove(&hit.card.id) {
            // The summary, shown on the card anyway, only when the sections do not match.
            hit.snippet = highlighter
                .snippet(&snippet_source(&sections))
                .or_else(|| highlighter.snippet(&hit.card.summary));
        }
    }
    Ok(())
}

/// Practices like `view`; none while the index is not ready, so that a practice page still
/// renders (the generation changes when the index becomes ready, so it is rendered again).
pub async fn similar(
    app: &AppState,
    view: &PracticeView,
    limit: usize,
) -> Result<Vec<PracticeCard>, AppError> {
    if !app.index.status().is_ready() {
        return Ok(Vec::new());
    }
    let index = Arc::clone(&app.index);
    let view = view.clone();
    tokio::task::spawn_blocking(move || index.similar(&view, limit))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::from)
}
