//! Routes for the benchmark only (`bench/run.sh`), compiled with the `bench` feature and served
//! with `riusa serve --bench-routes`: baselines that riusa's own pages are compared with.

use std::collections::HashMap;
use std::sync::RwLock;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::PagePath;
use super::catalog::render_practice;
use crate::AppState;
use crate::error::PageResult;
use crate::params::{self, QueryPairs};

/// Practice pages rendered once and then kept for good, by slug.
pub type MemoryPages = RwLock<HashMap<String, Bytes>>;

/// Pages served from memory and PostgreSQL's full-text search, as the benchmark's baselines.
pub fn bench_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/_bench/memory/pratiche/{slug}",
            get(show_practice_from_memory),
        )
        .route("/_bench/pg-search", get(postgres_search_baseline))
}

/// The same bytes as `show_practice`, rendered once and then served from memory: the
/// benchmark's ceiling for what the practice page could cost.
pub async fn show_practice_from_memory(
    State(app): State<AppState>,
    PagePath(slug): PagePath,
) -> PageResult<Response> {
    let cached = app
        .bench_cache
        .read()
        .ok()
        .and_then(|cache| cache.get(&slug).cloned());
    let body = match cached {
        Some(body) => body,
        None => {
            let body = Bytes::from(render_practice(&app, &slug).await?);
            if let Ok(mut cache) = app.bench_cache.write() {
                cache.insert(slug, body.clone());
            }
            body
        }
    };
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response())
}

/// The PostgreSQL full-text search the benchmark compares riusa's search with.
pub async fn postgres_search_baseline(
    State(app): State<AppState>,
    RawQuery(query): RawQuery,
) -> PageResult<Response> {
    let text = QueryPairs::parse(query.as_deref()).text("q", params::QUERY_MAX_CHARS)?;
    let json = riusa_store::bench::postgres_full_text(&app.store, &text).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}
