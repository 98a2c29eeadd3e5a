use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use riusa_search::{Follower, SearchIndex};
use riusa_store::Store;
use riusa_web::auth::SigningKey;
use riusa_web::mail::{MailJob, MailTarget};
use riusa_web::{AppState, Files, HubInfo, WebConfig};
use tokio::sync::watch;

use crate::config::{Config, ServeArgs};

/// Listens before the search index is built or brought up to the change feed: a new node of a
/// large hub rebuilds for a minute or more, and meanwhile `/healthz` answers, `/readyz` and
/// searches answer 503, and practice pages render without their similar practices.
pub async fn run(config: Config, args: ServeArgs) -> anyhow::Result<()> {
    tracing::info!(?config, "starting");
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("impossibile ascoltare su {}", config.listen))?;
    let store = super::open_store(&config).await?;
    if args.demo {
        super::import::demo(&store)
            .await
            .context("caricamento dei contenuti dimostrativi non riuscito")?;
    }
    let index = SearchIndex::open(&config.index_dir()).with_context(|| {
        format!(
            "impossibile aprire l'indice in {}",
            config.index_dir().display()
        )
    })?;
    let index = Arc::new(index);
    let follower = Follower::new(store.clone(), Arc::clone(&index))
        .context("indice di ricerca illeggibile")?;
    let web = web_config(&config, &store).await?;
    #[cfg(feature = "bench")]
    let web = WebConfig {
        bench_routes: args.bench_routes,
        ..web
    };
    let state = AppState::new(store.clone(), index, web).with_files(files(&config)?);
    let mail = mail_job(&config, &store, &state)?;

    let (stop, stopped) = watch::channel(false);
    let following = tokio::spawn(follower.run(
        Duration::from_millis(config.follow_interval_ms),
        stopped.clone(),
    ));
    let mailing = tokio::spawn(mail.run(Duration::from_millis(config.mail_interval_ms), stopped));
    let app = riusa_web::router(state);
    println!(
        "Riusa è in ascolto su http://{}",
        listener.local_addr().unwrap_or(config.listen)
    );
    // The peer address is what `auth::client_ip` records and rate-limits when no trusted
    // proxy header is configured.
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("server interrotto");
    let _ = stop.send(true);
    let _ = following.await;
    let _ = mailing.await;
    store.close().await?;
    served?;
    // The operator's counterpart of «in ascolto»: the one line a clean stop writes. A closed
    // stdout (a pipe whose reader left) is no reason to fail a stop that went well.
    let _ = writeln!(std::io::stdout(), "Riusa si è fermato.");
    Ok(())
}

/// The web layer's part of the configuration, with the form-signing key every node shares.
#[allow(
    clippy::needless_update,
    reason = "`bench_routes` exists only with the `bench` feature"
)]
async fn web_config(config: &Config, store: &Store) -> anyhow::Result<WebConfig> {
    let public_url = url::Url::parse(&config.public_url)
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https") && url.has_host())
        .with_context(|| {
            format!(
                "public_url «{}» non è un indirizzo http:// o https://",
                config.public_url
            )
        })?;
    // A key per process would make a form served by one node fail on another: the first
    // node to start stores one, the others read it.
    let key_text = store
        .settings()
        .get_or_create("csrf_signing_key", || SigningKey::random().to_text())
        .await
        .context("impossibile leggere la chiave di firma dei moduli dal database")?;
    let signing_key = SigningKey::from_text(&key_text).context(
        "la chiave di firma dei moduli salvata nel database (csrf_signing_key) non è valida",
    )?;
    Ok(WebConfig {
        request_timeout: Duration::from_secs(config.request_timeout_secs),
        page_cache_bytes: config.page_cache_mb * 1024 * 1024,
        result_cache_bytes: config.search_cache_mb * 1024 * 1024,
        public_url,
        session_idle: minutes(config.session_idle_minutes, "session_idle_minutes")?,
        session_max: minutes(
            config.session_max_hours.saturating_mul(60),
            "session_max_hours",
        )?,
        signing_key,
        upload_limit_bytes: config
            .upload_limit_mb
            .checked_mul(1024 * 1024)
            .filter(|bytes| *bytes > 0)
            .with_context(|| {
                format!(
                    "upload_limit_mb: il valore {} non è valido",
                    config.upload_limit_mb
                )
            })?,
        client_ip_header: config
            .client_ip_header
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map(str::to_ascii_lowercase),
        oidc: oidc_providers(config)?,
        access_log: config.access_log,
        hub: hub_info(config)?,
        ..WebConfig::default()
    })
}

/// The administration running the hub and its texts, with the files read once at start.
fn hub_info(config: &Config) -> anyhow::Result<HubInfo> {
    let web_url = |key: &str, value: &Option<String>| -> anyhow::Result<Option<url::Url>> {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| {
                url::Url::parse(v)
                    .ok()
                    .filter(|url| matches!(url.scheme(), "http" | "https") && url.has_host())
                    .with_context(|| format!("{key}: «{v}» non è un indirizzo http:// o https://"))
            })
            .transpose()
    };
    let markdown =
        |key: &str, path: &Option<std::path::PathBuf>| -> anyhow::Result<Option<String>> {
            path.as_ref()
                .map(|path| {
                    std::fs::read_to_string(path)
                        .with_context(|| format!("{key}: impossibile leggere {}", path.display()))
                })
                .transpose()
        };
    let text = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let owner_name = config.hub_owner_name.trim();
    anyhow::ensure!(
        !owner_name.is_empty(),
        "hub_owner_name: serve il nome dell'amministrazione che gestisce il catalogo"
    );
    Ok(HubInfo {
        owner_name: owner_name.to_owned(),
        owner_url: web_url("hub_owner_url", &config.hub_owner_url)?,
        contact_email: text(&config.contact_email),
        contact_details: text(&config.contact_details),
        accessibility_statement_url: web_url(
            "accessibility_statement_url",
            &config.accessibility_statement_url,
        )?,
        privacy_markdown: markdown("privacy_file", &config.privacy_file)?,
        legal_notes_markdown: markdown("legal_notes_file", &config.legal_notes_file)?,
    })
}

/// The providers of the configuration, checked: their discovery happens at the first sign-in,
/// so that a provider that is down keeps neither riusa nor the other providers from starting.
fn oidc_providers(config: &Config) -> anyhow::Result<riusa_web::auth::oidc::Providers> {
    use riusa_web::auth::oidc::{ClaimNames, ProviderConfig, Providers};
    let mut providers = Vec::new();
    for p in &config.oidc_providers {
        anyhow::ensure!(
            !p.id.is_empty()
                && p.id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "oidc_providers: l'id «{}» deve contenere solo lettere minuscole, cifre e trattini",
            p.id
        );
        anyhow::ensure!(
            !config
                .oidc_providers
                .iter()
                .any(|o| o.id == p.id && !std::ptr::eq(o, p)),
            "oidc_providers: l'id «{}» compare più di una volta",
            p.id
        );
        anyhow::ensure!(
            !p.label.trim().is_empty(),
            "oidc_providers: il fornitore «{}» non ha un'etichetta (label)",
            p.id
        );
        url::Url::parse(&p.issuer_url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .with_context(|| {
                format!(
                    "oidc_providers: issuer_url «{}» del fornitore «{}» non è un indirizzo http:// o https://",
                    p.issuer_url, p.id
                )
            })?;
        providers.push(ProviderConfig {
            id: p.id.clone(),
            label: p.label.trim().to_owned(),
            issuer_url: p.issuer_url.clone(),
            client_id: p.client_id.clone(),
            client_secret: p.client_secret.clone(),
            scopes: p.scopes.clone(),
            claims: ClaimNames {
                email: p.email_claim.clone(),
                name: p.name_claim.clone(),
                fiscal_number: p.fiscal_number_claim.clone(),
            },
            create_accounts: p.create_accounts,
        });
    }
    Ok(Providers::new(providers))
}

/// Where attachments are kept: `storage_url`, or a folder of the data directory.
fn files(config: &Config) -> anyhow::Result<Files> {
    match &config.storage_url {
        Some(url) => Files::from_url(url, config.storage_endpoint.as_deref(), [])
            .with_context(|| {
                format!(
                    "storage_url «{}» non è utilizzabile (serve s3://bucket/prefisso; le credenziali vengono dalle variabili AWS_*)",
                    crate::config::redact_url(url)
                )
            }),
        None => Files::local(&config.attachments_dir()).with_context(|| {
            format!(
                "impossibile usare la cartella degli allegati {}",
                config.attachments_dir().display()
            )
        }),
    }
}

fn minutes(value: u64, key: &str) -> anyhow::Result<chrono::Duration> {
    i64::try_from(value)
        .ok()
        .filter(|m| *m > 0)
        .and_then(chrono::Duration::try_minutes)
        .with_context(|| format!("{key}: il valore {value} non è valido"))
}

/// Sends the queued emails: through `smtp_url`, or as `.eml` files in `data_dir/posta/`.
fn mail_job(config: &Config, store: &Store, state: &AppState) -> anyhow::Result<MailJob> {
    let target = match &config.smtp_url {
        Some(url) => MailTarget::Smtp(url.clone()),
        None => MailTarget::Folder(config.data_dir.join("posta")),
    };
    MailJob::new(
        store.clone(),
        Arc::clone(&state.config),
        &target,
        &config.mail_from,
    )
    .map_err(|error| match error {
        riusa_web::mail::MailError::From(reason) => {
            anyhow::anyhow!(
                "mail_from «{}» non è un mittente valido: {reason}",
                config.mail_from
            )
        }
        riusa_web::mail::MailError::Config(reason) => match &config.smtp_url {
            Some(url) => anyhow::anyhow!(
                "smtp_url «{}» non è utilizzabile: {reason}",
                crate::config::redact_url(url)
            ),
            None => anyhow::anyhow!(
                "impossibile creare la cartella della posta {}: {reason}",
                config.data_dir.join("posta").display()
            ),
        },
    })
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hub_texts_are_read_at_start_and_bad_values_named_by_their_key() {
        let dir = tempfile::tempdir().unwrap();
        let privacy = dir.path().join("privacy.md");
        std::fs::write(&privacy, "# Informativa della Regione").unwrap();
        let config = Config {
            hub_owner_name: "  Regione Umbria ".into(),
            contact_email: Some(" ".into()),
            privacy_file: Some(privacy),
            ..Config::default()
        };
        let hub = hub_info(&config).unwrap();
        assert_eq!(hub.owner_name, "Regione Umbria");
        assert_eq!(hub.contact_email, None, "blank is unset");
        assert_eq!(
            hub.privacy_markdown.as_deref(),
            Some("# Informativa della Regione")
        );
        assert_eq!(hub.legal_notes_markdown, None);

        let missing = Config {
            legal_notes_file: Some(dir.path().join("non-esiste.md")),
            ..Config::default()
        };
        let error = format!("{:#}", hub_info(&missing).unwrap_err());
        assert!(
            error.starts_with("legal_notes_file: impossibile leggere"),
            "{error}"
        );
        let not_web = Config {
            accessibility_statement_url: Some("form.agid.gov.it/view/1".into()),
            ..Config::default()
        };
        let error = format!("{:#}", hub_info(&not_web).unwrap_err());
        assert!(error.starts_with("accessibility_statement_url:"), "{error}");
    }
}
