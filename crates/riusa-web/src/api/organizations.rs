use axum::Json;
use axum::extract::{RawQuery, State};
use riusa_search::{Filters, SearchRequest};
use riusa_store::{OrganizationView, StoreError};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{ApiPath, PageQuery};
use crate::directory::{self, ProvinceOutsideRegion};
use crate::error::{ApiResult, AppError, Problem};
use crate::params::{self, QueryPairs};
use crate::{AppState, paths, search};
use riusa_domain::names::display_name;

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
    /// Il nome come lo scrive l'Indice dei domicili digitali della PA (IPA), invariato.
    pub name: String,
    /// Il nome come si scrive in italiano (accenti, maiuscole, sigle): quello delle pagine.
    pub display_name: String,
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
            display_name: display_name(&view.name),
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
pub struct OrganizationItemOut {
    #[serde(flatten)]
    pub organization: OrganizationOut,
    /// Pratiche pubblicate in cui l'ente è titolare o partner (le bozze non contano).
    pub practices_count: u64,
}

#[derive(Serialize, ToSchema)]
pub struct OrganizationListOut {
    pub items: Vec<OrganizationItemOut>,
    pub total: u64,
    pub next_cursor: Option<String>,
}

/// Parametri dell'elenco degli enti.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct DirectoryQuery {
    /// Parole del nome, in qualsiasi ordine, senza badare a maiuscole, accenti e apostrofi
    /// («citta metropolitana di bari»); ogni parola è l'inizio di una parola del nome.
    q: Option<String>,
    /// Codice della categoria IPA (es. `L6`, comuni).
    category: Option<String>,
    /// Regione della sede, come la scrive l'ISTAT (es. `Umbria`).
    region: Option<String>,
    /// Provincia della sede, come la scrive l'ISTAT (es. `Terni`); deve essere della regione
    /// indicata.
    province: Option<String>,
    /// Solo gli enti con buone pratiche pubblicate; se assente, `true` quando ne esiste almeno
    /// uno.
    with_practices: Option<bool>,
}

/// Administrations of the IPA registry: those with the most published practices first, then by
/// name, filtered by kind, region, province and name.
#[utoipa::path(
    get,
    path = "/organizations",
    tag = "organizations",
    params(DirectoryQuery, PageQuery),
    responses(
        (status = 200, description = "Una pagina di enti, prima quelli con più buone pratiche pubblicate, poi per nome", body = OrganizationListOut),
        (status = 400, description = "Parametro non valido (anche una regione, provincia o categoria che non esiste)", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn list_organizations(
    State(app): State<AppState>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<OrganizationListOut>> {
    let pairs = QueryPairs::parse(query.as_deref());
    let params = params::directory_params(&pairs)?;
    let (offset, page_size) = params::api_window(&pairs)?;
    let directory = directory::resolve(&app, &params, ProvinceOutsideRegion::Refuse).await?;
    let page = app
        .store
        .organizations()
        .list(&directory.filter, offset as u64, page_size as u64)
        .await?;
    let end = offset + page.items.len();
    Ok(Json(OrganizationListOut {
        next_cursor: ((end as u64) < page.total && end + page_size <= riusa_search::MAX_WINDOW)
            .then(|| params::encode_cursor(end)),
        total: page.total,
        items: page
            .items
            .into_iter()
            .map(|entry| OrganizationItemOut {
                practices_count: entry.published_practices,
                organization: entry.organization.into(),
            })
            .collect(),
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
