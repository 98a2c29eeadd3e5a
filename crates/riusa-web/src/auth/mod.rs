//! Who is asking, and may they. Pages know people by a session cookie, the API by a personal
//! access token (`Authorization: Bearer riusa_…`); both resolve to a [`Principal`] once per
//! request. A route states what it requires in its signature (`Require<Editor>`): anonymous
//! people are sent to the sign-in page (pages) or get 401 problem+json (API); signed-in people
//! without the role get 403. Rules about a particular practice (is this your administration?)
//! are the domain's (`riusa_domain::catalog::workflow`).

pub mod csrf;
pub mod oidc;
pub mod password;
pub mod rate;
pub mod secrets;

use std::marker::PhantomData;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use riusa_domain::accounts::Principal;
use riusa_store::Actor;

use crate::AppState;
use crate::error::{ApiError, AppError, PageError};

pub use secrets::SigningKey;

/// The session cookie; `__Host-` (HTTPS only, no Domain, Path=/) when the site is served over
/// HTTPS, so that no other host can set or read it.
const SESSION_COOKIE: &str = "riusa_sessione";
const SECURE_SESSION_COOKIE: &str = "__Host-riusa_sessione";
/// Where people sign in; `dopo` carries the page to return to (a path, never personal data).
pub const SIGN_IN_PATH: &str = "/accedi";

/// A signed-in person, as this request knows them.
#[derive(Debug, Clone)]
pub struct Identity {
    pub principal: Principal,
    pub name: String,
    /// The SHA-256 of the session id, for pages; `None` for an API token.
    pub session: Option<String>,
}

/// Resolved once per request and kept in its extensions.
#[derive(Clone)]
struct Resolved(Option<Identity>);

/// The address of the client: the configured proxy header's first hop, or the peer.
pub fn client_ip(parts: &Parts, app: &AppState) -> Option<String> {
    if let Some(name) = &app.config.client_ip_header {
        let forwarded = parts
            .headers
            .get(name.as_str())
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok());
        if let Some(ip) = forwarded {
            return Some(ip.to_string());
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
}

/// The actor a write by this request is recorded under.
pub fn actor(parts: &Parts, app: &AppState, identity: Option<&Identity>) -> Actor {
    let ip = client_ip(parts, app);
    match identity {
        Some(identity) => Actor::account(identity.principal.account_id, ip),
        None => Actor::anonymous(ip),
    }
}

pub fn session_cookie_name(app: &AppState) -> &'static str {
    if app.config.secure_cookies() {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

/// The value of cookie `name`, if the request carries it.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// A `Set-Cookie` value: HttpOnly and SameSite=Lax always, Secure on HTTPS.
pub fn set_cookie(app: &AppState, name: &str, value: &str, max_age_secs: i64) -> HeaderValue {
    let secure = if app.config.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let text =
        format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("riusa=; Max-Age=0"))
}

async fn resolve(parts: &mut Parts, app: &AppState) -> Result<Option<Identity>, AppError> {
    if let Some(Resolved(identity)) = parts.extensions.get::<Resolved>() {
        return Ok(identity.clone());
    }
    let now = Utc::now();
    let identity = if let Some(authorization) = parts.headers.get(header::AUTHORIZATION) {
        // A token that does not work is an error, not an anonymous request: a client that
        // sends one expects to act as somebody.
        let token = authorization
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(AppError::Unauthenticated)?;
        let principal = app
            .store
            .accounts()
            .principal_by_token(&secrets::digest(token), client_ip(parts, app), now)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        Some(Identity {
            principal,
            name: String::new(),
            session: None,
        })
    } else if let Some(value) = cookie(&parts.headers, session_cookie_name(app)) {
        let hash = secrets::digest(value);
        app.store
            .accounts()
            .session(&hash, app.config.session_idle, now)
            .await?
            .map(|session| Identity {
                principal: session.principal,
                name: session.name,
                session: Some(hash),
            })
    } else {
        None
    };
    parts.extensions.insert(Resolved(identity.clone()));
    Ok(identity)
}

/// Under `/api/`, a request that sends credentials is authenticated before any handler runs,
/// whether or not the route needs it: a wrong token is a 401, never an anonymous read.
pub async fn authenticate_api(
    axum::extract::State(app): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if !request.headers().contains_key(header::AUTHORIZATION) {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    if let Err(error) = resolve(&mut parts, &app).await {
        return AuthRejection::new(&parts, error).into_response();
    }
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}

/// The path as the client sent it (nested routers see it without their prefix).
fn original_uri(parts: &Parts) -> &axum::http::Uri {
    parts
        .extensions
        .get::<axum::extract::OriginalUri>()
        .map_or(&parts.uri, |axum::extract::OriginalUri(uri)| uri)
}

/// Whatever a request with a session cookie receives is that person's: no shared cache (a
/// proxy, a CDN) may store it or give it to anybody else.
pub async fn mark_personal(
    axum::extract::State(app): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let personal = cookie(request.headers(), session_cookie_name(&app)).is_some();
    let mut response = next.run(request).await;
    // A handler that already said `private` chose its policy (a draft's attachment is kept
    // by the browser and revalidated by its ETag); anything else is not stored at all.
    let already_private = response
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("private"));
    if personal && !already_private {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    response
}

fn is_api(parts: &Parts) -> bool {
    original_uri(parts).path().starts_with("/api/")
}

/// The client's address, for the audit trail and the rate limits.
pub struct ClientAddress(pub Option<String>);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(client_ip(parts, app)))
    }
}

/// Anybody, signed in or not (pages that show the person's name, forms anyone may send).
pub struct Visitor(pub Option<Identity>);

impl FromRequestParts<AppState> for Visitor {
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match resolve(parts, app).await {
            Ok(identity) => Ok(Visitor(identity)),
            Err(error) => Err(AuthRejection::new(parts, error)),
        }
    }
}

/// A role a route requires.
pub trait Role {
    fn allows(principal: &Principal) -> bool;
}

/// Any signed-in person.
pub struct SignedIn;
/// Somebody with a role in an administration, or an editor or admin.
pub struct Staff;
/// The editorial staff (redazione).
pub struct Editor;
/// Platform administrators.
pub struct Admin;

impl Role for SignedIn {
    fn allows(_: &Principal) -> bool {
        true
    }
}

impl Role for Staff {
    fn allows(principal: &Principal) -> bool {
        principal.is_staff()
    }
}

impl Role for Editor {
    fn allows(principal: &Principal) -> bool {
        principal.is_editor
    }
}

impl Role for Admin {
    fn allows(principal: &Principal) -> bool {
        principal.is_admin
    }
}

/// The role check of a route, visible in its signature.
pub struct Require<R: Role> {
    pub identity: Identity,
    pub actor: Actor,
    role: PhantomData<R>,
}

impl<R: Role> Require<R> {
    pub fn principal(&self) -> &Principal {
        &self.identity.principal
    }
}

impl<R: Role + Send + Sync> FromRequestParts<AppState> for Require<R> {
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let identity = resolve(parts, app)
            .await
            .map_err(|error| AuthRejection::new(parts, error))?
            .ok_or_else(|| AuthRejection::new(parts, AppError::Unauthenticated))?;
        if !R::allows(&identity.principal) {
            return Err(AuthRejection::new(parts, AppError::Forbidden));
        }
        Ok(Require {
            actor: actor(parts, app, Some(&identity)),
            identity,
            role: PhantomData,
        })
    }
}

/// Why a route's requirement was not met, answered as the route's audience expects.
pub struct AuthRejection {
    api: bool,
    /// The page to come back to after signing in.
    return_to: String,
    error: AppError,
}

impl AuthRejection {
    fn new(parts: &Parts, error: AppError) -> AuthRejection {
        AuthRejection {
            api: is_api(parts),
            return_to: original_uri(parts)
                .path_and_query()
                .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned()),
            error,
        }
    }
}

/// The sign-in page, coming back to `return_to` afterwards.
pub fn sign_in_href(return_to: &str) -> String {
    let encoded: String =
        url::form_urlencoded::byte_serialize(return_to.as_bytes()).collect::<String>();
    format!("{SIGN_IN_PATH}?dopo={encoded}")
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        match (self.api, self.error) {
            (true, error) => {
                let mut response = ApiError(error).into_response();
                if response.status() == axum::http::StatusCode::UNAUTHORIZED {
                    response.headers_mut().insert(
                        header::WWW_AUTHENTICATE,
                        HeaderValue::from_static("Bearer realm=\"riusa\""),
                    );
                }
                response
            }
            (false, AppError::Unauthenticated) => {
                Redirect::to(&sign_in_href(&self.return_to)).into_response()
            }
            (false, error) => PageError(error).into_response(),
        }
    }
}

/// Keeps only a local path as a place to return to (no open redirect to another site).
pub fn safe_return_path(candidate: Option<&str>) -> String {
    match candidate {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.contains(['\r', '\n']) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_by_exact_name() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; riusa_sessione=abc; riusa_sessione_x=2"),
        );
        assert_eq!(cookie(&headers, "riusa_sessione"), Some("abc"));
        assert_eq!(cookie(&headers, "b"), None);
    }

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(safe_return_path(Some("/pratiche/nuova")), "/pratiche/nuova");
        for bad in ["https://evil.example", "//evil.example", "/\\evil", "x"] {
            assert_eq!(safe_return_path(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_return_path(None), "/");
    }
}
