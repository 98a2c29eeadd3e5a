use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use riusa_domain::catalog::license_label;
use riusa_store::SoftwareFilter;

use crate::auth::Visitor;
use crate::error::PageResult;
use crate::pages::{Layout, Pagination, Section, UserNav, render};
use crate::params::{QueryPairs, VALUE_MAX_CHARS};
use crate::{AppState, messages, paths};

const SOFTWARE_PAGE_SIZE: usize = 25;
/// Deep enough for any catalog the national one suggests; filters narrow it further.
const SOFTWARE_MAX_PAGE: u64 = 400;

pub struct SoftwareRow {
    pub href: String,
    pub name: String,
    pub summary: Option<String>,
    pub owner: Option<String>,
    pub status: Option<String>,
    pub license: Option<String>,
}

/// One option of a select box.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn choices(
    values: impl IntoIterator<Item = String>,
    label: impl Fn(&str) -> String,
    chosen: Option<&str>,
) -> Vec<Choice> {
    values
        .into_iter()
        .map(|value| Choice {
            label: label(&value),
            selected: chosen == Some(value.as_str()),
            value,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "software_list.html")]
struct SoftwareListPage {
    layout: Layout,
    categories: Vec<Choice>,
    statuses: Vec<Choice>,
    licenses: Vec<Choice>,
    filtered: bool,
    heading: String,
    rows: Vec<SoftwareRow>,
    pagination: Option<Pagination>,
}

/// The software catalog: active records by name, filtered by category, development status and
/// licence with a form that works without JavaScript.
pub async fn list_software(
    State(app): State<AppState>,
    Visitor(visitor): Visitor,
    RawQuery(query): RawQuery,
) -> PageResult<Response> {
    let user = UserNav::of_visitor(&app, &visitor).await?;
    let pairs = QueryPairs::parse(query.as_deref());
    let page = pairs.number("page", 1, SOFTWARE_MAX_PAGE)?.unwrap_or(1) as usize;
    let filter = software_filter(&pairs)?;
    let repo = app.store.software();
    let found = repo
        .list(
            &filter,
            ((page - 1) * SOFTWARE_PAGE_SIZE) as u64,
            SOFTWARE_PAGE_SIZE as u64,
        )
        .await?;
    let available = repo.choices().await?;
    let kept: Vec<(&str, String)> = [
        ("category", &filter.category),
        ("status", &filter.development_status),
        ("license", &filter.license),
    ]
    .into_iter()
    .filter_map(|(key, value)| value.clone().map(|v| (key, v)))
    .collect();
    let total = found.total as usize;
    render(&SoftwareListPage {
        layout: Layout::new("Software", Section::Software).with_user(user),
        heading: messages::software_count(found.total),
        filtered: !kept.is_empty(),
        rows: found
            .items
            .into_iter()
            .map(|s| SoftwareRow {
                href: paths::software(&s.slug),
                summary: super::show::preferred(&s.descriptions)
                    .and_then(|d| d.short_description.clone()),
                owner: s
                    .owner
                    .as_ref()
                    .map(|o| riusa_domain::names::display_name(&o.name)),
                status: s
                    .development_status
                    .as_deref()
                    .map(messages::development_status),
                license: s.license.as_deref().map(license_label),
                name: s.name,
            })
            .collect(),
        pagination: Pagination::new(
            "Pagine dell'elenco dei software",
            total,
            SOFTWARE_PAGE_SIZE,
            page,
            SOFTWARE_MAX_PAGE as usize,
            |n| paths::with_query(paths::SOFTWARE, &kept, n),
        ),
        categories: choices(
            available.categories,
            str::to_owned,
            filter.category.as_deref(),
        ),
        statuses: choices(
            available.development_statuses,
            messages::development_status,
            filter.development_status.as_deref(),
        ),
        licenses: choices(available.licenses, license_label, filter.license.as_deref()),
    })
}

/// The filters of the page and of the API: `category`, `status`, `license`.
pub fn software_filter(pairs: &QueryPairs) -> Result<SoftwareFilter, crate::params::ParamError> {
    let value = |name: &'static str| -> Result<Option<String>, crate::params::ParamError> {
        Ok(Some(pairs.text(name, VALUE_MAX_CHARS)?).filter(|v| !v.is_empty()))
    };
    Ok(SoftwareFilter {
        category: value("category")?,
        development_status: value("status")?,
        license: value("license")?,
    })
}
