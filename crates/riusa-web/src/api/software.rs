//! The software catalog (decision 0024): active records only.

use axum::Json;
use axum::extract::{RawQuery, State};
use riusa_store::SoftwareView;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{ApiPath, PageQuery};
use crate::error::{ApiResult, Problem};
use crate::pages::software_filter;
use crate::params::{self, QueryPairs};
use crate::{AppState, paths};

#[derive(Serialize, ToSchema)]
pub struct SoftwareOwnerOut {
    pub ipa: String,
    pub name: String,
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct SoftwareOut {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    /// Il repository del codice (`url` del publiccode.yml): l'identità della scheda.
    pub repository: String,
    /// L'ente titolare, quando è fra quelli dell'IPA.
    pub owner: Option<SoftwareOwnerOut>,
    pub version: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub release_date: Option<chrono::NaiveDate>,
    /// `concept`, `development`, `beta`, `stable`, `obsolete`.
    pub development_status: Option<String>,
    pub software_type: Option<String>,
    /// Espressione SPDX.
    pub license: Option<String>,
    pub platforms: Vec<String>,
    pub categories: Vec<String>,
    pub scopes: Vec<String>,
    /// Le descrizioni per lingua, prima l'italiano: `language`, `shortDescription`,
    /// `longDescription`, `features`, `screenshots`, `videos`, `documentation`.
    #[schema(value_type = Vec<Object>)]
    pub descriptions: Value,
    /// `type`, `contacts`, `contractors` come nel publiccode.yml.
    #[schema(value_type = Object)]
    pub maintenance: Value,
    /// `kind` (`open`, `proprietary`, `hardware`), `name`, versioni, `optional`.
    #[schema(value_type = Vec<Object>)]
    pub dependencies: Value,
    /// Le amministrazioni che lo utilizzano, come le nomina il file.
    pub used_by: Vec<String>,
    pub landing_url: Option<String>,
    pub logo: Option<String>,
    /// La pagina della scheda.
    pub url: String,
    /// Il publiccode.yml così come è stato importato.
    pub publiccode_url: String,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<SoftwareView> for SoftwareOut {
    fn from(mut view: SoftwareView) -> Self {
        view.descriptions.sort_by_key(|d| d.language != "it");
        // Plain data with string keys: serialising it cannot fail.
        let json = |value: Result<Value, serde_json::Error>| value.unwrap_or(Value::Null);
        SoftwareOut {
            url: paths::software(&view.slug),
            publiccode_url: paths::software_publiccode(&view.slug),
            owner: view.owner.map(|o| SoftwareOwnerOut {
                url: paths::organization(&o.ipa_code),
                name: riusa_domain::names::display_name(&o.name),
                ipa: o.ipa_code,
            }),
            descriptions: json(serde_json::to_value(&view.descriptions)),
            maintenance: json(serde_json::to_value(&view.maintenance)),
            dependencies: json(serde_json::to_value(&view.dependencies)),
            id: view.id,
            slug: view.slug,
            name: view.name,
            repository: view.url,
            version: view.version,
            release_date: view.release_date,
            development_status: view.development_status,
            software_type: view.software_type,
            license: view.license,
            platforms: view.platforms,
            categories: view.categories,
            scopes: view.scopes,
            used_by: view.used_by,
            landing_url: view.landing_url,
            logo: view.logo,
            updated_at: view.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SoftwareListOut {
    pub items: Vec<SoftwareOut>,
    pub total: u64,
    pub next_cursor: Option<String>,
}

/// Parametri dell'elenco del software.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SoftwareQuery {
    /// Categoria del publiccode.yml (es. `cloud-management`).
    category: Option<String>,
    /// Stato di sviluppo (`concept`, `development`, `beta`, `stable`, `obsolete`).
    status: Option<String>,
    /// Licenza, come espressione SPDX (es. `EUPL-1.2`).
    license: Option<String>,
}

/// Software of the catalog, by name, filtered by category, development status and licence.
#[utoipa::path(
    get,
    path = "/software",
    tag = "software",
    params(SoftwareQuery, PageQuery),
    responses(
        (status = 200, description = "Una pagina di software, per nome", body = SoftwareListOut),
        (status = 400, description = "Parametro non valido", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn list_software(
    State(app): State<AppState>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<SoftwareListOut>> {
    let pairs = QueryPairs::parse(query.as_deref());
    let filter = software_filter(&pairs)?;
    let (offset, page_size) = params::api_window(&pairs)?;
    let page = app
        .store
        .software()
        .list(&filter, offset as u64, page_size as u64)
        .await?;
    let end = offset + page.items.len();
    Ok(Json(SoftwareListOut {
        next_cursor: ((end as u64) < page.total && end + page_size <= riusa_search::MAX_WINDOW)
            .then(|| params::encode_cursor(end)),
        total: page.total,
        items: page.items.into_iter().map(SoftwareOut::from).collect(),
    }))
}

/// One software record, by slug.
#[utoipa::path(
    get,
    path = "/software/{slug}",
    tag = "software",
    params(("slug" = String, Path, description = "Lo slug della scheda")),
    responses(
        (status = 200, description = "Il software", body = SoftwareOut),
        (status = 404, description = "Nessun software pubblico con questo slug", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn get_software(
    State(app): State<AppState>,
    ApiPath(slug): ApiPath,
) -> ApiResult<Json<SoftwareOut>> {
    let view = app.store.software().active_by_slug(&slug).await?;
    Ok(Json(view.into()))
}
