use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use riusa_domain::catalog::{OwnerRole, license_label};
use riusa_domain::names::display_name;
use riusa_store::{PracticeView, StoreError};

use crate::auth::{Identity, Visitor};
use crate::error::{AppError, PageResult};
use crate::pages::{CardView, Layout, Link, PagePath, Section, UserNav};
use crate::{AppState, markdown, messages, paths, search};

const SIMILAR: usize = 3;

pub struct Figure {
    pub value: String,
    pub unit: Option<String>,
    pub label: String,
    /// The type size: number and unit share a line (a no-break space), so long ones get smaller
    /// type rather than running out of their box.
    pub size: &'static str,
}

fn figure_size(value: &str, unit: Option<&str>) -> &'static str {
    let chars = value.chars().count() + unit.map_or(0, |u| u.chars().count() + 1);
    match chars {
        0..=9 => "display-5",
        10..=13 => "display-6",
        _ => "fs-3",
    }
}

pub struct SectionView {
    pub anchor: &'static str,
    pub heading: &'static str,
    pub html: String,
}

#[derive(Template)]
#[template(path = "practice.html")]
struct PracticePage {
    layout: Layout,
    summary: String,
    themes: Vec<Link>,
    owners: Vec<Link>,
    partners: Vec<Link>,
    places: Option<String>,
    period: Option<String>,
    funding: Vec<String>,
    license: Link,
    support: Vec<&'static str>,
    figures: Vec<Figure>,
    sections: Vec<SectionView>,
    links: Vec<Link>,
    /// The files of the published revision.
    attachments: Vec<super::attachments::AttachmentLine>,
    updated: String,
    similar: Vec<CardView>,
    /// The published versions, when there is more than one.
    versions: Option<Link>,
    /// The back-office page, for the people of its administrations.
    edit_href: Option<String>,
}

/// A practice sheet, with similar practices (served from the page cache when still valid).
/// A signed-in person gets a page of their own (their name, an edit link when it is their
/// administration's): rendered each time, never taken from or put in the shared cache.
pub async fn show_practice(
    State(app): State<AppState>,
    Visitor(visitor): Visitor,
    PagePath(slug): PagePath,
) -> PageResult<Response> {
    if let Some(identity) = visitor {
        let body = render_practice_for(&app, &slug, Some(&identity)).await?;
        return Ok((
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "private, no-store"),
            ],
            body,
        )
            .into_response());
    }
    // Read before rendering: a page rendered while the index reloads is filed as stale.
    let generation = app.index.generation();
    let body = match app.pages.get(&slug, generation) {
        Some(body) => body,
        None => {
            let body = Bytes::from(render_practice(&app, &slug).await?);
            app.pages.insert(slug, generation, body.clone());
            body
        }
    };
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response())
}

/// The page of a published practice, with its similar practices, as anybody sees it.
pub(in crate::pages) async fn render_practice(app: &AppState, slug: &str) -> PageResult<String> {
    render_practice_for(app, slug, None).await
}

async fn render_practice_for(
    app: &AppState,
    slug: &str,
    identity: Option<&Identity>,
) -> PageResult<String> {
    let view = match app.store.catalog().published_by_slug(slug).await {
        Ok(view) => view,
        Err(StoreError::NotFound) => return Err(AppError::NotFound.into()),
        Err(error) => return Err(error.into()),
    };
    let similar = search::similar(app, &view, SIMILAR).await?;
    let mut page = practice_page(&view, &similar);
    page.attachments =
        super::attachments::public_lines(app, view.id, view.published_revision).await?;
    if let Some(identity) = identity {
        let owners = app.store.catalog().owner_ids(&view.to_record()).await?;
        page.edit_href = identity
            .principal
            .may_write_for(&owners)
            .then(|| paths::my_practice(view.id));
        page.layout.user = Some(UserNav::of(app, identity).await?);
    }
    Ok(page.render().map_err(AppError::from)?)
}

fn org_link(ipa_code: &str, name: &str) -> Link {
    Link {
        href: paths::organization(ipa_code),
        label: name.to_owned(),
    }
}

fn practice_page(view: &PracticeView, similar: &[riusa_search::PracticeCard]) -> PracticePage {
    let by_role = |role: OwnerRole| {
        view.owners
            .iter()
            .filter(|o| o.role == role)
            .map(|o| org_link(&o.ipa_code, &display_name(&o.name)))
            .collect()
    };
    let places = (!view.places.is_empty()).then(|| {
        view.places
            .iter()
            .map(|p| match &p.province_abbr {
                Some(abbr) => format!("{} ({abbr})", p.name),
                None => p.name.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    });
    let funding = view
        .funding
        .iter()
        .map(|f| {
            let mut line = f.programme.clone();
            if let Some(axis) = &f.axis {
                line.push_str(", ");
                line.push_str(axis);
            }
            if let Some(cents) = f.amount_cents {
                line.push_str(" — ");
                line.push_str(&messages::euros(cents));
            }
            line
        })
        .collect();
    let license = Link {
        href: format!("https://spdx.org/licenses/{}.html", view.license),
        label: license_label(&view.license),
    };
    PracticePage {
        layout: Layout::new(view.title.clone(), Section::Practices)
            .with_description(view.summary.clone())
            .within(paths::PRACTICES, "Buone pratiche"),
        summary: view.summary.clone(),
        themes: view
            .themes
            .iter()
            .map(|t| Link {
                href: paths::theme(&t.slug),
                label: t.name.clone(),
            })
            .collect(),
        owners: by_role(OwnerRole::Owner),
        partners: by_role(OwnerRole::Partner),
        places,
        period: view
            .period
            .as_ref()
            .map(|p| messages::period(p.start, p.end)),
        funding,
        license,
        support: view
            .support_offered
            .iter()
            .map(|s| messages::support_label(*s))
            .collect(),
        figures: view
            .metrics
            .iter()
            .map(|m| {
                let value = messages::number(m.value);
                Figure {
                    size: figure_size(&value, m.unit.as_deref()),
                    value,
                    unit: m.unit.clone(),
                    label: m.label.clone(),
                }
            })
            .collect(),
        sections: view
            .sections
            .present()
            .map(|(key, text)| SectionView {
                anchor: messages::section_anchor(key),
                heading: messages::section_heading(key),
                html: markdown::to_safe_html(text),
            })
            .collect(),
        links: view
            .links
            .iter()
            .map(|l| Link {
                href: l.url.clone(),
                label: l.title.clone(),
            })
            .collect(),
        attachments: Vec::new(),
        updated: messages::long_date(view.updated_at.date_naive()),
        similar: similar.iter().map(|c| CardView::new(c, None)).collect(),
        versions: view
            .published_revision
            .is_some_and(|n| n > 1)
            .then(|| super::revisions::versions_link(&view.slug)),
        edit_href: None,
    }
}
