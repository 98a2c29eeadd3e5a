use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Duration, Utc};
use riusa_domain::accounts::{normalize_email, normalize_name};
use riusa_store::{Actor, LinkPurpose, NewAccount, StoreError};
use serde::Deserialize;

use crate::AppState;
use crate::auth::csrf::{CsrfForm, FormToken};
use crate::auth::{ClientAddress, password, secrets};
use crate::error::{AppError, PageResult};
use crate::pages::{FormErrors, Layout, PagePath, Section, render_status};
use crate::{messages, paths};

/// A confirmation link works for a day.
const CONFIRMATION_HOURS: i64 = 24;

#[derive(Template)]
#[template(path = "accounts/register.html")]
struct RegisterPage {
    layout: Layout,
    csrf: String,
    name: String,
    email: String,
    errors: FormErrors,
}

/// A page that tells the outcome of a step and what to do next.
#[derive(Template)]
#[template(path = "accounts/notice.html")]
pub(super) struct NoticePage {
    pub layout: Layout,
    pub heading: String,
    pub text: String,
    pub next: Option<crate::pages::Link>,
}

impl NoticePage {
    pub fn new(heading: &str, text: impl Into<String>, next: Option<(&str, &str)>) -> NoticePage {
        NoticePage {
            layout: Layout::new(heading, Section::Workspace),
            heading: heading.to_owned(),
            text: text.into(),
            next: next.map(|(href, label)| crate::pages::Link {
                href: href.to_owned(),
                label: label.to_owned(),
            }),
        }
    }
}

pub async fn show_register(token: FormToken) -> PageResult<Response> {
    let page = RegisterPage {
        layout: Layout::new("Registrati", Section::Workspace),
        csrf: token.value.clone(),
        name: String::new(),
        email: String::new(),
        errors: FormErrors::default(),
    };
    Ok(token.attach(render_status(StatusCode::OK, &page)?))
}

#[derive(Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

/// Collects every problem of the form at once, as the domain names them.
fn validate(form: &RegisterForm) -> Result<(String, String), FormErrors> {
    let name = normalize_name(&form.name);
    let email = normalize_email(&form.email);
    let mut errors = FormErrors::default()
        .check("name", &name)
        .check("email", &email)
        .new_password(
            &form.password,
            &form.password_again,
            &[form.email.as_str(), form.name.as_str()],
        );
    match (name, email) {
        (Ok(name), Ok(email)) if errors.is_empty() => Ok((name, email)),
        _ => {
            errors.summary =
                Some("Alcuni campi non sono validi: correggili e invia di nuovo.".into());
            Err(errors)
        }
    }
}

/// Creates an account waiting for its address to be confirmed, and emails the link. An
/// address already registered gets the same answer (nobody learns who has an account).
pub async fn register(
    State(app): State<AppState>,
    ClientAddress(ip): ClientAddress,
    token: FormToken,
    CsrfForm(form): CsrfForm<RegisterForm>,
) -> PageResult<Response> {
    let (name, email) = match validate(&form) {
        Ok(valid) => valid,
        Err(errors) => {
            let page = RegisterPage {
                layout: Layout::new("Registrati", Section::Workspace),
                csrf: token.value.clone(),
                name: form.name,
                email: form.email,
                errors,
            };
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let now = Utc::now();
    let actor = Actor::anonymous(ip);
    let hash = password::hash(form.password).await?;
    let created = app
        .store
        .accounts()
        .create(
            NewAccount {
                email,
                name,
                password_hash: Some(hash),
                is_admin: false,
                is_editor: false,
                email_confirmed: false,
            },
            &actor,
            now,
        )
        .await;
    match created {
        Ok(account_id) => {
            let secret = secrets::new_secret();
            app.store
                .accounts()
                .create_link(
                    account_id,
                    LinkPurpose::ConfirmEmail,
                    secrets::digest(&secret),
                    app.config.link(&paths::confirm_email(&secret)),
                    now + Duration::hours(CONFIRMATION_HOURS),
                    &Actor::account(account_id, actor.ip.clone()),
                    now,
                )
                .await?;
        }
        Err(StoreError::Conflict { field: "email", .. }) => {}
        Err(error) => return Err(AppError::from(error).into()),
    }
    render_status(
        StatusCode::OK,
        &NoticePage::new(
            "Controlla la tua posta",
            "Se l'indirizzo può essere registrato, ti abbiamo inviato un messaggio con un collegamento per confermarlo: vale 24 ore. Dopo la conferma potrai accedere.",
            None,
        ),
    )
}

#[derive(Template)]
#[template(path = "accounts/confirm_email.html")]
struct ConfirmPage {
    layout: Layout,
    csrf: String,
    action: String,
}

/// The confirmation link opens a page with a button: mail scanners that follow links do not
/// use up the link.
pub async fn show_confirm_email(
    token: FormToken,
    PagePath(secret): PagePath,
) -> PageResult<Response> {
    let page = ConfirmPage {
        layout: Layout::new("Conferma l'indirizzo email", Section::Workspace),
        csrf: token.value.clone(),
        action: paths::confirm_email(&secret),
    };
    Ok(token.attach(render_status(StatusCode::OK, &page)?))
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn confirm_email(
    State(app): State<AppState>,
    ClientAddress(ip): ClientAddress,
    PagePath(secret): PagePath,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult<Response> {
    let now = Utc::now();
    let Some(account_id) = app
        .store
        .accounts()
        .consume_link(&secrets::digest(&secret), LinkPurpose::ConfirmEmail, now)
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
    app.store
        .accounts()
        .confirm_email(account_id, &Actor::account(account_id, ip), now)
        .await?;
    render_status(
        StatusCode::OK,
        &NoticePage::new(
            "Indirizzo confermato",
            "Grazie: il tuo indirizzo email è confermato e puoi accedere.",
            Some((paths::SIGN_IN, "Accedi")),
        ),
    )
}
