//! The authors' side of the workflow: their administrations' practices, the practice form
//! (new and edit, with a server-rendered preview), submitting for review, archive and restore.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use riusa_domain::Refusal;
use riusa_domain::accounts::Principal;
use riusa_domain::catalog::workflow::{self, DraftState, WorkflowState};
use riusa_domain::catalog::{PracticeRecord, SectionKey, Status, SupportKind};
use riusa_store::{CommentView, PracticeView, StoreError};
use serde::Deserialize;
use uuid::Uuid;

use super::practice_form::{LICENSES, PracticeForm, suggest_slug};
use crate::auth::csrf::CsrfForm;
use crate::auth::{Identity, Require, Staff};
use crate::error::{AppError, PageResult};
use crate::pages::{FormErrors, Layout, Link, PageParams, Section, UserNav, render_status};
use crate::{AppState, markdown, messages, paths};

pub struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

pub struct OwnerRow {
    pub index: usize,
    pub ipa: String,
    pub partner: bool,
}

pub struct TripleRow {
    pub index: usize,
    pub a: String,
    pub b: String,
    pub c: String,
}

pub struct SectionField {
    pub key: &'static str,
    pub heading: &'static str,
    pub hint: &'static str,
    pub text: String,
    pub error: Option<String>,
    /// The editors' remarks on this section (newest revision first).
    pub comments: Vec<String>,
    pub preview: Option<String>,
}

#[derive(Template)]
#[template(path = "catalog/practice_form.html")]
struct PracticeFormPage {
    layout: Layout,
    csrf: String,
    action: String,
    heading: String,
    form: PracticeForm,
    themes: Vec<Choice>,
    supports: Vec<Choice>,
    licenses: Vec<Choice>,
    owners: Vec<OwnerRow>,
    funding: Vec<TripleRow>,
    metrics: Vec<TripleRow>,
    links: Vec<TripleRow>,
    sections: Vec<SectionField>,
    general_comments: Vec<String>,
    group_errors: Vec<String>,
    errors: FormErrors,
    may_submit: bool,
    previewing: bool,
}

/// The practice and its workflow, if this person works on it (its administrations, editors).
pub(super) async fn workable(
    app: &AppState,
    principal: &Principal,
    id: Uuid,
) -> Result<(PracticeView, WorkflowState), AppError> {
    let catalog = app.store.catalog();
    let state = match catalog.workflow(id).await {
        Ok(state) => state,
        Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(error) => return Err(error.into()),
    };
    if !principal.may_write_for(&state.owners) {
        return Err(AppError::Forbidden);
    }
    Ok((catalog.view_by_id(id).await?, state))
}

fn rows3(a: &[String], b: &[String], c: &[String]) -> Vec<TripleRow> {
    PracticeForm::rows(a.len())
        .map(|i| TripleRow {
            index: i,
            a: PracticeForm::value(a, i).to_owned(),
            b: PracticeForm::value(b, i).to_owned(),
            c: PracticeForm::value(c, i).to_owned(),
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    app: &AppState,
    identity: &Identity,
    heading: String,
    action: String,
    form: PracticeForm,
    comments: &[CommentView],
    errors: FormErrors,
    may_submit: bool,
    previewing: bool,
) -> Result<PracticeFormPage, AppError> {
    let nav = UserNav::of(app, identity).await?;
    let themes = app
        .store
        .catalog()
        .themes()
        .await?
        .into_iter()
        .map(|t| Choice {
            checked: form.theme.contains(&t.slug),
            value: t.slug,
            label: t.name,
        })
        .collect();
    let supports = SupportKind::ALL
        .into_iter()
        .map(|s| Choice {
            value: s.as_str().to_owned(),
            label: messages::support_label(s).to_owned(),
            checked: form.support.iter().any(|v| v == s.as_str()),
        })
        .collect();
    let mut licenses: Vec<Choice> = LICENSES
        .iter()
        .map(|(value, label)| Choice {
            value: (*value).to_owned(),
            label: (*label).to_owned(),
            checked: form.license == *value,
        })
        .collect();
    if !licenses.iter().any(|l| l.checked) && !form.license.is_empty() {
        licenses.push(Choice {
            value: form.license.clone(),
            label: form.license.clone(),
            checked: true,
        });
    }
    // Remarks are for the revision under review: the newest revision that has any.
    let latest = comments.iter().map(|c| c.revision).max();
    let remarks = |section: Option<SectionKey>| -> Vec<String> {
        comments
            .iter()
            .filter(|c| Some(c.revision) == latest && c.section == section)
            .map(|c| format!("{}: {}", c.author_name, c.body))
            .collect()
    };
    let sections = SectionKey::ALL
        .into_iter()
        .map(|key| {
            let text = form.section(key).to_owned();
            SectionField {
                key: key.as_str(),
                heading: messages::section_heading(key),
                hint: messages::section_hint(key),
                error: errors
                    .get(&format!("sections.{}", key.as_str()))
                    .map(str::to_owned),
                comments: remarks(Some(key)),
                preview: (previewing && !text.trim().is_empty())
                    .then(|| markdown::to_safe_html(&text)),
                text,
            }
        })
        .collect();
    let group_errors = ["owners", "funding", "metrics", "links", "places", "themes"]
        .iter()
        .flat_map(|prefix| errors.under(prefix))
        .map(str::to_owned)
        .collect();
    let owners = PracticeForm::rows(form.owner_ipa.len())
        .map(|i| OwnerRow {
            index: i,
            ipa: PracticeForm::value(&form.owner_ipa, i).to_owned(),
            partner: PracticeForm::value(&form.owner_role, i) == "partner",
        })
        .collect();
    Ok(PracticeFormPage {
        csrf: nav.csrf.clone(),
        layout: Layout::new(heading.clone(), Section::Workspace)
            .with_user(Some(nav))
            .within(paths::MY_PRACTICES, "Le mie schede"),
        action,
        heading,
        themes,
        supports,
        licenses,
        owners,
        funding: rows3(
            &form.funding_programme,
            &form.funding_axis,
            &form.funding_amount,
        ),
        metrics: rows3(&form.metric_label, &form.metric_value, &form.metric_unit),
        links: rows3(&form.link_title, &form.link_url, &[]),
        sections,
        general_comments: remarks(None),
        group_errors,
        errors,
        may_submit,
        previewing,
        form,
    })
}

pub struct PracticeLine {
    pub title: String,
    pub href: String,
    pub state: String,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "catalog/my_practices.html")]
struct MyPracticesPage {
    layout: Layout,
    lines: Vec<PracticeLine>,
    organizations: Vec<String>,
}

/// The practices of my administrations, in any state, most recently changed first.
pub async fn list_my_practices(
    State(app): State<AppState>,
    user: Require<Staff>,
) -> PageResult<Response> {
    let principal = user.principal();
    let organizations: Vec<Uuid> = principal
        .memberships
        .iter()
        .map(|m| m.organization_id)
        .collect();
    let views = app.store.catalog().owned_by(&organizations, 500).await?;
    let nav = UserNav::of(&app, &user.identity).await?;
    render_status(
        StatusCode::OK,
        &MyPracticesPage {
            layout: Layout::new("Le mie schede", Section::Workspace).with_user(Some(nav)),
            lines: views
                .iter()
                .map(|v| PracticeLine {
                    title: v.title.clone(),
                    href: paths::my_practice(v.id),
                    state: messages::workflow_state(v.status, v.draft),
                    updated: messages::long_date(v.updated_at.date_naive()),
                })
                .collect(),
            organizations: principal
                .memberships
                .iter()
                .map(|m| riusa_domain::names::display_name(&m.organization_name))
                .collect(),
        },
    )
}

/// An empty practice form, owned by my administrations.
pub async fn show_new_practice(
    State(app): State<AppState>,
    user: Require<Staff>,
) -> PageResult<Response> {
    let codes: Vec<String> = user
        .principal()
        .memberships
        .iter()
        .map(|m| m.ipa_code.clone())
        .collect();
    let page = form_page(
        &app,
        &user.identity,
        "Nuova scheda".into(),
        paths::NEW_PRACTICE.into(),
        PracticeForm::new_for(&codes),
        &[],
        FormErrors::default(),
        false,
        false,
    )
    .await?;
    render_status(StatusCode::OK, &page)
}

/// The form again, with the person's text and what is wrong with it.
#[allow(clippy::too_many_arguments)]
async fn refuse_form(
    app: &AppState,
    user: &Require<Staff>,
    heading: String,
    action: String,
    form: PracticeForm,
    comments: &[CommentView],
    error: &AppError,
    may_submit: bool,
) -> PageResult<Response> {
    let errors = FormErrors::from_error(error);
    let status = match error.status() {
        StatusCode::INTERNAL_SERVER_ERROR => {
            return Err(AppError::Internal(error.to_string()).into());
        }
        status => status,
    };
    let page = form_page(
        app,
        &user.identity,
        heading,
        action,
        form,
        comments,
        errors,
        may_submit,
        false,
    )
    .await?;
    render_status(status, &page)
}

fn record_of(form: &PracticeForm) -> Result<PracticeRecord, FormErrors> {
    let mut record = form.to_record()?;
    if record.slug.is_empty() {
        record.slug = suggest_slug(&record.title);
    }
    Ok(record)
}

/// Creates the practice as a first draft of my administration.
pub async fn create_practice(
    State(app): State<AppState>,
    user: Require<Staff>,
    CsrfForm(form): CsrfForm<PracticeForm>,
) -> PageResult<Response> {
    let heading = "Nuova scheda".to_owned();
    let action = paths::NEW_PRACTICE.to_owned();
    let previewing = form.action.as_deref() == Some("preview");
    let record = match record_of(&form) {
        Ok(record) => record,
        Err(errors) => {
            let page = form_page(
                &app,
                &user.identity,
                heading,
                action,
                form,
                &[],
                errors,
                false,
                false,
            )
            .await?;
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    if previewing {
        let page = form_page(
            &app,
            &user.identity,
            heading,
            action,
            form,
            &[],
            FormErrors::default(),
            false,
            true,
        )
        .await?;
        return render_status(StatusCode::OK, &page);
    }
    let outcome = async {
        let record = record.validated()?;
        let owners = app.store.catalog().owner_ids(&record).await?;
        let change = workflow::create(Uuid::now_v7(), record, &owners, user.principal())?;
        Ok::<_, AppError>(
            app.store
                .catalog()
                .apply(change, &user.actor, Utc::now())
                .await?,
        )
    }
    .await;
    match outcome {
        Ok(applied) => Ok(Redirect::to(&format!(
            "{}?esito=salvata",
            paths::my_practice(applied.practice_id)
        ))
        .into_response()),
        Err(error) => refuse_form(&app, &user, heading, action, form, &[], &error, false).await,
    }
}

#[derive(Template)]
#[template(path = "catalog/my_practice.html")]
struct MyPracticePage {
    layout: Layout,
    csrf: String,
    title: String,
    state: String,
    head_revision: u32,
    notice: Option<&'static str>,
    edit_href: String,
    revisions_href: String,
    public_href: Option<String>,
    submit_action: Option<String>,
    archive_href: Option<String>,
    restore_action: Option<String>,
    review_href: Option<String>,
    comments: Vec<(String, String)>,
    attachments: super::attachments::AttachmentsSection,
}

#[derive(Deserialize)]
pub struct Outcome {
    esito: Option<String>,
}

/// One practice as its authors see it: state, actions, the editors' remarks.
pub async fn show_my_practice(
    State(app): State<AppState>,
    user: Require<Staff>,
    PageParams(id): PageParams<Uuid>,
    Query(outcome): Query<Outcome>,
) -> PageResult<Response> {
    let notice = match outcome.esito.as_deref() {
        Some("salvata") => Some("Bozza salvata."),
        Some("inviata") => Some("Inviata in revisione: la redazione riceverà una notifica."),
        Some("archiviata") => Some("Scheda archiviata: non è più visibile nel catalogo."),
        Some("ripristinata") => Some("Scheda ripristinata."),
        Some("allegato") => Some("Allegato aggiunto: fa parte di una nuova versione della bozza."),
        Some("allegato-rimosso") => {
            Some("Allegato rimosso dalla bozza: le versioni precedenti lo conservano.")
        }
        _ => None,
    };
    my_practice_page(&app, &user, id, notice, None, StatusCode::OK).await
}

/// The back-office page of a practice, with `upload_error` beside the upload field (a refused
/// upload is answered with this page and its status).
pub(super) async fn my_practice_page(
    app: &AppState,
    user: &Require<Staff>,
    id: Uuid,
    notice: Option<&'static str>,
    upload_error: Option<String>,
    status: StatusCode,
) -> PageResult<Response> {
    let principal = user.principal();
    let (view, state) = workable(app, principal, id).await?;
    let (head, head_revision) = app.store.catalog().head_record(id).await?;
    let comments = app.store.catalog().comments(id).await?;
    let attachments = super::attachments::section(app, principal, id, &state, upload_error).await?;
    let nav = UserNav::of(app, &user.identity).await?;
    let may_submit = principal.may_submit_for(&state.owners);
    let base = paths::my_practice(id);
    let page = MyPracticePage {
        csrf: nav.csrf.clone(),
        layout: Layout::new(head.title.clone(), Section::Workspace)
            .with_user(Some(nav))
            .within(paths::MY_PRACTICES, "Le mie schede"),
        title: head.title,
        state: messages::workflow_state(state.status, state.draft),
        head_revision,
        notice,
        edit_href: paths::edit_practice(id),
        revisions_href: paths::practice_revisions(id),
        public_href: (view.status == Status::Published).then(|| paths::practice(&view.slug)),
        submit_action: (may_submit
            && matches!(
                state.draft,
                DraftState::Editing | DraftState::ChangesRequested
            )
            && state.status != Status::Archived)
            .then(|| format!("{base}/invia")),
        archive_href: (may_submit && state.status != Status::Archived)
            .then(|| format!("{base}/archivia")),
        restore_action: (may_submit && state.status == Status::Archived)
            .then(|| format!("{base}/ripristina")),
        review_href: (principal.is_editor && state.draft == DraftState::InReview)
            .then(|| paths::review(id)),
        comments: comments
            .iter()
            .map(|c| {
                (
                    c.section
                        .map_or("Scheda nel complesso", messages::section_heading)
                        .to_owned(),
                    format!("{} (versione {}): {}", c.author_name, c.revision, c.body),
                )
            })
            .collect(),
        attachments,
    };
    render_status(status, &page)
}

/// The newest text in the form, with the editors' remarks beside the sections.
pub async fn show_edit_practice(
    State(app): State<AppState>,
    user: Require<Staff>,
    PageParams(id): PageParams<Uuid>,
) -> PageResult<Response> {
    let (_, state) = workable(&app, user.principal(), id).await?;
    let (record, head) = app.store.catalog().head_record(id).await?;
    let comments = app.store.catalog().comments(id).await?;
    let page = form_page(
        &app,
        &user.identity,
        format!("Modifica «{}»", record.title),
        paths::edit_practice(id),
        PracticeForm::of(&record, head),
        &comments,
        FormErrors::default(),
        user.principal().may_submit_for(&state.owners),
        false,
    )
    .await?;
    render_status(StatusCode::OK, &page)
}

/// Saves a new draft revision on the revision the form was opened at; with `action=submit`
/// also sends it for review. A stale revision keeps the person's text in the form.
pub async fn save_practice(
    State(app): State<AppState>,
    user: Require<Staff>,
    PageParams(id): PageParams<Uuid>,
    CsrfForm(form): CsrfForm<PracticeForm>,
) -> PageResult<Response> {
    let (_, state) = workable(&app, user.principal(), id).await?;
    let comments = app.store.catalog().comments(id).await?;
    let may_submit = user.principal().may_submit_for(&state.owners);
    let heading = format!("Modifica «{}»", form.title);
    let action = paths::edit_practice(id);
    let record = match record_of(&form) {
        Ok(record) => record,
        Err(errors) => {
            let page = form_page(
                &app,
                &user.identity,
                heading,
                action,
                form,
                &comments,
                errors,
                may_submit,
                false,
            )
            .await?;
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    if form.action.as_deref() == Some("preview") {
        let page = form_page(
            &app,
            &user.identity,
            heading,
            action,
            form,
            &comments,
            FormErrors::default(),
            may_submit,
            true,
        )
        .await?;
        return render_status(StatusCode::OK, &page);
    }
    let expected = form.revision.unwrap_or(state.head_revision);
    let submit = form.action.as_deref() == Some("submit");
    let outcome = async {
        let record = record.validated()?;
        let owners = app.store.catalog().owner_ids(&record).await?;
        let change = workflow::save_draft(&state, id, expected, record, &owners, user.principal())?;
        let saved = app
            .store
            .catalog()
            .apply(change, &user.actor, Utc::now())
            .await?;
        if submit {
            let state = app.store.catalog().workflow(id).await?;
            let change = workflow::submit(&state, id, saved.head_revision, user.principal())?;
            app.store
                .catalog()
                .apply(change, &user.actor, Utc::now())
                .await?;
        }
        Ok::<_, AppError>(())
    }
    .await;
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!(
            "{}?esito={}",
            paths::my_practice(id),
            if submit { "inviata" } else { "salvata" }
        ))
        .into_response()),
        Err(error) => {
            refuse_form(
                &app, &user, heading, action, form, &comments, &error, may_submit,
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct RevisionForm {
    pub(super) revision: Option<u32>,
}

/// Sends the newest draft for review (coordinators of the owner, editors).
pub async fn submit_practice(
    State(app): State<AppState>,
    user: Require<Staff>,
    PageParams(id): PageParams<Uuid>,
    CsrfForm(form): CsrfForm<RevisionForm>,
) -> PageResult<Response> {
    transition(&app, &user, id, form.revision, workflow::submit, "inviata").await
}

/// Brings an archived practice back.
pub async fn restore_practice(
    State(app): State<AppState>,
    user: Require<Staff>,
    PageParams(id): PageParams<Uuid>,
    CsrfForm(form): CsrfForm<RevisionForm>,
) -> PageResult<Response> {
    transition(
        &app,
        &user,
        id,
        form.revision,
        workflow::restore,
        "ripristinata",
    )
    .await
}

/// Withdraws a practice from the catalog, after the confirmation page.
pub async fn archive_practice(
    State(app): State<AppState>,
    user: Require<Staff>,
    PageParams(id): PageParams<Uuid>,
    CsrfForm(form): CsrfForm<RevisionForm>,
) -> PageResult<Response> {
    transition(
        &app,
        &user,
        id,
        form.revision,
        workflow::archive,
        "archiviata",
    )
    .await
}

type Decide =
    fn(
        &WorkflowState,
        Uuid,
        u32,
        &Principal,
    ) -> Result<riusa_domain::catalog::workflow::PracticeChange, riusa_domain::DomainError>;

async fn transition(
    app: &AppState,
    user: &Require<Staff>,
    id: Uuid,
    revision: Option<u32>,
    decide: Decide,
    outcome: &str,
) -> PageResult<Response> {
    let (_, state) = workable(app, user.principal(), id).await?;
    let expected = revision.unwrap_or(state.head_revision);
    let change = decide(&state, id, expected, user.principal()).map_err(StoreError::from)?;
    app.store
        .catalog()
        .apply(change, &user.actor, Utc::now())
        .await?;
    Ok(Redirect::to(&format!("{}?esito={outcome}", paths::my_practice(id))).into_response())
}

#[derive(Template)]
#[template(path = "catalog/confirm_archive.html")]
struct ConfirmArchivePage {
    layout: Layout,
    csrf: String,
    title: String,
    published: bool,
    action: String,
    cancel: String,
    revision: u32,
}

/// Asks before archiving.
pub async fn confirm_archive(
    State(app): State<AppState>,
    user: Require<Staff>,
    PageParams(id): PageParams<Uuid>,
) -> PageResult<Response> {
    let (view, state) = workable(&app, user.principal(), id).await?;
    if !user.principal().may_submit_for(&state.owners) {
        return Err(
            AppError::Store(StoreError::Invalid(riusa_domain::DomainError::Refused(
                Refusal::Forbidden,
            )))
            .into(),
        );
    }
    let nav = UserNav::of(&app, &user.identity).await?;
    render_status(
        StatusCode::OK,
        &ConfirmArchivePage {
            csrf: nav.csrf.clone(),
            layout: Layout::new("Archiviare la scheda?", Section::Workspace).with_user(Some(nav)),
            title: view.title,
            published: view.status == Status::Published,
            action: format!("{}/archivia", paths::my_practice(id)),
            cancel: paths::my_practice(id),
            revision: state.head_revision,
        },
    )
}

/// Links of the practice back-office pages, for the revisions page and others.
pub(super) fn back_office_link(id: Uuid, title: &str) -> Link {
    Link {
        href: paths::my_practice(id),
        label: title.to_owned(),
    }
}
