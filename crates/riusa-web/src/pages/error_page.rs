//! The Italian page of a [`PageError`]. It lives with the pages because it needs their layout:
//! `error` defines the error, pages draw it, and nothing below `pages` depends on them.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};

use super::{Layout, Section};
use crate::error::PageError;
use crate::{messages, request_id};

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    status: u16,
    title: &'a str,
    detail: String,
    request_id: Option<String>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.0.log();
        let status = self.0.status();
        let retry_after = self.0.retry_after();
        let page = ErrorPage {
            layout: Layout::new(messages::status_title(status), Section::None),
            status: status.as_u16(),
            title: messages::status_title(status),
            detail: self.0.detail(),
            request_id: status.is_server_error().then(request_id::current).flatten(),
        };
        match page.render() {
            Ok(html) => {
                let mut response = (status, Html(html)).into_response();
                if let Some(retry_after) = retry_after {
                    response
                        .headers_mut()
                        .insert(axum::http::header::RETRY_AFTER, retry_after);
                }
                response
            }
            Err(error) => {
                tracing::error!(%error, "error page does not render");
                (status, messages::status_title(status)).into_response()
            }
        }
    }
}
