use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use riusa_domain::accounts::normalize_token_label;
use serde::Deserialize;
use uuid::Uuid;

use crate::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{Require, SignedIn, secrets};
use crate::error::PageResult;
use crate::pages::{FormErrors, Layout, PageParams, Section, UserNav, render_status};
use crate::{messages, paths};

pub struct MembershipLine {
    pub organization: String,
    pub href: String,
    pub role: &'static str,
    pub people_href: Option<String>,
}

pub struct TokenLine {
    pub id: Uuid,
    pub label: String,
    pub created: String,
    pub last_used: String,
    pub revoked: bool,
}

#[derive(Template)]
#[template(path = "accounts/profile.html")]
struct ProfilePage {
    layout: Layout,
    csrf: String,
    name: String,
    email: String,
    roles: Vec<&'static str>,
    memberships: Vec<MembershipLine>,
    tokens: Vec<TokenLine>,
    /// A token just created, shown this once.
    new_token: Option<String>,
    notice: Option<&'static str>,
    errors: FormErrors,
}

#[derive(Deserialize)]
pub struct Outcome {
    esito: Option<String>,
}

/// The profile: who I am, where I belong, my tokens, my password.
pub async fn show_profile(
    State(app): State<AppState>,
    user: Require<SignedIn>,
    Query(outcome): Query<Outcome>,
) -> PageResult<Response> {
    let notice = match outcome.esito.as_deref() {
        Some("password") => Some("Password cambiata: le altre sessioni sono state chiuse."),
        Some("token-revocato") => Some("Token revocato: non funziona più."),
        _ => None,
    };
    render_profile_with(&app, &user, FormErrors::default(), None, notice).await
}

pub(super) async fn render_profile(
    app: &AppState,
    user: &Require<SignedIn>,
    errors: FormErrors,
    new_token: Option<String>,
) -> PageResult<Response> {
    render_profile_with(app, user, errors, new_token, None).await
}

async fn render_profile_with(
    app: &AppState,
    user: &Require<SignedIn>,
    errors: FormErrors,
    new_token: Option<String>,
    notice: Option<&'static str>,
) -> PageResult<Response> {
    let principal = user.principal();
    let view = app.store.accounts().view(principal.account_id).await?;
    let tokens = app.store.accounts().tokens(principal.account_id).await?;
    let nav = UserNav::of(app, &user.identity).await?;
    let mut roles = Vec::new();
    if view.is_admin {
        roles.push("amministrazione della piattaforma");
    }
    if view.is_editor {
        roles.push("redazione");
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ProfilePage {
        csrf: nav.csrf.clone(),
        layout: Layout::new("Il tuo profilo", Section::Workspace).with_user(Some(nav)),
        name: view.name,
        email: view.email,
        roles,
        memberships: view
            .memberships
            .iter()
            .map(|m| MembershipLine {
                organization: riusa_domain::names::display_name(&m.organization_name),
                href: paths::organization(&m.ipa_code),
                role: super::invitation::role_label(m.role),
                people_href: (m.role == riusa_domain::accounts::OrgRole::Coordinator)
                    .then(|| paths::organization_people(&m.ipa_code)),
            })
            .collect(),
        tokens: tokens
            .into_iter()
            .map(|t| TokenLine {
                id: t.id,
                label: t.label,
                created: messages::long_date(t.created_at.date_naive()),
                last_used: t.last_used_at.map_or_else(
                    || "mai".to_owned(),
                    |at| messages::long_date(at.date_naive()),
                ),
                revoked: t.revoked,
            })
            .collect(),
        new_token,
        notice,
        errors,
    };
    render_status(status, &page)
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    label: String,
}

/// Creates a personal access token and shows it once; only its hash is kept.
pub async fn create_token(
    State(app): State<AppState>,
    user: Require<SignedIn>,
    CsrfForm(form): CsrfForm<TokenForm>,
) -> PageResult<Response> {
    let label = normalize_token_label(&form.label);
    let Ok(label) = label else {
        let errors = FormErrors::message("Il token non è stato creato.").check("label", &label);
        return render_profile(&app, &user, errors, None).await;
    };
    let token = secrets::new_access_token();
    app.store
        .accounts()
        .create_token(
            user.principal().account_id,
            label,
            secrets::digest(&token),
            &user.actor,
            Utc::now(),
        )
        .await?;
    render_profile(&app, &user, FormErrors::default(), Some(token)).await
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn revoke_token(
    State(app): State<AppState>,
    user: Require<SignedIn>,
    PageParams(id): PageParams<Uuid>,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult<Response> {
    app.store
        .accounts()
        .revoke_token(user.principal().account_id, id, &user.actor, Utc::now())
        .await?;
    Ok(Redirect::to("/profilo?esito=token-revocato").into_response())
}

pub struct InboxLine {
    pub text: String,
    pub href: Option<String>,
    pub date: String,
    pub read: bool,
}

#[derive(Template)]
#[template(path = "accounts/inbox.html")]
struct InboxPage {
    layout: Layout,
    csrf: String,
    lines: Vec<InboxLine>,
    total: u64,
    unread: u64,
}

/// The inbox: what happened to my practices and invitations, newest first.
pub async fn show_inbox(
    State(app): State<AppState>,
    user: Require<SignedIn>,
) -> PageResult<Response> {
    let account_id = user.principal().account_id;
    let page = app.store.notifications().inbox(account_id, 0, 100).await?;
    let nav = UserNav::of(&app, &user.identity).await?;
    let unread = nav.unread;
    let lines = page
        .items
        .iter()
        .map(|n| {
            let id = n.practice_id;
            let slug = n.params.get("slug").and_then(|v| v.as_str());
            InboxLine {
                text: messages::inbox_line(&n.kind, &n.params),
                href: match n.kind.as_str() {
                    "practice.submitted" => id.map(paths::review),
                    "practice.changes_requested" => id.map(paths::edit_practice),
                    "practice.published" => slug.map(paths::practice),
                    _ => None,
                },
                date: messages::long_date(n.created_at.date_naive()),
                read: n.read,
            }
        })
        .collect();
    render_status(
        StatusCode::OK,
        &InboxPage {
            csrf: nav.csrf.clone(),
            layout: Layout::new("Notifiche", Section::Workspace).with_user(Some(nav)),
            lines,
            total: page.total,
            unread,
        },
    )
}

pub async fn mark_inbox_read(
    State(app): State<AppState>,
    user: Require<SignedIn>,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult<Response> {
    app.store
        .notifications()
        .mark_read(user.principal().account_id, None, &user.actor, Utc::now())
        .await?;
    Ok(Redirect::to(paths::INBOX).into_response())
}
