use axum::http::StatusCode;
use riusa_web::HubInfo;

use crate::TestApp;

fn configured_hub() -> HubInfo {
    HubInfo {
        owner_name: "Regione Umbria".into(),
        owner_url: Some("https://www.regione.umbria.it/".parse().unwrap()),
        contact_email: Some("riuso@regione.umbria.it".into()),
        contact_details: Some("Via Mario Angeloni 61\n06124 Perugia".into()),
        accessibility_statement_url: Some(
            "https://form.agid.gov.it/view/0123-abcd".parse().unwrap(),
        ),
        privacy_markdown: Some(
            "# Trattamento dei dati\n\nTitolare è la **Regione Umbria**.<script>alert(1)</script>"
                .into(),
        ),
        legal_notes_markdown: Some("Note scritte dalla Regione.".into()),
    }
}

#[tokio::test]
async fn every_page_names_the_administration_running_the_hub_and_links_the_legal_pages() {
    let app = TestApp::with_hub(configured_hub()).await;
    for path in [
        "/",
        "/pratiche",
        "/temi",
        "/privacy",
        "/pratiche/non-esiste",
    ] {
        let page = app.get(path).await;
        assert!(
            page.body.contains(
                r#"<a class="navbar-brand" href="https://www.regione.umbria.it/">Regione Umbria</a>"#
            ),
            "{path}: {}",
            page.body
        );
        for link in [
            r#"<a href="https://form.agid.gov.it/view/0123-abcd">Dichiarazione di accessibilità</a>"#,
            r#"<a href="/note-legali">Note legali</a>"#,
            r#"<a href="/privacy">Privacy</a>"#,
            r#"<a href="/contatti">Contatti</a>"#,
        ] {
            assert!(page.body.contains(link), "{path} lacks {link}");
        }
    }
}

#[tokio::test]
async fn without_configuration_the_pages_say_what_riusa_does() {
    let app = TestApp::new().await;
    let home = app.get("/").await;
    assert!(
        home.body
            .contains(r#"<span class="navbar-brand">Riusa, installazione dimostrativa</span>"#)
    );
    assert!(
        home.body
            .contains(r#"<a href="/accessibilita">Dichiarazione di accessibilità</a>"#),
        "our own page while no statement is configured"
    );

    let privacy = app.get("/privacy").await;
    assert_eq!(privacy.status, StatusCode::OK);
    assert!(
        privacy
            .body
            .contains("<h1 class=\"mb-4\">Informativa sulla privacy</h1>")
    );
    for stored in [
        "nome e indirizzo email",
        "sessioni",
        "registro delle attività",
        "Il <strong>codice fiscale</strong> non viene conservato",
        "Non usa cookie di\nprofilazione",
        "Testo predefinito",
        "<code>privacy_file</code>",
    ] {
        assert!(privacy.body.contains(stored), "{stored}: {}", privacy.body);
    }
    assert!(
        privacy.body.contains("<h2>Chi tratta i dati</h2>"),
        "headings below the h1"
    );

    let notes = app.get("/note-legali").await;
    assert_eq!(notes.status, StatusCode::OK);
    assert!(notes.body.contains("Creative Commons Attribuzione 4.0"));

    let contacts = app.get("/contatti").await;
    assert_eq!(contacts.status, StatusCode::OK);
    assert!(
        contacts
            .body
            .contains("non ha ancora indicato i suoi recapiti")
    );

    let accessibility = app.get("/accessibilita").await;
    assert_eq!(accessibility.status, StatusCode::OK);
    assert!(accessibility.body.contains("WCAG 2.1 al livello AA"));
    assert!(accessibility.body.contains("form.agid.gov.it"));
}

#[tokio::test]
async fn the_operators_texts_and_contacts_replace_the_defaults_sanitised() {
    let app = TestApp::with_hub(configured_hub()).await;

    let privacy = app.get("/privacy").await;
    assert_eq!(privacy.status, StatusCode::OK);
    assert!(
        privacy.body.contains("<h2>Trattamento dei dati</h2>"),
        "{}",
        privacy.body
    );
    assert!(
        privacy
            .body
            .contains("Titolare è la <strong>Regione Umbria</strong>.")
    );
    assert!(!privacy.body.contains("alert(1)"), "sanitised");
    assert!(!privacy.body.contains("Testo predefinito"));
    assert!(!privacy.body.contains("nome e indirizzo email"));

    let notes = app.get("/note-legali").await;
    assert!(notes.body.contains("<p>Note scritte dalla Regione.</p>"));

    let contacts = app.get("/contatti").await;
    assert_eq!(contacts.status, StatusCode::OK);
    assert!(
        contacts
            .body
            .contains(r#"<a href="mailto:riuso@regione.umbria.it">riuso@regione.umbria.it</a>"#)
    );
    assert!(
        contacts
            .body
            .contains("Via Mario Angeloni 61<br>06124 Perugia")
    );
    assert!(
        contacts
            .body
            .contains(r#"gestito da <a href="https://www.regione.umbria.it/">Regione Umbria</a>."#),
        "{}",
        contacts.body
    );

    let accessibility = app.get("/accessibilita").await;
    assert_eq!(accessibility.status, StatusCode::OK, "still reachable");
    assert!(
        accessibility
            .body
            .contains("mailto:riuso@regione.umbria.it")
    );
}
