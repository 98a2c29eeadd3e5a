use axum::http::StatusCode;

use crate::TestApp;

#[tokio::test]
async fn health_readiness_and_metrics_answer() {
    let app = TestApp::new().await;
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
    assert_eq!(ready.json()["database"], "ok");
    app.get("/pratiche").await;
    let metrics = app.get("/metrics").await;
    assert!(
        metrics.body.contains("http_requests_total"),
        "{}",
        metrics.body
    );
    assert!(metrics.body.contains("route=\"/pratiche\""));
    assert!(metrics.body.contains("riusa_search_documents 3"));
}

#[tokio::test]
async fn static_assets_are_served_with_types_and_etags() {
    let app = TestApp::new().await;
    let css = app.get("/static/css/bootstrap-italia.min.css").await;
    if css.status == StatusCode::NOT_FOUND {
        panic!("web/dist is missing: run `make assets` (npm) before the tests");
    }
    assert_eq!(css.content_type(), "text/css");
    assert!(css.headers.get("etag").is_some());
    assert_eq!(
        app.get("/static/../../Cargo.toml").await.status,
        StatusCode::NOT_FOUND
    );
}
