//! Drafts and the editorial workflow for programs, with a personal access token: the rules are
//! the pages' (the domain decides with the person's roles, the store writes the change with its
//! feed entry and audit event). Each answer carries the newest revision as `ETag`; each write
//! to an existing practice names the revision it was decided on in `If-Match`.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use riusa_domain::DomainError;
use riusa_domain::accounts::Principal;
use riusa_domain::catalog::workflow::{self, PracticeChange, SectionComment, WorkflowState};
use riusa_domain::catalog::{PracticeRecord, SectionKey};
use riusa_store::{Actor, Applied, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::body::{self, IfMatch, JsonBody, etag, stale_as_precondition};
use super::practice_record::PracticeRecordDoc;
use super::{ApiPath, Writer};
use crate::AppState;
use crate::auth::{Editor, Require, Role, Staff};
use crate::error::{ApiResult, AppError, Problem};

/// Where a practice stands.
#[derive(Serialize, ToSchema)]
pub struct WorkflowOut {
    pub id: Uuid,
    pub slug: String,
    /// Ciò che vedono i visitatori: draft (mai pubblicata), in_review (mai pubblicata, in
    /// revisione), published, archived.
    pub status: String,
    /// La bozza in corso: none, editing, in_review, changes_requested.
    pub draft: String,
    /// La versione più recente; l'`ETag` è `"r<revision>"`.
    pub revision: u32,
}

impl From<&Applied> for WorkflowOut {
    fn from(applied: &Applied) -> Self {
        WorkflowOut {
            id: applied.practice_id,
            slug: applied.slug.clone(),
            status: applied.status.as_str().to_owned(),
            draft: applied.draft.as_str().to_owned(),
            revision: applied.head_revision,
        }
    }
}

/// The newest text of a practice, with where it stands.
#[derive(Serialize, ToSchema)]
pub struct DraftOut {
    pub id: Uuid,
    pub slug: String,
    /// Ciò che vedono i visitatori: draft, in_review, published, archived.
    pub status: String,
    /// La bozza in corso: none, editing, in_review, changes_requested.
    pub draft: String,
    /// La versione di questo testo, la più recente; l'`ETag` è `"r<revision>"`.
    pub revision: u32,
    /// Il testo, nel formato di interscambio.
    #[schema(value_type = PracticeRecordDoc)]
    pub record: PracticeRecord,
}

/// Editors' remarks that send a draft back to its authors.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangesIn {
    /// Almeno un'osservazione.
    #[serde(default)]
    pub comments: Vec<CommentIn>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentIn {
    /// La sezione (motivation, activities, …, transferability), o null per la scheda nel suo
    /// complesso.
    #[schema(value_type = Option<String>)]
    pub section: Option<SectionKey>,
    /// Al massimo 5.000 caratteri.
    pub body: String,
}

/// Refusals of every route that acts on one practice with a token.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code, reason = "describes responses in the OpenAPI document only")]
pub enum PracticeRefusals {
    /// Token assente, non valido o revocato.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthenticated(Problem),
    /// Il profilo non permette l'operazione su questa scheda.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// Nessuna scheda con questo UUID.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
}

/// Refusals of a write to an existing practice.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code, reason = "describes responses in the OpenAPI document only")]
pub enum WriteRefusals {
    /// Operazione non possibile nello stato attuale della scheda, oppure slug già usato.
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
    /// `If-Match` nomina una versione che non è più la più recente: rileggere la scheda.
    #[response(status = 412, content_type = "application/problem+json")]
    PreconditionFailed(Problem),
    /// Manca `If-Match` con l'`ETag` della versione su cui si è lavorato.
    #[response(status = 428, content_type = "application/problem+json")]
    PreconditionRequired(Problem),
}

/// Refusals of a JSON body.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code, reason = "describes responses in the OpenAPI document only")]
pub enum BodyRefusals {
    /// Il corpo non è un oggetto JSON.
    #[response(status = 400, content_type = "application/problem+json")]
    Malformed(Problem),
    /// Il corpo supera la dimensione consentita.
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(Problem),
    /// `Content-Type` non è `application/json`.
    #[response(status = 415, content_type = "application/problem+json")]
    NotJson(Problem),
    /// Valori di tipo sbagliato o non validi: `errors` elenca ogni campo con il suo codice
    /// (`required`, `too_long`, `unknown_theme`, `invalid_type`, …).
    #[response(status = 422, content_type = "application/problem+json")]
    Invalid(Problem),
}

/// Create a practice: a first draft, seen only by its administrations and the editors.
#[utoipa::path(
    post,
    path = "/practices",
    tag = "drafts",
    security(("bearer" = [])),
    request_body(content = PracticeRecordDoc, content_type = "application/json"),
    responses(
        (status = 201, description = "La bozza creata", body = DraftOut,
            headers(
                ("ETag" = String, description = "La versione: `\"r1\"`"),
                ("Location" = String, description = "La bozza: `/api/v1/practices/{id}/draft`")
            )),
        (status = 401, description = "Token assente, non valido o revocato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Tra gli enti titolari non c'è uno dei propri", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Lo slug o l'id appartengono a un'altra scheda", body = Problem, content_type = "application/problem+json"),
        BodyRefusals
    )
)]
pub async fn create_practice(
    State(app): State<AppState>,
    Writer(user): Writer<Staff>,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    let record = body::read_practice(&app, &body).await?;
    let id = record.id.unwrap_or_else(Uuid::now_v7);
    let owners = app.store.catalog().owner_ids(&record).await?;
    let decided = workflow::create(id, record, &owners, user.principal());
    let (applied, record) = apply(&app, &user.actor, decided).await?;
    let location = format!("/api/v1/practices/{id}/draft");
    let mut response = draft_response(StatusCode::CREATED, &applied, record);
    if let Ok(location) = location.parse() {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// The newest text of a practice, for the people who may work on it.
#[utoipa::path(
    get,
    path = "/practices/{id}/draft",
    tag = "drafts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "UUID della pratica")),
    responses(
        (status = 200, description = "Il testo più recente, pubblicato o no", body = DraftOut,
            headers(("ETag" = String, description = "La versione: `\"r<revision>\"`"))),
        PracticeRefusals
    )
)]
pub async fn get_draft(
    State(app): State<AppState>,
    Writer(user): Writer<Staff>,
    ApiPath(id): ApiPath,
) -> ApiResult<Response> {
    let id = practice_id(&id)?;
    let state = workable(&app, user.principal(), id).await?;
    let (record, head) = app.store.catalog().head_record(id).await?;
    let applied = Applied {
        practice_id: id,
        slug: record.slug.clone(),
        status: state.status,
        draft: state.draft,
        head_revision: head,
    };
    Ok(draft_response(StatusCode::OK, &applied, Some(record)))
}

/// Save a new draft revision of a practice, on the revision named by `If-Match`.
#[utoipa::path(
    put,
    path = "/practices/{id}",
    tag = "drafts",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "UUID della pratica (lo slug vale solo in lettura)"),
        ("If-Match" = String, Header, description = "L'`ETag` della versione su cui si è lavorato, es. `\"r3\"`")
    ),
    request_body(content = PracticeRecordDoc, content_type = "application/json"),
    responses(
        (status = 200, description = "La nuova versione della bozza; la scheda pubblicata, se c'è, non cambia", body = DraftOut,
            headers(("ETag" = String, description = "La nuova versione"))),
        PracticeRefusals,
        WriteRefusals,
        BodyRefusals
    )
)]
pub async fn save_practice(
    State(app): State<AppState>,
    Writer(user): Writer<Staff>,
    ApiPath(id): ApiPath,
    if_match: IfMatch,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    let id = practice_id(&id)?;
    let state = workable(&app, user.principal(), id).await?;
    let expected = if_match.revision(&state)?;
    // The practice's id is the path's: one in the body is not a way to write another.
    let record = body::read_practice(&app, &body).await?;
    let owners = app.store.catalog().owner_ids(&record).await?;
    let decided = workflow::save_draft(&state, id, expected, record, &owners, user.principal());
    let (applied, record) = apply(&app, &user.actor, decided).await?;
    Ok(draft_response(StatusCode::OK, &applied, record))
}

/// Send the newest draft to the editors for review (coordinators of an owner, editors).
#[utoipa::path(
    post,
    path = "/practices/{id}/submit",
    tag = "drafts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "L'`ETag` della versione più recente")),
    responses(
        (status = 200, description = "In revisione", body = WorkflowOut, headers(("ETag" = String))),
        PracticeRefusals,
        WriteRefusals
    )
)]
pub async fn submit_practice(
    State(app): State<AppState>,
    Writer(user): Writer<Staff>,
    ApiPath(id): ApiPath,
    if_match: IfMatch,
) -> ApiResult<Response> {
    transition(&app, &user, &id, &if_match, workflow::submit).await
}

/// Send a draft under review back to its authors, with remarks (editors).
#[utoipa::path(
    post,
    path = "/practices/{id}/request-changes",
    tag = "drafts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "L'`ETag` della versione più recente")),
    request_body(content = ChangesIn, content_type = "application/json"),
    responses(
        (status = 200, description = "Rimandata agli autori", body = WorkflowOut, headers(("ETag" = String))),
        PracticeRefusals,
        WriteRefusals,
        BodyRefusals
    )
)]
pub async fn request_changes(
    State(app): State<AppState>,
    Writer(user): Writer<Editor>,
    ApiPath(id): ApiPath,
    if_match: IfMatch,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    let id = practice_id(&id)?;
    let state = workable(&app, user.principal(), id).await?;
    let expected = if_match.revision(&state)?;
    let changes: ChangesIn = body::parse_json(&body)?;
    let comments = changes
        .comments
        .into_iter()
        .map(|c| SectionComment {
            section: c.section,
            body: c.body,
        })
        .collect();
    let decided = workflow::request_changes(&state, id, expected, comments, user.principal());
    let (applied, _) = apply(&app, &user.actor, decided).await?;
    Ok(state_response(&applied))
}

/// Publish the reviewed draft: it replaces the public text (editors).
#[utoipa::path(
    post,
    path = "/practices/{id}/publish",
    tag = "drafts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "L'`ETag` della versione più recente")),
    responses(
        (status = 200, description = "Pubblicata, come nuova versione", body = WorkflowOut, headers(("ETag" = String))),
        PracticeRefusals,
        WriteRefusals
    )
)]
pub async fn publish_practice(
    State(app): State<AppState>,
    Writer(user): Writer<Editor>,
    ApiPath(id): ApiPath,
    if_match: IfMatch,
) -> ApiResult<Response> {
    transition(&app, &user, &id, &if_match, workflow::publish).await
}

/// Withdraw a practice from the catalog; nothing is deleted (coordinators of an owner, editors).
#[utoipa::path(
    post,
    path = "/practices/{id}/archive",
    tag = "drafts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "L'`ETag` della versione più recente")),
    responses(
        (status = 200, description = "Archiviata", body = WorkflowOut, headers(("ETag" = String))),
        PracticeRefusals,
        WriteRefusals
    )
)]
pub async fn archive_practice(
    State(app): State<AppState>,
    Writer(user): Writer<Staff>,
    ApiPath(id): ApiPath,
    if_match: IfMatch,
) -> ApiResult<Response> {
    transition(&app, &user, &id, &if_match, workflow::archive).await
}

/// Bring an archived practice back: public again if it was ever published, a draft otherwise.
#[utoipa::path(
    post,
    path = "/practices/{id}/restore",
    tag = "drafts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "L'`ETag` della versione più recente")),
    responses(
        (status = 200, description = "Ripristinata", body = WorkflowOut, headers(("ETag" = String))),
        PracticeRefusals,
        WriteRefusals
    )
)]
pub async fn restore_practice(
    State(app): State<AppState>,
    Writer(user): Writer<Staff>,
    ApiPath(id): ApiPath,
    if_match: IfMatch,
) -> ApiResult<Response> {
    transition(&app, &user, &id, &if_match, workflow::restore).await
}

type Decide = fn(&WorkflowState, Uuid, u32, &Principal) -> Result<PracticeChange, DomainError>;

/// A change of state without a body: decided on the revision `If-Match` names.
async fn transition<R: Role>(
    app: &AppState,
    user: &Require<R>,
    id: &str,
    if_match: &IfMatch,
    decide: Decide,
) -> ApiResult<Response> {
    let id = practice_id(id)?;
    let state = workable(app, user.principal(), id).await?;
    // Roles and states first: somebody who may not do this at all is told so (403, 409),
    // not that a header is missing.
    if let Err(refusal) = decide(&state, id, state.head_revision, user.principal()) {
        return Err(AppError::from(refusal).into());
    }
    let expected = if_match.revision(&state)?;
    let decided = decide(&state, id, expected, user.principal());
    let (applied, _) = apply(app, &user.actor, decided).await?;
    Ok(state_response(&applied))
}

/// Ids only: a slug could be another practice's tomorrow, an id is this one's forever.
fn practice_id(segment: &str) -> Result<Uuid, AppError> {
    Uuid::try_parse(segment).map_err(|_| AppError::NotFound)
}

/// The workflow state of a practice the person may work on (its administrations, editors).
async fn workable(
    app: &AppState,
    principal: &Principal,
    id: Uuid,
) -> Result<WorkflowState, AppError> {
    let state = match app.store.catalog().workflow(id).await {
        Ok(state) => state,
        Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(error) => return Err(error.into()),
    };
    if principal.may_write_for(&state.owners) {
        Ok(state)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Writes what the domain decided; the text of a new revision comes back for the answer.
async fn apply(
    app: &AppState,
    actor: &Actor,
    decided: Result<PracticeChange, DomainError>,
) -> Result<(Applied, Option<PracticeRecord>), AppError> {
    let change = decided.map_err(|e| stale_as_precondition(StoreError::from(e).into()))?;
    let record = change.content.clone();
    let applied = app
        .store
        .catalog()
        .apply(change, actor, Utc::now())
        .await
        .map_err(|e| stale_as_precondition(e.into()))?;
    Ok((applied, record))
}

fn draft_response(
    status: StatusCode,
    applied: &Applied,
    record: Option<PracticeRecord>,
) -> Response {
    let Some(record) = record else {
        return state_response(applied);
    };
    let out = DraftOut {
        id: applied.practice_id,
        slug: applied.slug.clone(),
        status: applied.status.as_str().to_owned(),
        draft: applied.draft.as_str().to_owned(),
        revision: applied.head_revision,
        record,
    };
    (
        status,
        [(header::ETAG, etag(applied.head_revision))],
        Json(out),
    )
        .into_response()
}

fn state_response(applied: &Applied) -> Response {
    (
        StatusCode::OK,
        [(header::ETAG, etag(applied.head_revision))],
        Json(WorkflowOut::from(applied)),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ids_name_a_practice_to_write() {
        assert!(practice_id("0191f3a0-8d3e-7c4b-9a1e-3f5d2c1b0a99").is_ok());
        assert!(matches!(
            practice_id("sportello-unico"),
            Err(AppError::NotFound)
        ));
    }
}
