use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use riusa_search::{FacetKind, SearchRequest, SearchResults, Sort};

use crate::auth::Visitor;
use crate::error::PageResult;
use crate::pages::{CardView, Layout, Section, UserNav, render};
use crate::{AppState, messages, paths, search};

const LATEST_ON_HOME: usize = 6;

pub struct ThemeTile {
    pub href: String,
    pub name: String,
    pub count: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    total: String,
    themes: Vec<ThemeTile>,
    cards: Vec<CardView>,
}

/// Home: a search box, the themes with their counts and the newest practices.
pub async fn show_home(
    State(app): State<AppState>,
    Visitor(visitor): Visitor,
) -> PageResult<Response> {
    let user = UserNav::of_visitor(&app, &visitor).await?;
    let overview = search::search(
        &app,
        SearchRequest {
            sort: Sort::Newest,
            limit: LATEST_ON_HOME,
            ..SearchRequest::default()
        },
    )
    .await?;
    let counts = facet_counts(&overview, FacetKind::Theme);
    let themes = app
        .store
        .catalog()
        .themes()
        .await?
        .into_iter()
        .map(|t| ThemeTile {
            href: paths::theme(&t.slug),
            count: messages::practices_count(counts.get(&t.slug).copied().unwrap_or(0)),
            name: t.name,
        })
        .collect();
    render(&HomePage {
        layout: Layout::new(
            "Buone pratiche della pubblica amministrazione",
            Section::None,
        )
        .with_user(user),
        total: messages::practices_count(overview.total as u64),
        themes,
        cards: overview
            .hits
            .iter()
            .map(|h| CardView::new(&h.card, None))
            .collect(),
    })
}

fn facet_counts(results: &SearchResults, kind: FacetKind) -> HashMap<String, u64> {
    results
        .facets
        .iter()
        .filter(|g| g.kind == kind)
        .flat_map(|g| g.values.iter().map(|v| (v.value.clone(), v.count)))
        .collect()
}
