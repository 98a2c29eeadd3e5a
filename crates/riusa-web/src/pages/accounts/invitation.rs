use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use riusa_domain::accounts::{OrgRole, normalize_name};
use riusa_store::{Actor, InvitationView, NewAccount, StoreError};
use serde::Deserialize;

use super::register::NoticePage;
use crate::AppState;
use crate::auth::csrf::{CsrfForm, FormToken};
use crate::auth::{ClientAddress, Visitor, password, secrets, sign_in_href};
use crate::error::{AppError, PageResult};
use crate::pages::{FormErrors, Layout, PagePath, Section, render_status};
use crate::paths;

#[derive(Template)]
#[template(path = "accounts/invitation.html")]
struct InvitationPage {
    layout: Layout,
    csrf: String,
    action: String,
    organization: String,
    role: &'static str,
    email: String,
    /// The signed-in person who would accept, if any.
    signed_in_as: Option<String>,
    sign_in: String,
    name: String,
    errors: FormErrors,
}

pub(super) fn role_label(role: OrgRole) -> &'static str {
    match role {
        OrgRole::Coordinator => "referente",
        OrgRole::Member => "componente",
    }
}

async fn open_invitation(app: &AppState, secret: &str) -> Result<Option<InvitationView>, AppError> {
    match app
        .store
        .accounts()
        .invitation(&secrets::digest(secret))
        .await
    {
        Ok(invitation) if invitation.is_open(Utc::now()) => Ok(Some(invitation)),
        Ok(_) | Err(StoreError::NotFound) => Ok(None),
        Err(error) => Err(error.into()),
    }
}

fn invalid() -> PageResult<Response> {
    render_status(
        StatusCode::NOT_FOUND,
        &NoticePage::new(
            "Invito non valido",
            "L'invito è già stato accettato, è scaduto (vale 7 giorni) oppure il collegamento è incompleto. Chiedi al referente del tuo ente di invitarti di nuovo.",
            None,
        ),
    )
}

fn page(
    token: &FormToken,
    secret: &str,
    invitation: &InvitationView,
    signed_in_as: Option<String>,
    name: String,
    errors: FormErrors,
) -> InvitationPage {
    let action = paths::invitation(secret);
    InvitationPage {
        layout: Layout::new("Invito a collaborare", Section::Workspace),
        csrf: token.value.clone(),
        sign_in: sign_in_href(&action),
        action,
        organization: riusa_domain::names::display_name(&invitation.organization_name),
        role: role_label(invitation.role),
        email: invitation.email.clone(),
        signed_in_as,
        name,
        errors,
    }
}

/// What the invitation offers, and either "accept" (signed in) or a form to create the account.
pub async fn show_invitation(
    State(app): State<AppState>,
    Visitor(visitor): Visitor,
    token: FormToken,
    PagePath(secret): PagePath,
) -> PageResult<Response> {
    let Some(invitation) = open_invitation(&app, &secret).await? else {
        return invalid();
    };
    let page = page(
        &token,
        &secret,
        &invitation,
        visitor.map(|v| v.name),
        String::new(),
        FormErrors::default(),
    );
    Ok(token.attach(render_status(StatusCode::OK, &page)?))
}

#[derive(Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

/// Accepts for the signed-in person, or creates the invited person's account (its address is
/// confirmed: the link reached it) and signs them in.
pub async fn accept_invitation(
    State(app): State<AppState>,
    Visitor(visitor): Visitor,
    ClientAddress(ip): ClientAddress,
    token: FormToken,
    PagePath(secret): PagePath,
    CsrfForm(form): CsrfForm<AcceptForm>,
) -> PageResult<Response> {
    let Some(invitation) = open_invitation(&app, &secret).await? else {
        return invalid();
    };
    let now = Utc::now();
    let hash = secrets::digest(&secret);
    if let Some(identity) = visitor {
        let account_id = identity.principal.account_id;
        app.store
            .accounts()
            .accept_invitation(&hash, account_id, &Actor::account(account_id, ip), now)
            .await?;
        return Ok(Redirect::to(paths::MY_PRACTICES).into_response());
    }
    let name = normalize_name(&form.name);
    let mut errors = FormErrors::default().check("name", &name).new_password(
        &form.password,
        &form.password_again,
        &[invitation.email.as_str(), form.name.as_str()],
    );
    let Some(name) = name.ok().filter(|_| errors.is_empty()) else {
        errors.summary = Some("Alcuni campi non sono validi: correggili e invia di nuovo.".into());
        let page = page(&token, &secret, &invitation, None, form.name, errors);
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let password_hash = password::hash(form.password).await?;
    let actor = Actor::anonymous(ip.clone());
    let account_id = match app
        .store
        .accounts()
        .create(
            NewAccount {
                email: invitation.email.clone(),
                name,
                password_hash: Some(password_hash),
                is_admin: false,
                is_editor: false,
                email_confirmed: true,
            },
            &actor,
            now,
        )
        .await
    {
        Ok(id) => id,
        // The address already has an account: accepting means signing in with it first.
        Err(StoreError::Conflict { field: "email", .. }) => {
            return Ok(Redirect::to(&sign_in_href(&paths::invitation(&secret))).into_response());
        }
        Err(error) => return Err(AppError::from(error).into()),
    };
    app.store
        .accounts()
        .accept_invitation(
            &hash,
            account_id,
            &Actor::account(account_id, ip.clone()),
            now,
        )
        .await?;
    Ok(super::start_session(&app, account_id, "invitation", ip, paths::MY_PRACTICES).await?)
}
