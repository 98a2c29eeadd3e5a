mod accounts;
mod export;
mod import;
mod import_software;
mod practices;
mod reindex;
mod serve;
mod validate;

use std::process::ExitCode;

use anyhow::Context;
use chrono::Utc;
use riusa_domain::DomainError;
use riusa_store::{NewTheme, Store};
use riusa_web::messages;

use crate::bundled;
use crate::config::{
    AccountsCommand, Command, Config, ExportCommand, ImportCommand, OfflineCommand,
    PracticesCommand, ValidateCommand,
};

pub async fn run(command: Command, config: Config) -> anyhow::Result<ExitCode> {
    let command = match command {
        Command::Serve(args) => {
            return serve::run(config, args).await.map(|()| ExitCode::SUCCESS);
        }
        Command::Validate(ValidateCommand::Publiccode(args)) => {
            return validate::publiccode(&config, &args).await;
        }
        Command::Offline(command) => command,
    };
    let store = match &command {
        // It loads the registry itself, maybe from newer files: no need to load it twice.
        OfflineCommand::Import(ImportCommand::Organizations(_)) => connect_store(&config).await?,
        _ => open_store(&config).await?,
    };
    let outcome = match command {
        OfflineCommand::Migrate => {
            println!(
                "Database aggiornato ({}).",
                crate::config::redact_url(&config.database_url())
            );
            Ok(ExitCode::SUCCESS)
        }
        OfflineCommand::Import(ImportCommand::Organizations(files)) => {
            import::organizations(&store, &files)
                .await
                .map(|()| ExitCode::SUCCESS)
        }
        OfflineCommand::Import(ImportCommand::Practices(args)) => {
            import::practices(&store, &args).await
        }
        OfflineCommand::Import(ImportCommand::Software(args)) => {
            import_software::run(&store, &args).await
        }
        OfflineCommand::Import(ImportCommand::Demo) => {
            import::demo(&store).await.map(|()| ExitCode::SUCCESS)
        }
        OfflineCommand::Export(ExportCommand::Practices(args)) => export::practices(&store, &args)
            .await
            .map(|()| ExitCode::SUCCESS),
        OfflineCommand::Reindex => reindex::run(&config, &store)
            .await
            .map(|()| ExitCode::SUCCESS),
        OfflineCommand::Accounts(command) => match command {
            AccountsCommand::Add(args) => accounts::add(&store, &args).await,
            AccountsCommand::List => accounts::list(&store).await,
            AccountsCommand::Token(args) => accounts::token(&store, &args).await,
            AccountsCommand::Disable(args) => accounts::disable(&store, &args).await,
        }
        .map(|()| ExitCode::SUCCESS),
        OfflineCommand::Practices(PracticesCommand::Purge(args)) => {
            practices::purge(&store, &args.slug)
                .await
                .map(|()| ExitCode::SUCCESS)
        }
    };
    // Closing checkpoints SQLite's write-ahead log into the database file; a process that
    // just exits leaves the log behind, as large as everything a bulk import wrote.
    let closed = store.close().await;
    let code = outcome?;
    closed?;
    Ok(code)
}

/// One line for invalid input: `field: reason` for each field.
pub fn domain_error(error: DomainError) -> anyhow::Error {
    match error {
        DomainError::Invalid(fields) => anyhow::anyhow!(
            "{}",
            fields
                .iter()
                .map(|f| format!("{}: {}", f.field, messages::violation(&f.violation)))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        DomainError::Refused(refusal) => anyhow::anyhow!("{}", messages::refusal(&refusal)),
    }
}

/// Connects, applies pending migrations, adds missing themes of the bundled taxonomy and, to a
/// database with no administration, the bundled registry (IPA and ISTAT).
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let store = connect_store(config).await?;
    import::bundled_registry_if_empty(&store).await?;
    Ok(store)
}

/// Connects, applies pending migrations and adds missing themes of the bundled taxonomy.
async fn connect_store(config: &Config) -> anyhow::Result<Store> {
    let url = config.database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!(
                "impossibile creare la cartella dei dati {}",
                config.data_dir.display()
            )
        })?;
    }
    let store = Store::connect(&url).await.with_context(|| {
        format!(
            "impossibile aprire il database {}",
            crate::config::redact_url(&url)
        )
    })?;
    store
        .migrate()
        .await
        .context("migrazioni del database non riuscite")?;
    let themes: Vec<NewTheme> =
        serde_json::from_str(bundled::THEMES).context("data/themes.json non valido")?;
    store.catalog().ensure_themes(&themes, Utc::now()).await?;
    Ok(store)
}
