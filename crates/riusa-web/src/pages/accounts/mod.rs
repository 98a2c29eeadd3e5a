//! Accounts: signing in and out, registering, confirming an address, resetting a password,
//! accepting an invitation, the profile (tokens, password), the inbox, and the people of an
//! administration for its coordinators.

mod admin;
mod invitation;
mod oidc;
mod password;
mod people;
mod profile;
mod register;
mod sign_in;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use riusa_store::Actor;
use uuid::Uuid;

use crate::AppState;
use crate::auth::{self, secrets};
use crate::error::AppError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            crate::paths::SIGN_IN,
            get(sign_in::show_sign_in).post(sign_in::sign_in),
        )
        .route("/accedi/oidc/{provider}", get(oidc::start_oidc_sign_in))
        .route(
            "/accedi/oidc/{provider}/ritorno",
            get(oidc::finish_oidc_sign_in),
        )
        .route(crate::paths::SIGN_OUT, post(sign_in::sign_out))
        .route(
            crate::paths::REGISTER,
            get(register::show_register).post(register::register),
        )
        .route(
            "/conferma-email/{token}",
            get(register::show_confirm_email).post(register::confirm_email),
        )
        .route(
            crate::paths::FORGOT_PASSWORD,
            get(password::show_forgot_password).post(password::request_reset),
        )
        .route(
            "/reimposta-password/{token}",
            get(password::show_reset_password).post(password::reset_password),
        )
        .route(
            "/invito/{token}",
            get(invitation::show_invitation).post(invitation::accept_invitation),
        )
        .route(crate::paths::AUDIT, get(admin::show_audit))
        .route("/amministrazione/registro.csv", get(admin::export_audit))
        .route(crate::paths::ACCOUNTS, get(admin::list_accounts))
        .route(
            "/amministrazione/account/{id}/ruoli",
            post(admin::set_roles),
        )
        .route(
            "/amministrazione/account/{id}/disattiva",
            post(admin::disable_account),
        )
        .route(crate::paths::PROFILE, get(profile::show_profile))
        .route("/profilo/password", post(password::change_password))
        .route("/profilo/token", post(profile::create_token))
        .route("/profilo/token/{id}/revoca", post(profile::revoke_token))
        .route(crate::paths::INBOX, get(profile::show_inbox))
        .route("/notifiche/lette", post(profile::mark_inbox_read))
        .route("/enti/{ipa}/persone", get(people::show_people))
        .route("/enti/{ipa}/persone/invita", post(people::invite))
        .route(
            "/enti/{ipa}/persone/{account}/rimuovi",
            get(people::confirm_removal).post(people::remove_member),
        )
}

/// Starts a session for `account_id`: a new id at every sign-in (never one the browser
/// brought), absolute expiry from the configuration. Returns the response with its cookie.
pub(super) async fn start_session(
    app: &AppState,
    account_id: Uuid,
    method: &'static str,
    ip: Option<String>,
    to: &str,
) -> Result<Response, AppError> {
    let now = Utc::now();
    let secret = secrets::new_secret();
    let expires_at = now + app.config.session_max;
    app.store
        .accounts()
        .start_session(
            account_id,
            secrets::digest(&secret),
            expires_at,
            method,
            &Actor::account(account_id, ip),
            now,
        )
        .await?;
    let mut response = Redirect::to(to).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        auth::set_cookie(
            app,
            auth::session_cookie_name(app),
            &secret,
            app.config.session_max.num_seconds(),
        ),
    );
    Ok(response)
}

/// The expired cookie that removes the session cookie from the browser.
pub(super) fn clear_session_cookie(app: &AppState) -> HeaderValue {
    auth::set_cookie(app, auth::session_cookie_name(app), "", 0)
}

/// Where a person lands after signing in when no page asked for it.
pub(super) fn landing(principal: &riusa_domain::accounts::Principal) -> &'static str {
    if principal.is_editor {
        crate::paths::REVIEW_QUEUE
    } else if principal.is_staff() {
        crate::paths::MY_PRACTICES
    } else {
        crate::paths::PROFILE
    }
}
