use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use riusa_domain::names::display_name;
use riusa_search::{Filters, SearchRequest, Sort};

use crate::auth::Visitor;
use crate::error::PageResult;
use crate::pages::{CardView, Layout, PagePath, Pagination, Section, UserNav, render};
use crate::params::{PAGE_SIZE, QueryPairs};
use crate::{AppState, messages, paths, search};

#[derive(Template)]
#[template(path = "organization.html")]
struct OrganizationPage {
    layout: Layout,
    ipa_code: String,
    category: String,
    /// The name as the registry spells it, when the page shows it otherwise.
    registry_name: String,
    kind: String,
    municipality: Option<String>,
    province: Option<String>,
    region: Option<String>,
    population: Option<String>,
    website: Option<String>,
    heading: String,
    cards: Vec<CardView>,
    pagination: Option<Pagination>,
}

/// An administration and the practices it owns or took part in.
pub async fn show_organization(
    State(app): State<AppState>,
    Visitor(visitor): Visitor,
    PagePath(ipa): PagePath,
    RawQuery(query): RawQuery,
) -> PageResult<Response> {
    let page = QueryPairs::parse(query.as_deref())
        .number("page", 1, (riusa_search::MAX_WINDOW / PAGE_SIZE) as u64)?
        .unwrap_or(1) as usize;
    let organization = app.store.organizations().get_by_ipa(&ipa).await?;
    let user = UserNav::of_visitor(&app, &visitor).await?;
    let results = search::search(
        &app,
        SearchRequest {
            filters: Filters {
                owner: Some(organization.ipa_code.clone()),
                ..Filters::default()
            },
            sort: Sort::Newest,
            offset: (page - 1) * PAGE_SIZE,
            limit: PAGE_SIZE,
            facets: false,
            ..SearchRequest::default()
        },
    )
    .await?;
    let base = paths::organization(&organization.ipa_code);
    let last = results.total.div_ceil(PAGE_SIZE).max(1);
    let municipality = organization.municipality.as_ref();
    render(&OrganizationPage {
        layout: Layout::new(display_name(&organization.name), Section::Organizations)
            .with_user(user)
            .within(paths::ORGANIZATIONS, "Enti"),
        ipa_code: organization.ipa_code.clone(),
        category: display_name(&organization.category_name),
        registry_name: organization.name.clone(),
        kind: organization.kind.clone(),
        municipality: municipality.map(|m| m.name.clone()),
        province: municipality.map(|m| match &m.province_abbr {
            Some(abbr) => format!("{} ({abbr})", m.province_name),
            None => m.province_name.clone(),
        }),
        region: municipality.map(|m| m.region_name.clone()),
        population: municipality
            .filter(|_| organization.is_municipality)
            .and_then(|m| m.population)
            .map(|p| format!("{} abitanti (ISTAT 2020)", messages::number(p as f64))),
        // Registry values are not always URLs: only web addresses become links.
        website: organization
            .website
            .clone()
            .filter(|w| w.starts_with("https://") || w.starts_with("http://")),
        heading: if results.total == 0 {
            "Questo ente non ha ancora pubblicato buone pratiche".to_owned()
        } else {
            messages::practices_count(results.total as u64)
        },
        cards: results
            .hits
            .iter()
            .map(|h| CardView::new(&h.card, None))
            .collect(),
        pagination: Pagination::new(
            "Pagine delle buone pratiche dell'ente",
            results.total,
            PAGE_SIZE,
            page,
            last,
            |n| paths::with_query(&base, &[], n),
        ),
    })
}
