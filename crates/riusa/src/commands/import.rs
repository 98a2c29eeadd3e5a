use std::collections::HashSet;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use chrono::Utc;
use indicatif::{ProgressBar, ProgressStyle};
use riusa_domain::DomainError;
use riusa_domain::catalog::{KnownReferences, PracticeRecord};
use riusa_formats::{
    Item, Limits, LineRecord, PracticeReader, RecordError, read_municipalities, read_organizations,
    read_practices,
};
use riusa_store::{Store, StoreError, UpsertCounts, UpsertOutcome};
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
    let (comuni, enti) = load_registry(store, files).await?;
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

/// Loads the bundled registry into a database with no administration yet, so that practices
/// naming them import at once; a database that has some keeps them (`riusa import
/// organizations` refreshes them from newer files).
pub async fn bundled_registry_if_empty(store: &Store) -> anyhow::Result<()> {
    if store.organizations().count().await? > 0 {
        return Ok(());
    }
    let bundled = OrganizationFiles {
        ipa: None,
        istat: None,
        population: None,
    };
    let (comuni, enti) = load_registry(store, &bundled)
        .await
        .context("caricamento del registro degli enti incluso non riuscito")?;
    tracing::info!(
        comuni = comuni.inserted,
        enti = enti.inserted,
        "bundled registry loaded"
    );
    Ok(())
}

async fn load_registry(
    store: &Store,
    files: &OrganizationFiles,
) -> anyhow::Result<(UpsertCounts, UpsertCounts)> {
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
    Ok((comuni, enti))
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

/// Records sent from the reading thread to the writing task at a time.
const WRITE_BATCH: usize = 1000;

/// Imports a practice file in two passes over it, so that memory never holds the file: the
/// first finds every problem and writes nothing; the second writes the valid records, batch by
/// batch, in one transaction.
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

    let known = store.catalog().known_references().await?;
    let path = args.file.clone();
    let (mut errors, valid) =
        tokio::task::spawn_blocking(move || check_file(&path, limits, &known)).await??;
    errors.sort_by_key(|e| e.line);
    report(&source, &errors);
    let invalid_lines: HashSet<usize> = errors.iter().map(|e| e.line).collect();
    if !errors.is_empty() && !args.partial {
        eprintln!(
            "{source}: nessuna pratica importata: {} righe con errori (usa --partial per importare comunque le righe valide).",
            invalid_lines.len()
        );
        return Ok(ExitCode::FAILURE);
    }

    let bar = progress_bar(valid, !args.no_progress);
    let written = write_file(store, &args.file, limits, invalid_lines.clone(), &bar).await?;
    bar.finish_and_clear();
    let counts = match written {
        Ok(counts) => counts,
        Err(SlugTaken { line, slug }) => {
            eprintln!("{source}:{line}: slug: {}", messages::slug_taken(&slug));
            eprintln!("{source}: nessuna pratica importata.");
            return Ok(ExitCode::FAILURE);
        }
    };
    counts.print();
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

fn open(path: &Path) -> anyhow::Result<BufReader<File>> {
    let file =
        File::open(path).with_context(|| format!("impossibile leggere {}", path.display()))?;
    Ok(BufReader::with_capacity(1 << 20, file))
}

/// The first pass: every problem of the file, the references to themes, administrations and
/// places included, and how many records are valid.
fn check_file(
    path: &Path,
    limits: Limits,
    known: &KnownReferences,
) -> anyhow::Result<(Vec<RecordError>, usize)> {
    let mut errors = Vec::new();
    let mut valid = 0;
    for item in PracticeReader::new(open(path)?, limits) {
        match item {
            Item::Refused(problems) => errors.extend(problems),
            Item::Record(LineRecord { line, record }) => match record.check_references(known) {
                Ok(()) => valid += 1,
                Err(DomainError::Invalid(violations)) => {
                    errors.extend(violations.into_iter().map(|v| RecordError {
                        line,
                        field: Some(v.field),
                        problem: riusa_formats::Problem::Invalid(v.violation),
                    }));
                }
                Err(other) => errors.push(RecordError {
                    line,
                    field: None,
                    problem: riusa_formats::Problem::Type {
                        message: other.to_string(),
                    },
                }),
            },
        }
    }
    Ok((errors, valid))
}

/// Records of the file on valid lines, with their lines.
#[derive(Default)]
struct Batch {
    lines: Vec<usize>,
    records: Vec<PracticeRecord>,
}

/// A record only the database can refuse: its slug belongs to a practice with another id.
struct SlugTaken {
    line: usize,
    slug: String,
}

/// The second pass: a thread reads the file again and hands over batches of the records on
/// valid lines while this task writes them; parsing and writing overlap.
async fn write_file(
    store: &Store,
    path: &Path,
    limits: Limits,
    invalid_lines: HashSet<usize>,
    bar: &ProgressBar,
) -> anyhow::Result<Result<ImportCounts, SlugTaken>> {
    let (sender, mut batches) = tokio::sync::mpsc::channel::<anyhow::Result<Batch>>(2);
    let path = path.to_owned();
    let reader = tokio::task::spawn_blocking(move || {
        let send = |batch| sender.blocking_send(batch).is_ok();
        let items = match open(&path) {
            Ok(source) => PracticeReader::new(source, limits),
            Err(e) => {
                send(Err(e));
                return;
            }
        };
        let mut batch = Batch::default();
        for item in items {
            match item {
                Item::Record(record) if invalid_lines.contains(&record.line) => {}
                Item::Record(LineRecord { line, record }) => {
                    batch.lines.push(line);
                    batch.records.push(record);
                }
                Item::Refused(problems)
                    if problems.iter().all(|p| invalid_lines.contains(&p.line)) => {}
                Item::Refused(_) => {
                    send(Err(anyhow::anyhow!(
                        "{}: il file è cambiato durante l'importazione; nessuna pratica importata.",
                        path.display()
                    )));
                    return;
                }
            }
            if batch.records.len() == WRITE_BATCH && !send(Ok(std::mem::take(&mut batch))) {
                return;
            }
        }
        if !batch.records.is_empty() {
            send(Ok(batch));
        }
    });

    let mut import = store.catalog().begin_import(Utc::now()).await?;
    let mut counts = ImportCounts::default();
    // On any early return the import is dropped uncommitted: nothing of the file is written.
    while let Some(batch) = batches.recv().await {
        let batch = batch?;
        match import.add(&batch.records).await {
            Ok(outcomes) => counts.add(&outcomes),
            Err(StoreError::Conflict { value, .. }) => {
                let line = batch
                    .records
                    .iter()
                    .position(|r| r.slug == value)
                    .map_or(0, |i| batch.lines[i]);
                return Ok(Err(SlugTaken { line, slug: value }));
            }
            Err(other) => return Err(other.into()),
        }
        bar.inc(batch.records.len() as u64);
    }
    reader.await?;
    import.commit().await?;
    Ok(Ok(counts))
}

fn progress_bar(total: usize, shown: bool) -> ProgressBar {
    if !shown || total < 2 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta} alla fine)")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message("Importo le buone pratiche");
    bar
}

#[derive(Debug, Default)]
struct ImportCounts {
    created: usize,
    updated: usize,
    unchanged: usize,
}

impl ImportCounts {
    fn add(&mut self, outcomes: &[UpsertOutcome]) {
        for outcome in outcomes {
            match outcome {
                UpsertOutcome::Created(_) => self.created += 1,
                UpsertOutcome::Updated(_) => self.updated += 1,
                UpsertOutcome::Unchanged(_) => self.unchanged += 1,
            }
        }
    }

    fn print(&self) {
        println!(
            "Buone pratiche: {} nuove, {} aggiornate, {} invariate.",
            self.created, self.updated, self.unchanged
        );
    }
}

/// The demo practices (the registry and the taxonomy they name come with `open_store`).
pub async fn demo(store: &Store) -> anyhow::Result<()> {
    let outcome = read_practices(bundled::DEMO_PRACTICES, &Limits::default());
    if !outcome.errors.is_empty() {
        report("data/demo/practices.jsonl", &outcome.errors);
        anyhow::bail!("i contenuti dimostrativi inclusi non sono validi");
    }
    let records: Vec<_> = outcome.records.into_iter().map(|r| r.record).collect();
    let mut counts = ImportCounts::default();
    counts.add(
        &store
            .catalog()
            .upsert_practices(&records, Utc::now())
            .await?,
    );
    counts.print();
    super::import_software::demo(store).await?;
    super::accounts::demo(store).await
}
