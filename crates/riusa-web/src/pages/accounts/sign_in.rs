use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use riusa_domain::accounts::normalize_email;
use riusa_store::{Actor, AuditEntry, RateKey};
use serde::Deserialize;

use crate::AppState;
use crate::auth::csrf::{CsrfForm, FormToken};
use crate::auth::{ClientAddress, Visitor, password, rate, safe_return_path};
use crate::error::{AppError, PageResult};
use crate::pages::{FormErrors, Layout, Section, render_status};

#[derive(Template)]
#[template(path = "accounts/sign_in.html")]
struct SignInPage {
    layout: Layout,
    csrf: String,
    email: String,
    return_to: String,
    errors: FormErrors,
    /// One button per OpenID Connect provider: its address and label.
    providers: Vec<crate::pages::Link>,
}

#[derive(Deserialize)]
pub struct ReturnTo {
    dopo: Option<String>,
}

fn page(
    app: &AppState,
    csrf: String,
    email: String,
    return_to: String,
    errors: FormErrors,
) -> SignInPage {
    let query = if return_to.is_empty() || return_to == "/" {
        String::new()
    } else {
        let encoded: String = url::form_urlencoded::byte_serialize(return_to.as_bytes()).collect();
        format!("?dopo={encoded}")
    };
    let providers = app
        .config
        .oidc
        .buttons()
        .into_iter()
        .map(|(id, label)| crate::pages::Link {
            href: format!("/accedi/oidc/{id}{query}"),
            label,
        })
        .collect();
    SignInPage {
        layout: Layout::new("Accedi", Section::Workspace),
        csrf,
        email,
        return_to,
        errors,
        providers,
    }
}

/// The sign-in form (a signed-in person goes straight where they were going).
pub async fn show_sign_in(
    State(app): State<AppState>,
    Visitor(visitor): Visitor,
    token: FormToken,
    Query(query): Query<ReturnTo>,
) -> PageResult<Response> {
    if visitor.is_some() {
        return Ok(Redirect::to(&safe_return_path(query.dopo.as_deref())).into_response());
    }
    // Without a page to return to the form carries none, so that people land where their
    // role takes them (`landing`), not on the home page.
    let return_to = query
        .dopo
        .as_deref()
        .map(|d| safe_return_path(Some(d)))
        .unwrap_or_default();
    let page = page(
        &app,
        token.value.clone(),
        String::new(),
        return_to,
        FormErrors::default(),
    );
    Ok(token.attach(render_status(StatusCode::OK, &page)?))
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    dopo: Option<String>,
}

/// Checks email and password; a new session on success. Failures are audited and limited
/// per address and per account; the answer never says which of email and password was wrong.
pub async fn sign_in(
    State(app): State<AppState>,
    ClientAddress(ip): ClientAddress,
    token: FormToken,
    CsrfForm(form): CsrfForm<SignInForm>,
) -> PageResult<Response> {
    let now = Utc::now();
    let return_to = form.dopo.as_deref().map(|d| safe_return_path(Some(d)));
    let refuse = |status: StatusCode, errors: FormErrors| -> PageResult<Response> {
        let retry_after = errors.retry_after.clone();
        let page = page(
            &app,
            token.value.clone(),
            form.email.clone(),
            return_to.clone().unwrap_or_default(),
            errors,
        );
        let mut response = render_status(status, &page)?;
        if let Some(after) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, after);
        }
        Ok(response)
    };
    let address = ip.clone().unwrap_or_else(|| "sconosciuto".to_owned());
    if let Err(error) = rate::check(
        &app,
        rate::SIGN_IN_PER_ADDRESS,
        RateKey::Address(&address),
        now,
    )
    .await
    {
        return refuse_with(&refuse, error);
    }
    let email = normalize_email(&form.email).ok();
    let credentials = match &email {
        Some(email) => app.store.accounts().credentials(email).await?,
        None => None,
    };
    if let Some(credentials) = &credentials
        && let Err(error) = rate::check(
            &app,
            rate::SIGN_IN_PER_ACCOUNT,
            RateKey::Account(credentials.account_id),
            now,
        )
        .await
    {
        return refuse_with(&refuse, error);
    }
    let hash = credentials.as_ref().and_then(|c| c.password_hash.clone());
    let matches = password::verify(form.password.clone(), hash).await?;
    let actor = Actor::anonymous(ip.clone().or(Some(address.clone())));
    let known = credentials.as_ref().map(|c| c.account_id);
    let Some(credentials) = credentials.filter(|c| matches && !c.disabled) else {
        let mut failure = AuditEntry::new("session.sign_in_failed");
        if let Some(account_id) = known {
            failure = failure.on("account", account_id);
        }
        app.store.accounts().record(&actor, failure, now).await?;
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            FormErrors::message(crate::messages::SIGN_IN_FAILED),
        );
    };
    if !credentials.confirmed {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            FormErrors::message(crate::messages::EMAIL_NOT_CONFIRMED),
        );
    }
    let principal = app
        .store
        .accounts()
        .principal(credentials.account_id)
        .await?
        .ok_or(AppError::Forbidden)?;
    let to = return_to.unwrap_or_else(|| super::landing(&principal).to_owned());
    Ok(super::start_session(
        &app,
        credentials.account_id,
        "password",
        ip.or(Some(address)),
        &to,
    )
    .await?)
}

fn refuse_with(
    refuse: &impl Fn(StatusCode, FormErrors) -> PageResult<Response>,
    error: AppError,
) -> PageResult<Response> {
    refuse(error.status(), FormErrors::from_error(&error))
}

#[derive(Deserialize)]
pub struct Empty {}

/// Ends this browser's session.
pub async fn sign_out(
    State(app): State<AppState>,
    Visitor(visitor): Visitor,
    ClientAddress(ip): ClientAddress,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult<Response> {
    if let Some(identity) = visitor
        && let Some(session) = &identity.session
    {
        let actor = Actor::account(identity.principal.account_id, ip);
        app.store
            .accounts()
            .end_session(session, &actor, Utc::now())
            .await?;
    }
    let mut response = Redirect::to("/").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, super::clear_session_cookie(&app));
    Ok(response)
}
