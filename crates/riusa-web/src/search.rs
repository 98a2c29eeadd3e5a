//! Searches run on the blocking pool: tantivy work is CPU-bound and must not stall the
//! async workers that serve other requests.

use std::sync::Arc;

use riusa_search::{PracticeCard, SearchRequest, SearchResults};
use riusa_store::PracticeView;

use crate::AppState;
use crate::error::AppError;

pub async fn search(app: &AppState, request: SearchRequest) -> Result<SearchResults, AppError> {
    let index = Arc::clone(&app.index);
    tokio::task::spawn_blocking(move || index.search(&request))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::from)
}

pub async fn similar(
    app: &AppState,
    view: &PracticeView,
    limit: usize,
) -> Result<Vec<PracticeCard>, AppError> {
    let index = Arc::clone(&app.index);
    let view = view.clone();
    tokio::task::spawn_blocking(move || index.similar(&view, limit))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::from)
}
