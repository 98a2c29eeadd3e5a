use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Duration, Utc};
use riusa_domain::accounts::normalize_email;
use riusa_store::{Actor, AuditEntry, LinkPurpose, RateKey};
use serde::Deserialize;

use super::register::NoticePage;
use crate::AppState;
use crate::auth::csrf::{CsrfForm, FormToken};
use crate::auth::{ClientAddress, Require, SignedIn, password, rate, secrets};
use crate::error::{AppError, PageResult};
use crate::pages::{FormErrors, Layout, PagePath, Section, render_status};
use crate::{messages, paths};

/// A reset link works for an hour, once.
const RESET_MINUTES: i64 = 60;

#[derive(Template)]
#[template(path = "accounts/forgot_password.html")]
struct ForgotPage {
    layout: Layout,
    csrf: String,
    email: String,
    errors: FormErrors,
}

pub async fn show_forgot_password(token: FormToken) -> PageResult<Response> {
    let page = ForgotPage {
        layout: Layout::new("Password dimenticata", Section::Workspace),
        csrf: token.value.clone(),
        email: String::new(),
        errors: FormErrors::default(),
    };
    Ok(token.attach(render_status(StatusCode::OK, &page)?))
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// Emails a reset link to a registered address; answers the same for any address.
pub async fn request_reset(
    State(app): State<AppState>,
    ClientAddress(ip): ClientAddress,
    token: FormToken,
    CsrfForm(form): CsrfForm<ForgotForm>,
) -> PageResult<Response> {
    let now = Utc::now();
    let address = ip.clone().unwrap_or_else(|| "sconosciuto".to_owned());
    let refuse = |error: AppError, email: String| {
        let retry_after = error.retry_after();
        let page = ForgotPage {
            layout: Layout::new("Password dimenticata", Section::Workspace),
            csrf: token.value.clone(),
            email,
            errors: FormErrors::from_error(&error),
        };
        let mut response = render_status(error.status(), &page)?;
        if let Some(after) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, after);
        }
        PageResult::Ok(response)
    };
    if let Err(error) = rate::check(
        &app,
        rate::RESET_PER_ADDRESS,
        RateKey::Address(&address),
        now,
    )
    .await
    {
        return refuse(error, form.email);
    }
    let actor = Actor::anonymous(Some(address));
    let email = normalize_email(&form.email);
    let account = match &email {
        Ok(email) => app.store.accounts().credentials(email).await?,
        Err(_) => {
            let errors = FormErrors::message("Indirizzo email non valido.").check("email", &email);
            let page = ForgotPage {
                layout: Layout::new("Password dimenticata", Section::Workspace),
                csrf: token.value.clone(),
                email: form.email,
                errors,
            };
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    match account.filter(|a| !a.disabled) {
        Some(account) => {
            if let Err(error) = rate::check(
                &app,
                rate::RESET_PER_ACCOUNT,
                RateKey::Account(account.account_id),
                now,
            )
            .await
            {
                return refuse(error, form.email);
            }
            let secret = secrets::new_secret();
            app.store
                .accounts()
                .create_link(
                    account.account_id,
                    LinkPurpose::ResetPassword,
                    secrets::digest(&secret),
                    app.config.link(&paths::reset_password(&secret)),
                    now + Duration::minutes(RESET_MINUTES),
                    &actor,
                    now,
                )
                .await?;
        }
        // Counted per address like a real request, so probing many addresses is limited too.
        None => {
            app.store
                .accounts()
                .record(&actor, AuditEntry::new("account.reset_requested"), now)
                .await?
        }
    }
    render_status(
        StatusCode::OK,
        &NoticePage::new(
            "Controlla la tua posta",
            "Se l'indirizzo è registrato, riceverai un messaggio con un collegamento per scegliere una nuova password. Il collegamento vale un'ora e si può usare una sola volta.",
            None,
        ),
    )
}

#[derive(Template)]
#[template(path = "accounts/reset_password.html")]
struct ResetPage {
    layout: Layout,
    csrf: String,
    action: String,
    errors: FormErrors,
}

pub async fn show_reset_password(
    token: FormToken,
    PagePath(secret): PagePath,
) -> PageResult<Response> {
    let page = ResetPage {
        layout: Layout::new("Scegli una nuova password", Section::Workspace),
        csrf: token.value.clone(),
        action: paths::reset_password(&secret),
        errors: FormErrors::default(),
    };
    Ok(token.attach(render_status(StatusCode::OK, &page)?))
}

#[derive(Deserialize)]
pub struct NewPasswordForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

/// The problems of a new password, beside its fields.
fn password_errors(password: &str, again: &str) -> FormErrors {
    let mut errors = FormErrors::default().new_password(password, again, &[]);
    if !errors.is_empty() {
        errors.summary = Some("La nuova password non è valida.".into());
    }
    errors
}

/// Sets the new password (the link is used only once the password is acceptable). Every
/// session of the account ends; the address counts as confirmed, since the link reached it.
pub async fn reset_password(
    State(app): State<AppState>,
    ClientAddress(ip): ClientAddress,
    token: FormToken,
    PagePath(secret): PagePath,
    CsrfForm(form): CsrfForm<NewPasswordForm>,
) -> PageResult<Response> {
    let errors = password_errors(&form.password, &form.password_again);
    if !errors.is_empty() {
        let page = ResetPage {
            layout: Layout::new("Scegli una nuova password", Section::Workspace),
            csrf: token.value.clone(),
            action: paths::reset_password(&secret),
            errors,
        };
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let now = Utc::now();
    let Some(account_id) = app
        .store
        .accounts()
        .consume_link(&secrets::digest(&secret), LinkPurpose::ResetPassword, now)
        .await?
    else {
        return render_status(
            StatusCode::NOT_FOUND,
            &NoticePage::new(
                "Collegamento non valido",
                messages::LINK_INVALID,
                Some((paths::FORGOT_PASSWORD, "Chiedi un nuovo collegamento")),
            ),
        );
    };
    let actor = Actor::account(account_id, ip);
    let hash = password::hash(form.password).await?;
    let accounts = app.store.accounts();
    accounts.set_password(account_id, hash, &actor, now).await?;
    accounts.confirm_email(account_id, &actor, now).await?;
    render_status(
        StatusCode::OK,
        &NoticePage::new(
            "Password aggiornata",
            "La nuova password è attiva; le sessioni aperte con la vecchia sono state chiuse.",
            Some((paths::SIGN_IN, "Accedi")),
        ),
    )
}

#[derive(Deserialize)]
pub struct ChangePasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

/// Changes the password from the profile; the other sessions end, this one starts anew.
pub async fn change_password(
    State(app): State<AppState>,
    user: Require<SignedIn>,
    CsrfForm(form): CsrfForm<ChangePasswordForm>,
) -> PageResult<Response> {
    let account_id = user.principal().account_id;
    let accounts = app.store.accounts();
    let view = accounts.view(account_id).await?;
    let hash = accounts
        .credentials(&view.email)
        .await?
        .and_then(|c| c.password_hash);
    let mut errors = password_errors(&form.password, &form.password_again);
    if hash.is_some() && !password::verify(form.current, hash).await? {
        errors = errors.field("current", "La password attuale non è corretta.");
        errors.summary = Some("La password non è stata cambiata.".into());
    }
    if !errors.is_empty() {
        return super::profile::render_profile(&app, &user, errors, None).await;
    }
    let now = Utc::now();
    let hash = password::hash(form.password).await?;
    accounts
        .set_password(account_id, hash, &user.actor, now)
        .await?;
    Ok(super::start_session(
        &app,
        account_id,
        "password_change",
        user.actor.ip.clone(),
        "/profilo?esito=password",
    )
    .await?)
}
