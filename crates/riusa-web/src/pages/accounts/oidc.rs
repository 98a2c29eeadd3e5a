//! Signing in with an OpenID Connect provider (SPID and CIE through a broker, or any other):
//! the redirect to the provider and the return from it.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use riusa_domain::accounts::{normalize_email, normalize_name};
use riusa_store::{Actor, AuditEntry, NewAccount};
use serde::Deserialize;
use uuid::Uuid;

use crate::AppState;
use crate::auth::oidc::{FLOW_COOKIE, FLOW_MAX_AGE_SECS, OidcError, ProviderIdentity, Return};
use crate::auth::{ClientAddress, Visitor, cookie, safe_return_path, set_cookie};
use crate::error::{AppError, PageResult};

/// Where the provider sends the browser back.
fn callback(app: &AppState, provider: &str) -> String {
    app.config.link(&format!("/accedi/oidc/{provider}/ritorno"))
}

#[derive(Deserialize)]
pub struct StartQuery {
    dopo: Option<String>,
}

/// Sends the browser to the provider, with state, nonce and PKCE challenge.
pub async fn start_oidc_sign_in(
    State(app): State<AppState>,
    Visitor(visitor): Visitor,
    Path(provider): Path<String>,
    Query(query): Query<StartQuery>,
) -> PageResult<Response> {
    let return_to = safe_return_path(query.dopo.as_deref());
    if visitor.is_some() {
        return Ok(Redirect::to(&return_to).into_response());
    }
    let (url, flow) = app
        .config
        .oidc
        .begin(
            &provider,
            &callback(&app, &provider),
            &return_to,
            &app.config.signing_key,
            Utc::now(),
        )
        .await?;
    let mut response = Redirect::to(&url).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&app, FLOW_COOKIE, &flow, FLOW_MAX_AGE_SECS),
    );
    Ok(response)
}

/// The provider's answer: verified, matched to an account (by identity, then by verified
/// email, else a new one) and turned into a session like a password sign-in. Every failure
/// after the provider is known is audited; none logs what the provider said about the person.
pub async fn finish_oidc_sign_in(
    State(app): State<AppState>,
    ClientAddress(ip): ClientAddress,
    Path(provider): Path<String>,
    headers: HeaderMap,
    Query(returned): Query<Return>,
) -> PageResult<Response> {
    let config = app
        .config
        .oidc
        .config(&provider)
        .cloned()
        .ok_or(OidcError::UnknownProvider)?;
    let now = Utc::now();
    let finished = app
        .config
        .oidc
        .finish(
            &provider,
            &callback(&app, &provider),
            cookie(&headers, FLOW_COOKIE),
            returned,
            &app.config.signing_key,
            now,
        )
        .await;
    let outcome = match finished {
        Ok((identity, return_to)) => account_for(&app, &config, &identity, ip.clone())
            .await
            .map(|account| (account, return_to)),
        Err(error) => Err(AppError::Oidc(error)),
    };
    let (account_id, return_to) = match outcome {
        Ok(found) => found,
        Err(error) => {
            tracing::warn!(provider = %provider, %error, "OpenID Connect sign-in refused");
            let failure = AuditEntry::new("session.sign_in_failed")
                .with("method", "oidc")
                .with("provider", provider.as_str())
                .with("reason", reason(&error));
            app.store
                .accounts()
                .record(&Actor::anonymous(ip), failure, now)
                .await?;
            return Err(error.into());
        }
    };
    let principal = app
        .store
        .accounts()
        .principal(account_id)
        .await?
        .ok_or(OidcError::Disabled)?;
    let to = if return_to == "/" {
        super::landing(&principal).to_owned()
    } else {
        return_to
    };
    let mut response = super::start_session(&app, account_id, "oidc", ip, &to).await?;
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(&app, FLOW_COOKIE, "", 0));
    Ok(response)
}

/// A stable code for the audit trail.
fn reason(error: &AppError) -> &'static str {
    match error {
        AppError::Oidc(error) => match error {
            OidcError::UnknownProvider => "unknown_provider",
            OidcError::Unreachable(_) => "unreachable",
            OidcError::BadState => "bad_state",
            OidcError::Denied(_) => "denied",
            OidcError::Exchange(_) => "exchange",
            OidcError::InvalidToken(_) => "invalid_token",
            OidcError::NoEmail => "no_email",
            OidcError::Disabled => "disabled",
            OidcError::EmailNotVerified => "email_not_verified",
            OidcError::NoAccount => "no_account",
        },
        _ => "error",
    }
}

/// The account this identity signs in to: linked before, or with the same verified email
/// (linked now), or new when the provider may create accounts.
async fn account_for(
    app: &AppState,
    config: &crate::auth::oidc::ProviderConfig,
    identity: &ProviderIdentity,
    ip: Option<String>,
) -> Result<Uuid, AppError> {
    let now = Utc::now();
    let accounts = app.store.accounts();
    if let Some(found) = accounts.oidc_account(&config.id, &identity.subject).await? {
        return if found.disabled {
            Err(OidcError::Disabled.into())
        } else {
            Ok(found.account_id)
        };
    }
    let email = identity
        .email
        .as_deref()
        .and_then(|e| normalize_email(e).ok())
        .ok_or(OidcError::NoEmail)?;
    if let Some(existing) = accounts.credentials(&email).await? {
        if existing.disabled {
            return Err(OidcError::Disabled.into());
        }
        // Only the provider's word that the address is this person's may open an account
        // somebody else created.
        if !identity.email_verified {
            return Err(OidcError::EmailNotVerified.into());
        }
        let actor = Actor::account(existing.account_id, ip);
        accounts
            .link_oidc(
                existing.account_id,
                &config.id,
                &identity.subject,
                &actor,
                now,
            )
            .await?;
        return Ok(existing.account_id);
    }
    if !config.create_accounts {
        return Err(OidcError::NoAccount.into());
    }
    let name = identity
        .name
        .as_deref()
        .and_then(|n| normalize_name(n).ok())
        .unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_owned());
    let new = NewAccount {
        email,
        name,
        password_hash: None,
        is_admin: false,
        is_editor: false,
        email_confirmed: identity.email_verified,
    };
    Ok(accounts
        .create_with_oidc(
            new,
            &config.id,
            &identity.subject,
            &Actor::anonymous(ip),
            now,
        )
        .await?)
}
