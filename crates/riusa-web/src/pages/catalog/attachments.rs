//! Files attached to a practice: uploaded and removed on its back-office page, each change a
//! new draft revision decided like any save; listed on the public page as its published
//! revision has them; downloaded from the object store by anybody when public, otherwise only
//! by the people who work on the practice.

use askama::Template;
use axum::body::{Body, Bytes};
use axum::extract::multipart::Multipart;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use riusa_domain::Refusal;
use riusa_domain::accounts::Principal;
use riusa_domain::catalog::Status;
use riusa_domain::catalog::workflow::{self, DraftState, WorkflowState};
use riusa_store::{AttachmentView, NewAttachment, StoreError};
use uuid::Uuid;

use super::drafts::{RevisionForm, my_practice_page, workable};
use crate::auth::csrf::{CsrfForm, CsrfMultipart, multipart_error};
use crate::auth::{Require, Staff, Visitor, sign_in_href};
use crate::error::{AppError, PageResult};
use crate::files::{FileKind, display_name};
use crate::middleware::upload_body_limit;
use crate::pages::{Layout, PageParams, Section, UserNav, render_status};
use crate::{AppState, messages, paths};

/// The upload form's field names; the token comes first (see `CsrfMultipart`).
const REVISION_FIELD: &str = "revision";
const FILE_FIELD: &str = "allegato";
/// What the file picker offers; the server decides by content anyway.
const ACCEPT: &str = ".pdf,.odt,.docx,.ods,.xlsx,.png,.jpg,.jpeg";

/// One attachment in a list.
pub struct AttachmentLine {
    pub name: String,
    pub kind: &'static str,
    pub size: String,
    pub href: String,
    /// The confirmation page of its removal, for those who may change the draft.
    pub remove_href: Option<String>,
}

/// The «Allegati» section of the back-office page.
pub struct AttachmentsSection {
    pub lines: Vec<AttachmentLine>,
    /// Where the upload form goes, when the draft may change now.
    pub upload_action: Option<String>,
    pub accept: &'static str,
    pub hint: String,
    pub error: Option<String>,
}

fn line(attachment: &AttachmentView) -> AttachmentLine {
    AttachmentLine {
        kind: FileKind::from_media_type(&attachment.media_type).map_or("file", messages::file_kind),
        size: messages::file_size(attachment.size),
        href: paths::attachment(attachment.id, &attachment.name),
        name: attachment.name.clone(),
        remove_href: None,
    }
}

/// The attachments of a published revision, as the public page lists them.
pub(super) async fn public_lines(
    app: &AppState,
    practice_id: Uuid,
    published_revision: Option<u32>,
) -> Result<Vec<AttachmentLine>, AppError> {
    let Some(revision) = published_revision else {
        return Ok(Vec::new());
    };
    let attachments = app.store.attachments().list(practice_id, revision).await?;
    Ok(attachments.iter().map(line).collect())
}

/// Whether `who` may save a new draft revision now (what `workflow::save_draft` decides, before
/// the revision check): the upload form and the remove buttons are shown only then.
fn may_change(state: &WorkflowState, who: &Principal) -> bool {
    who.may_write_for(&state.owners)
        && state.status != Status::Archived
        && (state.draft != DraftState::InReview || who.is_editor)
}

/// The newest revision's attachments and the upload form.
pub(super) async fn section(
    app: &AppState,
    who: &Principal,
    id: Uuid,
    state: &WorkflowState,
    error: Option<String>,
) -> Result<AttachmentsSection, AppError> {
    let changeable = may_change(state, who);
    let attachments = app
        .store
        .attachments()
        .list(id, state.head_revision)
        .await?;
    let lines = attachments
        .iter()
        .map(|a| AttachmentLine {
            remove_href: changeable.then(|| remove_path(id, a.id)),
            ..line(a)
        })
        .collect();
    Ok(AttachmentsSection {
        lines,
        upload_action: changeable.then(|| upload_path(id)),
        accept: ACCEPT,
        hint: messages::upload_hint(app.config.upload_limit_bytes),
        error,
    })
}

fn upload_path(id: Uuid) -> String {
    format!("{}/allegati", paths::my_practice(id))
}

fn remove_path(id: Uuid, attachment: Uuid) -> String {
    format!("{}/allegati/{attachment}/rimuovi", paths::my_practice(id))
}

/// What the upload form sent.
struct Upload {
    revision: Option<u32>,
    file_name: Option<String>,
    bytes: Bytes,
}

/// Reads the fields after the token; a file over `max_file` bytes is refused as soon as it is.
async fn read_upload(
    fields: &mut Multipart,
    max_file: u64,
    max_body: usize,
) -> Result<Upload, AppError> {
    let unreadable = |e| multipart_error(e, max_body);
    let mut upload = Upload {
        revision: None,
        file_name: None,
        bytes: Bytes::new(),
    };
    while let Some(mut field) = fields.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some(REVISION_FIELD) => {
                upload.revision = field.text().await.map_err(unreadable)?.trim().parse().ok();
            }
            Some(FILE_FIELD) => {
                upload.file_name = field.file_name().map(str::to_owned);
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                    if (bytes.len() + chunk.len()) as u64 > max_file {
                        return Err(AppError::TooLarge {
                            max: usize::try_from(max_file).unwrap_or(usize::MAX),
                        });
                    }
                    bytes.extend_from_slice(&chunk);
                }
                upload.bytes = Bytes::from(bytes);
            }
            _ => {}
        }
    }
    Ok(upload)
}

/// Attaches a file to the practice as a new draft revision (the same text, one file more),
/// on the revision the page was shown at. The type comes from the content; a refused file
/// is answered with the page again and the reason beside the field.
pub async fn upload_attachment(
    State(app): State<AppState>,
    user: Require<Staff>,
    PageParams(id): PageParams<Uuid>,
    form: CsrfMultipart,
) -> PageResult<Response> {
    // Who may work on the practice is known before a byte of the body is read.
    let (_, state) = workable(&app, user.principal(), id).await?;
    let max_file = app.config.upload_limit_bytes;
    let outcome = async {
        let max_body = upload_body_limit(&app.config);
        let mut fields = form.open(&app, max_body).await?;
        let upload = read_upload(&mut fields, max_file, max_body).await?;
        if upload.bytes.is_empty() {
            return Err(AppError::Rejected(messages::UPLOAD_MISSING));
        }
        let kind =
            FileKind::detect(&upload.bytes).ok_or(AppError::Rejected(messages::UPLOAD_KIND))?;
        let (record, _) = app.store.catalog().head_record(id).await?;
        let expected = upload.revision.unwrap_or(state.head_revision);
        let change = workflow::save_draft(
            &state,
            id,
            expected,
            record,
            &state.owners,
            user.principal(),
        )?;
        let new = NewAttachment {
            size: upload.bytes.len() as u64,
            sha256: app.files.put(upload.bytes).await?,
            media_type: kind.media_type().to_owned(),
            name: display_name(upload.file_name.as_deref(), kind),
        };
        app.store
            .attachments()
            .attach(change, new, &user.actor, Utc::now())
            .await?;
        Ok(())
    }
    .await;
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!(
            "{}?esito=allegato#allegati",
            paths::my_practice(id)
        ))
        .into_response()),
        Err(error @ AppError::TooLarge { .. }) if error.status().is_client_error() => {
            let message = messages::upload_too_large(max_file);
            my_practice_page(&app, &user, id, None, Some(message), error.status()).await
        }
        Err(error) if matches!(error.status().as_u16(), 409 | 422) => {
            let refusal = match &error {
                AppError::Store(error) => error.refusal(),
                _ => None,
            };
            let message = match refusal {
                Some(Refusal::Stale { expected, current }) => {
                    messages::upload_stale(*expected, *current)
                }
                _ => error.detail(),
            };
            my_practice_page(&app, &user, id, None, Some(message), error.status()).await
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "catalog/confirm_remove_attachment.html")]
struct ConfirmRemovePage {
    layout: Layout,
    csrf: String,
    name: String,
    action: String,
    cancel: String,
    revision: u32,
}

/// The newest revision's attachment `attachment`, or 404.
async fn listed(
    app: &AppState,
    id: Uuid,
    head: u32,
    attachment: Uuid,
) -> Result<AttachmentView, AppError> {
    app.store
        .attachments()
        .list(id, head)
        .await?
        .into_iter()
        .find(|a| a.id == attachment)
        .ok_or(AppError::NotFound)
}

/// Asks before removing an attachment from the draft.
pub async fn confirm_remove_attachment(
    State(app): State<AppState>,
    user: Require<Staff>,
    PageParams((id, attachment)): PageParams<(Uuid, Uuid)>,
) -> PageResult<Response> {
    let (_, state) = workable(&app, user.principal(), id).await?;
    let found = listed(&app, id, state.head_revision, attachment).await?;
    let nav = UserNav::of(&app, &user.identity).await?;
    render_status(
        StatusCode::OK,
        &ConfirmRemovePage {
            csrf: nav.csrf.clone(),
            layout: Layout::new("Rimuovere l'allegato?", Section::Workspace)
                .with_user(Some(nav))
                .within(paths::MY_PRACTICES, "Le mie schede"),
            name: found.name,
            action: remove_path(id, attachment),
            cancel: format!("{}#allegati", paths::my_practice(id)),
            revision: state.head_revision,
        },
    )
}

/// Removes an attachment from the draft: a new revision without it (older ones keep it).
pub async fn remove_attachment(
    State(app): State<AppState>,
    user: Require<Staff>,
    PageParams((id, attachment)): PageParams<(Uuid, Uuid)>,
    CsrfForm(form): CsrfForm<RevisionForm>,
) -> PageResult<Response> {
    let (_, state) = workable(&app, user.principal(), id).await?;
    let (record, _) = app.store.catalog().head_record(id).await?;
    let expected = form.revision.unwrap_or(state.head_revision);
    let change = workflow::save_draft(
        &state,
        id,
        expected,
        record,
        &state.owners,
        user.principal(),
    )
    .map_err(StoreError::from)?;
    app.store
        .attachments()
        .detach(change, attachment, &user.actor, Utc::now())
        .await?;
    Ok(Redirect::to(&format!(
        "{}?esito=allegato-rimosso#allegati",
        paths::my_practice(id)
    ))
    .into_response())
}

/// Streams an attachment with the type found at upload, never shown inline: anybody may have
/// it when a published practice lists it in its publication, otherwise only its people.
pub async fn download_attachment(
    State(app): State<AppState>,
    Visitor(visitor): Visitor,
    PageParams((id, name)): PageParams<(Uuid, String)>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> PageResult<Response> {
    let access = app.store.attachments().access(id).await?;
    if access.attachment.name != name {
        return Err(AppError::NotFound.into());
    }
    if !access.public {
        let Some(identity) = visitor else {
            return Ok(Redirect::to(&sign_in_href(uri.path())).into_response());
        };
        let owners = app
            .store
            .catalog()
            .workflow(access.practice_id)
            .await?
            .owners;
        if !identity.principal.may_write_for(&owners) {
            return Err(AppError::Forbidden.into());
        }
    }
    let file = &access.attachment;
    // Stored objects never change, but whether one is public does: caches must ask each time,
    // and the strong ETag makes asking cheap.
    let cache = if access.public {
        "public, no-cache"
    } else {
        "private, no-cache"
    };
    let etag = format!("\"{}\"", file.sha256);
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        });
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = Body::from_stream(app.files.get(&file.sha256).await?).into_response();
        let values = [
            (header::CONTENT_TYPE, file.media_type.clone()),
            (header::CONTENT_LENGTH, file.size.to_string()),
            (header::CONTENT_DISPOSITION, content_disposition(&file.name)),
        ];
        for (name, value) in values {
            let value = HeaderValue::from_str(&value)
                .map_err(|e| AppError::Internal(format!("attachment header: {e}")))?;
            response.headers_mut().insert(name, value);
        }
        response
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, etag);
    }
    Ok(response)
}

/// `attachment` with the name twice (RFC 6266): plain ASCII for old clients, UTF-8 for the
/// others.
fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = percent_encoding::utf8_percent_encode(name, paths::SEGMENT);
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_download_name_is_given_twice_and_quoted_safely() {
        assert_eq!(
            content_disposition("Relazione finale.pdf"),
            "attachment; filename=\"Relazione finale.pdf\"; filename*=UTF-8''Relazione%20finale.pdf"
        );
        assert_eq!(
            content_disposition("Attività \"2024\".pdf"),
            "attachment; filename=\"Attivit_ _2024_.pdf\"; filename*=UTF-8''Attivit%C3%A0%20%222024%22.pdf"
        );
    }
}
