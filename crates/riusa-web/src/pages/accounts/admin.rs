//! The platform administrators' pages: the audit trail (search and CSV export, both
//! themselves audited: they read personal data) and the accounts with their roles.

use askama::Template;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, Utc};
use riusa_store::{AuditEntry, AuditFilter, AuditView, Store};
use serde::Deserialize;
use uuid::Uuid;

use crate::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{Admin, Require};
use crate::error::{AppError, PageResult};
use crate::pages::{Layout, PageParams, Pagination, Section, UserNav, render_status};
use crate::params::{PAGE_SIZE, QueryPairs};
use crate::{messages, paths};

/// Events per batch of a CSV export.
const EXPORT_BATCH: u64 = 1_000;

pub struct AuditLine {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub ip: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "accounts/audit.html")]
struct AuditPage {
    layout: Layout,
    action: String,
    ip: String,
    from: String,
    until: String,
    lines: Vec<AuditLine>,
    total: u64,
    export_href: String,
    pagination: Option<Pagination>,
}

/// Query-string pairs kept for the links of a page (pagination, export).
type Kept = Vec<(&'static str, String)>;

/// The filter of the page's query string; dates are days in UTC (`dal` included, `al` included).
fn filter(pairs: &QueryPairs) -> Result<(AuditFilter, Kept), AppError> {
    let date = |name: &'static str| -> Result<Option<NaiveDate>, AppError> {
        match pairs.single(name)? {
            None => Ok(None),
            Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| {
                    crate::params::bad(name, crate::params::ParamProblem::NotADate).into()
                }),
        }
    };
    let from = date("dal")?;
    let until = date("al")?;
    let action = pairs.single("azione")?.map(str::to_owned);
    let ip = pairs.single("indirizzo")?.map(str::to_owned);
    let mut kept = Vec::new();
    for (key, value) in [("azione", &action), ("indirizzo", &ip)] {
        if let Some(v) = value {
            kept.push((key, v.clone()));
        }
    }
    if let Some(d) = from {
        kept.push(("dal", d.to_string()));
    }
    if let Some(d) = until {
        kept.push(("al", d.to_string()));
    }
    Ok((
        AuditFilter {
            action,
            ip,
            from: from
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc()),
            until: until
                .and_then(|d| d.succ_opt())
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc()),
            ..AuditFilter::default()
        },
        kept,
    ))
}

fn line(event: AuditView) -> AuditLine {
    AuditLine {
        at: event.at.format("%Y-%m-%d %H:%M:%S").to_string(),
        actor: event.actor_name.unwrap_or_else(|| {
            event
                .actor_id
                .map_or_else(|| "operatore o anonimo".to_owned(), |id| id.to_string())
        }),
        action: event.action,
        entity: match (event.entity, event.entity_id) {
            (Some(kind), Some(id)) => format!("{kind} {id}"),
            _ => String::new(),
        },
        ip: event.ip.unwrap_or_default(),
        detail: event.detail,
    }
}

/// Who did what, when, from where: searchable by action, address and day.
pub async fn show_audit(
    State(app): State<AppState>,
    user: Require<Admin>,
    RawQuery(query): RawQuery,
) -> PageResult<Response> {
    let pairs = QueryPairs::parse(query.as_deref());
    let (audit_filter, kept) = filter(&pairs)?;
    let page = pairs.number("page", 1, 500)?.unwrap_or(1) as usize;
    let found = app
        .store
        .audit()
        .search(
            &audit_filter,
            ((page - 1) * PAGE_SIZE) as u64,
            PAGE_SIZE as u64,
        )
        .await?;
    app.store
        .accounts()
        .record(
            &user.actor,
            AuditEntry::new("audit.read").with("page", page),
            Utc::now(),
        )
        .await?;
    let nav = UserNav::of(&app, &user.identity).await?;
    let text = |key: &str| {
        kept.iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    render_status(
        StatusCode::OK,
        &AuditPage {
            layout: Layout::new("Registro delle attività", Section::Workspace).with_user(Some(nav)),
            action: text("azione"),
            ip: text("indirizzo"),
            from: text("dal"),
            until: text("al"),
            total: found.total,
            export_href: paths::with_query(&format!("{}.csv", paths::AUDIT), &kept, 1),
            pagination: Pagination::new(
                "Pagine del registro",
                found.total as usize,
                PAGE_SIZE,
                page,
                500,
                |n| paths::with_query(paths::AUDIT, &kept, n),
            ),
            lines: found.items.into_iter().map(line).collect(),
        },
    )
}

async fn export_batch(
    store: &Store,
    filter: &AuditFilter,
) -> Result<(Vec<u8>, Option<Uuid>), AppError> {
    let page = store.audit().search(filter, 0, EXPORT_BATCH).await?;
    let last = page.items.last().map(|e| e.id);
    let mut writer = csv::Writer::from_writer(Vec::new());
    for event in page.items {
        let line = line(event);
        writer
            .write_record([
                line.at,
                line.actor,
                line.action,
                line.entity,
                line.ip,
                line.detail,
            ])
            .map_err(|e| AppError::Internal(e.to_string()))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((bytes, last))
}

/// The same events as CSV, newest first, streamed batch by batch.
pub async fn export_audit(
    State(app): State<AppState>,
    user: Require<Admin>,
    RawQuery(query): RawQuery,
) -> PageResult<Response> {
    let pairs = QueryPairs::parse(query.as_deref());
    let (audit_filter, _) = filter(&pairs)?;
    app.store
        .accounts()
        .record(&user.actor, AuditEntry::new("audit.export"), Utc::now())
        .await?;
    let header_row = "data e ora (UTC),chi,azione,oggetto,indirizzo,dettagli\n";
    let store = app.store.clone();
    let batches = futures::stream::unfold(Some(audit_filter), move |state| {
        let store = store.clone();
        async move {
            let mut filter = state?;
            match export_batch(&store, &filter).await {
                Ok((bytes, Some(last))) => {
                    filter.before_id = Some(last);
                    Some((Ok::<_, std::io::Error>(bytes), Some(filter)))
                }
                Ok((_, None)) => None,
                Err(error) => {
                    tracing::error!(%error, "audit export stopped");
                    Some((Err(std::io::Error::other("export interrotto")), None))
                }
            }
        }
    });
    // Fused: the compression layer polls once more after the end, which `unfold` would
    // answer with a panic (and the browser with a reset connection).
    let body = futures::StreamExt::fuse(futures::StreamExt::chain(
        futures::stream::once(async move { Ok(header_row.as_bytes().to_vec()) }),
        batches,
    ));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"registro-riusa.csv\"",
            ),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        Body::from_stream(body),
    )
        .into_response())
}

pub struct AccountLine {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub organizations: String,
    pub is_admin: bool,
    pub is_editor: bool,
    pub state: &'static str,
    pub disabled: bool,
}

#[derive(Template)]
#[template(path = "accounts/accounts.html")]
struct AccountsPage {
    layout: Layout,
    csrf: String,
    q: String,
    lines: Vec<AccountLine>,
    total: u64,
    pagination: Option<Pagination>,
    notice: Option<&'static str>,
}

/// Accounts by email, with their roles (an audited read).
pub async fn list_accounts(
    State(app): State<AppState>,
    user: Require<Admin>,
    RawQuery(query): RawQuery,
) -> PageResult<Response> {
    let pairs = QueryPairs::parse(query.as_deref());
    let q = pairs.text("q", crate::params::QUERY_MAX_CHARS)?;
    let page = pairs.number("page", 1, 500)?.unwrap_or(1) as usize;
    let notice = match pairs.single("esito")? {
        Some("ruoli") => Some("Ruoli aggiornati."),
        Some("disattivato") => Some(
            "Account disattivato: le sue sessioni sono chiuse e i suoi token non funzionano più.",
        ),
        _ => None,
    };
    let found = app
        .store
        .accounts()
        .list(
            Some(&q),
            ((page - 1) * PAGE_SIZE) as u64,
            PAGE_SIZE as u64,
            &user.actor,
            Utc::now(),
        )
        .await?;
    let nav = UserNav::of(&app, &user.identity).await?;
    let kept: Vec<(&str, String)> = if q.is_empty() {
        Vec::new()
    } else {
        vec![("q", q.clone())]
    };
    render_status(
        StatusCode::OK,
        &AccountsPage {
            csrf: nav.csrf.clone(),
            layout: Layout::new("Account", Section::Workspace).with_user(Some(nav)),
            total: found.total,
            pagination: Pagination::new(
                "Pagine degli account",
                found.total as usize,
                PAGE_SIZE,
                page,
                500,
                |n| paths::with_query(paths::ACCOUNTS, &kept, n),
            ),
            lines: found
                .items
                .into_iter()
                .map(|a| AccountLine {
                    id: a.id,
                    organizations: a
                        .memberships
                        .iter()
                        .map(|m| {
                            format!(
                                "{} ({})",
                                riusa_domain::names::display_name(&m.organization_name),
                                super::invitation::role_label(m.role)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                    state: if a.disabled {
                        "disattivato"
                    } else if a.confirmed {
                        "attivo"
                    } else {
                        "email da confermare"
                    },
                    disabled: a.disabled,
                    name: a.name,
                    email: a.email,
                    is_admin: a.is_admin,
                    is_editor: a.is_editor,
                })
                .collect(),
            q,
            notice,
        },
    )
}

#[derive(Deserialize)]
pub struct RolesForm {
    #[serde(default)]
    admin: Option<String>,
    #[serde(default)]
    editor: Option<String>,
}

/// Sets the platform roles of an account (each change is an audit event).
pub async fn set_roles(
    State(app): State<AppState>,
    user: Require<Admin>,
    PageParams(id): PageParams<Uuid>,
    CsrfForm(form): CsrfForm<RolesForm>,
) -> PageResult<Response> {
    let admin = form.admin.is_some();
    // An administrator cannot lock the platform out by removing their own role.
    if id == user.principal().account_id && !admin {
        return Err(AppError::Rejected(messages::OWN_ADMIN_ROLE).into());
    }
    app.store
        .accounts()
        .set_platform_roles(id, admin, form.editor.is_some(), &user.actor, Utc::now())
        .await?;
    Ok(Redirect::to(&format!("{}?esito=ruoli", paths::ACCOUNTS)).into_response())
}

#[derive(Deserialize)]
pub struct DisableForm {
    #[serde(default)]
    conferma: Option<String>,
}

/// Disables an account; the form asks to tick a confirmation first.
pub async fn disable_account(
    State(app): State<AppState>,
    user: Require<Admin>,
    PageParams(id): PageParams<Uuid>,
    CsrfForm(form): CsrfForm<DisableForm>,
) -> PageResult<Response> {
    if form.conferma.is_none() {
        return Err(AppError::Rejected(messages::CONFIRM_DISABLE).into());
    }
    if id == user.principal().account_id {
        return Err(AppError::Rejected(messages::OWN_ADMIN_ROLE).into());
    }
    app.store
        .accounts()
        .disable(id, &user.actor, Utc::now())
        .await?;
    Ok(Redirect::to(&format!("{}?esito=disattivato", paths::ACCOUNTS)).into_response())
}
