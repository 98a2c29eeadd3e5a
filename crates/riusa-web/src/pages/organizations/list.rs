use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use riusa_domain::names::display_name;
use riusa_search::MAX_WINDOW;

use crate::auth::Visitor;
use crate::directory::{self, ProvinceOutsideRegion};
use crate::error::PageResult;
use crate::pages::{Layout, Pagination, Section, UserNav, render};
use crate::params::{QueryPairs, directory_params};
use crate::{AppState, messages, paths};

const ORGANIZATIONS_PAGE_SIZE: usize = 25;
/// No deeper than search and the API go (`MAX_WINDOW`): a word of the name narrows the list.
const ORGANIZATIONS_MAX_PAGE: u64 = (MAX_WINDOW / ORGANIZATIONS_PAGE_SIZE) as u64;

pub struct OrganizationRow {
    pub href: String,
    pub name: String,
    pub category: String,
    pub place: Option<String>,
    /// «3 buone pratiche»; `None` for none.
    pub practices: Option<String>,
}

/// One option of a select box.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn choices(values: impl Iterator<Item = (String, String)>, chosen: Option<&str>) -> Vec<Choice> {
    values
        .map(|(value, label)| Choice {
            selected: chosen == Some(value.as_str()),
            value,
            label,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "organizations.html")]
struct OrganizationsPage {
    layout: Layout,
    q: String,
    categories: Vec<Choice>,
    regions: Vec<Choice>,
    provinces: Vec<Choice>,
    with_practices: bool,
    /// Some filter differs from the default: offer to clear them.
    filtered: bool,
    heading: String,
    rows: Vec<OrganizationRow>,
    pagination: Option<Pagination>,
}

/// The directory of administrations: those sharing the most practices first, by kind, region,
/// province and name.
pub async fn list_organizations(
    State(app): State<AppState>,
    Visitor(visitor): Visitor,
    RawQuery(query): RawQuery,
) -> PageResult<Response> {
    let user = UserNav::of_visitor(&app, &visitor).await?;
    let pairs = QueryPairs::parse(query.as_deref());
    let params = directory_params(&pairs)?;
    let page = pairs
        .number("page", 1, ORGANIZATIONS_MAX_PAGE)?
        .unwrap_or(1) as usize;
    let directory = directory::resolve(&app, &params, ProvinceOutsideRegion::Drop).await?;
    let filter = &directory.filter;
    let found = app
        .store
        .organizations()
        .list(
            filter,
            ((page - 1) * ORGANIZATIONS_PAGE_SIZE) as u64,
            ORGANIZATIONS_PAGE_SIZE as u64,
        )
        .await?;
    let total = found.total as usize;
    let mut heading = messages::organizations_count(found.total);
    if filter.with_practices {
        heading.push_str(" con buone pratiche pubblicate");
    }
    if let Some(q) = &filter.name {
        heading.push_str(&format!(" per «{q}»"));
    }
    // The links keep the filters as the person chose them, the page number apart.
    let mut kept: Vec<(&str, String)> = Vec::new();
    if let Some(q) = &filter.name {
        kept.push(("q", q.clone()));
    }
    for (key, value) in [
        ("category", &filter.category),
        ("region", &filter.region),
        ("province", &filter.province),
    ] {
        if let Some(value) = value {
            kept.push((key, value.clone()));
        }
    }
    if params.with_practices.is_some() {
        kept.push(("with_practices", filter.with_practices.to_string()));
    }
    let last = total
        .div_ceil(ORGANIZATIONS_PAGE_SIZE)
        .clamp(1, ORGANIZATIONS_MAX_PAGE as usize);
    render(&OrganizationsPage {
        layout: Layout::new("Enti", Section::Organizations).with_user(user),
        heading,
        filtered: !kept.is_empty(),
        rows: found
            .items
            .into_iter()
            .map(|entry| {
                let o = entry.organization;
                OrganizationRow {
                    href: paths::organization(&o.ipa_code),
                    place: o
                        .municipality
                        .as_ref()
                        .map(|m| format!("{} ({})", m.name, m.region_name)),
                    category: display_name(&o.category_name),
                    name: display_name(&o.name),
                    practices: (entry.published_practices > 0)
                        .then(|| messages::practices_count(entry.published_practices)),
                }
            })
            .collect(),
        pagination: Pagination::new(
            "Pagine dell'elenco degli enti",
            total,
            ORGANIZATIONS_PAGE_SIZE,
            page,
            last,
            |n| paths::with_query(paths::ORGANIZATIONS, &kept, n),
        ),
        q: params.q.clone(),
        categories: choices(
            directory
                .categories
                .iter()
                .map(|(code, name)| (code.clone(), display_name(name))),
            filter.category.as_deref(),
        ),
        regions: choices(
            directory.regions.iter().map(|r| (r.clone(), r.clone())),
            filter.region.as_deref(),
        ),
        provinces: choices(
            directory.provinces.iter().map(|p| (p.clone(), p.clone())),
            filter.province.as_deref(),
        ),
        with_practices: filter.with_practices,
    })
}
