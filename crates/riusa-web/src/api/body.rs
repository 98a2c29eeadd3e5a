//! What an API write sends besides its path: a JSON body and the `If-Match` of the revision it
//! was decided on. Every problem with either is a problem document naming the field at fault.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use riusa_domain::catalog::PracticeRecord;
use riusa_domain::catalog::workflow::WorkflowState;
use riusa_domain::{DomainError, FieldError};
use riusa_formats::{Item, Limits, PracticeReader, Problem, RecordError};
use riusa_store::StoreError;
use serde::de::DeserializeOwned;
use serde_json::error::Category;

use crate::AppState;
use crate::error::{ApiError, AppError};
use crate::middleware::PRACTICE_FORM_BODY_LIMIT;

/// A request body sent as JSON (`application/json` or `application/…+json`), read whole
/// within the route's limit.
pub struct JsonBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase()
            })
            .is_some_and(|v| {
                v == "application/json" || (v.starts_with("application/") && v.ends_with("+json"))
            });
        if !json {
            return Err(ApiError(AppError::UnsupportedMediaType).into_response());
        }
        match Bytes::from_request(request, state).await {
            Ok(bytes) => Ok(JsonBody(bytes)),
            // axum's plain-text 413, which the route's body limit words as a problem.
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(rejection.into_response())
            }
            Err(rejection) => {
                Err(ApiError(AppError::BadForm(rejection.body_text())).into_response())
            }
        }
    }
}

/// The `If-Match` header as sent (several lines joined), judged once the practice is known:
/// a missing precondition is not worth reporting about a practice that does not exist.
pub struct IfMatch(Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let values: Vec<&str> = parts
            .headers
            .get_all(header::IF_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        Ok(IfMatch((!values.is_empty()).then(|| values.join(","))))
    }
}

impl IfMatch {
    /// The revision the client worked on, if it is the newest. Only entity tags this API
    /// hands out (`"r3"`) name one: `*` or a weak tag would let a write overwrite unseen work,
    /// so they count as no precondition (428), as a missing header does.
    pub fn revision(&self, state: &WorkflowState) -> Result<u32, AppError> {
        let named: Vec<u32> = self
            .0
            .iter()
            .flat_map(|value| value.split(','))
            .filter_map(|tag| {
                tag.trim()
                    .strip_prefix("\"r")?
                    .strip_suffix('"')?
                    .parse()
                    .ok()
            })
            .collect();
        let current = state.head_revision;
        match named.first() {
            None => Err(AppError::PreconditionRequired),
            Some(_) if named.contains(&current) => Ok(current),
            Some(&expected) => Err(AppError::PreconditionFailed { expected, current }),
        }
    }
}

/// The `ETag` of a revision.
pub fn etag(revision: u32) -> String {
    format!("\"r{revision}\"")
}

/// A refusal for staleness found by the domain or, for a write that raced another, by the
/// store: under the API it is the failed precondition (412) it is, not a conflict.
pub fn stale_as_precondition(error: AppError) -> AppError {
    match error {
        AppError::Store(StoreError::Invalid(DomainError::Refused(
            riusa_domain::Refusal::Stale { expected, current },
        ))) => AppError::PreconditionFailed { expected, current },
        other => other,
    }
}

/// A small JSON body (not a practice): a syntax error is a 400, a value of the wrong type a
/// 422, both naming the path of the value at fault (`comments[0].section`).
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let field = match error.path().to_string() {
            path if path == "." => None,
            path => Some(path),
        };
        body_error(field, error.inner())
    })?;
    // Anything after the value, e.g. a second object.
    deserializer
        .end()
        .map_err(|error| body_error(None, &error))?;
    Ok(value)
}

fn body_error(field: Option<String>, error: &serde_json::Error) -> AppError {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let message = text.strip_suffix(&suffix).unwrap_or(&text).to_owned();
    let problem = match error.classify() {
        Category::Data => Problem::Type { message },
        Category::Syntax | Category::Eof | Category::Io => Problem::Syntax {
            message,
            column: error.column(),
        },
    };
    AppError::BadJson(RecordError {
        line: error.line(),
        field,
        problem,
    })
}

/// Reads a practice in the interchange format, as `riusa import` does (field paths, the
/// domain's rules), then checks the themes, administrations and places it names: every
/// problem is reported at once, and an unknown owner is a 422 rather than the 403 the
/// workflow would give for writing for nobody.
pub async fn read_practice(app: &AppState, body: &[u8]) -> Result<PracticeRecord, AppError> {
    let (record, mut errors) = match one_record(body)? {
        Item::Record(line) => (line.record, Vec::new()),
        Item::Refused(refused) => {
            let mut errors = Vec::new();
            for error in refused {
                match error {
                    RecordError {
                        field: Some(field),
                        problem: Problem::Invalid(violation),
                        ..
                    } => errors.push(FieldError::new(field, violation)),
                    other => return Err(AppError::BadJson(other)),
                }
            }
            // Well-typed but against the rules: read again as it is for its references.
            match serde_json::from_slice::<PracticeRecord>(body) {
                Ok(record) => (references_normalized(record), errors),
                Err(_) => return Err(invalid(errors)),
            }
        }
    };
    let known = app.store.catalog().references_of(&record).await?;
    if let Err(DomainError::Invalid(unknown)) = record.check_references(&known) {
        let new: Vec<FieldError> = unknown
            .into_iter()
            .filter(|u| !errors.iter().any(|e| e.field == u.field))
            .collect();
        errors.extend(new);
    }
    if errors.is_empty() {
        // An edit happens now: only an import carries the date of its source.
        Ok(PracticeRecord {
            updated: None,
            ..record
        })
    } else {
        Err(invalid(errors))
    }
}

fn invalid(errors: Vec<FieldError>) -> AppError {
    StoreError::Invalid(DomainError::Invalid(errors)).into()
}

/// The only item of a body: one JSON object, whether on one line or pretty-printed.
fn one_record(body: &[u8]) -> Result<Item, AppError> {
    let limits = Limits {
        max_file_bytes: PRACTICE_FORM_BODY_LIMIT,
        max_line_bytes: PRACTICE_FORM_BODY_LIMIT,
    };
    let mut items = PracticeReader::new(body, limits);
    match (items.next(), items.next()) {
        (Some(item), None) => Ok(item),
        // Nothing, or JSON Lines with several records.
        _ => Err(AppError::BadJson(RecordError {
            line: 1,
            field: None,
            problem: Problem::NotAnObject,
        })),
    }
}

/// The names a record refers to, normalised as `PracticeRecord::validated` does, for a record
/// that failed validation on other fields.
fn references_normalized(mut record: PracticeRecord) -> PracticeRecord {
    for theme in &mut record.themes {
        *theme = theme.trim().to_owned();
    }
    for owner in &mut record.owners {
        owner.ipa = owner.ipa.trim().to_lowercase();
    }
    for place in &mut record.places {
        *place = place.trim().to_owned();
    }
    record
}
