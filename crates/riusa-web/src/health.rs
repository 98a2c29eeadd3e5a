//! Liveness, readiness and Prometheus metrics for operators and load balancers.

use std::sync::OnceLock;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use riusa_search::Readiness;
use serde_json::json;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(render_metrics))
}

/// The process answers.
async fn healthz() -> impl IntoResponse {
    Json(json!({ "status": "ok" }))
}

/// The database answers with every migration applied and the search index has caught up with
/// the change feed (a new node listens while it builds its index: load balancers wait for this).
async fn readyz(State(app): State<AppState>) -> impl IntoResponse {
    let database = match app.store.is_migrated().await {
        Ok(true) => "ok",
        Ok(false) => "migrations pending",
        Err(_) => "unreachable",
    };
    let index = app.index.status().readiness();
    let ready = database == "ok" && index == Readiness::Ready;
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(
            json!({ "status": if ready { "ready" } else { "not ready" }, "database": database, "search_index": index }),
        ),
    )
}

/// The metrics recorder is process-wide: installed once, whatever number of routers is built.
fn prometheus() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| match PrometheusBuilder::new().install_recorder() {
            Ok(handle) => Some(handle),
            Err(error) => {
                tracing::warn!(%error, "metrics recorder not installed");
                None
            }
        })
        .as_ref()
}

pub fn install_metrics() {
    let _ = prometheus();
}

async fn render_metrics(State(app): State<AppState>) -> impl IntoResponse {
    if let Ok(stats) = app.index.stats() {
        metrics::gauge!("riusa_search_documents").set(stats.documents as f64);
    }
    // Changes only when what the public sees changed: the page and result caches follow it.
    metrics::gauge!("riusa_search_generation").set(app.index.generation() as f64);
    let status = app.index.status();
    metrics::gauge!("riusa_search_applied_seq").set(status.applied_seq() as f64);
    metrics::gauge!("riusa_search_ready").set(f64::from(u8::from(status.is_ready())));
    let body = prometheus()
        .map(PrometheusHandle::render)
        .unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body)
}
