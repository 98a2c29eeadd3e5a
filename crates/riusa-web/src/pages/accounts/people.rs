use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use riusa_domain::accounts::{OrgRole, normalize_email};
use riusa_store::{OrganizationView, RateKey, StoreError};
use serde::Deserialize;
use uuid::Uuid;

use crate::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{Require, SignedIn, rate, secrets};
use crate::error::{AppError, PageResult};
use crate::pages::{FormErrors, Layout, PageParams, PagePath, Section, UserNav, render_status};
use crate::{messages, paths};

/// An invitation is valid for a week.
const INVITATION_DAYS: i64 = 7;

pub struct MemberLine {
    pub name: String,
    pub email: String,
    pub role: &'static str,
    pub remove_href: Option<String>,
}

pub struct InvitationLine {
    pub email: String,
    pub role: &'static str,
    pub state: String,
}

#[derive(Template)]
#[template(path = "accounts/people.html")]
struct PeoplePage {
    layout: Layout,
    csrf: String,
    organization: String,
    invite_action: String,
    members: Vec<MemberLine>,
    invitations: Vec<InvitationLine>,
    /// Admins may invite coordinators; coordinators invite members.
    may_invite_coordinators: bool,
    email: String,
    notice: Option<&'static str>,
    errors: FormErrors,
}

#[derive(Deserialize)]
pub struct Outcome {
    esito: Option<String>,
}

/// The administration, if this person may manage its people (its coordinators, admins).
async fn managed(
    app: &AppState,
    user: &Require<SignedIn>,
    ipa: &str,
) -> Result<OrganizationView, AppError> {
    let organization = match app.store.organizations().get_by_ipa(ipa).await {
        Ok(view) => view,
        Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(error) => return Err(error.into()),
    };
    if user.principal().may_manage_members(organization.id) {
        Ok(organization)
    } else {
        Err(AppError::Forbidden)
    }
}

async fn render_people(
    app: &AppState,
    user: &Require<SignedIn>,
    organization: &OrganizationView,
    email: String,
    notice: Option<&'static str>,
    errors: FormErrors,
) -> PageResult<Response> {
    let now = Utc::now();
    let members = app
        .store
        .accounts()
        .members_of(organization.id, &user.actor, now)
        .await?;
    let invitations = app.store.accounts().invitations_of(organization.id).await?;
    let nav = UserNav::of(app, &user.identity).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else if errors.retry_after.is_some() {
        StatusCode::TOO_MANY_REQUESTS
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let people_href = paths::organization_people(&organization.ipa_code);
    let page = PeoplePage {
        csrf: nav.csrf.clone(),
        layout: Layout::new(
            format!(
                "Persone di {}",
                riusa_domain::names::display_name(&organization.name)
            ),
            Section::Workspace,
        )
        .with_user(Some(nav))
        .within(
            paths::organization(&organization.ipa_code),
            riusa_domain::names::display_name(&organization.name),
        ),
        organization: riusa_domain::names::display_name(&organization.name),
        invite_action: format!("{people_href}/invita"),
        members: members
            .into_iter()
            .map(|(account, role)| MemberLine {
                remove_href: (account.id != user.principal().account_id)
                    .then(|| format!("{people_href}/{}/rimuovi", account.id)),
                name: account.name,
                email: account.email,
                role: super::invitation::role_label(role),
            })
            .collect(),
        invitations: invitations
            .into_iter()
            .map(|i| InvitationLine {
                role: super::invitation::role_label(i.role),
                state: if i.accepted {
                    "accettato".to_owned()
                } else if i.revoked {
                    "annullato".to_owned()
                } else if i.expires_at <= now {
                    "scaduto".to_owned()
                } else {
                    format!(
                        "in attesa fino al {}",
                        messages::long_date(i.expires_at.date_naive())
                    )
                },
                email: i.email,
            })
            .collect(),
        may_invite_coordinators: user.principal().is_admin,
        email,
        notice,
        errors,
    };
    let mut response = render_status(status, &page)?;
    if let Some(after) = page.errors.retry_after.clone() {
        response
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, after);
    }
    Ok(response)
}

/// The members and invitations of an administration, with the invitation form (an audited
/// read of personal data).
pub async fn show_people(
    State(app): State<AppState>,
    user: Require<SignedIn>,
    PagePath(ipa): PagePath,
    Query(outcome): Query<Outcome>,
) -> PageResult<Response> {
    let organization = managed(&app, &user, &ipa).await?;
    let notice = match outcome.esito.as_deref() {
        Some("invitato") => Some("Invito inviato: vale 7 giorni."),
        Some("rimosso") => Some("La persona non fa più parte dell'ente su Riusa."),
        _ => None,
    };
    render_people(
        &app,
        &user,
        &organization,
        String::new(),
        notice,
        FormErrors::default(),
    )
    .await
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: Option<String>,
}

/// Emails a single-use invitation (limited per coordinator and per address).
pub async fn invite(
    State(app): State<AppState>,
    user: Require<SignedIn>,
    PagePath(ipa): PagePath,
    CsrfForm(form): CsrfForm<InviteForm>,
) -> PageResult<Response> {
    let organization = managed(&app, &user, &ipa).await?;
    let now = Utc::now();
    let role = match form.role.as_deref() {
        Some("coordinator") if user.principal().is_admin => OrgRole::Coordinator,
        _ => OrgRole::Member,
    };
    let email = normalize_email(&form.email);
    let Ok(email) = email else {
        let errors = FormErrors::message("L'invito non è stato inviato.").check("email", &email);
        return render_people(&app, &user, &organization, form.email, None, errors).await;
    };
    let address = user
        .actor
        .ip
        .clone()
        .unwrap_or_else(|| "sconosciuto".to_owned());
    for (limit, key) in [
        (
            rate::INVITATIONS_PER_ACCOUNT,
            RateKey::Actor(user.principal().account_id),
        ),
        (rate::INVITATIONS_PER_ADDRESS, RateKey::Address(&address)),
    ] {
        if let Err(error) = rate::check(&app, limit, key, now).await {
            return render_people(
                &app,
                &user,
                &organization,
                form.email,
                None,
                FormErrors::from_error(&error),
            )
            .await;
        }
    }
    let secret = secrets::new_secret();
    app.store
        .accounts()
        .create_invitation(
            email,
            organization.id,
            role,
            secrets::digest(&secret),
            app.config.link(&paths::invitation(&secret)),
            now + Duration::days(INVITATION_DAYS),
            &user.actor,
            now,
        )
        .await?;
    Ok(Redirect::to(&format!(
        "{}?esito=invitato",
        paths::organization_people(&organization.ipa_code)
    ))
    .into_response())
}

#[derive(Template)]
#[template(path = "accounts/confirm_removal.html")]
struct ConfirmRemovalPage {
    layout: Layout,
    csrf: String,
    name: String,
    organization: String,
    action: String,
    cancel: String,
}

/// Asks before removing a person from the administration.
pub async fn confirm_removal(
    State(app): State<AppState>,
    user: Require<SignedIn>,
    PageParams((ipa, account)): PageParams<(String, Uuid)>,
) -> PageResult<Response> {
    let organization = managed(&app, &user, &ipa).await?;
    let person = app.store.accounts().view(account).await?;
    if !person
        .memberships
        .iter()
        .any(|m| m.organization_id == organization.id)
    {
        return Err(AppError::NotFound.into());
    }
    let nav = UserNav::of(&app, &user.identity).await?;
    let people = paths::organization_people(&organization.ipa_code);
    render_status(
        StatusCode::OK,
        &ConfirmRemovalPage {
            csrf: nav.csrf.clone(),
            layout: Layout::new("Rimuovere questa persona?", Section::Workspace)
                .with_user(Some(nav)),
            name: person.name,
            organization: riusa_domain::names::display_name(&organization.name),
            action: format!("{people}/{account}/rimuovi"),
            cancel: people,
        },
    )
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn remove_member(
    State(app): State<AppState>,
    user: Require<SignedIn>,
    PageParams((ipa, account)): PageParams<(String, Uuid)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult<Response> {
    let organization = managed(&app, &user, &ipa).await?;
    if account == user.principal().account_id {
        return Err(AppError::Forbidden.into());
    }
    app.store
        .accounts()
        .set_membership(account, organization.id, None, &user.actor, Utc::now())
        .await?;
    Ok(Redirect::to(&format!(
        "{}?esito=rimosso",
        paths::organization_people(&organization.ipa_code)
    ))
    .into_response())
}
