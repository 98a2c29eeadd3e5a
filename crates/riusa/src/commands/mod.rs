mod export;
mod import;
mod reindex;
mod serve;

use std::process::ExitCode;

use anyhow::Context;
use chrono::Utc;
use riusa_store::{NewTheme, Store};

use crate::bundled;
use crate::config::{Command, Config, ExportCommand, ImportCommand};

pub async fn run(command: Command, config: Config) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve(args) => serve::run(config, args).await.map(|()| ExitCode::SUCCESS),
        Command::Migrate => {
            let store = open_store(&config).await?;
            println!(
                "Database aggiornato ({}).",
                crate::config::redact_url(&config.database_url())
            );
            store.close().await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Import(ImportCommand::Organizations(files)) => {
            import::organizations(&open_store(&config).await?, &files)
                .await
                .map(|()| ExitCode::SUCCESS)
        }
        Command::Import(ImportCommand::Practices(args)) => {
            import::practices(&open_store(&config).await?, &args).await
        }
        Command::Import(ImportCommand::Demo) => import::demo(&open_store(&config).await?)
            .await
            .map(|()| ExitCode::SUCCESS),
        Command::Export(ExportCommand::Practices(args)) => {
            export::practices(&open_store(&config).await?, &args)
                .await
                .map(|()| ExitCode::SUCCESS)
        }
        Command::Reindex => reindex::run(&config, &open_store(&config).await?)
            .await
            .map(|()| ExitCode::SUCCESS),
    }
}

/// Connects, applies pending migrations and adds missing themes of the bundled taxonomy.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
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
