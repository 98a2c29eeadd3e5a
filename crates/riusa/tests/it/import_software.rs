//! `riusa import software`: files and URLs become software records, invalid ones are kept
//! inactive, the same `url` again updates.

use riusa_store::SoftwareFilter;

use crate::{Env, MEDUSA_PUBLICCODE, stderr, stdout};

/// Serves `body` at `/publiccode.yml` on a loopback port.
async fn serve(body: &'static str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = axum::Router::new().route(
        "/publiccode.yml",
        axum::routing::get(move || async move { body }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}/publiccode.yml")
}

#[tokio::test(flavor = "multi_thread")]
async fn import_software_stores_a_file_and_updates_it_on_reimport() {
    let env = Env::new().await;
    let file = env.file("publiccode.yml", MEDUSA_PUBLICCODE);
    let name = file.display().to_string();
    let output = env.run(&["import", "software", &name]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), format!("{name}: importato («Medusa»)\n"));

    let newer = env.file(
        "nuovo.yml",
        &MEDUSA_PUBLICCODE.replace("name: Medusa\n", "name: Medusa\nsoftwareVersion: \"2.0\"\n"),
    );
    let output = env.run(&["import", "software", newer.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let software = env.db.store.software();
    let page = software
        .list(&SoftwareFilter::default(), 0, 10)
        .await
        .unwrap();
    assert_eq!(page.total, 1, "the same url updates, never duplicates");
    let medusa = &page.items[0];
    assert_eq!(medusa.version.as_deref(), Some("2.0"));
    assert_eq!(
        medusa.owner.as_ref().map(|o| o.ipa_code.as_str()),
        Some("c_h501")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn import_software_fetches_urls_keeps_invalid_files_inactive_and_exits_1() {
    let env = Env::new().await;
    let url = serve(MEDUSA_PUBLICCODE).await;
    let broken = env.file(
        "rotto.yml",
        &MEDUSA_PUBLICCODE
            .replace(
                "https://example.com/italia/medusa.git",
                "https://example.com/rotto.git",
            )
            .replace("stable\n", "finished\n"),
    );
    let missing = env.data("manca.yml");
    let (broken, missing) = (broken.display().to_string(), missing.display().to_string());

    let output = env.run(&["import", "software", &url, &broken, &missing]);
    assert_eq!(output.status.code(), Some(1));
    let report = stdout(&output);
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines[0], format!("{url}: importato («Medusa»)"), "{report}");
    assert_eq!(
        lines[1],
        format!("{broken}: non valido, conservato inattivo: 1 errore")
    );
    assert!(
        lines[2].starts_with(&format!("{missing}: impossibile leggere")),
        "{report}"
    );
    assert!(
        !stderr(&output).contains("backtrace"),
        "{}",
        stderr(&output)
    );

    let software = env.db.store.software();
    assert_eq!(software.count(&SoftwareFilter::default()).await.unwrap(), 1);
    let kept = software.by_slug("medusa-2").await.unwrap();
    assert!(!kept.active);
    assert_eq!(kept.findings[0].key, "developmentStatus");
}
