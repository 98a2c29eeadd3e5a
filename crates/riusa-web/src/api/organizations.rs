use axum::Json;
use axum::extract::{RawQuery, State};
use riusa_search::{Filters, SearchRequest};
use riusa_store::{OrganizationView, StoreError};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{ApiPath, PageQuery};
use crate::error::{ApiResult, AppError, Problem};
use crate::params::{self, QUERY_MAX_CHARS, QueryPairs};
use crate::{AppState, paths, search};

#[derive(Serialize, ToSchema)]
pub struct MunicipalityOut {
    pub istat: String,
    pub name: String,
    pub province: String,
    pub province_abbr: Option<String>,
    pub region: String,
    /// Residenti (ISTAT 2020), quando noti.
    pub population: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct OrganizationOut {
    pub id: Uuid,
    pub ipa: String,
    pub name: String,
    /// Tipologia IPA (es. Pubbliche Amministrazioni).
    pub kind: String,
    pub category_code: String,
    pub category_name: String,
    pub website: Option<String>,
    /// L'ente è esso stesso un comune (e `municipality` è quel comune).
    pub is_municipality: bool,
    /// Il comune della sede.
    pub municipality: Option<MunicipalityOut>,
    pub url: String,
}

impl From<OrganizationView> for OrganizationOut {
    fn from(view: OrganizationView) -> Self {
        OrganizationOut {
            url: paths::organization(&view.ipa_code),
            id: view.id,
            ipa: view.ipa_code,
            name: view.name,
            kind: view.kind,
            category_code: view.category_code,
            category_name: view.category_name,
            website: view.website,
            is_municipality: view.is_municipality,
            municipality: view.municipality.map(|m| MunicipalityOut {
                istat: m.istat_code,
                name: m.name,
                province: m.province_name,
                province_abbr: m.province_abbr,
                region: m.region_name,
                population: m.population,
            }),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OrganizationListOut {
    pub items: Vec<OrganizationOut>,
    pub total: u64,
    pub next_cursor: Option<String>,
}

/// Administrations of the IPA registry, by name.
#[utoipa::path(
    get,
    path = "/organizations",
    tag = "organizations",
    params(("q" = Option<String>, Query, description = "Parte del nome dell'ente"), PageQuery),
    responses(
        (status = 200, description = "Una pagina di enti in ordine di nome", body = OrganizationListOut),
        (status = 400, description = "Parametro non valido", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn list_organizations(
    State(app): State<AppState>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<OrganizationListOut>> {
    let pairs = QueryPairs::parse(query.as_deref());
    let q = pairs.text("q", QUERY_MAX_CHARS)?;
    let (offset, page_size) = params::api_window(&pairs)?;
    let page = app
        .store
        .organizations()
        .list(Some(&q), offset as u64, page_size as u64)
        .await?;
    let end = offset + page.items.len();
    Ok(Json(OrganizationListOut {
        next_cursor: ((end as u64) < page.total && end + page_size <= riusa_search::MAX_WINDOW)
            .then(|| params::encode_cursor(end)),
        total: page.total,
        items: page.items.into_iter().map(OrganizationOut::from).collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct OrganizationDetailOut {
    #[serde(flatten)]
    pub organization: OrganizationOut,
    /// Pratiche pubblicate in cui l'ente è titolare o partner.
    pub practices_count: usize,
    /// Le pratiche pubblicate in cui compare, le più recenti per prime (al massimo 100).
    pub practices: Vec<super::practices::PracticeItemOut>,
}

/// One administration, by IPA code (case-insensitive), with its practices.
#[utoipa::path(
    get,
    path = "/organizations/{ipa}",
    tag = "organizations",
    params(("ipa" = String, Path, description = "Codice IPA, maiuscole e minuscole equivalenti")),
    responses(
        (status = 200, description = "L'ente", body = OrganizationDetailOut),
        (status = 404, description = "Nessun ente con questo codice", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn get_organization(
    State(app): State<AppState>,
    ApiPath(ipa): ApiPath,
) -> ApiResult<Json<OrganizationDetailOut>> {
    let view = match app.store.organizations().get_by_ipa(&ipa).await {
        Ok(view) => view,
        Err(StoreError::NotFound) => return Err(AppError::NotFound.into()),
        Err(error) => return Err(error.into()),
    };
    let results = search::search(
        &app,
        SearchRequest {
            filters: Filters {
                owner: Some(view.ipa_code.clone()),
                ..Filters::default()
            },
            sort: riusa_search::Sort::Newest,
            limit: 100,
            facets: false,
            ..SearchRequest::default()
        },
    )
    .await?;
    Ok(Json(OrganizationDetailOut {
        organization: view.into(),
        practices_count: results.total,
        practices: results
            .hits
            .iter()
            .map(|h| super::practices::PracticeItemOut::from_card(&h.card))
            .collect(),
    }))
}
