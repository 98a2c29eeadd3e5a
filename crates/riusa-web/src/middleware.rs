//! The layers every response goes through: request ids, security headers, compression,
//! metrics and logs, then panics and timeouts turned into error documents. Body limits are
//! per route ([`with_body_limit`]), not global, so that a form or an upload can accept more
//! than a search.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, HttpBody};
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use futures::FutureExt;
use http_body_util::Limited;
use riusa_domain::catalog::{SECTION_MAX, SectionKey};
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::AppError;
use crate::{WebConfig, hub, request_id};

/// Bootstrap Italia needs inline SVG backgrounds (`img-src data:`) and nothing inline else.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Ordinary routes: searches travel in the query string, so a body is never needed to be big.
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024;

/// The practice form: 14 Markdown sections of up to `SECTION_MAX` (20,000) characters each,
/// form-urlencoded. At worst a character is 4 UTF-8 bytes, each percent-encoded as 3, so 12
/// bytes: 14 × 20,000 × 12 = 3,360,000 bytes, plus 64 KiB for the other fields and the keys,
/// 3,425,536 bytes (about 3.3 MiB).
pub const PRACTICE_FORM_BODY_LIMIT: usize =
    SectionKey::ALL.len() * SECTION_MAX * 12 + DEFAULT_BODY_LIMIT;

/// A file upload: the configured file size plus 64 KiB for the form's other fields and the
/// multipart boundaries and headers.
pub fn upload_body_limit(config: &WebConfig) -> usize {
    usize::try_from(config.upload_limit_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(DEFAULT_BODY_LIMIT)
}

/// Gives every route of `router` a body limit of `max` bytes: a declared length over it is
/// answered 413 before anything is read, and reading past it (a body without a length) fails
/// in the extractors, also with 413. Every route goes through exactly one of these (see
/// `crate::router`): an outer limit would cut a route's larger one.
pub fn with_body_limit<S>(router: Router<S>, max: usize) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    router
        .layer(DefaultBodyLimit::max(max))
        .layer(middleware::from_fn_with_state(max, limit_body))
}

async fn limit_body(State(max): State<usize>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or_else(|| HttpBody::size_hint(request.body()).lower());
    if usize::try_from(declared).map_or(true, |length| length > max) {
        return too_large(&path, max);
    }
    let request = request.map(|body| Body::new(Limited::new(body, max)));
    let response = next.run(request).await;
    // An extractor that read past the limit answers with axum's plain-text 413.
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("text/plain"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && plain {
        return too_large(&path, max);
    }
    response
}

fn too_large(path: &str, max: usize) -> Response {
    tracing::warn!(max, "request body over the route's limit");
    AppError::TooLarge { max }.into_response_for(path)
}

#[derive(Clone, Copy)]
struct UuidRequestId;

impl MakeRequestId for UuidRequestId {
    fn make_request_id<B>(&mut self, _request: &axum::http::Request<B>) -> Option<RequestId> {
        HeaderValue::from_str(&uuid::Uuid::now_v7().to_string())
            .ok()
            .map(RequestId::new)
    }
}

/// Counts and times requests by route pattern (never by raw path: no ids or search text in labels).
async fn record_metrics(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status).increment(1);
    metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

async fn log_request(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned());
    let method = request.method().clone();
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        request_id = request_id::current().unwrap_or_default(),
        %method,
        route = route.as_deref().unwrap_or("-"),
        status = response.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}

/// A panic becomes a 500 and a request slower than `timeout` a 503: a problem document under
/// `/api/`, an Italian page elsewhere. Inside the metrics and the log, so both are counted
/// and logged with their status.
async fn contain_failures(
    State(timeout): State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let handled = AssertUnwindSafe(next.run(request)).catch_unwind();
    let error = match tokio::time::timeout(timeout, handled).await {
        Ok(Ok(response)) => return response,
        // The payload may quote request data; the panic hook has printed it already.
        Ok(Err(_payload)) => AppError::Internal("handler panicked".to_owned()),
        Err(_elapsed) => AppError::Timeout,
    };
    error.into_response_for(&path)
}

/// The common layers, outermost last: request id, security headers, compression, metrics, log,
/// then panics and timeouts nearest the handler.
pub fn wrap<S>(app: Router<S>, config: &WebConfig) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let request_id = HeaderName::from_static("x-request-id");
    let app = app.layer(middleware::from_fn_with_state(
        config.request_timeout,
        contain_failures,
    ));
    let app = if config.access_log {
        app.layer(middleware::from_fn(log_request))
    } else {
        app
    };
    app.layer(middleware::from_fn(record_metrics))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(middleware::from_fn(request_id::scope))
        .layer(middleware::from_fn_with_state(
            Arc::new(config.hub.clone()),
            hub::scope,
        ))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, UuidRequestId))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use axum::http::HeaderMap;
    use axum::routing::{get, post};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    use super::*;

    struct Answer {
        status: StatusCode,
        headers: HeaderMap,
        body: String,
    }

    impl Answer {
        fn content_type(&self) -> &str {
            self.headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
        }

        fn problem(&self) -> serde_json::Value {
            assert_eq!(
                self.content_type(),
                "application/problem+json",
                "{}",
                self.body
            );
            serde_json::from_str(&self.body).unwrap()
        }
    }

    async fn call(app: &Router, request: Request) -> Answer {
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    fn get_request(uri: &str) -> Request {
        Request::get(uri).body(Body::empty()).unwrap()
    }

    async fn panics() -> &'static str {
        panic!("a bug in a handler")
    }

    async fn sleeps() -> &'static str {
        tokio::time::sleep(Duration::from_secs(5)).await;
        "too late"
    }

    async fn echo(body: String) -> String {
        body
    }

    /// A tiny router with the real layers, its timeout cut to 50 ms.
    fn failing_app() -> Router {
        let routes = Router::new()
            .route("/api/v1/guasto", get(panics))
            .route("/guasto", get(panics))
            .route("/api/v1/lento", get(sleeps))
            .route("/lento", get(sleeps));
        let config = WebConfig {
            request_timeout: Duration::from_millis(50),
            ..WebConfig::default()
        };
        wrap(with_body_limit(routes, DEFAULT_BODY_LIMIT), &config)
    }

    #[tokio::test]
    async fn a_panic_is_a_500_problem_on_the_api_and_a_page_elsewhere_and_is_counted() {
        let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        let _local = metrics::set_default_local_recorder(&recorder);
        let app = failing_app();

        let api = call(&app, get_request("/api/v1/guasto")).await;
        assert_eq!(api.status, StatusCode::INTERNAL_SERVER_ERROR);
        let problem = api.problem();
        assert_eq!(problem["status"], 500);
        assert!(problem["request_id"].is_string(), "{problem}");
        assert!(
            !api.body.contains("a bug in a handler"),
            "the cause is only logged"
        );

        let page = call(&app, get_request("/guasto")).await;
        assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(page.content_type().starts_with("text/html"));
        assert!(page.body.contains("Errore del servizio"), "{}", page.body);
        assert!(page.headers.contains_key("content-security-policy"));

        let metrics = handle.render();
        assert!(
            metrics.contains(r#"route="/api/v1/guasto",status="500"} 1"#),
            "{metrics}"
        );
    }

    #[tokio::test]
    async fn a_slow_request_is_cut_with_a_503_problem_and_is_counted() {
        let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        let _local = metrics::set_default_local_recorder(&recorder);
        let app = failing_app();

        let started = Instant::now();
        let api = call(&app, get_request("/api/v1/lento")).await;
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(api.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(api.problem()["status"], 503);

        let page = call(&app, get_request("/lento")).await;
        assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(
            page.body.contains("non ha risposto in tempo"),
            "{}",
            page.body
        );

        let metrics = handle.render();
        assert!(
            metrics.contains(r#"route="/api/v1/lento",status="503"} 1"#),
            "{metrics}"
        );
    }

    #[tokio::test]
    async fn each_group_of_routes_has_its_own_body_limit() {
        let small = Router::new()
            .route("/api/v1/piccolo", post(echo))
            .route("/piccolo", post(echo));
        let large = Router::new().route("/api/v1/grande", post(echo));
        let app = wrap(
            with_body_limit(small, 16).merge(with_body_limit(large, 1024)),
            &WebConfig::default(),
        );
        let sized = |uri: &str, bytes: usize| {
            Request::post(uri)
                .header(header::CONTENT_LENGTH, bytes)
                .body(Body::from(vec![b'x'; bytes]))
                .unwrap()
        };

        assert_eq!(
            call(&app, sized("/api/v1/piccolo", 16)).await.status,
            StatusCode::OK
        );
        let refused = call(&app, sized("/api/v1/piccolo", 17)).await;
        assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
        let problem = refused.problem();
        assert_eq!(problem["status"], 413);
        assert!(
            problem["detail"].as_str().unwrap().contains("16 byte"),
            "{problem}"
        );
        let page = call(&app, sized("/piccolo", 17)).await;
        assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(
            page.body.contains("Richiesta troppo grande"),
            "{}",
            page.body
        );

        // No declared length: the limit bites while the extractor reads.
        let chunks = futures::stream::iter(
            [b"0123456789".as_slice(), b"0123456789"].map(Ok::<_, std::io::Error>),
        );
        let streamed = call(
            &app,
            Request::post("/api/v1/piccolo")
                .body(Body::from_stream(chunks))
                .unwrap(),
        )
        .await;
        assert_eq!(streamed.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(streamed.problem()["status"], 413);

        let large = call(&app, sized("/api/v1/grande", 1000)).await;
        assert_eq!(large.status, StatusCode::OK);
        assert_eq!(large.body.len(), 1000);
        assert_eq!(
            call(&app, sized("/api/v1/grande", 1025)).await.status,
            StatusCode::PAYLOAD_TOO_LARGE
        );
    }

    #[test]
    fn the_larger_limits_hold_what_their_routes_will_receive() {
        assert_eq!(PRACTICE_FORM_BODY_LIMIT, 3_425_536);
        assert_eq!(
            upload_body_limit(&WebConfig::default()),
            20 * 1024 * 1024 + 64 * 1024
        );
    }
}
