//! One error for every handler, rendered twice: an Italian page for people (`PageError`, drawn
//! by `pages::error_page`, which owns the layout) and `application/problem+json` (RFC 9457) for
//! programs (`ApiError`, here). A 500 shows a generic sentence and the request id; the cause is
//! only logged.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use riusa_domain::{DomainError, Refusal};
use riusa_search::SearchError;
use riusa_store::StoreError;
use serde::Serialize;

use crate::params::{ParamError, ParamProblem};
use crate::{messages, request_id};

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
    /// The body is larger than the route accepts.
    #[error("request body over {max} bytes")]
    TooLarge { max: usize },
    /// The request was cut after the configured timeout.
    #[error("timeout")]
    Timeout,
    /// Nobody signed in (pages send people to the sign-in page; the API answers 401).
    #[error("not signed in")]
    Unauthenticated,
    /// Signed in, but no role of theirs allows it.
    #[error("forbidden")]
    Forbidden,
    /// A form without a valid token, or posted from another site.
    #[error("invalid CSRF token")]
    Csrf,
    /// Too many attempts of something attackers repeat.
    #[error("too many requests, retry after {retry_after_secs} s")]
    TooManyRequests { retry_after_secs: u64 },
    /// A form or JSON body that cannot be read as the route expects.
    #[error("unreadable body: {0}")]
    BadForm(String),
    /// A request refused for a reason the page states in one sentence.
    #[error("rejected: {0}")]
    Rejected(&'static str),
    /// A write to an existing practice that does not name its revision (`If-Match`).
    #[error("If-Match required")]
    PreconditionRequired,
    /// An API write whose `If-Match` names another revision than the newest.
    #[error("If-Match names revision {expected}, the newest is {current}")]
    PreconditionFailed { expected: u32, current: u32 },
    /// An API body that is not JSON, as its `Content-Type` says.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// An API body that is not one JSON object (400) or has a value of the wrong type (422).
    #[error("unreadable JSON body: {0:?}")]
    BadJson(riusa_formats::RecordError),
    /// The node's search index is still being built or brought up to the change feed.
    #[error("search index not ready")]
    IndexNotReady,
    /// A sign-in through an OpenID Connect provider that did not succeed.
    #[error("OpenID Connect sign-in: {0}")]
    Oidc(#[from] crate::auth::oidc::OidcError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error("template: {0}")]
    Render(#[from] askama::Error),
    #[error("internal: {0}")]
    Internal(String),
}

/// A refusal or invalid fields decided by the domain, as the store would report them.
impl From<DomainError> for AppError {
    fn from(error: DomainError) -> Self {
        AppError::Store(StoreError::Invalid(error))
    }
}

impl From<ParamError> for AppError {
    fn from(ParamError { param, problem }: ParamError) -> Self {
        AppError::BadParameter { param, problem }
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound | AppError::Store(StoreError::NotFound) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::BadParameter { .. } | AppError::Search(SearchError::WindowTooDeep { .. }) => {
                StatusCode::BAD_REQUEST
            }
            AppError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Timeout => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::BadForm(_) => StatusCode::BAD_REQUEST,
            AppError::Rejected(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            AppError::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::BadJson(error) => match error.problem {
                riusa_formats::Problem::Type { .. } => StatusCode::UNPROCESSABLE_ENTITY,
                _ => StatusCode::BAD_REQUEST,
            },
            AppError::IndexNotReady => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Oidc(error) => messages::oidc_status(error),
            AppError::Store(StoreError::Conflict { .. }) => StatusCode::CONFLICT,
            AppError::Store(StoreError::Invalid(DomainError::Refused(refusal))) => match refusal {
                Refusal::Forbidden => StatusCode::FORBIDDEN,
                Refusal::InvalidTransition { .. }
                | Refusal::Stale { .. }
                | Refusal::PublishedBefore => StatusCode::CONFLICT,
            },
            AppError::Store(StoreError::Invalid(_)) => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The Italian sentence shown to people and sent as `detail`.
    pub fn detail(&self) -> String {
        match self {
            AppError::BadParameter { param, problem } => messages::param_problem(param, problem),
            AppError::Search(SearchError::WindowTooDeep { max }) => messages::too_deep(*max),
            AppError::TooLarge { max } => messages::too_large(*max),
            AppError::Csrf => messages::CSRF.to_owned(),
            AppError::Forbidden => messages::FORBIDDEN.to_owned(),
            AppError::Unauthenticated => messages::UNAUTHENTICATED.to_owned(),
            AppError::TooManyRequests { retry_after_secs } => {
                messages::too_many_requests(*retry_after_secs)
            }
            AppError::BadForm(_) => messages::BAD_FORM.to_owned(),
            AppError::Rejected(sentence) => (*sentence).to_owned(),
            AppError::PreconditionRequired => messages::PRECONDITION_REQUIRED.to_owned(),
            AppError::PreconditionFailed { expected, current } => {
                messages::refusal(&Refusal::Stale {
                    expected: *expected,
                    current: *current,
                })
            }
            AppError::UnsupportedMediaType => messages::JSON_REQUIRED.to_owned(),
            AppError::BadJson(error) => messages::body_problem(error),
            AppError::Store(StoreError::Invalid(DomainError::Refused(refusal))) => {
                messages::refusal(refusal)
            }
            AppError::Store(StoreError::Invalid(DomainError::Invalid(errors))) => {
                messages::invalid_fields(errors)
            }
            AppError::Store(StoreError::Conflict { field, value }) => {
                messages::conflict(field, value)
            }
            AppError::IndexNotReady => messages::INDEX_NOT_READY.to_owned(),
            AppError::Oidc(error) => messages::oidc_failure(error).to_owned(),
            _ => messages::status_detail(self.status()).to_owned(),
        }
    }

    /// Server errors only: the cause, never the request's content.
    pub(crate) fn log(&self) {
        match self {
            // Expected while a new node builds its index; /readyz already says so.
            AppError::IndexNotReady => tracing::debug!("search answered 503: index not ready"),
            _ if self.status().is_server_error() => {
                tracing::error!(error = %self, "request failed")
            }
            _ => {}
        }
    }

    /// A problem document under `/api/`, an Italian page elsewhere: for answers given before
    /// a handler chose its renderer (the router's fallbacks, the middleware).
    pub fn into_response_for(self, path: &str) -> Response {
        if path == "/api" || path.starts_with("/api/") {
            ApiError(self).into_response()
        } else {
            PageError(self).into_response()
        }
    }
}

/// An error answered with an Italian HTML page (see `pages::error_page`).
#[derive(Debug)]
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(error: E) -> Self {
        PageError(error.into())
    }
}

pub type PageResult<T> = Result<T, PageError>;

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
    /// What is wrong with each field of an invalid body.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

/// One invalid field of a request body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    /// The path of the field, e.g. `owners[1].ipa` or `sections.motivation`.
    pub field: String,
    /// A stable code: `required`, `too_long`, `unknown_theme`, …
    pub code: String,
    /// The same in Italian.
    pub detail: String,
}

impl AppError {
    /// The invalid fields, when that is the problem.
    pub fn field_problems(&self) -> Vec<FieldProblem> {
        match self {
            AppError::Store(StoreError::Invalid(DomainError::Invalid(errors))) => errors
                .iter()
                .map(|e| FieldProblem {
                    field: e.field.clone(),
                    code: e.violation.code().to_owned(),
                    detail: messages::violation(&e.violation),
                })
                .collect(),
            AppError::Store(StoreError::Conflict { field, value }) => vec![FieldProblem {
                field: (*field).to_owned(),
                code: "taken".to_owned(),
                detail: messages::conflict(field, value),
            }],
            AppError::BadJson(error) => vec![FieldProblem {
                field: error.field.clone().unwrap_or_default(),
                code: match &error.problem {
                    riusa_formats::Problem::Type { .. } => "invalid_type",
                    _ => "invalid_json",
                }
                .to_owned(),
                detail: messages::body_problem(error),
            }],
            _ => Vec::new(),
        }
    }

    /// `Retry-After`, for answers that have one.
    pub fn retry_after(&self) -> Option<HeaderValue> {
        match self {
            AppError::TooManyRequests { retry_after_secs } => {
                HeaderValue::from_str(&retry_after_secs.to_string()).ok()
            }
            _ => None,
        }
    }
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
            request_id: status.is_server_error().then(request_id::current).flatten(),
            errors: self.0.field_problems(),
        };
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(retry_after) = self.0.retry_after() {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, retry_after);
        }
        // A stale write learns the newest revision, to read it and try again on it.
        if let AppError::PreconditionFailed { current, .. } = &self.0
            && let Ok(etag) = HeaderValue::from_str(&format!("\"r{current}\""))
        {
            response.headers_mut().insert(header::ETAG, etag);
        }
        response
    }
}
