use std::time::Duration;

use crate::{Env, Server};

const NEW_PRACTICE: &str = r#"{"slug":"nuova-dal-nodo","title":"Sportello unico digitale condiviso","summary":"Una pratica scritta mentre due nodi sono in servizio.","themes":["servizi-digitali"],"owners":[{"ipa":"c_h501","role":"owner"}],"status":"published"}"#;

#[tokio::test(flavor = "multi_thread")]
async fn serve_demo_starts_on_an_empty_sqlite_file_with_the_demo_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_riusa"));
    command
        .arg("--data")
        .arg(dir.path())
        .env_remove("RIUSA_DATABASE_URL")
        .env("RIUSA_LOG", "warn");
    command.arg("serve").arg("--demo");
    let server = Server::start_with(command);
    let (status, home) = server.get("/").await;
    assert_eq!(status, 200);
    assert!(home.contains("31 buone pratiche"), "the demo is there");
    assert!(
        dir.path().join("riusa.db").exists(),
        "SQLite in the data folder by default"
    );
    let (status, _) = server.get("/readyz").await;
    assert_eq!(status, 200);
    let (_, page) = server
        .get("/pratiche/innovazione-inclusione-sociale-toscana")
        .await;
    assert!(page.contains("547"), "key figures are shown");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_node_sees_a_new_practice_within_two_seconds() {
    let env = Env::new().await;
    assert!(env.run(&["import", "organizations"]).status.success());
    let first = Server::start(env.command("nodo-1"));
    let second = Server::start(env.command("nodo-2"));
    for node in [&first, &second] {
        assert_eq!(node.get("/api/v1/practices/nuova-dal-nodo").await.0, 404);
    }

    let file = env.file("nuova.jsonl", NEW_PRACTICE);
    let written = env
        .command("nodo-1")
        .args(["import", "practices", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        written.status.success(),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );

    for node in [&first, &second] {
        let seen = crate::wait_until(Duration::from_secs(2), || async {
            let (status, body) = node.get("/api/v1/practices?q=sportello+digitale").await;
            status == 200 && body.contains("nuova-dal-nodo")
        })
        .await;
        assert!(
            seen.is_some(),
            "{} did not see the practice within 2 s",
            node.base
        );
    }
}
