//! One configuration, from (lowest to highest priority) defaults, a TOML file, `RIUSA_*`
//! environment variables and command-line flags.

use std::fmt;
use std::io::IsTerminal;
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
    /// Cartella dei dati: database SQLite predefinito e indice di ricerca [variabile: RIUSA_DATA_DIR]
    #[arg(long = "data", global = true, value_name = "CARTELLA")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    /// Database: sqlite://FILE oppure postgres://… (predefinito: SQLite nella cartella dei dati) [variabile: RIUSA_DATABASE_URL]
    #[arg(long, global = true, value_name = "URL")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    /// File di configurazione TOML con le stesse chiavi (data_dir, database_url, listen, …)
    /// [variabile: RIUSA_CONFIG]
    #[arg(long, global = true, env = "RIUSA_CONFIG", value_name = "FILE")]
    #[serde(skip)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Avvia il sito e l'API (applica prima le migrazioni del database)
    Serve(ServeArgs),
    /// Controlla un file secondo il suo standard, senza toccare il database
    #[command(subcommand)]
    Validate(ValidateCommand),
    #[command(flatten)]
    Offline(OfflineCommand),
}

#[derive(Debug, Subcommand)]
pub enum ValidateCommand {
    /// Controlla un publiccode.yml come il validatore di riferimento (publiccode-parser-go):
    /// esce con 1 se ci sono errori, con 0 se ci sono solo avvisi o nulla
    Publiccode(PubliccodeValidation),
}

#[derive(Debug, Args)]
pub struct PubliccodeValidation {
    /// Il file publiccode.yml da controllare
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Scrive i risultati come elenco JSON di {type, key, description, line, column}
    #[arg(long)]
    pub json: bool,
    /// Controlla anche ciò che richiede la rete: indirizzi raggiungibili, logo remoto
    #[arg(long)]
    pub network: bool,
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
    /// Gestisce gli account delle persone (crea, elenca, token, disattiva)
    #[command(subcommand)]
    Accounts(AccountsCommand),
    /// Operazioni dell'operatore sulle buone pratiche
    #[command(subcommand)]
    Practices(PracticesCommand),
}

#[derive(Debug, Args, Serialize)]
pub struct ServeArgs {
    /// Indirizzo su cui ascoltare, per esempio 127.0.0.1:8080 [variabile: RIUSA_LISTEN]
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
    /// Importa schede software da file publiccode.yml (percorsi o indirizzi http/https): un
    /// file valido diventa pubblico, uno non valido è conservato inattivo con i suoi errori;
    /// reimportare lo stesso `url` aggiorna la scheda. Esce con 1 se un file non è valido
    Software(SoftwareImport),
}

#[derive(Debug, Args)]
pub struct SoftwareImport {
    /// I file publiccode.yml: percorsi o indirizzi http/https
    #[arg(value_name = "FILE|URL", required = true)]
    pub sources: Vec<String>,
    /// Codice iPA dell'ente che importa: diventa titolare delle schede che non ne indicano
    /// uno noto in `organisation.uri`
    #[arg(long, value_name = "CODICE_IPA")]
    pub organization: Option<String>,
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

#[derive(Debug, Subcommand)]
pub enum AccountsCommand {
    /// Crea un account già confermato; se l'email esiste ne aggiorna ruoli ed ente
    Add(AccountAdd),
    /// Elenca gli account con ruoli, enti e stato
    List,
    /// Crea un token personale per l'API e lo mostra una sola volta
    Token(AccountToken),
    /// Disattiva un account: non può più accedere, sessioni e token smettono di funzionare
    Disable(AccountEmail),
}

#[derive(Debug, Args)]
pub struct AccountAdd {
    /// Indirizzo email della persona
    #[arg(value_name = "EMAIL")]
    pub email: String,
    /// Nome e cognome, come li vedranno gli altri
    #[arg(long, value_name = "NOME")]
    pub name: String,
    /// Amministratore della piattaforma (gestisce gli account). Rilanciando il comando senza
    /// questa opzione il ruolo viene tolto
    #[arg(long)]
    pub admin: bool,
    /// Redazione: revisiona e pubblica le schede di tutti gli enti. Rilanciando il comando
    /// senza questa opzione il ruolo viene tolto
    #[arg(long)]
    pub editor: bool,
    /// Codice IPA dell'ente di cui la persona fa parte (per esempio c_h501)
    #[arg(long, value_name = "CODICE_IPA")]
    pub organization: Option<String>,
    /// Ruolo nell'ente: coordinator (referente: invita i colleghi e invia in revisione) o
    /// member (componente: scrive le bozze) [predefinito: member]
    #[arg(long, value_enum, value_name = "RUOLO", requires = "organization")]
    pub role: Option<RoleArg>,
    /// Legge la password da una riga dello standard input (senza, la persona la sceglie con
    /// «Password dimenticata»)
    #[arg(long)]
    pub password_stdin: bool,
}

/// A role in an administration, as the operator types it.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum RoleArg {
    /// Referente dell'ente
    Coordinator,
    /// Componente dell'ente
    Member,
}

#[derive(Debug, Args)]
pub struct AccountToken {
    /// Indirizzo email dell'account
    #[arg(value_name = "EMAIL")]
    pub email: String,
    /// A che cosa serve il token (per esempio «gestionale del protocollo»)
    #[arg(long, value_name = "TESTO")]
    pub label: String,
}

#[derive(Debug, Args)]
pub struct AccountEmail {
    /// Indirizzo email dell'account
    #[arg(value_name = "EMAIL")]
    pub email: String,
}

#[derive(Debug, Subcommand)]
pub enum PracticesCommand {
    /// Elimina una bozza mai pubblicata (una scheda pubblicata almeno una volta si archivia)
    Purge(PracticeSlug),
}

#[derive(Debug, Args)]
pub struct PracticeSlug {
    /// Lo slug della scheda, come nel suo indirizzo /pratiche/SLUG
    #[arg(value_name = "SLUG")]
    pub slug: String,
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
    /// Where people reach the site: links in emails; cookies are `Secure` when it is https.
    pub public_url: String,
    pub session_idle_minutes: u64,
    pub session_max_hours: u64,
    /// The header a trusted reverse proxy writes the client address to.
    pub client_ip_header: Option<String>,
    /// `smtp://…` or `smtps://user:password@host`; without it emails go to `data_dir/posta/`.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// How often each node looks for emails to send.
    pub mail_interval_ms: u64,
    /// The largest attachment, in MiB.
    pub upload_limit_mb: u64,
    /// A log line for every request (off: only failures are logged).
    pub access_log: bool,
    /// `s3://bucket/prefix` for attachments (credentials from `AWS_*`); without it they go to
    /// `data_dir/allegati/`.
    pub storage_url: Option<String>,
    /// An S3-compatible server's address (MinIO, Ceph, a provider's own), for `storage_url`.
    pub storage_endpoint: Option<String>,
    /// OpenID Connect providers people may sign in with: `[[oidc_providers]]` tables in the
    /// TOML file (not from the environment: a list of tables does not fit a variable).
    pub oidc_providers: Vec<OidcProviderConfig>,
    /// The administration that runs the hub, named in every page's header.
    pub hub_owner_name: String,
    /// Its own site, linked from its name.
    pub hub_owner_url: Option<String>,
    /// Where people write about the hub (the Contatti and accessibility pages).
    pub contact_email: Option<String>,
    /// Postal address, PEC, telephone, as they should read on the Contatti page.
    pub contact_details: Option<String>,
    /// The accessibility statement published on AgID's form; without it, riusa's own page.
    pub accessibility_statement_url: Option<String>,
    /// A Markdown file with the privacy notice; without it, riusa's text on what it stores.
    pub privacy_file: Option<PathBuf>,
    /// A Markdown file with the legal notes; without it, riusa's default text.
    pub legal_notes_file: Option<PathBuf>,
}

/// One OpenID Connect provider (SPID and CIE reach riusa through such a broker).
#[derive(Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OidcProviderConfig {
    /// In the addresses (`/accedi/oidc/ID`) and in the links to accounts: never change it.
    pub id: String,
    /// The button's text, e.g. «Entra con SPID».
    pub label: String,
    pub issuer_url: String,
    pub client_id: String,
    pub client_secret: String,
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    #[serde(default = "default_email_claim")]
    pub email_claim: String,
    #[serde(default = "default_name_claim")]
    pub name_claim: String,
    /// Read only to know whether the provider sends it: never stored nor logged.
    #[serde(default)]
    pub fiscal_number_claim: Option<String>,
    /// Whether a first sign-in that matches no account creates one.
    #[serde(default = "default_true")]
    pub create_accounts: bool,
}

fn default_scopes() -> Vec<String> {
    ["openid", "email", "profile"].map(str::to_owned).to_vec()
}

fn default_email_claim() -> String {
    "email".to_owned()
}

fn default_name_claim() -> String {
    "name".to_owned()
}

fn default_true() -> bool {
    true
}

impl fmt::Debug for OidcProviderConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcProviderConfig")
            .field("id", &self.id)
            .field("label", &self.label)
            .field("issuer_url", &self.issuer_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .field("scopes", &self.scopes)
            .field("email_claim", &self.email_claim)
            .field("name_claim", &self.name_claim)
            .field("fiscal_number_claim", &self.fiscal_number_claim)
            .field("create_accounts", &self.create_accounts)
            .finish()
    }
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
            public_url: "http://127.0.0.1:8080/".to_owned(),
            session_idle_minutes: 120,
            session_max_hours: 12,
            client_ip_header: None,
            smtp_url: None,
            mail_from: "Riusa <riusa@localhost>".to_owned(),
            mail_interval_ms: 2000,
            oidc_providers: Vec::new(),
            upload_limit_mb: 20,
            access_log: false,
            storage_url: None,
            storage_endpoint: None,
            hub_owner_name: riusa_web::HubInfo::default().owner_name,
            hub_owner_url: None,
            contact_email: None,
            contact_details: None,
            accessibility_statement_url: None,
            privacy_file: None,
            legal_notes_file: None,
        }
    }
}

/// Passwords in database and mail server URLs never reach the logs.
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
            .field("public_url", &self.public_url)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("session_max_hours", &self.session_max_hours)
            .field("client_ip_header", &self.client_ip_header)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("mail_interval_ms", &self.mail_interval_ms)
            .field("oidc_providers", &self.oidc_providers)
            .field("upload_limit_mb", &self.upload_limit_mb)
            .field("access_log", &self.access_log)
            .field("storage_url", &self.storage_url.as_deref().map(redact_url))
            .field(
                "storage_endpoint",
                &self.storage_endpoint.as_deref().map(redact_url),
            )
            .field("hub_owner_name", &self.hub_owner_name)
            .field("hub_owner_url", &self.hub_owner_url)
            .field("contact_email", &self.contact_email)
            .field("contact_details", &self.contact_details)
            .field(
                "accessibility_statement_url",
                &self.accessibility_statement_url,
            )
            .field("privacy_file", &self.privacy_file)
            .field("legal_notes_file", &self.legal_notes_file)
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
            "public_url",
            "session_idle_minutes",
            "session_max_hours",
            "client_ip_header",
            "smtp_url",
            "mail_from",
            "mail_interval_ms",
            "upload_limit_mb",
            "access_log",
            "storage_url",
            "storage_endpoint",
            "hub_owner_name",
            "hub_owner_url",
            "contact_email",
            "contact_details",
            "accessibility_statement_url",
            "privacy_file",
            "legal_notes_file",
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

    /// Where attachments go without `storage_url`.
    pub fn attachments_dir(&self) -> PathBuf {
        self.data_dir.join("allegati")
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
    // Colour codes help a person at a terminal and garble a file or a journal.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
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
        let config = Config {
            smtp_url: Some("smtps://riusa:segreto@posta.example.it".into()),
            ..Config::default()
        };
        let debug = format!("{config:?}");
        assert!(!debug.contains("segreto"), "{debug}");
        assert!(
            debug.contains("smtps://riusa:***@posta.example.it"),
            "{debug}"
        );
    }

    #[test]
    fn web_and_mail_keys_come_from_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("riusa.toml");
        std::fs::write(
            &file,
            "public_url = \"https://riusa.example.it/\"\nsession_idle_minutes = 30\nsession_max_hours = 8\nclient_ip_header = \"x-forwarded-for\"\nsmtp_url = \"smtp://posta:25\"\nmail_from = \"Riusa <noreply@riusa.example.it>\"\nmail_interval_ms = 500\nupload_limit_mb = 5\nstorage_url = \"s3://riusa/allegati\"\nstorage_endpoint = \"http://minio:9000\"\n",
        )
        .unwrap();
        let defaults = Config::load(&Cli::parse_from(["riusa", "migrate"])).unwrap();
        assert_eq!(defaults.public_url, "http://127.0.0.1:8080/");
        assert_eq!(defaults.smtp_url, None);
        assert_eq!(defaults.mail_from, "Riusa <riusa@localhost>");
        let cli = Cli::parse_from(["riusa", "--config", file.to_str().unwrap(), "migrate"]);
        let config = Config::load(&cli).unwrap();
        assert_eq!(config.public_url, "https://riusa.example.it/");
        assert_eq!(
            (config.session_idle_minutes, config.session_max_hours),
            (30, 8)
        );
        assert_eq!(config.client_ip_header.as_deref(), Some("x-forwarded-for"));
        assert_eq!(config.smtp_url.as_deref(), Some("smtp://posta:25"));
        assert_eq!(config.mail_from, "Riusa <noreply@riusa.example.it>");
        assert_eq!(config.mail_interval_ms, 500);
        assert_eq!(defaults.upload_limit_mb, 20);
        assert_eq!(defaults.storage_url, None);
        assert_eq!(config.upload_limit_mb, 5);
        assert_eq!(config.storage_url.as_deref(), Some("s3://riusa/allegati"));
        assert_eq!(
            config.storage_endpoint.as_deref(),
            Some("http://minio:9000")
        );
    }

    #[test]
    fn oidc_providers_come_from_the_file_with_defaults_and_a_hidden_secret() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("riusa.toml");
        std::fs::write(
            &file,
            r#"
[[oidc_providers]]
id = "spid"
label = "Entra con SPID"
issuer_url = "https://broker.example.it/realms/pa"
client_id = "riusa"
client_secret = "segretissimo"
fiscal_number_claim = "fiscalNumber"
create_accounts = false

[[oidc_providers]]
id = "cie"
label = "Entra con CIE"
issuer_url = "https://broker.example.it/realms/cie"
client_id = "riusa"
client_secret = "altro"
scopes = ["openid", "email"]
email_claim = "mail"
"#,
        )
        .unwrap();
        let cli = Cli::parse_from(["riusa", "--config", file.to_str().unwrap(), "migrate"]);
        let config = Config::load(&cli).unwrap();
        let [spid, cie] = &config.oidc_providers[..] else {
            panic!("two providers: {:?}", config.oidc_providers)
        };
        assert_eq!(spid.scopes, ["openid", "email", "profile"]);
        assert_eq!(
            (spid.email_claim.as_str(), spid.name_claim.as_str()),
            ("email", "name")
        );
        assert_eq!(spid.fiscal_number_claim.as_deref(), Some("fiscalNumber"));
        assert!(!spid.create_accounts);
        assert_eq!(cie.email_claim, "mail");
        assert_eq!(cie.fiscal_number_claim, None);
        assert!(cie.create_accounts);
        let debug = format!("{config:?}");
        assert!(
            !debug.contains("segretissimo") && !debug.contains("altro"),
            "{debug}"
        );
        let defaults = Config::load(&Cli::parse_from(["riusa", "migrate"])).unwrap();
        assert!(defaults.oidc_providers.is_empty());
    }

    #[test]
    fn the_hub_and_its_texts_come_from_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("riusa.toml");
        std::fs::write(
            &file,
            r#"
hub_owner_name = "Regione Umbria"
hub_owner_url = "https://www.regione.umbria.it/"
contact_email = "riuso@regione.umbria.it"
contact_details = """
Via Mario Angeloni 61
06124 Perugia"""
accessibility_statement_url = "https://form.agid.gov.it/view/0123"
privacy_file = "/etc/riusa/privacy.md"
legal_notes_file = "/etc/riusa/note-legali.md"
"#,
        )
        .unwrap();
        let cli = Cli::parse_from(["riusa", "--config", file.to_str().unwrap(), "migrate"]);
        let config = Config::load(&cli).unwrap();
        assert_eq!(config.hub_owner_name, "Regione Umbria");
        assert_eq!(
            config.hub_owner_url.as_deref(),
            Some("https://www.regione.umbria.it/")
        );
        assert_eq!(
            config.contact_details.as_deref(),
            Some("Via Mario Angeloni 61\n06124 Perugia")
        );
        assert_eq!(
            config.privacy_file,
            Some(PathBuf::from("/etc/riusa/privacy.md"))
        );
        let defaults = Config::load(&Cli::parse_from(["riusa", "migrate"])).unwrap();
        assert_eq!(defaults.hub_owner_name, "Riusa, installazione dimostrativa");
        assert_eq!(defaults.accessibility_statement_url, None);
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
