//! Server-rendered Italian pages, a module per context (`catalog`, `organizations`, `themes`)
//! and a file per page. Each handler extracts, reads through the store or the index, and
//! renders an askama template; shared view pieces (layout, cards, pagination) and the error
//! page live here.

#[cfg(feature = "bench")]
mod bench;
mod catalog;
mod error_page;
mod organizations;
mod themes;

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use riusa_domain::catalog::OwnerRole;
use riusa_search::PracticeCard;

#[cfg(feature = "bench")]
pub use bench::{MemoryPages, bench_routes};

use crate::error::{AppError, PageError, PageResult};
use crate::{AppState, paths};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(catalog::show_home))
        .route(paths::PRACTICES, get(catalog::list_practices))
        .route("/pratiche/{slug}", get(catalog::show_practice))
        .route(paths::THEMES, get(themes::list_themes))
        .route("/temi/{slug}", get(themes::show_theme))
        .route(paths::ORGANIZATIONS, get(organizations::list_organizations))
        .route("/enti/{ipa}", get(organizations::show_organization))
        .method_not_allowed_fallback(method_not_allowed)
}

/// The router's own 404, as an Italian page (or problem+json under `/api`).
pub async fn not_found(uri: Uri) -> Response {
    AppError::NotFound.into_response_for(uri.path())
}

/// A known address asked with another method: an Italian page (axum adds `Allow`).
pub async fn method_not_allowed() -> Response {
    PageError(AppError::MethodNotAllowed).into_response()
}

/// A path segment; a malformed one (not UTF-8) is a 404 page, not axum's plain-text 400.
pub struct PagePath(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PagePath {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| PagePath(value))
            .map_err(|_| PageError(AppError::NotFound))
    }
}

/// The top-level section a page belongs to (marked in the navigation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Practices,
    Themes,
    Organizations,
    None,
}

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

pub struct Link {
    pub href: String,
    pub label: String,
}

/// What every page's frame needs.
pub struct Layout {
    pub title: String,
    pub description: String,
    pub section: Section,
    /// Links between Home and the current page.
    pub breadcrumb: Vec<Link>,
}

impl Layout {
    pub fn new(title: impl Into<String>, section: Section) -> Layout {
        Layout {
            title: title.into(),
            description: "Riusa: il catalogo delle buone pratiche della pubblica amministrazione, da conoscere e riusare.".to_owned(),
            section,
            breadcrumb: Vec::new(),
        }
    }

    pub fn with_description(mut self, description: impl Into<String>) -> Layout {
        self.description = description.into();
        self
    }

    pub fn within(mut self, href: impl Into<String>, label: impl Into<String>) -> Layout {
        self.breadcrumb.push(Link {
            href: href.into(),
            label: label.into(),
        });
        self
    }

    pub fn nav(&self) -> [NavItem; 3] {
        [
            NavItem {
                href: paths::PRACTICES,
                label: "Buone pratiche",
                current: self.section == Section::Practices,
            },
            NavItem {
                href: paths::THEMES,
                label: "Temi",
                current: self.section == Section::Themes,
            },
            NavItem {
                href: paths::ORGANIZATIONS,
                label: "Enti",
                current: self.section == Section::Organizations,
            },
        ]
    }
}

pub struct PeriodYears {
    pub start: i32,
    pub end: Option<i32>,
}

/// A practice in a list.
pub struct CardView {
    pub href: String,
    pub title: String,
    /// «Regione Umbria, con Comune di Orvieto».
    pub owners: String,
    pub summary: String,
    /// Escaped text with `<mark>` around matched words.
    pub snippet: Option<String>,
    pub themes: Vec<Link>,
    pub period: Option<PeriodYears>,
}

impl CardView {
    pub fn new(card: &PracticeCard, snippet: Option<String>) -> CardView {
        use chrono::Datelike;
        let names = |role: OwnerRole| {
            card.owners
                .iter()
                .filter(|o| o.role == role)
                .map(|o| o.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (owners, partners) = (names(OwnerRole::Owner), names(OwnerRole::Partner));
        CardView {
            href: paths::practice(&card.slug),
            title: card.title.clone(),
            owners: if partners.is_empty() {
                owners
            } else {
                format!("{owners}, con {partners}")
            },
            summary: card.summary.clone(),
            snippet,
            themes: card
                .themes
                .iter()
                .map(|t| Link {
                    href: paths::theme(&t.slug),
                    label: t.name.clone(),
                })
                .collect(),
            period: card.period_start.map(|s| PeriodYears {
                start: s.year(),
                end: card.period_end.map(|e| e.year()),
            }),
        }
    }
}

pub struct PageLink {
    /// `None` for a gap («…»).
    pub number: Option<usize>,
    pub href: String,
    pub current: bool,
}

pub struct Pagination {
    pub label: &'static str,
    pub links: Vec<PageLink>,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub current: usize,
    pub last: usize,
}

impl Pagination {
    /// Links to the first, last and nearby pages; `None` when everything fits on one page.
    pub fn new(
        label: &'static str,
        total: usize,
        page_size: usize,
        current: usize,
        max_page: usize,
        href: impl Fn(usize) -> String,
    ) -> Option<Pagination> {
        let last = total.div_ceil(page_size).clamp(1, max_page);
        if last <= 1 {
            return None;
        }
        let mut links = Vec::new();
        let mut previous_number = 0;
        for number in 1..=last {
            let near = number.abs_diff(current) <= 2;
            if number == 1 || number == last || near {
                if number > previous_number + 1 {
                    links.push(PageLink {
                        number: None,
                        href: String::new(),
                        current: false,
                    });
                }
                links.push(PageLink {
                    number: Some(number),
                    href: href(number),
                    current: number == current,
                });
                previous_number = number;
            }
        }
        Some(Pagination {
            label,
            links,
            previous: (current > 1 && current <= last).then(|| href(current - 1)),
            next: (current < last).then(|| href(current + 1)),
            current,
            last,
        })
    }
}

/// Renders a template as a 200 page.
pub fn render(template: &impl Template) -> PageResult<Response> {
    Ok(Html(template.render().map_err(AppError::from)?).into_response())
}

/// An htmx request that targets `target` gets only that fragment; anything else the page.
pub fn page_or_fragment(
    headers: &HeaderMap,
    target: &str,
    page: &impl Template,
    fragment: &impl Template,
) -> PageResult<Response> {
    let wants_fragment = headers.get("hx-request").is_some()
        && headers.get("hx-target").and_then(|v| v.to_str().ok()) == Some(target);
    let mut response = if wants_fragment {
        render(fragment)?
    } else {
        render(page)?
    };
    // Caches must not give a fragment to a full-page request for the same URL.
    response.headers_mut().insert(
        header::VARY,
        HeaderValue::from_static("HX-Request, HX-Target"),
    );
    Ok(response)
}

/// Theme names by slug, for facet labels.
pub async fn theme_names(app: &AppState) -> Result<HashMap<String, String>, PageError> {
    Ok(app
        .store
        .catalog()
        .themes()
        .await?
        .into_iter()
        .map(|t| (t.slug, t.name))
        .collect())
}
