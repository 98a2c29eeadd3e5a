//! `riusa validate publiccode FILE`: the reference parser's report, in Italian.

use std::collections::HashSet;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use riusa_domain::organizations::normalize_ipa_code;
use riusa_formats::publiccode::{self, Finding, Options, RemoteCheck, RemoteKind, Report};
use riusa_formats::{read_municipalities, read_organizations};
use riusa_store::Store;

use crate::bundled;
use crate::config::{Config, PubliccodeValidation};

/// How long one network check may take: a validator that hangs on a dead host helps nobody.
const NETWORK_TIMEOUT: Duration = Duration::from_secs(10);

pub async fn publiccode(config: &Config, args: &PubliccodeValidation) -> anyhow::Result<ExitCode> {
    let source = std::fs::read(&args.file)
        .with_context(|| format!("impossibile leggere {}", args.file.display()))?;
    let ipa_codes = ipa_codes(config).await?;
    let folder = args
        .file
        .parent()
        .map_or_else(|| Path::new(".").to_path_buf(), Path::to_path_buf);
    let ipa_code_exists = |code: &str| ipa_codes.contains(&normalize_ipa_code(code));
    let file_exists = |relative: &str| folder.join(relative).is_file();
    let options = Options {
        ipa_code_exists: Some(&ipa_code_exists),
        file_exists: Some(&file_exists),
    };
    let mut report = publiccode::validate(&source, &options);
    if args.network {
        let failures = remote_failures(&report.remote_checks).await?;
        report.findings.extend(failures);
        report.findings.sort_by_key(|f| (f.line, f.column));
    }

    if args.json {
        println!("{}", serde_json::to_string_pretty(&report.findings)?);
    } else {
        let name = args.file.display();
        for finding in &report.findings {
            println!("{name}:{finding}");
        }
        if report.is_valid() {
            println!("{name}: valido.");
        }
    }
    Ok(if report.is_valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The iPA codes of the configured database when there is one (it may hold a newer registry
/// than the binary's), else those of the bundled registry; validating never creates a
/// database nor migrates one (decision 0023).
async fn ipa_codes(config: &Config) -> anyhow::Result<HashSet<String>> {
    let url = config.database_url();
    let sqlite_file = url
        .strip_prefix("sqlite://")
        .map(|path| Path::new(path.split('?').next().unwrap_or(path)).is_file());
    if sqlite_file != Some(false)
        && let Ok(store) = Store::connect(&url).await
    {
        let codes = store.organizations().known_codes().await;
        store.close().await?;
        if let Ok(codes) = codes.map(|c| c.into_keys().collect::<HashSet<_>>())
            && !codes.is_empty()
        {
            return Ok(codes);
        }
    }
    let municipalities = read_municipalities(bundled::ISTAT, bundled::POPULATION)
        .context("elenco comuni ISTAT incluso")?;
    let organizations =
        read_organizations(bundled::IPA, &municipalities).context("elenco enti IPA incluso")?;
    Ok(organizations.into_iter().map(|o| o.ipa_code).collect())
}

/// Runs the checks that need the network, one after the other; each failure is an error.
async fn remote_failures(checks: &[RemoteCheck]) -> anyhow::Result<Vec<Finding>> {
    let client = reqwest::Client::builder()
        .timeout(NETWORK_TIMEOUT)
        .user_agent(concat!("riusa/", env!("CARGO_PKG_VERSION")))
        .build()
        .context("impossibile preparare il client HTTP")?;
    let mut failures = Vec::new();
    for check in checks {
        if let Err(reason) = remote_check(&client, check).await {
            failures.push(Report::remote_failure(check, &reason));
        }
    }
    Ok(failures)
}

async fn remote_check(client: &reqwest::Client, check: &RemoteCheck) -> Result<(), String> {
    let response = client
        .get(&check.url)
        .send()
        .await
        .map_err(|e| e.without_url().to_string())?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("risposta HTTP {}", status.as_u16()));
    }
    if check.kind == RemoteKind::Logo {
        let kind = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let image = ["image/svg+xml", "image/png"]
            .iter()
            .any(|allowed| kind.starts_with(allowed));
        if !image {
            return Err(format!("tipo «{kind}», ammessi SVG e PNG"));
        }
    }
    Ok(())
}
