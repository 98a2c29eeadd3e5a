//! The read-only JSON API under `/api/v1`, documented by its own OpenAPI document
//! (`/api/v1/openapi.json`). Every error, the router's own 404 and 405 included, is
//! `application/problem+json`.

mod organizations;
mod practices;
mod themes;

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, AppError, Problem};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "riusa API",
        version = "1",
        description = "Il catalogo delle buone pratiche della pubblica amministrazione: pratiche, enti (IPA) e temi. \
                       Le liste sono paginate con un cursore opaco (`next_cursor`); gli errori sono documenti \
                       `application/problem+json` (RFC 9457)."
    ),
    servers((url = "/api/v1")),
    tags(
        (name = "practices", description = "Buone pratiche pubblicate"),
        (name = "organizations", description = "Enti dell'Indice delle pubbliche amministrazioni"),
        (name = "themes", description = "Temi del catalogo")
    ),
    components(schemas(Problem))
)]
struct ApiDoc;

fn documented() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(practices::list_practices))
        .routes(routes!(practices::get_practice))
        .routes(routes!(organizations::list_organizations))
        .routes(routes!(organizations::get_organization))
        .routes(routes!(themes::list_themes))
        .routes(routes!(themes::get_theme))
}

/// The OpenAPI document of `/api/v1`.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    documented().split_for_parts().1
}

pub fn routes() -> Router<AppState> {
    let (router, document) = documented().split_for_parts();
    let document = Arc::new(document);
    router
        .route(
            "/openapi.json",
            get(move || async move { Json(document.as_ref().clone()) }),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
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
