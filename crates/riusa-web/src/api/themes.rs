use axum::Json;
use axum::extract::State;
use riusa_search::{FacetKind, SearchRequest};
use riusa_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiPath;
use crate::error::{ApiResult, AppError, Problem};
use crate::{AppState, paths, search};

#[derive(Serialize, ToSchema)]
pub struct ThemeOut {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Pratiche pubblicate del tema.
    pub practices_count: u64,
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct ThemeListOut {
    pub items: Vec<ThemeOut>,
    pub total: usize,
}

async fn counts(app: &AppState) -> Result<std::collections::HashMap<String, u64>, AppError> {
    let results = search::search(
        app,
        SearchRequest {
            limit: 1,
            ..SearchRequest::default()
        },
    )
    .await?;
    Ok(results
        .facets
        .into_iter()
        .filter(|g| g.kind == FacetKind::Theme)
        .flat_map(|g| g.values)
        .map(|v| (v.value, v.count))
        .collect())
}

/// The themes of the catalog, in the taxonomy's order.
#[utoipa::path(
    get,
    path = "/themes",
    tag = "themes",
    responses((status = 200, description = "Tutti i temi", body = ThemeListOut))
)]
pub async fn list_themes(State(app): State<AppState>) -> ApiResult<Json<ThemeListOut>> {
    let counts = counts(&app).await?;
    let items: Vec<ThemeOut> = app
        .store
        .catalog()
        .themes()
        .await?
        .into_iter()
        .map(|t| ThemeOut {
            practices_count: counts.get(&t.slug).copied().unwrap_or(0),
            url: paths::theme(&t.slug),
            slug: t.slug,
            name: t.name,
            description: t.description,
        })
        .collect();
    Ok(Json(ThemeListOut {
        total: items.len(),
        items,
    }))
}

/// One theme, by slug.
#[utoipa::path(
    get,
    path = "/themes/{slug}",
    tag = "themes",
    params(("slug" = String, Path, description = "Slug del tema")),
    responses(
        (status = 200, description = "Il tema", body = ThemeOut),
        (status = 404, description = "Nessun tema con questo slug", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn get_theme(
    State(app): State<AppState>,
    ApiPath(slug): ApiPath,
) -> ApiResult<Json<ThemeOut>> {
    let theme = match app.store.catalog().theme_by_slug(&slug).await {
        Ok(theme) => theme,
        Err(StoreError::NotFound) => return Err(AppError::NotFound.into()),
        Err(error) => return Err(error.into()),
    };
    let counts = counts(&app).await?;
    Ok(Json(ThemeOut {
        practices_count: counts.get(&theme.slug).copied().unwrap_or(0),
        url: paths::theme(&theme.slug),
        slug: theme.slug,
        name: theme.name,
        description: theme.description,
    }))
}
