use askama::Template;
use axum::extract::State;
use axum::response::Response;
use riusa_search::{FacetKind, SearchRequest};

use crate::auth::Visitor;
use crate::error::PageResult;
use crate::pages::{Layout, Section, UserNav, render};
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
pub async fn list_themes(
    State(app): State<AppState>,
    Visitor(visitor): Visitor,
) -> PageResult<Response> {
    let user = UserNav::of_visitor(&app, &visitor).await?;
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
        layout: Layout::new("Temi", Section::Themes).with_user(user),
        themes,
    })
}
