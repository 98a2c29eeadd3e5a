//! Every form carries a token that only riusa could have put there: an HMAC of the session
//! (signed-in people) or of a random nonce kept in a cookie (forms sent before signing in:
//! sign-in, reset, invitation), under a key all nodes share. Nothing is stored. A form
//! posted from another site carries no valid token; browsers that say so
//! (`Sec-Fetch-Site: cross-site`) are refused before the token is even read.

use axum::body::Bytes;
use axum::extract::multipart::{Multipart, MultipartError};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::{Identity, cookie, resolve, secrets, set_cookie};
use crate::AppState;
use crate::error::{AppError, PageError};

/// The nonce cookie of browsers not signed in.
const NONCE_COOKIE: &str = "riusa_modulo";
/// The form field that carries the token.
pub const FIELD: &str = "csrf";
/// A form left open this long still works (the nonce cookie's lifetime, in seconds).
const NONCE_MAX_AGE_SECS: i64 = 12 * 3600;

fn expected(app: &AppState, identity: Option<&Identity>, nonce: Option<&str>) -> Option<String> {
    let key = &app.config.signing_key;
    match (identity.and_then(|i| i.session.as_deref()), nonce) {
        (Some(session), _) => Some(key.sign("csrf", session)),
        (None, Some(nonce)) => Some(key.sign("csrf-anonymous", nonce)),
        (None, None) => None,
    }
}

/// The token to put in the forms of a page, and the cookie to set for a browser that has no
/// nonce yet.
pub struct FormToken {
    pub value: String,
    set_cookie: Option<HeaderValue>,
}

impl FormToken {
    /// Adds the nonce cookie to the response when this browser needed one.
    pub fn attach(self, mut response: Response) -> Response {
        if let Some(cookie) = self.set_cookie {
            response.headers_mut().append(header::SET_COOKIE, cookie);
        }
        response
    }
}

impl FromRequestParts<AppState> for FormToken {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, PageError> {
        let identity = resolve(parts, app).await?;
        let nonce = cookie(&parts.headers, NONCE_COOKIE).map(str::to_owned);
        let (nonce, set_cookie) = match (&identity, nonce) {
            (Some(i), _) if i.session.is_some() => (None, None),
            (_, Some(nonce)) => (Some(nonce), None),
            (_, None) => {
                let nonce = secrets::new_secret();
                let cookie = set_cookie(app, NONCE_COOKIE, &nonce, NONCE_MAX_AGE_SECS);
                (Some(nonce), Some(cookie))
            }
        };
        let value = expected(app, identity.as_ref(), nonce.as_deref())
            .ok_or_else(|| AppError::Internal("no CSRF subject".into()))?;
        Ok(FormToken { value, set_cookie })
    }
}

/// A form body whose token was checked, deserialised into `T` (repeated keys become lists).
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, app: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let cross_site = parts
            .headers
            .get("sec-fetch-site")
            .is_some_and(|v| v.as_bytes() == b"cross-site");
        if cross_site {
            return Err(PageError(AppError::Csrf).into_response());
        }
        let identity = resolve(&mut parts, app)
            .await
            .map_err(|e| PageError(e).into_response())?;
        let nonce = cookie(&parts.headers, NONCE_COOKIE).map(str::to_owned);
        // A body over the route's limit keeps axum's rejection: the body-limit middleware
        // turns it into the Italian 413 page with the limit.
        let bytes = Bytes::from_request(Request::from_parts(parts, body), app)
            .await
            .map_err(IntoResponse::into_response)?;
        let sent = url::form_urlencoded::parse(&bytes)
            .find(|(key, _)| key == FIELD)
            .map(|(_, value)| value.into_owned());
        let valid = match (expected(app, identity.as_ref(), nonce.as_deref()), sent) {
            (Some(expected), Some(sent)) => {
                let key = &app.config.signing_key;
                match (identity.as_ref().and_then(|i| i.session.as_deref()), nonce) {
                    (Some(session), _) => key.verify("csrf", session, &sent),
                    (None, Some(nonce)) => key.verify("csrf-anonymous", &nonce, &sent),
                    (None, None) => expected == sent,
                }
            }
            _ => false,
        };
        if !valid {
            return Err(PageError(AppError::Csrf).into_response());
        }
        serde_html_form::from_bytes(&bytes)
            .map(CsrfForm)
            .map_err(|e| PageError(AppError::BadForm(e.to_string())).into_response())
    }
}

/// Whether `sent` is the token this browser's forms carry.
fn token_is_valid(
    app: &AppState,
    identity: Option<&Identity>,
    nonce: Option<&str>,
    sent: Option<&str>,
) -> bool {
    let key = &app.config.signing_key;
    match (identity.and_then(|i| i.session.as_deref()), nonce, sent) {
        (Some(session), _, Some(sent)) => key.verify("csrf", session, sent),
        (None, Some(nonce), Some(sent)) => key.verify("csrf-anonymous", nonce, sent),
        _ => false,
    }
}

/// A `multipart/form-data` form (a file upload) whose token is checked when the handler
/// opens it, after it has checked who may write: nobody's file is read before that. The
/// token must be the form's first field, so it is checked before the file is read too.
pub struct CsrfMultipart(Request);

impl FromRequest<AppState> for CsrfMultipart {
    type Rejection = Response;

    async fn from_request(request: Request, _app: &AppState) -> Result<Self, Response> {
        let cross_site = request
            .headers()
            .get("sec-fetch-site")
            .is_some_and(|v| v.as_bytes() == b"cross-site");
        if cross_site {
            return Err(PageError(AppError::Csrf).into_response());
        }
        Ok(CsrfMultipart(request))
    }
}

impl CsrfMultipart {
    /// Checks the token and gives the form's other fields, in order; `max` is the route's
    /// body limit, which a 413 names.
    pub async fn open(self, app: &AppState, max: usize) -> Result<Multipart, AppError> {
        let (mut parts, body) = self.0.into_parts();
        let identity = resolve(&mut parts, app).await?;
        let nonce = cookie(&parts.headers, NONCE_COOKIE).map(str::to_owned);
        let mut multipart = Multipart::from_request(Request::from_parts(parts, body), app)
            .await
            .map_err(|e| AppError::BadForm(e.body_text()))?;
        let first = multipart
            .next_field()
            .await
            .map_err(|e| multipart_error(e, max))?;
        let sent = match first {
            Some(field) if field.name() == Some(FIELD) => {
                Some(field.text().await.map_err(|e| multipart_error(e, max))?)
            }
            _ => None,
        };
        if token_is_valid(app, identity.as_ref(), nonce.as_deref(), sent.as_deref()) {
            Ok(multipart)
        } else {
            Err(AppError::Csrf)
        }
    }
}

/// A body cut at the route's limit (`max`) is a 413; anything else a form that cannot be read.
pub fn multipart_error(error: MultipartError, max: usize) -> AppError {
    if error.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge { max }
    } else {
        AppError::BadForm(error.body_text())
    }
}
