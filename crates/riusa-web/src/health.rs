//! Liveness, readiness and Prometheus metrics for operators and load balancers.

use std::sync::OnceLock;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
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

/// The database answers with every migration applied and the search index is open.
async fn readyz(State(app): State<AppState>) -> impl IntoResponse {
    let database = match app.store.is_migrated().await {
        Ok(true) => "ok",
        Ok(false) => "migrations pending",
        Err(_) => "unreachable",
    };
    let index = app
        .index
        .stats()
        .map(|s| s.applied_seq.is_some())
        .unwrap_or(false);
    let ready = database == "ok" && index;
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(
            json!({ "status": if ready { "ready" } else { "not ready" }, "database": database, "search_index": if index { "ok" } else { "building" } }),
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
        metrics::gauge!("riusa_search_applied_seq").set(stats.applied_seq.unwrap_or(0) as f64);
    }
    let body = prometheus()
        .map(PrometheusHandle::render)
        .unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body)
}
