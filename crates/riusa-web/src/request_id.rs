//! The id of the request being answered, readable anywhere below the middleware that sets it:
//! error pages and problem documents quote it, logs carry it. A leaf: it uses no other module.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use tower_http::request_id::RequestId;

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being answered; `None` outside a request.
pub fn current() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Middleware: makes the id set by `SetRequestIdLayer` readable through [`current`].
pub async fn scope(request: Request, next: Next) -> Response {
    let id = request
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or_default()
        .to_owned();
    REQUEST_ID.scope(id, next.run(request)).await
}
