//! One error for every handler, rendered twice: an Italian page for people and
//! `application/problem+json` (RFC 9457) for programs. A 500 shows a generic sentence and the
//! request id; the cause is only logged.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use riusa_search::SearchError;
use riusa_store::StoreError;
use serde::Serialize;

use crate::messages;

/// Why a request could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("bad parameter {param}: {problem:?}")]
    BadParameter {
        param: &'static str,
        problem: ParamProblem,
    },
    /// The node's search index is still being built or brought up to the change feed.
    #[error("search index not ready")]
    IndexNotReady,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error("template: {0}")]
    Render(#[from] askama::Error),
    #[error("internal: {0}")]
    Internal(String),
}

/// What is wrong with a query-string parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamProblem {
    NotANumber,
    OutOfRange { min: u64, max: u64 },
    TooLong { max: usize },
    UnknownValue { allowed: &'static [&'static str] },
    BadCursor,
    TooDeep { max: usize },
    Repeated,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound | AppError::Store(StoreError::NotFound) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::BadParameter { .. } | AppError::Search(SearchError::WindowTooDeep { .. }) => {
                StatusCode::BAD_REQUEST
            }
            AppError::IndexNotReady => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Store(StoreError::Conflict { .. }) => StatusCode::CONFLICT,
            AppError::Store(StoreError::Invalid(_)) => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The Italian sentence shown to people and sent as `detail`.
    pub fn detail(&self) -> String {
        match self {
            AppError::BadParameter { param, problem } => messages::param_problem(param, problem),
            AppError::Search(SearchError::WindowTooDeep { max }) => messages::too_deep(*max),
            AppError::IndexNotReady => messages::INDEX_NOT_READY.to_owned(),
            _ => messages::status_detail(self.status()).to_owned(),
        }
    }

    fn log(&self) {
        if self.status().is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
    }
}

/// An error answered with an Italian HTML page.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(error: E) -> Self {
        PageError(error.into())
    }
}

pub type PageResult<T> = Result<T, PageError>;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: crate::pages::Layout,
    status: u16,
    title: &'a str,
    detail: String,
    request_id: Option<String>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.0.log();
        let status = self.0.status();
        let page = ErrorPage {
            layout: crate::pages::Layout::new(
                messages::status_title(status),
                crate::pages::Section::None,
            ),
            status: status.as_u16(),
            title: messages::status_title(status),
            detail: self.0.detail(),
            request_id: status
                .is_server_error()
                .then(crate::middleware::current_request_id)
                .flatten(),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(error) => {
                tracing::error!(%error, "error page does not render");
                (status, messages::status_title(status)).into_response()
            }
        }
    }
}

/// An error answered with `application/problem+json`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(error: E) -> Self {
        ApiError(error.into())
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// RFC 9457 problem details.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The query parameter at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
    /// Quote it when reporting a server error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let status = self.0.status();
        let problem = Problem {
            kind: format!("https://riusa.example.org/problemi/{}", status.as_u16()),
            title: messages::status_title(status).to_owned(),
            status: status.as_u16(),
            detail: self.0.detail(),
            param: match &self.0 {
                AppError::BadParameter { param, .. } => Some((*param).to_owned()),
                _ => None,
            },
            request_id: status
                .is_server_error()
                .then(crate::middleware::current_request_id)
                .flatten(),
        };
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}
