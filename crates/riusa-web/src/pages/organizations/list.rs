use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use riusa_search::MAX_WINDOW;

use crate::auth::Visitor;
use crate::error::PageResult;
use crate::pages::{Layout, Pagination, Section, UserNav, render};
use crate::params::{QUERY_MAX_CHARS, QueryPairs};
use crate::{AppState, messages, paths};

const ORGANIZATIONS_PAGE_SIZE: usize = 25;
/// No deeper than search and the API go (`MAX_WINDOW`): a word of the name narrows the list.
const ORGANIZATIONS_MAX_PAGE: u64 = (MAX_WINDOW / ORGANIZATIONS_PAGE_SIZE) as u64;

pub struct OrganizationRow {
    pub href: String,
    pub name: String,
    pub category: String,
    pub place: Option<String>,
}

#[derive(Template)]
#[template(path = "organizations.html")]
struct OrganizationsPage {
    layout: Layout,
    q: String,
    heading: String,
    rows: Vec<OrganizationRow>,
    pagination: Option<Pagination>,
}

/// The IPA registry, searchable by name.
pub async fn list_organizations(
    State(app): State<AppState>,
    Visitor(visitor): Visitor,
    RawQuery(query): RawQuery,
) -> PageResult<Response> {
    let user = UserNav::of_visitor(&app, &visitor).await?;
    let pairs = QueryPairs::parse(query.as_deref());
    let q = pairs.text("q", QUERY_MAX_CHARS)?;
    let page = pairs
        .number("page", 1, ORGANIZATIONS_MAX_PAGE)?
        .unwrap_or(1) as usize;
    let found = app
        .store
        .organizations()
        .list(
            Some(&q),
            ((page - 1) * ORGANIZATIONS_PAGE_SIZE) as u64,
            ORGANIZATIONS_PAGE_SIZE as u64,
        )
        .await?;
    let total = found.total as usize;
    let noun = if total == 1 { "ente" } else { "enti" };
    let heading = match (total, q.is_empty()) {
        (0, false) => format!("Nessun ente trovato per «{q}»"),
        (_, false) => format!("{} {noun} per «{q}»", messages::number(total as f64)),
        (_, true) => format!(
            "{} {noun} nell'Indice delle pubbliche amministrazioni",
            messages::number(total as f64)
        ),
    };
    let pairs: Vec<(&str, String)> = if q.is_empty() {
        Vec::new()
    } else {
        vec![("q", q.clone())]
    };
    let last = total
        .div_ceil(ORGANIZATIONS_PAGE_SIZE)
        .clamp(1, ORGANIZATIONS_MAX_PAGE as usize);
    render(&OrganizationsPage {
        layout: Layout::new("Enti", Section::Organizations).with_user(user),
        heading,
        rows: found
            .items
            .into_iter()
            .map(|o| OrganizationRow {
                href: paths::organization(&o.ipa_code),
                place: o
                    .municipality
                    .as_ref()
                    .map(|m| format!("{} ({})", m.name, m.region_name)),
                category: o.category_name,
                name: o.name,
            })
            .collect(),
        pagination: Pagination::new(
            "Pagine dell'elenco degli enti",
            total,
            ORGANIZATIONS_PAGE_SIZE,
            page,
            last,
            |n| paths::with_query(paths::ORGANIZATIONS, &pairs, n),
        ),
        q,
    })
}
