use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use riusa_search::{Filters, SearchRequest, Sort};

use crate::auth::Visitor;
use crate::error::PageResult;
use crate::pages::{CardView, Layout, PagePath, Pagination, Section, UserNav, render};
use crate::params::{PAGE_SIZE, QueryPairs};
use crate::{AppState, messages, paths, search};

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
    Visitor(visitor): Visitor,
    PagePath(slug): PagePath,
    RawQuery(query): RawQuery,
) -> PageResult<Response> {
    let page = QueryPairs::parse(query.as_deref())
        .number("page", 1, (riusa_search::MAX_WINDOW / PAGE_SIZE) as u64)?
        .unwrap_or(1) as usize;
    let theme = app.store.catalog().theme_by_slug(&slug).await?;
    let user = UserNav::of_visitor(&app, &visitor).await?;
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
            .with_user(user)
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
