use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use chrono::Utc;
use indicatif::{ProgressBar, ProgressStyle};
use riusa_domain::DomainError;
use riusa_formats::{
    Limits, LineRecord, RecordError, read_municipalities, read_organizations, read_practices,
};
use riusa_store::{Store, UpsertOutcome};
use riusa_web::messages;

use crate::bundled;
use crate::config::{OrganizationFiles, PracticeImport};

fn read_or_bundled(
    path: Option<&Path>,
    bundled: &'static [u8],
) -> anyhow::Result<std::borrow::Cow<'static, [u8]>> {
    match path {
        Some(path) => Ok(std::fs::read(path)
            .with_context(|| format!("impossibile leggere {}", path.display()))?
            .into()),
        None => Ok(bundled.into()),
    }
}

/// Loads the IPA administrations and the ISTAT comuni; running it again updates, never duplicates.
pub async fn organizations(store: &Store, files: &OrganizationFiles) -> anyhow::Result<()> {
    let istat = read_or_bundled(files.istat.as_deref(), bundled::ISTAT)?;
    let population = read_or_bundled(files.population.as_deref(), bundled::POPULATION)?;
    let ipa = read_or_bundled(files.ipa.as_deref(), bundled::IPA)?;
    let file_name = |path: Option<&Path>, default: &str| {
        path.map_or_else(|| default.to_owned(), |p| p.display().to_string())
    };
    let municipalities = read_municipalities(&istat, &population).map_err(|e| {
        anyhow::anyhow!(
            "{}: {e}",
            file_name(files.istat.as_deref(), "elenco comuni ISTAT incluso")
        )
    })?;
    let organizations = read_organizations(&ipa, &municipalities).map_err(|e| {
        anyhow::anyhow!(
            "{}: {e}",
            file_name(files.ipa.as_deref(), "elenco enti IPA incluso")
        )
    })?;
    let spinner = ProgressBar::new_spinner().with_message(format!(
        "Carico {} comuni e {} enti…",
        municipalities.len(),
        organizations.len()
    ));
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let comuni = store
        .organizations()
        .upsert_municipalities(&municipalities)
        .await?;
    let enti = store
        .organizations()
        .upsert_organizations(&organizations, Utc::now())
        .await?;
    spinner.finish_and_clear();
    println!(
        "Comuni: {} nuovi, {} aggiornati, {} invariati.",
        comuni.inserted, comuni.updated, comuni.unchanged
    );
    println!(
        "Enti: {} nuovi, {} aggiornati, {} invariati.",
        enti.inserted, enti.updated, enti.unchanged
    );
    Ok(())
}

/// One line per problem, `file:line: field: reason`, as editors and CI logs expect.
fn report(source: &str, errors: &[RecordError]) {
    for error in errors {
        let place = if error.line == 0 {
            source.to_owned()
        } else {
            format!("{source}:{}", error.line)
        };
        match &error.field {
            Some(field) => eprintln!(
                "{place}: {field}: {}",
                messages::import_problem(&error.problem)
            ),
            None => eprintln!("{place}: {}", messages::import_problem(&error.problem)),
        }
    }
}

/// Checks that each record's themes, administrations and places exist.
async fn check_references(
    store: &Store,
    records: &[LineRecord],
) -> anyhow::Result<Vec<RecordError>> {
    let known = store.catalog().known_references().await?;
    let mut errors = Vec::new();
    for LineRecord { line, record } in records {
        if let Err(DomainError::Invalid(violations)) = record.check_references(&known) {
            errors.extend(violations.into_iter().map(|v| RecordError {
                line: *line,
                field: Some(v.field),
                problem: riusa_formats::Problem::Invalid(v.violation),
            }));
        }
    }
    Ok(errors)
}

pub async fn practices(store: &Store, args: &PracticeImport) -> anyhow::Result<ExitCode> {
    let source = args.file.display().to_string();
    let limits = Limits {
        max_file_bytes: args.max_file_bytes,
        ..Limits::default()
    };
    let size = std::fs::metadata(&args.file)
        .with_context(|| format!("impossibile leggere {source}"))?
        .len();
    if size > limits.max_file_bytes as u64 {
        let problem = riusa_formats::Problem::FileTooLarge {
            max: limits.max_file_bytes,
        };
        report(
            &source,
            &[RecordError {
                line: 0,
                field: None,
                problem,
            }],
        );
        return Ok(ExitCode::FAILURE);
    }
    let bytes =
        std::fs::read(&args.file).with_context(|| format!("impossibile leggere {source}"))?;
    let outcome = read_practices(&bytes, &limits);
    let mut errors = outcome.errors;
    errors.extend(check_references(store, &outcome.records).await?);
    errors.sort_by_key(|e| e.line);
    report(&source, &errors);

    let invalid_lines: std::collections::HashSet<usize> = errors.iter().map(|e| e.line).collect();
    if !errors.is_empty() && !args.partial {
        eprintln!(
            "{source}: nessuna pratica importata: {} righe con errori (usa --partial per importare comunque le righe valide).",
            invalid_lines.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    let records: Vec<_> = outcome
        .records
        .into_iter()
        .filter(|r| !invalid_lines.contains(&r.line))
        .map(|r| r.record)
        .collect();
    let outcomes = upsert_with_progress(store, &records, !args.no_progress).await?;
    print_outcomes(&outcomes);
    if errors.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "{source}: {} righe con errori non importate.",
            invalid_lines.len()
        );
        Ok(ExitCode::FAILURE)
    }
}

async fn upsert_with_progress(
    store: &Store,
    records: &[riusa_domain::catalog::PracticeRecord],
    progress: bool,
) -> anyhow::Result<Vec<UpsertOutcome>> {
    let bar = if progress && records.len() > 1 {
        let bar = ProgressBar::new(records.len() as u64);
        if let Ok(style) =
            ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta} alla fine)")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message("Importo le buone pratiche");
        bar
    } else {
        ProgressBar::hidden()
    };
    // All records in one transaction: either every one is written or none is.
    let outcomes = store
        .catalog()
        .upsert_practices_with_progress(records, Utc::now(), |done| bar.set_position(done as u64))
        .await?;
    bar.finish_and_clear();
    Ok(outcomes)
}

fn print_outcomes(outcomes: &[UpsertOutcome]) {
    let count = |f: fn(&UpsertOutcome) -> bool| outcomes.iter().filter(|o| f(o)).count();
    println!(
        "Buone pratiche: {} nuove, {} aggiornate, {} invariate.",
        count(|o| matches!(o, UpsertOutcome::Created(_))),
        count(|o| matches!(o, UpsertOutcome::Updated(_))),
        count(|o| matches!(o, UpsertOutcome::Unchanged(_))),
    );
}

/// The registry, the taxonomy and the demo practices.
pub async fn demo(store: &Store) -> anyhow::Result<()> {
    organizations(
        store,
        &OrganizationFiles {
            ipa: None,
            istat: None,
            population: None,
        },
    )
    .await?;
    let outcome = read_practices(bundled::DEMO_PRACTICES, &Limits::default());
    if !outcome.errors.is_empty() {
        report("data/demo/practices.jsonl", &outcome.errors);
        anyhow::bail!("i contenuti dimostrativi inclusi non sono validi");
    }
    let records: Vec<_> = outcome.records.into_iter().map(|r| r.record).collect();
    let outcomes = upsert_with_progress(store, &records, false).await?;
    print_outcomes(&outcomes);
    Ok(())
}
