//! The JSON API under `/api/v1`, documented by its own OpenAPI document
//! (`/api/v1/openapi.json`): the published catalog for anybody, and the practices' drafts and
//! workflow for people with a personal access token. Every error, the router's own 404 and 405
//! and the extractors' refusals included, is `application/problem+json`.

mod body;
mod drafts;
mod organizations;
mod practice_record;
mod practices;
mod software;
mod themes;

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Require, Role};
use crate::error::{ApiError, AppError, Problem};
use crate::middleware::{DEFAULT_BODY_LIMIT, PRACTICE_FORM_BODY_LIMIT, with_body_limit};
use crate::{AppState, auth};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "riusa API",
        version = "1",
        description = "Il catalogo delle buone pratiche della pubblica amministrazione: pratiche, enti (IPA) e temi. \
                       Le liste sono paginate con un cursore opaco (`next_cursor`); gli errori sono documenti \
                       `application/problem+json` (RFC 9457).\n\n\
                       Le schede si scrivono con un token personale (`Authorization: Bearer riusa_…`, creato dal \
                       proprio profilo): si crea una bozza, la si modifica, la si invia in revisione; la redazione \
                       la pubblica o chiede modifiche. Ogni risposta su una scheda porta l'`ETag` della sua versione \
                       più recente (`\"r3\"`): le modifiche e i passaggi di stato lo rimandano in `If-Match`, così \
                       che nessuno sovrascriva senza saperlo il lavoro di un altro (412 se nel frattempo la scheda è \
                       cambiata, 428 se manca)."
    ),
    servers((url = "/api/v1")),
    tags(
        (name = "practices", description = "Buone pratiche pubblicate"),
        (name = "drafts", description = "Bozze delle schede e loro revisione, per chi ci lavora"),
        (name = "organizations", description = "Enti dell'Indice delle pubbliche amministrazioni"),
        (name = "themes", description = "Temi del catalogo"),
        (name = "software", description = "Software descritto dal suo publiccode.yml")
    ),
    modifiers(&BearerToken),
    components(schemas(Problem))
)]
struct ApiDoc;

/// The one security scheme, `bearer`, that the write routes name.
struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "Token personale (`riusa_…`), creato e revocato dal proprio profilo.",
                    ))
                    .build(),
            ),
        );
    }
}

/// Reads, with the ordinary 64 KiB body limit.
fn reads() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(practices::list_practices))
        .routes(routes!(practices::get_practice))
        .routes(routes!(drafts::get_draft))
        .routes(routes!(organizations::list_organizations))
        .routes(routes!(organizations::get_organization))
        .routes(routes!(themes::list_themes))
        .routes(routes!(themes::get_theme))
        .routes(routes!(software::list_software))
        .routes(routes!(software::get_software))
}

/// Practice writes, whose bodies may hold a whole practice (`PRACTICE_FORM_BODY_LIMIT`: as
/// JSON, a character takes at most 12 bytes too, a surrogate pair of `\uXXXX` escapes).
fn writes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(drafts::create_practice))
        .routes(routes!(drafts::save_practice))
        .routes(routes!(drafts::submit_practice))
        .routes(routes!(drafts::request_changes))
        .routes(routes!(drafts::publish_practice))
        .routes(routes!(drafts::archive_practice))
        .routes(routes!(drafts::restore_practice))
}

/// The OpenAPI document of `/api/v1`.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let mut document = reads().into_openapi();
    document.merge(writes().into_openapi());
    document
}

/// `/api/v1`, nested here so that each group's body limit wraps the whole path (a limit
/// answers with a problem document only under `/api/`). `/practices/{id}` has a read and a
/// write: axum merges their method routers, each keeping its own limit.
pub fn routes(state: &AppState) -> Router<AppState> {
    let (reads, mut document) = reads().split_for_parts();
    let (writes, written) = writes().split_for_parts();
    document.merge(written);
    let document = Arc::new(document);
    let reads = reads
        .route(
            "/openapi.json",
            get(move || async move { Json(document.as_ref().clone()) }),
        )
        .fallback(not_found);
    let authenticate = axum::middleware::from_fn_with_state(state.clone(), auth::authenticate_api);
    let nest =
        |group: Router<AppState>| Router::new().nest("/api/v1", group.layer(authenticate.clone()));
    with_body_limit(nest(reads), DEFAULT_BODY_LIMIT)
        .merge(with_body_limit(nest(writes), PRACTICE_FORM_BODY_LIMIT))
        .method_not_allowed_fallback(method_not_allowed)
}

/// The role check of the API's practice routes: [`Require`], counting only a personal access
/// token. The API has no CSRF token, so the session cookie a browser sends along, even to a
/// request another site's page makes, must not act for the person.
pub struct Writer<R: Role>(pub Require<R>);

impl<R: Role + Send + Sync> FromRequestParts<AppState> for Writer<R> {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if !parts.headers.contains_key(header::AUTHORIZATION) {
            let mut response = ApiError(AppError::Unauthenticated).into_response();
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"riusa\""),
            );
            return Err(response);
        }
        Require::<R>::from_request_parts(parts, app)
            .await
            .map(Writer)
            .map_err(IntoResponse::into_response)
    }
}

/// A path segment; a malformed one (not UTF-8) is a 404 problem, not axum's plain-text 400.
pub struct ApiPath(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ApiPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| ApiPath(value))
            .map_err(|_| ApiError(AppError::NotFound))
    }
}

async fn not_found() -> Response {
    ApiError(AppError::NotFound).into_response()
}

async fn method_not_allowed() -> Response {
    ApiError(AppError::MethodNotAllowed).into_response()
}

/// Query parameters shared by the catalog search in the document.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SearchQuery {
    /// Parole da cercare (sinonimi, sigle, plurali e un errore di battitura sono tollerati). Max 200 caratteri.
    q: Option<String>,
    /// Slug di un tema; ripetibile (valori alternativi).
    theme: Option<Vec<String>>,
    /// Nome di una regione; ripetibile.
    region: Option<Vec<String>>,
    /// Categoria IPA dell'ente; ripetibile.
    org_type: Option<Vec<String>>,
    /// Anno di avvio; ripetibile.
    period: Option<Vec<String>>,
    /// Supporto offerto (testimonial, coaching, documentation, training, source_code, helpdesk); ripetibile.
    support: Option<Vec<String>>,
    /// relevance (predefinito con parole), newest (predefinito senza), title.
    sort: Option<String>,
    /// Risultati per pagina, da 1 a 100 (predefinito 20).
    page_size: Option<u32>,
    /// Il `next_cursor` della risposta precedente, con gli stessi altri parametri.
    cursor: Option<String>,
}

/// Query parameters of paged lists.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct PageQuery {
    /// Risultati per pagina, da 1 a 100 (predefinito 20).
    page_size: Option<u32>,
    /// Il `next_cursor` della risposta precedente.
    cursor: Option<String>,
}
