use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{RawQuery, State};
use chrono::{DateTime, NaiveDate, Utc};
use riusa_search::PracticeCard;
use riusa_store::{PracticeView, StoreError};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{ApiPath, SearchQuery};
use crate::error::{ApiResult, AppError, Problem};
use crate::params;
use crate::{AppState, paths, search};

#[derive(Serialize, ToSchema)]
pub struct ThemeRefOut {
    pub slug: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct OwnerOut {
    pub ipa: String,
    /// Il nome come lo scrive l'Indice dei domicili digitali della PA (IPA), invariato.
    pub name: String,
    /// Il nome come si scrive in italiano (accenti, maiuscole, sigle): quello delle pagine.
    pub display_name: String,
    /// owner (titolare) o partner.
    pub role: String,
}

#[derive(Serialize, ToSchema)]
pub struct PeriodOut {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

/// A practice in a list.
#[derive(Serialize, ToSchema)]
pub struct PracticeItemOut {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub themes: Vec<ThemeRefOut>,
    pub owners: Vec<OwnerOut>,
    pub period: Option<PeriodOut>,
    /// HTML: testo con le parole trovate tra `<mark>`; presente solo cercando parole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    /// La pagina della pratica.
    pub url: String,
}

impl PracticeItemOut {
    pub fn from_card(card: &PracticeCard) -> Self {
        Self::new(card, None)
    }

    fn new(card: &PracticeCard, snippet: Option<String>) -> Self {
        PracticeItemOut {
            id: card.id,
            slug: card.slug.clone(),
            title: card.title.clone(),
            summary: card.summary.clone(),
            themes: card
                .themes
                .iter()
                .map(|t| ThemeRefOut {
                    slug: t.slug.clone(),
                    name: t.name.clone(),
                })
                .collect(),
            owners: card
                .owners
                .iter()
                .map(|o| OwnerOut {
                    ipa: o.ipa_code.clone(),
                    display_name: riusa_domain::names::display_name(&o.name),
                    name: o.name.clone(),
                    role: o.role.as_str().to_owned(),
                })
                .collect(),
            period: card.period_start.map(|start| PeriodOut {
                start,
                end: card.period_end,
            }),
            snippet,
            url: paths::practice(&card.slug),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FacetValueOut {
    /// Il valore da passare come filtro (es. `source_code`, lo slug di un tema).
    pub value: String,
    /// Il nome del valore come lo mostrano le pagine (es. «Codice sorgente», il nome del tema).
    pub label: String,
    pub count: u64,
    pub selected: bool,
}

#[derive(Serialize, ToSchema)]
pub struct PracticeListOut {
    pub items: Vec<PracticeItemOut>,
    pub total: usize,
    /// Per facetta (theme, region, org_type, period, support), i valori con il numero di pratiche.
    pub facets: BTreeMap<String, Vec<FacetValueOut>>,
    /// Da passare come `cursor` per la pagina seguente; assente all'ultima.
    pub next_cursor: Option<String>,
    /// Forse cercavi: la ricerca con le parole sconosciute corrette.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

/// Search published practices, with facets.
#[utoipa::path(
    get,
    path = "/practices",
    tag = "practices",
    params(SearchQuery),
    responses(
        (status = 200, description = "Una pagina di risultati", body = PracticeListOut),
        (status = 400, description = "Parametro non valido", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn list_practices(
    State(app): State<AppState>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<PracticeListOut>> {
    let params = params::api_search(query.as_deref())?;
    let results = search::search(&app, params.to_request(true)).await?;
    let theme_names = crate::pages::theme_names(&app).await?;
    let end = params.offset + results.hits.len();
    Ok(Json(PracticeListOut {
        next_cursor: (end < results.total && end + params.page_size <= riusa_search::MAX_WINDOW)
            .then(|| params::encode_cursor(end)),
        items: results
            .hits
            .iter()
            .map(|h| PracticeItemOut::new(&h.card, h.snippet.clone()))
            .collect(),
        total: results.total,
        facets: results
            .facets
            .into_iter()
            .map(|g| {
                let values = g
                    .values
                    .into_iter()
                    .map(|v| FacetValueOut {
                        label: search::facet_label(g.kind, &v.value, &theme_names),
                        value: v.value,
                        count: v.count,
                        selected: v.selected,
                    })
                    .collect();
                (g.kind.param().to_owned(), values)
            })
            .collect(),
        suggestion: results.suggestion,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct FundingOut {
    pub programme: String,
    pub axis: Option<String>,
    pub amount_cents: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct MetricOut {
    pub label: String,
    pub value: f64,
    pub unit: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PlaceOut {
    pub istat: String,
    pub name: String,
    pub region: String,
}

#[derive(Serialize, ToSchema)]
pub struct LinkOut {
    pub title: String,
    pub url: String,
}

/// A whole practice sheet.
#[derive(Serialize, ToSchema)]
pub struct PracticeOut {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub themes: Vec<ThemeRefOut>,
    pub owners: Vec<OwnerOut>,
    pub period: Option<PeriodOut>,
    pub funding: Vec<FundingOut>,
    /// Le sezioni della scheda (Markdown), per chiave: motivation, activities, audience, implementation,
    /// people_involved, work_group, collaborations, outputs, expected_results, achieved_results,
    /// strengths, weaknesses, lessons, transferability.
    pub sections: BTreeMap<String, String>,
    pub support_offered: Vec<String>,
    pub metrics: Vec<MetricOut>,
    pub places: Vec<PlaceOut>,
    pub links: Vec<LinkOut>,
    pub license: String,
    pub language: String,
    pub updated_at: DateTime<Utc>,
    pub url: String,
}

impl From<&PracticeView> for PracticeOut {
    fn from(view: &PracticeView) -> Self {
        PracticeOut {
            id: view.id,
            slug: view.slug.clone(),
            title: view.title.clone(),
            summary: view.summary.clone(),
            themes: view
                .themes
                .iter()
                .map(|t| ThemeRefOut {
                    slug: t.slug.clone(),
                    name: t.name.clone(),
                })
                .collect(),
            owners: view
                .owners
                .iter()
                .map(|o| OwnerOut {
                    ipa: o.ipa_code.clone(),
                    display_name: riusa_domain::names::display_name(&o.name),
                    name: o.name.clone(),
                    role: o.role.as_str().to_owned(),
                })
                .collect(),
            period: view.period.as_ref().map(|p| PeriodOut {
                start: p.start,
                end: p.end,
            }),
            funding: view
                .funding
                .iter()
                .map(|f| FundingOut {
                    programme: f.programme.clone(),
                    axis: f.axis.clone(),
                    amount_cents: f.amount_cents,
                })
                .collect(),
            sections: view
                .sections
                .present()
                .map(|(k, t)| (k.as_str().to_owned(), t.to_owned()))
                .collect(),
            support_offered: view
                .support_offered
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect(),
            metrics: view
                .metrics
                .iter()
                .map(|m| MetricOut {
                    label: m.label.clone(),
                    value: m.value,
                    unit: m.unit.clone(),
                })
                .collect(),
            places: view
                .places
                .iter()
                .map(|p| PlaceOut {
                    istat: p.istat_code.clone(),
                    name: p.name.clone(),
                    region: p.region_name.clone(),
                })
                .collect(),
            links: view
                .links
                .iter()
                .map(|l| LinkOut {
                    title: l.title.clone(),
                    url: l.url.clone(),
                })
                .collect(),
            license: view.license.clone(),
            language: view.language.clone(),
            updated_at: view.updated_at,
            url: paths::practice(&view.slug),
        }
    }
}

// The segment is named `{id}` because `PUT /practices/{id}` (a draft revision, by UUID only)
// shares the route and axum takes one parameter name per path shape; a read also accepts a slug.
/// One published practice, by id (UUID) or slug.
#[utoipa::path(
    get,
    path = "/practices/{id}",
    tag = "practices",
    params(("id" = String, Path, description = "UUID della pratica, oppure il suo slug")),
    responses(
        (status = 200, description = "La scheda completa", body = PracticeOut),
        (status = 404, description = "Nessuna pratica pubblicata con questo id o slug", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn get_practice(
    State(app): State<AppState>,
    ApiPath(key): ApiPath,
) -> ApiResult<Json<PracticeOut>> {
    let found = match Uuid::try_parse(&key) {
        Ok(id) => app.store.catalog().published_by_id(id).await,
        Err(_) => app.store.catalog().published_by_slug(&key).await,
    };
    match found {
        Ok(view) => Ok(Json(PracticeOut::from(&view))),
        Err(StoreError::NotFound) => Err(AppError::NotFound.into()),
        Err(error) => Err(error.into()),
    }
}
