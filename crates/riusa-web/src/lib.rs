#![doc = include_str!("../README.md")]

mod api;
mod assets;
mod error;
mod health;
mod markdown;
pub mod messages;
mod middleware;
mod page_cache;
mod pages;
mod params;
mod paths;
mod search;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use riusa_search::SearchIndex;
use riusa_store::Store;

pub use api::openapi_document;
pub use error::{ApiError, AppError, PageError};

/// What the web layer needs to know from the configuration.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Requests slower than this are cut with 503.
    pub request_timeout: Duration,
    /// Serve `/_bench/memory/...`: the page bytes from memory, as a benchmark baseline.
    pub bench_routes: bool,
    /// Memory for rendered practice pages.
    pub page_cache_bytes: u64,
    /// Memory for search results (0: no cache).
    pub result_cache_bytes: u64,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            request_timeout: Duration::from_secs(30),
            bench_routes: false,
            page_cache_bytes: 32 * 1024 * 1024,
            result_cache_bytes: 32 * 1024 * 1024,
        }
    }
}

/// Shared by every handler; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub index: Arc<SearchIndex>,
    pub config: Arc<WebConfig>,
    pages: Arc<page_cache::PageCache>,
    results: Option<Arc<search::ResultCache>>,
    bench_cache: Arc<std::sync::RwLock<std::collections::HashMap<String, bytes_cache::Cached>>>,
}

mod bytes_cache {
    /// A rendered response kept for the in-memory benchmark baseline.
    #[derive(Clone)]
    pub struct Cached {
        pub content_type: &'static str,
        pub body: axum::body::Bytes,
    }
}

impl AppState {
    pub fn new(store: Store, index: Arc<SearchIndex>, config: WebConfig) -> AppState {
        let pages = Arc::new(page_cache::PageCache::new(config.page_cache_bytes));
        let results = search::ResultCache::new(config.result_cache_bytes).map(Arc::new);
        AppState {
            store,
            index,
            config: Arc::new(config),
            pages,
            results,
            bench_cache: Arc::default(),
        }
    }
}

/// The whole application: pages, API, health, assets, with the common middleware.
pub fn router(state: AppState) -> Router {
    health::install_metrics();
    let app = Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .merge(health::routes())
        .merge(assets::routes());
    let app = if state.config.bench_routes {
        app.merge(pages::bench_routes())
    } else {
        app
    };
    middleware::wrap(app.fallback(pages::not_found), &state.config).with_state(state)
}
