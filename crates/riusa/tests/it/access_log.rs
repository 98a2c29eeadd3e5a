//! The access log: off by default (a line per request costs more than a cached page), on with
//! `access_log = true`, and never the path or query of a request either way.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

/// Starts `serve` with its log in a file, asks for a search page, stops it, returns the log.
async fn log_of_one_search(dir: &Path, access_log: Option<&str>) -> String {
    let log_path = dir.join(format!("riusa-{}.log", access_log.unwrap_or("predefinito")));
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_riusa"));
    command
        .arg("--data")
        .arg(dir.join("dati"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env_remove("RIUSA_DATABASE_URL")
        .env_remove("RIUSA_ACCESS_LOG")
        .env("RIUSA_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log_path).unwrap());
    if let Some(value) = access_log {
        command.env("RIUSA_ACCESS_LOG", value);
    }
    let mut child = command.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = loop {
        let line = lines.next().unwrap().unwrap();
        if let Some(address) = line.split("in ascolto su ").nth(1) {
            break address.trim().to_owned();
        }
    };
    let page = reqwest::get(format!("{base}/enti?q=segreto-nella-query"))
        .await
        .unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let missing = reqwest::get(format!("{base}/pagina-che-non-esiste"))
        .await
        .unwrap();
    assert_eq!(missing.status().as_u16(), 404);
    // A request's line is written once its response is sent: let it land.
    tokio::time::sleep(Duration::from_millis(300)).await;
    child.kill().unwrap();
    child.wait().unwrap();
    crate::read(&log_path)
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_are_logged_only_when_the_access_log_is_on() {
    let dir = tempfile::tempdir().unwrap();

    let quiet = log_of_one_search(dir.path(), None).await;
    assert!(
        quiet.contains("starting"),
        "the server logs at info: {quiet}"
    );
    assert!(
        !quiet.contains("route="),
        "no line per request by default: {quiet}"
    );

    let logged = log_of_one_search(dir.path(), Some("true")).await;
    assert!(
        logged.contains("route=\"/enti\"") && logged.contains("status=200"),
        "one line per request when asked: {logged}"
    );
    assert!(logged.contains("status=404"), "{logged}");
    assert!(
        !logged.contains("segreto-nella-query") && !logged.contains("pagina-che-non-esiste"),
        "the route pattern is logged, never the path or the query: {logged}"
    );
}
