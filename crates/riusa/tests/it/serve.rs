use std::sync::Arc;
use std::time::Duration;

use riusa_search::{Follower, SearchIndex};
use riusa_store::testing::{PracticeBuilder, TestDatabase};
use riusa_web::{AppState, WebConfig};

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
    let ready = crate::wait_until(Duration::from_secs(30), || async {
        server.get("/readyz").await.0 == 200
    })
    .await;
    assert!(
        ready.is_some(),
        "the index of 31 practices is built quickly"
    );
    let (status, home) = server.get("/").await;
    assert_eq!(status, 200);
    assert!(home.contains("31 buone pratiche"), "the demo is there");
    assert!(
        dir.path().join("riusa.db").exists(),
        "SQLite in the data folder by default"
    );
    let (_, page) = server
        .get("/pratiche/innovazione-inclusione-sociale-toscana")
        .await;
    assert!(page.contains("547"), "key figures are shown");

    // The demo's editor signs in with the printed password and lands on the review queue.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = client
        .get(format!("{}/accedi", server.base))
        .send()
        .await
        .unwrap();
    let nonce = form
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("riusa_modulo="))
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_owned();
    let html = form.text().await.unwrap();
    let token = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let signed_in = client
        .post(format!("{}/accedi", server.base))
        .header("cookie", nonce)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "csrf={}&email=redazione%40demo.riusa.it&password=demo-girasole-lampione",
            token
                .replace('+', "%2B")
                .replace('/', "%2F")
                .replace('=', "%3D")
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status().as_u16(), 303);
    assert_eq!(signed_in.headers()["location"], "/redazione");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_node_sees_a_practice_written_through_the_first_within_two_seconds() {
    let env = Env::new().await;
    // A coordinator of Roma Capitale writes and submits, an editor publishes: through node 1.
    let token = |email: &str, extra: &[&str]| {
        let mut add = vec!["accounts", "add", email, "--name", "Persona di prova"];
        add.extend_from_slice(extra);
        assert!(env.run(&add).status.success());
        let created = env.run(&["accounts", "token", email, "--label", "prova"]);
        assert!(created.status.success(), "{}", crate::stderr(&created));
        crate::stdout(&created).trim().to_owned()
    };
    let writer = token(
        "referente@comune.roma.it",
        &["--organization", "c_h501", "--role", "coordinator"],
    );
    let editor = token("redazione@riusa.example.it", &["--editor"]);
    let first = Server::start(env.command("nodo-1"));
    let second = Server::start(env.command("nodo-2"));
    for node in [&first, &second] {
        node.wait_ready().await;
        assert_eq!(node.get("/api/v1/practices/nuova-dal-nodo").await.0, 404);
    }

    let client = reqwest::Client::new();
    let api = |path: &str| format!("{}/api/v1/practices{path}", first.base);
    let created = client
        .post(api(""))
        .bearer_auth(&writer)
        .header("content-type", "application/json")
        .body(NEW_PRACTICE)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    let id = created.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (token, action, etag) in [
        (&writer, "submit", "\"r1\""),
        (&editor, "publish", "\"r1\""),
    ] {
        let done = client
            .post(api(&format!("/{id}/{action}")))
            .bearer_auth(token)
            .header("if-match", etag)
            .send()
            .await
            .unwrap();
        assert_eq!(
            done.status().as_u16(),
            200,
            "{action}: {}",
            done.text().await.unwrap()
        );
    }

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

#[tokio::test(flavor = "multi_thread")]
async fn a_new_node_answers_health_while_it_builds_its_index() {
    let env = Env::new().await;
    let lines: Vec<String> = (0..2000)
        .map(|i| {
            serde_json::json!({
                "slug": format!("sportello-{i:04}"), "title": format!("Sportello unico numero {i}"),
                "summary": "Uno sportello per le imprese del territorio.",
                "themes": ["servizi-digitali"], "owners": [{"ipa": "c_h501", "role": "owner"}],
                "status": "published"
            })
            .to_string()
        })
        .collect();
    let file = env.file("molte.jsonl", &lines.join("\n"));
    let import = env
        .command("nodo")
        .args(["import", "practices", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(import.status.success(), "{}", crate::stderr(&import));

    // The data folder has no index yet: the node listens, then builds it.
    let node = Server::start(env.command("nodo"));
    assert_eq!(node.get("/healthz").await.0, 200);
    let (status, ready) = node.get("/readyz").await;
    let readiness: serde_json::Value = serde_json::from_str(&ready).unwrap();
    // Usually still rebuilding here (2,000 practices), but a fast machine may be done already.
    match (status, readiness["search_index"].as_str()) {
        (503, Some("rebuilding" | "catching_up")) => {
            let (status, problem) = node.get("/api/v1/practices?q=sportello").await;
            // The index may have become ready between the two requests.
            assert!(status == 503 || status == 200, "{status} {problem}");
        }
        (200, Some("ready")) => {}
        other => panic!("{other:?}: {ready}"),
    }
    let built = crate::wait_until(Duration::from_secs(120), || async {
        node.get("/readyz").await.0 == 200
    })
    .await;
    assert!(built.is_some(), "the index was not built within 2 minutes");
    let (status, found) = node.get("/api/v1/practices?q=sportello&page_size=1").await;
    assert_eq!(status, 200);
    assert!(found.contains(r#""total":2000"#), "{found}");
}

/// The web state of a node whose follower has not run yet, served over real HTTP.
async fn node_with_an_unbuilt_index(db: &TestDatabase) -> (String, Follower, Arc<SearchIndex>) {
    let index = Arc::new(SearchIndex::in_memory().unwrap());
    let follower = Follower::new(db.store.clone(), Arc::clone(&index)).unwrap();
    let app = riusa_web::router(AppState::new(
        db.store.clone(),
        Arc::clone(&index),
        WebConfig::default(),
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, follower, index)
}

async fn get(url: String) -> (u16, String, String) {
    let response = reqwest::get(url).await.unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, content_type, response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_node_is_live_at_once_and_searches_once_its_index_has_caught_up() {
    let db = TestDatabase::new().await.with_reference_data().await;
    for slug in ["sportello-unico", "sportello-digitale"] {
        PracticeBuilder::new(slug, "Sportello unico digitale per le imprese")
            .summary("Le pratiche delle imprese presentate allo sportello in rete.")
            .themes(&["servizi-digitali"])
            .insert(&db.store)
            .await;
    }
    let (base, mut follower, index) = node_with_an_unbuilt_index(&db).await;

    assert_eq!(get(format!("{base}/healthz")).await.0, 200);
    let (status, _, ready) = get(format!("{base}/readyz")).await;
    assert_eq!(status, 503, "{ready}");
    assert!(ready.contains(r#""search_index":"catching_up""#), "{ready}");
    let (status, content_type, problem) = get(format!("{base}/api/v1/practices?q=sportello")).await;
    assert_eq!(
        (status, content_type.as_str()),
        (503, "application/problem+json")
    );
    assert!(
        problem.contains("L'indice di ricerca è in preparazione"),
        "{problem}"
    );
    let (status, _, page) = get(format!("{base}/pratiche?q=sportello")).await;
    assert_eq!(status, 503);
    assert!(
        page.contains("indice di ricerca è in preparazione"),
        "{page}"
    );
    let (status, _, page) = get(format!("{base}/pratiche/sportello-unico")).await;
    assert_eq!(status, 200, "a practice page needs no search");
    assert!(!page.contains("Pratiche simili"));

    follower.catch_up().await.unwrap();
    assert!(index.status().is_ready());
    assert_eq!(get(format!("{base}/readyz")).await.0, 200);
    let (status, _, found) = get(format!("{base}/api/v1/practices?q=sportello")).await;
    assert_eq!(status, 200);
    assert!(found.contains("sportello-digitale"), "{found}");
    let (_, _, page) = get(format!("{base}/pratiche/sportello-unico")).await;
    assert!(
        page.contains("Pratiche simili"),
        "rendered again, not served from the cache"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stop_by_signal_writes_one_italian_line_and_logs_to_a_file_carry_no_colours() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("riusa.log");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_riusa"))
        .arg("--data")
        .arg(dir.path().join("dati"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env_remove("RIUSA_DATABASE_URL")
        .env_remove("RIUSA_LOG")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let listening = lines.next().unwrap().unwrap();
    let base = listening
        .split("in ascolto su ")
        .nth(1)
        .unwrap()
        .trim()
        .to_owned();
    // `/healthz` answers while the index is still being built (the home page may be a 503).
    let health = reqwest::get(format!("{base}/healthz")).await.unwrap();
    assert_eq!(health.status().as_u16(), 200);
    // The request's log line is written once its response is sent: let it land first.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let logged_before_stop = crate::read(&log_path);

    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let after_stop: Vec<String> = lines.map(Result::unwrap).collect();
    assert!(
        child.wait().unwrap().success(),
        "a stop by signal is a clean exit"
    );

    assert_eq!(after_stop, ["Riusa si è fermato."]);
    let log = crate::read(&log_path);
    assert!(log.contains("starting"), "logs at info by default: {log}");
    assert!(
        !log.contains('\u{1b}'),
        "no ANSI escape codes in a file: {log:?}"
    );
    assert_eq!(
        &log[logged_before_stop.len()..],
        "",
        "the stop adds nothing to the log"
    );
}
