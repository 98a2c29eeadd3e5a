use askama::Template;
use axum::extract::{RawQuery, State};

use crate::params::PagePath;
use axum::response::Response;
use riusa_search::{FacetKind, Filters, SearchRequest, Sort};

use super::catalog::error_for_missing;
use super::{CardView, Layout, Pagination, Section, render};
use crate::error::PageResult;
use crate::params::{PAGE_SIZE, QueryPairs};
use crate::{AppState, messages, paths, search};

pub struct ThemeRow {
    pub href: String,
    pub name: String,
    pub description: String,
    pub count: String,
}

#[derive(Template)]
#[template(path = "themes.html")]
struct ThemesPage {
    layout: Layout,
    themes: Vec<ThemeRow>,
}

/// The taxonomy, with how many published practices each theme has.
pub async fn list_themes(State(app): State<AppState>) -> PageResult<Response> {
    let counts = search::search(
        &app,
        SearchRequest {
            limit: 1,
            ..SearchRequest::default()
        },
    )
    .await?;
    let count_of = |slug: &str| {
        counts
            .facets
            .iter()
            .filter(|g| g.kind == FacetKind::Theme)
            .flat_map(|g| &g.values)
            .find(|v| v.value == slug)
            .map_or(0, |v| v.count)
    };
    let themes = app
        .store
        .catalog()
        .themes()
        .await?
        .into_iter()
        .map(|t| ThemeRow {
            href: paths::theme(&t.slug),
            count: messages::practices_count(count_of(&t.slug)),
            name: t.name,
            description: t.description,
        })
        .collect();
    render(&ThemesPage {
        layout: Layout::new("Temi", Section::Themes),
        themes,
    })
}

#[derive(Template)]
#[template(path = "theme.html")]
struct ThemePage {
    layout: Layout,
    description: String,
    heading: String,
    search_href: String,
    cards: Vec<CardView>,
    pagination: Option<Pagination>,
}

/// One theme and its practices, newest first.
pub async fn show_theme(
    State(app): State<AppState>,
    PagePath(slug): PagePath,
    RawQuery(query): RawQuery,
) -> PageResult<Response> {
    let page = QueryPairs::parse(query.as_deref())
        .number("page", 1, (riusa_search::MAX_WINDOW / PAGE_SIZE) as u64)?
        .unwrap_or(1) as usize;
    let theme = app
        .store
        .catalog()
        .theme_by_slug(&slug)
        .await
        .map_err(error_for_missing)?;
    let results = search::search(
        &app,
        SearchRequest {
            filters: Filters {
                themes: vec![theme.slug.clone()],
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
    let base = paths::theme(&theme.slug);
    let last = results.total.div_ceil(PAGE_SIZE).max(1);
    render(&ThemePage {
        layout: Layout::new(theme.name.clone(), Section::Themes)
            .with_description(theme.description.clone())
            .within(paths::THEMES, "Temi"),
        description: theme.description,
        heading: messages::practices_count(results.total as u64),
        search_href: paths::with_query(paths::PRACTICES, &[("theme", theme.slug.clone())], 1),
        cards: results
            .hits
            .iter()
            .map(|h| CardView::new(&h.card, None))
            .collect(),
        pagination: Pagination::new(
            "Pagine delle buone pratiche del tema",
            results.total,
            PAGE_SIZE,
            page,
            last,
            |n| paths::with_query(&base, &[], n),
        ),
    })
}
