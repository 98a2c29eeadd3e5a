//! The binary, run as operators run it: real processes, a real database (SQLite, or PostgreSQL
//! with `RIUSA_TEST_DATABASE_URL`), real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access_log;
mod cli;
mod import_software;
mod mail;
mod serve;
mod validate;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use riusa_store::testing::TestDatabase;

/// A valid publiccode.yml the software tests start from (and break on purpose).
pub const MEDUSA_PUBLICCODE: &str = r#"publiccodeYmlVersion: "0"
name: Medusa
url: "https://example.com/italia/medusa.git"
platforms:
  - web
developmentStatus: stable
softwareType: "standalone/web"
organisation:
  uri: "urn:x-italian-pa:c_h501"
description:
  it:
    shortDescription: Gestione delle pratiche edilizie
    longDescription: >
      Medusa raccoglie le pratiche edilizie dei cittadini e dei professionisti,
      ne segue l'istruttoria e pubblica lo stato di ogni pratica sul sito del comune.
    features:
      - Protocollo delle pratiche
legal:
  license: EUPL-1.2
maintenance:
  type: community
  contacts:
    - name: Francesca Rossi
localisation:
  localisationReady: true
  availableLanguages:
    - it
"#;

/// A fresh database and data folder for the binary.
pub struct Env {
    pub db: TestDatabase,
    pub dir: tempfile::TempDir,
}

impl Env {
    pub async fn new() -> Env {
        Env {
            db: TestDatabase::new().await,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn data(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn command(&self, data: &str) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_riusa"));
        command
            .arg("--data")
            .arg(self.data(data))
            .arg("--database-url")
            .arg(&self.db.url);
        command
            .env_remove("RIUSA_DATABASE_URL")
            .env_remove("RIUSA_DATA_DIR")
            .env("RIUSA_LOG", "warn");
        command
    }

    /// Runs `riusa ARGS` to completion.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command("dati").args(args).output().unwrap()
    }

    pub fn file(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.data(name);
        std::fs::write(&path, contents).unwrap();
        path
    }
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A running `riusa serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    /// Starts `riusa serve` with the given global options.
    pub fn start(mut command: Command) -> Server {
        command.arg("serve");
        Server::start_with(command)
    }

    /// Starts a command that already ends with `serve [options]`; on a free port unless the
    /// options say `--listen`.
    pub fn start_with(mut command: Command) -> Server {
        if !command.get_args().any(|arg| arg == "--listen") {
            command.args(["--listen", "127.0.0.1:0"]);
        }
        command.stdout(Stdio::piped()).stderr(Stdio::inherit());
        let mut child = command.spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("the server printed its address")
                .unwrap();
            if let Some(address) = line.split("in ascolto su ").nth(1) {
                break address.trim().to_owned();
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, base }
    }

    /// Waits until `/readyz` says the node's index has caught up (searches answer).
    pub async fn wait_ready(&self) {
        let ready = crate::wait_until(std::time::Duration::from_secs(30), || async {
            self.get("/readyz").await.0 == 200
        })
        .await;
        assert!(ready.is_some(), "{} never became ready", self.base);
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let response = reqwest::get(format!("{}{path}", self.base)).await.unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on at the moment (another process could take it before it is used;
/// the tests that need one bind it at once).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Polls `check` until it holds or `limit` passes; returns how long it took.
pub async fn wait_until<F: Future<Output = bool>>(
    limit: Duration,
    mut check: impl FnMut() -> F,
) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if check().await {
            return Some(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}
