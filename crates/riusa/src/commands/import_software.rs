//! `riusa import software FILE|URL...`: publiccode.yml files become software records
//! (decision 0024). Each file gets one Italian line; a bad file does not stop the others.

use std::collections::HashSet;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use chrono::Utc;
use riusa_domain::organizations::normalize_ipa_code;
use riusa_formats::publiccode::{self, Options};
use riusa_store::{Actor, Store};
use uuid::Uuid;

use crate::config::SoftwareImport;

/// How long fetching one file may take: an import that hangs on a dead host helps nobody.
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// A publiccode.yml is a few kilobytes; anything far larger is not one.
const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

pub async fn run(store: &Store, args: &SoftwareImport) -> anyhow::Result<ExitCode> {
    let importer = match &args.organization {
        Some(code) => Some(
            store
                .organizations()
                .get_by_ipa(code)
                .await
                .with_context(|| format!("ente con codice iPA «{code}» non trovato"))?
                .id,
        ),
        None => None,
    };
    let ipa_codes: HashSet<String> = store
        .organizations()
        .known_codes()
        .await?
        .into_keys()
        .collect();
    let client = reqwest::Client::builder()
        .timeout(FETCH_TIMEOUT)
        .user_agent(concat!("riusa/", env!("CARGO_PKG_VERSION")))
        .build()
        .context("impossibile preparare il client HTTP")?;
    let mut all_imported = true;
    for source in &args.sources {
        match import_one(store, &client, &ipa_codes, importer, source).await {
            Ok(Imported::Active(name)) => println!("{source}: importato («{name}»)"),
            Ok(Imported::Inactive(errors)) => {
                all_imported = false;
                let noun = if errors == 1 { "errore" } else { "errori" };
                println!("{source}: non valido, conservato inattivo: {errors} {noun}");
            }
            Err(reason) => {
                all_imported = false;
                println!("{source}: {reason}");
            }
        }
    }
    Ok(if all_imported {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

pub enum Imported {
    Active(String),
    /// The number of errors found.
    Inactive(usize),
}

/// One file: read or fetched, validated, stored. The error is the Italian reason, without the
/// chain a backtrace would show.
async fn import_one(
    store: &Store,
    client: &reqwest::Client,
    ipa_codes: &HashSet<String>,
    importer: Option<Uuid>,
    source: &str,
) -> Result<Imported, String> {
    let bytes = read_source(client, source).await?;
    store_file(store, ipa_codes, importer, &bytes).await
}

/// Validates and stores one file's bytes: active when valid, inactive with its findings.
pub async fn store_file(
    store: &Store,
    ipa_codes: &HashSet<String>,
    importer: Option<Uuid>,
    bytes: &[u8],
) -> Result<Imported, String> {
    let ipa_code_exists = |code: &str| ipa_codes.contains(&normalize_ipa_code(code));
    let options = Options {
        ipa_code_exists: Some(&ipa_code_exists),
        // Relative screenshots and logos live in the repository, not beside a fetched file.
        file_exists: None,
    };
    let report = publiccode::validate(bytes, &options);
    let errors = report
        .findings
        .iter()
        .filter(|f| f.severity == publiccode::Severity::Error)
        .count();
    let Some(record) = publiccode::read_software(bytes, &report) else {
        return Err(format!(
            "non valido, non conservato: manca l'indirizzo del repository (url) o il file non è YAML leggibile ({errors} errori)"
        ));
    };
    store
        .software()
        .upsert(&record, importer, &Actor::operator(), Utc::now())
        .await
        .map_err(|e| format!("non conservato: {e}"))?;
    Ok(if record.is_valid() {
        Imported::Active(record.name)
    } else {
        Imported::Inactive(record.error_count())
    })
}

async fn read_source(client: &reqwest::Client, source: &str) -> Result<Vec<u8>, String> {
    let bytes = if source.starts_with("http://") || source.starts_with("https://") {
        let response = client
            .get(source)
            .send()
            .await
            .map_err(|e| format!("impossibile scaricare: {}", e.without_url()))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!(
                "impossibile scaricare: risposta HTTP {}",
                status.as_u16()
            ));
        }
        response
            .bytes()
            .await
            .map_err(|e| format!("impossibile scaricare: {}", e.without_url()))?
            .to_vec()
    } else {
        std::fs::read(source).map_err(|e| format!("impossibile leggere: {e}"))?
    };
    if bytes.len() > MAX_FILE_BYTES {
        return Err(format!(
            "file troppo grande ({} byte, al massimo {MAX_FILE_BYTES})",
            bytes.len()
        ));
    }
    Ok(bytes)
}

/// The demo software, owned by the administrations their files name.
pub async fn demo(store: &Store) -> anyhow::Result<()> {
    let ipa_codes: HashSet<String> = store
        .organizations()
        .known_codes()
        .await?
        .into_keys()
        .collect();
    let mut active = 0;
    for (path, bytes) in crate::bundled::DEMO_SOFTWARE {
        match store_file(store, &ipa_codes, None, bytes).await {
            Ok(Imported::Active(_)) => active += 1,
            Ok(Imported::Inactive(errors)) => {
                anyhow::bail!(
                    "{path}: il software dimostrativo incluso non è valido ({errors} errori)"
                )
            }
            Err(reason) => anyhow::bail!("{path}: {reason}"),
        }
    }
    println!("Software: {active} schede dimostrative.");
    Ok(())
}
