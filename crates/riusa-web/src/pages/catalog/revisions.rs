//! A practice's history. Its people see every revision (drafts and publications); everybody
//! sees the publications. Any two can be compared field by field, word by word.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use riusa_domain::catalog::SectionKey;
use riusa_store::{PracticeView, RevisionSummary, StoreError};
use uuid::Uuid;

use super::diff::{FieldDiff, compare};
use super::drafts::{back_office_link, workable};
use crate::auth::{Require, Staff};
use crate::error::{AppError, PageResult};
use crate::pages::{Layout, Link, PageParams, PagePath, Section, UserNav, render_status};
use crate::params::QueryPairs;
use crate::{AppState, markdown, messages, paths};

pub struct RevisionLine {
    pub number: u32,
    pub kind: &'static str,
    pub author: String,
    pub date: String,
    pub href: String,
    pub older_checked: bool,
    pub newer_checked: bool,
}

#[derive(Template)]
#[template(path = "catalog/revisions.html")]
struct RevisionsPage {
    layout: Layout,
    title: String,
    lines: Vec<RevisionLine>,
    compare_action: String,
    public: bool,
}

#[derive(Template)]
#[template(path = "catalog/revision.html")]
struct RevisionPage {
    layout: Layout,
    heading: String,
    title: String,
    summary: String,
    sections: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "catalog/compare.html")]
struct ComparePage {
    layout: Layout,
    heading: String,
    fields: Vec<FieldDiff>,
    unchanged: usize,
}

fn lines(history: &[RevisionSummary], href: impl Fn(u32) -> String) -> Vec<RevisionLine> {
    history
        .iter()
        .enumerate()
        .map(|(i, r)| RevisionLine {
            number: r.number,
            kind: if r.is_publication {
                "pubblicazione"
            } else {
                "bozza"
            },
            author: r
                .author_name
                .clone()
                .unwrap_or_else(|| "importazione".to_owned()),
            date: messages::long_date(r.created_at.date_naive()),
            href: href(r.number),
            // The newest against the one before it, unless the person picks others.
            newer_checked: i == 0,
            older_checked: i == 1,
        })
        .collect()
}

async fn published_view(app: &AppState, slug: &str) -> Result<PracticeView, AppError> {
    match app.store.catalog().published_by_slug(slug).await {
        Ok(view) => Ok(view),
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}

async fn publications(app: &AppState, id: Uuid) -> Result<Vec<RevisionSummary>, AppError> {
    Ok(app
        .store
        .catalog()
        .revisions(id)
        .await?
        .into_iter()
        .filter(|r| r.is_publication)
        .collect())
}

/// Every revision of a practice, for its people.
pub async fn show_revisions(
    State(app): State<AppState>,
    user: Require<Staff>,
    PageParams(id): PageParams<Uuid>,
) -> PageResult<Response> {
    let (view, _) = workable(&app, user.principal(), id).await?;
    let history = app.store.catalog().revisions(id).await?;
    let nav = UserNav::of(&app, &user.identity).await?;
    let base = paths::practice_revisions(id);
    let link = back_office_link(id, &view.title);
    render_status(
        StatusCode::OK,
        &RevisionsPage {
            layout: Layout::new(format!("Versioni di «{}»", view.title), Section::Workspace)
                .with_user(Some(nav))
                .within(paths::MY_PRACTICES, "Le mie schede")
                .within(link.href, link.label),
            title: view.title,
            lines: lines(&history, |n| format!("{base}/{n}")),
            compare_action: format!("{}/confronta", paths::my_practice(id)),
            public: false,
        },
    )
}

/// The published versions of a practice, for everybody.
pub async fn show_public_revisions(
    State(app): State<AppState>,
    PagePath(slug): PagePath,
) -> PageResult<Response> {
    let view = published_view(&app, &slug).await?;
    let history = publications(&app, view.id).await?;
    let base = format!("{}/versioni", paths::practice(&slug));
    render_status(
        StatusCode::OK,
        &RevisionsPage {
            layout: Layout::new(
                format!("Versioni pubblicate di «{}»", view.title),
                Section::Practices,
            )
            .within(paths::PRACTICES, "Buone pratiche")
            .within(paths::practice(&slug), view.title.clone()),
            title: view.title,
            lines: lines(&history, |n| format!("{base}/{n}")),
            compare_action: format!("{}/confronta", paths::practice(&slug)),
            public: true,
        },
    )
}

fn revision_page(
    layout: Layout,
    heading: String,
    record: &riusa_domain::catalog::PracticeRecord,
) -> RevisionPage {
    RevisionPage {
        layout,
        heading,
        title: record.title.clone(),
        summary: record.summary.clone(),
        sections: SectionKey::ALL
            .into_iter()
            .filter_map(|key| {
                record
                    .sections
                    .get(key)
                    .map(|text| (messages::section_heading(key), markdown::to_safe_html(text)))
            })
            .collect(),
    }
}

/// One revision, whole, for the practice's people.
pub async fn show_revision(
    State(app): State<AppState>,
    user: Require<Staff>,
    PageParams((id, number)): PageParams<(Uuid, u32)>,
) -> PageResult<Response> {
    let (view, _) = workable(&app, user.principal(), id).await?;
    let revision = app.store.catalog().revision(id, number).await?;
    let nav = UserNav::of(&app, &user.identity).await?;
    let heading = format!(
        "Versione {number} ({}) del {}",
        if revision.summary.is_publication {
            "pubblicazione"
        } else {
            "bozza"
        },
        messages::long_date(revision.summary.created_at.date_naive())
    );
    let layout = Layout::new(heading.clone(), Section::Workspace)
        .with_user(Some(nav))
        .within(
            paths::practice_revisions(id),
            format!("Versioni di «{}»", view.title),
        );
    render_status(
        StatusCode::OK,
        &revision_page(layout, heading, &revision.record),
    )
}

/// One published version, for everybody.
pub async fn show_public_revision(
    State(app): State<AppState>,
    PageParams((slug, number)): PageParams<(String, u32)>,
) -> PageResult<Response> {
    let view = published_view(&app, &slug).await?;
    let revision = app.store.catalog().revision(view.id, number).await?;
    if !revision.summary.is_publication {
        return Err(AppError::NotFound.into());
    }
    let heading = format!(
        "Versione pubblicata il {}",
        messages::long_date(revision.summary.created_at.date_naive())
    );
    let layout = Layout::new(heading.clone(), Section::Practices)
        .within(paths::practice(&slug), view.title.clone())
        .within(
            format!("{}/versioni", paths::practice(&slug)),
            "Versioni pubblicate",
        );
    render_status(
        StatusCode::OK,
        &revision_page(layout, heading, &revision.record),
    )
}

/// `da` and `a`: the two revisions to compare, oldest first whatever the order given.
fn pair(query: Option<&str>) -> Result<(u32, u32), AppError> {
    let pairs = QueryPairs::parse(query);
    let max = u64::from(u32::MAX);
    let from = pairs.number("da", 1, max)?.ok_or(AppError::NotFound)? as u32;
    let to = pairs.number("a", 1, max)?.ok_or(AppError::NotFound)? as u32;
    Ok((from.min(to), from.max(to)))
}

async fn compare_page(
    app: &AppState,
    id: Uuid,
    older: u32,
    newer: u32,
    layout: Layout,
    title: &str,
) -> Result<ComparePage, AppError> {
    let catalog = app.store.catalog();
    let a = catalog.revision(id, older).await?;
    let b = catalog.revision(id, newer).await?;
    let all = compare(&a.record, &b.record);
    let unchanged = all.iter().filter(|f| !f.changed).count();
    Ok(ComparePage {
        layout,
        heading: format!("«{title}»: versione {older} e versione {newer} a confronto"),
        fields: all.into_iter().filter(|f| f.changed).collect(),
        unchanged,
    })
}

/// Any two revisions compared, for the practice's people.
pub async fn compare_revisions(
    State(app): State<AppState>,
    user: Require<Staff>,
    PageParams(id): PageParams<Uuid>,
    RawQuery(query): RawQuery,
) -> PageResult<Response> {
    let (view, _) = workable(&app, user.principal(), id).await?;
    let (older, newer) = pair(query.as_deref())?;
    let nav = UserNav::of(&app, &user.identity).await?;
    let layout = Layout::new(format!("Confronto: {}", view.title), Section::Workspace)
        .with_user(Some(nav))
        .within(
            paths::practice_revisions(id),
            format!("Versioni di «{}»", view.title),
        );
    let page = compare_page(&app, id, older, newer, layout, &view.title).await?;
    render_status(StatusCode::OK, &page)
}

/// Two published versions compared, for everybody.
pub async fn compare_public_revisions(
    State(app): State<AppState>,
    PagePath(slug): PagePath,
    RawQuery(query): RawQuery,
) -> PageResult<Response> {
    let view = published_view(&app, &slug).await?;
    let (older, newer) = pair(query.as_deref())?;
    let published = publications(&app, view.id).await?;
    if ![older, newer]
        .iter()
        .all(|n| published.iter().any(|r| r.number == *n))
    {
        return Err(AppError::NotFound.into());
    }
    let layout = Layout::new(format!("Confronto: {}", view.title), Section::Practices)
        .within(paths::practice(&slug), view.title.clone())
        .within(
            format!("{}/versioni", paths::practice(&slug)),
            "Versioni pubblicate",
        );
    let page = compare_page(&app, view.id, older, newer, layout, &view.title).await?;
    render_status(StatusCode::OK, &page)
}

/// A link to the published versions, for the practice page.
pub fn versions_link(slug: &str) -> Link {
    Link {
        href: format!("{}/versioni", paths::practice(slug)),
        label: "Versioni pubblicate".to_owned(),
    }
}
