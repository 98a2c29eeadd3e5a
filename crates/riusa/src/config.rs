//! One configuration, from (lowest to highest priority) defaults, a TOML file, `RIUSA_*`
//! environment variables and command-line flags.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Debug, Parser)]
#[command(
    name = "riusa",
    version,
    about = "Riusa: il catalogo delle buone pratiche della pubblica amministrazione",
    long_about = "Riusa raccoglie le buone pratiche delle pubbliche amministrazioni italiane e le rende facili da trovare e riusare.\n\nSenza altre indicazioni usa un database SQLite nella cartella dei dati (./riusa-data); con --database-url postgres://… usa PostgreSQL."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Serialize)]
pub struct GlobalArgs {
    /// Cartella dei dati: database SQLite predefinito e indice di ricerca [env: RIUSA_DATA_DIR]
    #[arg(long = "data", global = true, value_name = "CARTELLA")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    /// Database: sqlite://FILE oppure postgres://… (predefinito: SQLite nella cartella dei dati) [env: RIUSA_DATABASE_URL]
    #[arg(long, global = true, value_name = "URL")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    /// File di configurazione TOML con le stesse chiavi (data_dir, database_url, listen, …)
    #[arg(long, global = true, env = "RIUSA_CONFIG", value_name = "FILE")]
    #[serde(skip)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Avvia il sito e l'API (applica prima le migrazioni del database)
    Serve(ServeArgs),
    #[command(flatten)]
    Offline(OfflineCommand),
}

/// The commands that open the database, do one thing and close it.
#[derive(Debug, Subcommand)]
pub enum OfflineCommand {
    /// Applica le migrazioni del database e carica i temi mancanti
    Migrate,
    /// Importa dati nel catalogo
    #[command(subcommand)]
    Import(ImportCommand),
    /// Esporta dati dal catalogo
    #[command(subcommand)]
    Export(ExportCommand),
    /// Ricostruisce l'indice di ricerca dal database (a server fermo)
    Reindex,
}

#[derive(Debug, Args, Serialize)]
pub struct ServeArgs {
    /// Indirizzo su cui ascoltare, per esempio 127.0.0.1:8080 [env: RIUSA_LISTEN]
    #[arg(long, value_name = "INDIRIZZO:PORTA")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<SocketAddr>,
    /// Carica i contenuti dimostrativi (enti, temi, buone pratiche) prima di partire
    #[arg(long)]
    #[serde(skip)]
    pub demo: bool,
    /// Espone le rotte usate dai benchmark (/_bench/…); mai in produzione
    #[cfg(feature = "bench")]
    #[arg(long, hide = true)]
    #[serde(skip)]
    pub bench_routes: bool,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Carica gli enti dell'IPA e i comuni ISTAT (per aggiornare: rilanciare; nulla viene duplicato)
    Organizations(OrganizationFiles),
    /// Importa buone pratiche da un file JSON o JSON Lines (vedi docs/schemas/practice.schema.json)
    Practices(PracticeImport),
    /// Carica enti, temi e buone pratiche dimostrative
    Demo,
}

#[derive(Debug, Args)]
pub struct OrganizationFiles {
    /// File CSV degli enti IPA (predefinito: quello incluso, agosto 2024)
    #[arg(long, value_name = "FILE")]
    pub ipa: Option<PathBuf>,
    /// Elenco comuni ISTAT, CSV separato da ';' (predefinito: quello incluso, 2024)
    #[arg(long, value_name = "FILE")]
    pub istat: Option<PathBuf>,
    /// Popolazione dei comuni, JSON (predefinito: quello incluso, 2020)
    #[arg(long, value_name = "FILE")]
    pub population: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PracticeImport {
    /// Il file da importare
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// O tutte le pratiche del file o nessuna: se una riga è sbagliata non si importa niente (predefinito)
    #[arg(long, conflicts_with = "partial")]
    pub atomic: bool,
    /// Importa le righe valide anche se altre sono sbagliate
    #[arg(long)]
    pub partial: bool,
    /// Non mostrare la barra di avanzamento
    #[arg(long)]
    pub no_progress: bool,
    /// Dimensione massima del file in byte (predefinito 2 GiB)
    #[arg(long, value_name = "BYTE", default_value_t = riusa_formats::Limits::default().max_file_bytes)]
    pub max_file_bytes: usize,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Esporta le buone pratiche in JSON Lines (una per riga, ordinate per slug)
    Practices(PracticeExport),
}

#[derive(Debug, Args)]
pub struct PracticeExport {
    /// File di destinazione (predefinito: standard output)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Solo le pratiche in questo stato (draft, in_review, published, archived)
    #[arg(long, value_name = "STATO")]
    pub status: Option<String>,
}

#[derive(Clone, Deserialize, Serialize)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub listen: SocketAddr,
    /// `text` or `json` logs.
    pub log_format: String,
    pub request_timeout_secs: u64,
    /// How often each node reads the change feed into its search index.
    pub follow_interval_ms: u64,
    /// Memory for rendered practice pages, in MiB.
    pub page_cache_mb: u64,
    /// Memory for search results, in MiB (0 turns the cache off).
    pub search_cache_mb: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("riusa-data"),
            database_url: None,
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            log_format: "text".to_owned(),
            request_timeout_secs: 30,
            follow_interval_ms: 250,
            page_cache_mb: 32,
            search_cache_mb: 32,
        }
    }
}

/// Passwords in database URLs never reach the logs.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &self.database_url.as_deref().map(redact_url),
            )
            .field("listen", &self.listen)
            .field("log_format", &self.log_format)
            .field("request_timeout_secs", &self.request_timeout_secs)
            .field("follow_interval_ms", &self.follow_interval_ms)
            .field("page_cache_mb", &self.page_cache_mb)
            .field("search_cache_mb", &self.search_cache_mb)
            .finish()
    }
}

pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl Config {
    pub fn load(cli: &Cli) -> anyhow::Result<Config> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = &cli.global.config {
            anyhow::ensure!(
                path.exists(),
                "il file di configurazione {} non esiste",
                path.display()
            );
            figment = figment.merge(Toml::file(path));
        }
        figment = figment.merge(Env::prefixed("RIUSA_").only(&[
            "data_dir",
            "database_url",
            "listen",
            "log_format",
            "request_timeout_secs",
            "follow_interval_ms",
            "page_cache_mb",
            "search_cache_mb",
        ]));
        figment = figment.merge(Serialized::defaults(&cli.global));
        if let Command::Serve(serve) = &cli.command {
            figment = figment.merge(Serialized::defaults(serve));
        }
        figment.extract().context("valori non validi")
    }

    /// The configured URL, or a SQLite file in the data folder.
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("riusa.db").display()))
    }

    pub fn index_dir(&self) -> PathBuf {
        self.data_dir.join("index")
    }
}

pub fn init_logging(config: &Config, serving: bool) {
    let default = if serving {
        "info,sqlx=warn,sea_orm=warn,tantivy=warn"
    } else {
        "warn"
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("RIUSA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if config.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://riusa:segreto@db:5432/riusa"),
            "postgres://riusa:***@db:5432/riusa"
        );
        assert_eq!(
            redact_url("sqlite://dati/riusa.db"),
            "sqlite://dati/riusa.db"
        );
        let config = Config {
            database_url: Some("postgres://u:p@h/d".into()),
            ..Config::default()
        };
        assert!(!format!("{config:?}").contains(":p@"));
    }

    #[test]
    fn flags_override_defaults() {
        let cli = Cli::parse_from([
            "riusa",
            "--data",
            "/tmp/x",
            "serve",
            "--listen",
            "127.0.0.1:9999",
        ]);
        let config = Config::load(&cli).unwrap();
        assert_eq!(config.data_dir, PathBuf::from("/tmp/x"));
        assert_eq!(config.listen.port(), 9999);
        assert_eq!(config.database_url(), "sqlite:///tmp/x/riusa.db");
    }
}
