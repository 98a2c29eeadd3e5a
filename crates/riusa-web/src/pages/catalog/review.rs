//! The editors' side: the queue of drafts waiting for review (oldest first, by theme and
//! administration), the review page with a remark box per section, publish or ask changes.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use riusa_domain::catalog::SectionKey;
use riusa_domain::catalog::workflow::{self, SectionComment};
use riusa_store::{QueueFilter, StoreError};
use uuid::Uuid;

use super::diff::{FieldDiff, compare};
use super::drafts::workable;
use crate::auth::csrf::CsrfForm;
use crate::auth::{Editor, Require};
use crate::error::{AppError, PageResult};
use crate::pages::{FormErrors, Layout, PageParams, Pagination, Section, UserNav, render_status};
use crate::params::{PAGE_SIZE, QueryPairs};
use crate::{AppState, markdown, messages, paths};

pub struct QueueLine {
    pub title: String,
    pub href: String,
    pub submitted: String,
    pub state: String,
}

pub struct Option2 {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "catalog/review_queue.html")]
struct QueuePage {
    layout: Layout,
    lines: Vec<QueueLine>,
    total: u64,
    themes: Vec<Option2>,
    organization: String,
    pagination: Option<Pagination>,
}

/// Drafts waiting for review, oldest submission first.
pub async fn show_review_queue(
    State(app): State<AppState>,
    user: Require<Editor>,
    RawQuery(query): RawQuery,
) -> PageResult<Response> {
    let pairs = QueryPairs::parse(query.as_deref());
    let theme = pairs.single("tema")?.map(str::to_owned);
    let organization = pairs.single("ente")?.map(str::to_owned);
    let page = pairs.number("page", 1, 500)?.unwrap_or(1) as usize;
    let filter = QueueFilter {
        theme: theme.clone(),
        organization: organization.clone(),
    };
    let offset = ((page - 1) * PAGE_SIZE) as u64;
    let queue = app
        .store
        .catalog()
        .review_queue(&filter, offset, PAGE_SIZE as u64)
        .await?;
    let nav = UserNav::of(&app, &user.identity).await?;
    let themes = app
        .store
        .catalog()
        .themes()
        .await?
        .into_iter()
        .map(|t| Option2 {
            selected: theme.as_deref() == Some(t.slug.as_str()),
            value: t.slug,
            label: t.name,
        })
        .collect();
    let href = |n: usize| {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(t) = &theme {
            pairs.push(("tema", t.clone()));
        }
        if let Some(o) = &organization {
            pairs.push(("ente", o.clone()));
        }
        paths::with_query(paths::REVIEW_QUEUE, &pairs, n)
    };
    render_status(
        StatusCode::OK,
        &QueuePage {
            layout: Layout::new("Redazione: schede da revisionare", Section::Workspace)
                .with_user(Some(nav)),
            lines: queue
                .items
                .iter()
                .map(|item| QueueLine {
                    title: item.title.clone(),
                    href: paths::review(item.id),
                    submitted: item
                        .submitted_at
                        .map(|at| messages::long_date(at.date_naive()))
                        .unwrap_or_default(),
                    state: if item.status == riusa_domain::catalog::Status::Published {
                        "nuova versione di una scheda pubblicata".to_owned()
                    } else {
                        "prima pubblicazione".to_owned()
                    },
                })
                .collect(),
            total: queue.total,
            themes,
            organization: organization.clone().unwrap_or_default(),
            pagination: Pagination::new(
                "Pagine della coda",
                queue.total as usize,
                PAGE_SIZE,
                page,
                500,
                href,
            ),
        },
    )
}

pub struct ReviewSection {
    pub key: &'static str,
    pub heading: &'static str,
    pub html: String,
}

#[derive(Template)]
#[template(path = "catalog/review.html")]
struct ReviewPage {
    layout: Layout,
    csrf: String,
    title: String,
    summary: String,
    action: String,
    revision: u32,
    sections: Vec<ReviewSection>,
    changes: Vec<FieldDiff>,
    first_publication: bool,
    errors: FormErrors,
}

async fn review_page(
    app: &AppState,
    user: &Require<Editor>,
    id: Uuid,
    errors: FormErrors,
) -> Result<ReviewPage, AppError> {
    let (view, state) = workable(app, user.principal(), id).await?;
    if state.draft != riusa_domain::catalog::workflow::DraftState::InReview {
        return Err(AppError::NotFound);
    }
    let (record, head) = app.store.catalog().head_record(id).await?;
    let changes = if view.published_revision.is_some() {
        let public = view.to_record();
        compare(&public, &record)
            .into_iter()
            .filter(|f| f.changed)
            .collect()
    } else {
        Vec::new()
    };
    let nav = UserNav::of(app, &user.identity).await?;
    Ok(ReviewPage {
        csrf: nav.csrf.clone(),
        layout: Layout::new(format!("Revisione: {}", record.title), Section::Workspace)
            .with_user(Some(nav))
            .within(paths::REVIEW_QUEUE, "Redazione"),
        summary: record.summary.clone(),
        action: paths::review(id),
        revision: head,
        sections: SectionKey::ALL
            .into_iter()
            .map(|key| ReviewSection {
                key: key.as_str(),
                heading: messages::section_heading(key),
                html: record
                    .sections
                    .get(key)
                    .map(markdown::to_safe_html)
                    .unwrap_or_default(),
            })
            .collect(),
        first_publication: view.published_revision.is_none(),
        changes,
        title: record.title,
        errors,
    })
}

/// The draft under review, its changes against the public text, a remark box per section.
pub async fn show_review(
    State(app): State<AppState>,
    user: Require<Editor>,
    PageParams(id): PageParams<Uuid>,
) -> PageResult<Response> {
    let page = review_page(&app, &user, id, FormErrors::default()).await?;
    render_status(StatusCode::OK, &page)
}

/// Publishes the draft, or sends it back with the remarks (`decision=publish|changes`).
pub async fn decide_review(
    State(app): State<AppState>,
    user: Require<Editor>,
    PageParams(id): PageParams<Uuid>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let value = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let (_, state) = workable(&app, user.principal(), id).await?;
    let expected = value("revision")
        .and_then(|r| r.parse().ok())
        .unwrap_or(state.head_revision);
    let change = match value("decision") {
        Some("publish") => workflow::publish(&state, id, expected, user.principal()),
        _ => {
            let mut comments: Vec<SectionComment> = SectionKey::ALL
                .into_iter()
                .filter_map(|key| {
                    value(&format!("comment_{}", key.as_str())).map(|body| SectionComment {
                        section: Some(key),
                        body: body.to_owned(),
                    })
                })
                .collect();
            if let Some(body) = value("comment_general") {
                comments.push(SectionComment {
                    section: None,
                    body: body.to_owned(),
                });
            }
            workflow::request_changes(&state, id, expected, comments, user.principal())
        }
    };
    let outcome = match change {
        Ok(change) => app
            .store
            .catalog()
            .apply(change, &user.actor, Utc::now())
            .await
            .map_err(AppError::from),
        Err(error) => Err(AppError::from(StoreError::from(error))),
    };
    match outcome {
        Ok(applied) if value("decision") == Some("publish") => {
            Ok(Redirect::to(&paths::practice(&applied.slug)).into_response())
        }
        Ok(_) => {
            Ok(Redirect::to(&format!("{}?esito=rimandata", paths::REVIEW_QUEUE)).into_response())
        }
        Err(error) if error.status().is_client_error() => {
            let mut errors = FormErrors::from_error(&error);
            if errors.get("comments").is_some() {
                errors.summary =
                    Some("Per chiedere modifiche scrivi almeno un'osservazione.".into());
            }
            match review_page(&app, &user, id, errors).await {
                Ok(page) => render_status(error.status(), &page),
                Err(_) => Err(error.into()),
            }
        }
        Err(error) => Err(error.into()),
    }
}
