//! Server-rendered Italian pages, a module per context (`catalog`, `organizations`, `themes`)
//! and a file per page. Each handler extracts, reads through the store or the index, and
//! renders an askama template; shared view pieces (layout, cards, pagination) and the error
//! page live here.

mod accounts;
#[cfg(feature = "bench")]
mod bench;
mod catalog;
mod error_page;
mod legal;
mod organizations;
mod software;
mod themes;

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use riusa_domain::DomainError;
use riusa_domain::catalog::OwnerRole;
use riusa_search::PracticeCard;

#[cfg(feature = "bench")]
pub use bench::{MemoryPages, bench_routes};
pub use software::software_filter;

use crate::auth::Identity;
use crate::error::{AppError, PageError, PageResult};
use crate::{AppState, HubInfo, paths};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(catalog::show_home))
        .route(paths::PRACTICES, get(catalog::list_practices))
        .route("/pratiche/{slug}", get(catalog::show_practice))
        .route(paths::THEMES, get(themes::list_themes))
        .route("/temi/{slug}", get(themes::show_theme))
        .route(paths::ORGANIZATIONS, get(organizations::list_organizations))
        .route("/enti/{ipa}", get(organizations::show_organization))
        .route(paths::SOFTWARE, get(software::list_software))
        .route("/software/{slug}", get(software::show_software))
        .route(
            "/software/{slug}/publiccode.yml",
            get(software::show_publiccode),
        )
        .route(paths::LEGAL_NOTES, get(legal::show_legal_notes))
        .route(paths::PRIVACY, get(legal::show_privacy))
        .route(paths::CONTACTS, get(legal::show_contacts))
        .route(paths::ACCESSIBILITY, get(legal::show_accessibility))
        .merge(accounts::routes())
        .merge(catalog::workflow_routes())
        .method_not_allowed_fallback(method_not_allowed)
}

/// Pages whose forms carry a whole practice sheet (see `middleware::PRACTICE_FORM_BODY_LIMIT`).
pub fn form_routes() -> Router<AppState> {
    catalog::form_routes().method_not_allowed_fallback(method_not_allowed)
}

/// Routes that take files (see `middleware::upload_body_limit`).
pub fn upload_routes() -> Router<AppState> {
    catalog::upload_routes().method_not_allowed_fallback(method_not_allowed)
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

/// Typed path segments (ids, several segments); anything malformed is a 404 page.
pub struct PageParams<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Send> FromRequestParts<S> for PageParams<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| PageParams(value))
            .map_err(|_| PageError(AppError::NotFound))
    }
}

/// The top-level section a page belongs to (marked in the navigation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Practices,
    Themes,
    Organizations,
    Software,
    /// The signed-in person's own pages (profile, drafts, review, administration).
    Workspace,
    None,
}

/// What the header shows a signed-in person.
pub struct UserNav {
    pub name: String,
    /// The token of the sign-out form in the header.
    pub csrf: String,
    pub unread: u64,
    pub is_staff: bool,
    pub is_editor: bool,
    pub is_admin: bool,
}

impl UserNav {
    /// The header of a signed-in visitor of a page everybody sees; `None` for anybody else.
    pub async fn of_visitor(
        app: &AppState,
        visitor: &Option<Identity>,
    ) -> Result<Option<UserNav>, AppError> {
        match visitor {
            Some(identity) => Ok(Some(UserNav::of(app, identity).await?)),
            None => Ok(None),
        }
    }

    pub async fn of(app: &AppState, identity: &Identity) -> Result<UserNav, AppError> {
        let principal = &identity.principal;
        Ok(UserNav {
            name: identity.name.clone(),
            csrf: identity
                .session
                .as_deref()
                .map(|session| app.config.signing_key.sign("csrf", session))
                .unwrap_or_default(),
            unread: app
                .store
                .notifications()
                .unread(principal.account_id)
                .await?,
            is_staff: principal.is_staff(),
            is_editor: principal.is_editor,
            is_admin: principal.is_admin,
        })
    }
}

/// Messages beside the fields of a form that was refused, and one line above it.
#[derive(Debug, Default)]
pub struct FormErrors {
    pub summary: Option<String>,
    fields: HashMap<String, String>,
    /// Set when the refusal is a rate limit: the response carries `Retry-After`.
    pub retry_after: Option<HeaderValue>,
}

impl FormErrors {
    pub fn message(summary: impl Into<String>) -> FormErrors {
        FormErrors {
            summary: Some(summary.into()),
            fields: HashMap::new(),
            retry_after: None,
        }
    }

    pub fn field(mut self, field: &str, message: impl Into<String>) -> FormErrors {
        self.fields.insert(field.to_owned(), message.into());
        self
    }

    /// The errors of a refused write: per field when the domain named fields.
    pub fn from_error(error: &AppError) -> FormErrors {
        let fields = error
            .field_problems()
            .into_iter()
            .map(|p| (p.field, p.detail))
            .collect::<HashMap<_, _>>();
        FormErrors {
            summary: Some(if fields.len() > 1 {
                format!(
                    "{} campi non sono validi: correggili e invia di nuovo.",
                    fields.len()
                )
            } else {
                error.detail()
            }),
            fields,
            retry_after: error.retry_after(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.summary.is_none() && self.fields.is_empty()
    }

    /// Adds, beside `field`, what the domain found wrong in `result` (nothing when it is `Ok`).
    pub fn check<T>(mut self, field: &str, result: &Result<T, DomainError>) -> FormErrors {
        if let Err(DomainError::Invalid(errors)) = result {
            for error in errors {
                self = self.field(field, crate::messages::violation(&error.violation));
            }
        }
        self
    }

    /// A new password and its repetition: the domain's rules (`personal`: the email and name
    /// it must not resemble), then whether the two were typed the same.
    pub fn new_password(self, password: &str, again: &str, personal: &[&str]) -> FormErrors {
        let result = riusa_domain::accounts::check_password(password, personal);
        let acceptable = result.is_ok();
        let errors = self.check("password", &result);
        if acceptable && password != again {
            errors.field("password_again", crate::messages::PASSWORDS_DIFFER)
        } else {
            errors
        }
    }

    /// The message for `field`, if any (templates: `errors.get("email")`).
    pub fn get(&self, field: &str) -> Option<&str> {
        self.fields.get(field).map(String::as_str)
    }

    /// Messages for fields whose name starts with `prefix` (e.g. `owners`).
    pub fn under(&self, prefix: &str) -> Vec<&str> {
        let mut found: Vec<(&String, &String)> = self
            .fields
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .collect();
        found.sort();
        found.into_iter().map(|(_, v)| v.as_str()).collect()
    }
}

/// A page rendered with a status other than 200 (a refused form is 422).
pub fn render_status(
    status: axum::http::StatusCode,
    template: &impl Template,
) -> PageResult<Response> {
    let mut response = render(template)?;
    *response.status_mut() = status;
    Ok(response)
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
    /// The signed-in person; `None` on pages shared by everybody (and cached).
    pub user: Option<UserNav>,
    /// Who runs the hub: the header's top strip and the footer.
    pub hub: Arc<HubInfo>,
}

impl Layout {
    pub fn new(title: impl Into<String>, section: Section) -> Layout {
        Layout {
            title: title.into(),
            description: "Riusa: il catalogo delle buone pratiche della pubblica amministrazione, da conoscere e riusare.".to_owned(),
            section,
            breadcrumb: Vec::new(),
            user: None,
            hub: crate::hub::current(),
        }
    }

    pub fn with_user(mut self, user: Option<UserNav>) -> Layout {
        self.user = user;
        self
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

    pub fn nav(&self) -> [NavItem; 4] {
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
            NavItem {
                href: paths::SOFTWARE,
                label: "Software",
                current: self.section == Section::Software,
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
                .map(|o| riusa_domain::names::display_name(&o.name))
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
pub async fn theme_names(
    app: &AppState,
) -> Result<HashMap<String, String>, riusa_store::StoreError> {
    Ok(app
        .store
        .catalog()
        .themes()
        .await?
        .into_iter()
        .map(|t| (t.slug, t.name))
        .collect())
}
