#![doc = include_str!("../README.md")]

mod api;
mod assets;
pub mod auth;
mod directory;
mod error;
pub mod files;
mod health;
mod hub;
pub mod mail;
mod markdown;
pub mod messages;
mod middleware;
mod page_cache;
mod pages;
mod params;
mod paths;
mod request_id;
mod search;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use riusa_search::SearchIndex;
use riusa_store::Store;

pub use api::openapi_document;
pub use error::{ApiError, AppError, PageError};
pub use files::Files;
pub use hub::HubInfo;
use middleware::{
    DEFAULT_BODY_LIMIT, PRACTICE_FORM_BODY_LIMIT, upload_body_limit, with_body_limit,
};

/// What the web layer needs to know from the configuration.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Requests slower than this are cut with 503.
    pub request_timeout: Duration,
    /// Serve `/_bench/...`: the benchmark's baselines (only built with the `bench` feature).
    #[cfg(feature = "bench")]
    pub bench_routes: bool,
    /// Memory for rendered practice pages.
    pub page_cache_bytes: u64,
    /// Memory for search results (0: no cache).
    pub result_cache_bytes: u64,
    /// The largest file an upload route accepts.
    pub upload_limit_bytes: u64,
    /// Where people reach this site: links in emails; cookies are `Secure` when it is https.
    pub public_url: url::Url,
    /// A session not used for this long ends.
    pub session_idle: chrono::Duration,
    /// A session ends this long after sign-in, used or not.
    pub session_max: chrono::Duration,
    /// Signs form tokens; every node of a hub shares it (the binary keeps it in the database).
    pub signing_key: auth::SigningKey,
    /// The header a trusted reverse proxy puts the client's address in (e.g.
    /// `x-forwarded-for`); `None` uses the connection's peer address.
    pub client_ip_header: Option<String>,
    /// OpenID Connect providers people may sign in with (none: email and password only).
    pub oidc: auth::oidc::Providers,
    /// Log a line for every request. Off by default: at thousands of requests a second the
    /// line costs more than serving a cached page; failures are logged either way.
    pub access_log: bool,
    /// Who runs the hub and how to reach them (header, footer, legal pages).
    pub hub: HubInfo,
}

impl WebConfig {
    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    /// An absolute link to `path` on this site, for emails.
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.public_url.as_str().trim_end_matches('/'), path)
    }
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            request_timeout: Duration::from_secs(30),
            #[cfg(feature = "bench")]
            bench_routes: false,
            page_cache_bytes: 32 * 1024 * 1024,
            result_cache_bytes: 32 * 1024 * 1024,
            upload_limit_bytes: 20 * 1024 * 1024,
            public_url: default_public_url(),
            session_idle: chrono::Duration::hours(2),
            session_max: chrono::Duration::hours(12),
            signing_key: auth::SigningKey::random(),
            client_ip_header: None,
            oidc: auth::oidc::Providers::default(),
            access_log: false,
            hub: HubInfo::default(),
        }
    }
}

fn default_public_url() -> url::Url {
    url::Url::parse("http://127.0.0.1:8080/").unwrap_or_else(|_| unreachable!("a valid literal"))
}

/// Shared by every handler; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub index: Arc<SearchIndex>,
    pub config: Arc<WebConfig>,
    /// The bytes of attachments.
    pub files: Files,
    pages: Arc<page_cache::PageCache>,
    results: Option<Arc<search::ResultCache>>,
    #[cfg(feature = "bench")]
    bench_cache: Arc<pages::MemoryPages>,
}

impl AppState {
    /// Attachments are kept in memory until [`AppState::with_files`] gives the real store.
    pub fn new(store: Store, index: Arc<SearchIndex>, config: WebConfig) -> AppState {
        let pages = Arc::new(page_cache::PageCache::new(config.page_cache_bytes));
        let results = search::ResultCache::new(config.result_cache_bytes).map(Arc::new);
        AppState {
            store,
            index,
            config: Arc::new(config),
            files: Files::in_memory(),
            pages,
            results,
            #[cfg(feature = "bench")]
            bench_cache: Arc::default(),
        }
    }

    /// Keeps attachments in `files` (a folder of the data directory, or S3).
    pub fn with_files(mut self, files: Files) -> AppState {
        self.files = files;
        self
    }
}

/// The whole application: pages, API, health, assets, with the common middleware.
pub fn router(state: AppState) -> Router {
    health::install_metrics();
    let routes = Router::new()
        .merge(pages::routes())
        .merge(health::routes())
        .merge(assets::routes())
        .method_not_allowed_fallback(pages::method_not_allowed);
    #[cfg(feature = "bench")]
    let routes = if state.config.bench_routes {
        routes.merge(pages::bench_routes())
    } else {
        routes
    };
    // Each route gets exactly one body limit. Routes that take more (the practice form, uploads)
    // are merged here with theirs, e.g. `with_body_limit(form_routes, PRACTICE_FORM_BODY_LIMIT)`.
    let app = with_body_limit(routes, DEFAULT_BODY_LIMIT)
        .merge(with_body_limit(
            pages::form_routes(),
            PRACTICE_FORM_BODY_LIMIT,
        ))
        .merge(with_body_limit(
            pages::upload_routes(),
            upload_body_limit(&state.config),
        ))
        // `/api/v1`, whose routes come with their limits (the practice writes take more).
        .merge(api::routes(&state))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::mark_personal,
        ));
    middleware::wrap(app, &state.config).with_state(state)
}
