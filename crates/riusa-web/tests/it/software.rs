//! `/software` and `/api/v1/software`: the software catalog (decision 0024).

use axum::http::StatusCode;
use chrono::Utc;
use riusa_domain::software::{
    Contact, Dependency, Description, Maintenance, NewSoftware, StoredFinding,
};
use riusa_store::Actor;

use crate::TestApp;

const SOURCE: &str = "publiccodeYmlVersion: \"0\"\nname: Medusa\n# a comment kept as written\n";

fn medusa() -> NewSoftware {
    NewSoftware {
        url: "https://example.org/comune-orvieto/medusa".into(),
        name: "Medusa".into(),
        owner_ipa_code: Some("c_g148".into()),
        version: Some("1.2".into()),
        development_status: Some("stable".into()),
        software_type: Some("standalone/web".into()),
        license: Some("EUPL-1.2".into()),
        platforms: vec!["web".into()],
        categories: vec!["document-management".into()],
        scopes: vec!["government".into()],
        descriptions: vec![
            Description {
                language: "en".into(),
                short_description: Some("Building permits".into()),
                ..Description::default()
            },
            Description {
                language: "it".into(),
                short_description: Some("Pratiche edilizie".into()),
                long_description: Some(
                    "Raccoglie le **pratiche**.\n\n<script>alert(1)</script>".into(),
                ),
                features: vec!["Protocollo".into()],
                ..Description::default()
            },
        ],
        maintenance: Maintenance {
            kind: Some("community".into()),
            contacts: vec![Contact {
                name: "Francesca Rossi".into(),
                email: Some("f.rossi@example.org".into()),
                ..Contact::default()
            }],
            contractors: Vec::new(),
        },
        dependencies: vec![Dependency {
            kind: "open".into(),
            name: "PostgreSQL".into(),
            version_min: Some("14".into()),
            ..Dependency::default()
        }],
        used_by: vec!["Comune di Orvieto".into(), "Comune di Terni".into()],
        source: SOURCE.into(),
        ..NewSoftware::default()
    }
}

async fn import(app: &TestApp, record: &NewSoftware) {
    app.db
        .store
        .software()
        .upsert(record, None, &Actor::operator(), Utc::now())
        .await
        .unwrap();
}

fn broken() -> NewSoftware {
    NewSoftware {
        url: "https://example.org/rotto".into(),
        name: "Rotto".into(),
        source: "name: Rotto\n".into(),
        findings: vec![StoredFinding {
            severity: "error".into(),
            key: "url".into(),
            description: "manca".into(),
            ..StoredFinding::default()
        }],
        ..NewSoftware::default()
    }
}

#[tokio::test]
async fn an_empty_catalog_says_so() {
    let app = TestApp::new().await;
    let page = app.get("/software").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Il catalogo non contiene ancora software")
    );
    assert!(
        page.body
            .contains(r#"<a class="nav-link active" href="/software" aria-current="page">"#),
        "the main navigation links the catalog"
    );
}

#[tokio::test]
async fn the_list_shows_active_records_and_filters_them_without_javascript() {
    let app = TestApp::new().await;
    import(&app, &medusa()).await;
    import(&app, &broken()).await;
    let page = app.get("/software").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(r#"<a href="/software/medusa">Medusa</a>"#)
    );
    assert!(
        page.body.contains("Pratiche edilizie"),
        "the Italian summary"
    );
    assert!(
        !page.body.contains("Rotto"),
        "inactive records are not listed"
    );
    assert!(
        page.body
            .contains(r#"<label class="form-label fw-semibold" for="stato-software">"#)
    );
    assert!(
        page.body
            .contains(r#"<option value="stable">Stabile</option>"#)
    );

    let filtered = app.get("/software?status=beta").await;
    assert!(
        filtered
            .body
            .contains("Nessun software corrisponde ai filtri scelti")
    );
    let bad = app.get("/software?page=abc").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_record_page_shows_italian_first_sanitised_and_used_by() {
    let app = TestApp::new().await;
    import(&app, &medusa()).await;
    let page = app.get("/software/medusa").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    let italian = body.find("Descrizione (Italiano)").unwrap();
    let english = body.find("Descrizione (Inglese)").unwrap();
    assert!(italian < english, "Italian first");
    assert!(
        body.contains("<strong>pratiche</strong>"),
        "Markdown rendered"
    );
    assert!(!body.contains("<script>alert"), "and sanitised");
    assert!(body.contains("Utilizzato da"));
    assert!(body.contains("<li>Comune di Terni</li>"));
    assert!(body.contains("PostgreSQL (aperta), versione 14 o successive"));
    assert!(body.contains("Della comunità"));
    assert!(body.contains(r#"href="/enti/c_g148""#), "the owner");
    assert!(body.contains(r#"href="/software/medusa/publiccode.yml""#));
}

#[tokio::test]
async fn the_publiccode_file_is_returned_byte_for_byte_as_yaml() {
    let app = TestApp::new().await;
    import(&app, &medusa()).await;
    let file = app.get("/software/medusa/publiccode.yml").await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.content_type(), "text/yaml; charset=utf-8");
    assert_eq!(file.bytes, SOURCE.as_bytes());
}

#[tokio::test]
async fn an_inactive_record_is_not_found_for_the_public() {
    let app = TestApp::new().await;
    import(&app, &broken()).await;
    for path in [
        "/software/rotto",
        "/software/rotto/publiccode.yml",
        "/software/non-esiste",
    ] {
        assert_eq!(app.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let api = app.get("/api/v1/software/rotto").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.content_type(), "application/problem+json");
}

#[tokio::test]
async fn the_api_lists_and_shows_records_with_a_cursor() {
    let app = TestApp::new().await;
    import(&app, &medusa()).await;
    let mut other = medusa();
    other.url = "https://example.org/altro".into();
    other.name = "Anagrafe".into();
    import(&app, &other).await;
    import(&app, &broken()).await;

    let first = app.get("/api/v1/software?page_size=1").await;
    assert_eq!(first.status, StatusCode::OK);
    let json = first.json();
    assert_eq!(json["total"], 2);
    assert_eq!(json["items"][0]["name"], "Anagrafe");
    let cursor = json["next_cursor"].as_str().unwrap().to_owned();
    let second = app
        .get(&format!("/api/v1/software?page_size=1&cursor={cursor}"))
        .await
        .json();
    assert_eq!(second["items"][0]["slug"], "medusa");
    assert!(second["next_cursor"].is_null());

    let one = app.get("/api/v1/software/medusa").await.json();
    assert_eq!(one["owner"]["ipa"], "c_g148");
    assert_eq!(one["descriptions"][0]["language"], "it");
    assert_eq!(one["used_by"][1], "Comune di Terni");
    assert_eq!(one["publiccode_url"], "/software/medusa/publiccode.yml");

    let filtered = app.get("/api/v1/software?license=MIT").await.json();
    assert_eq!(filtered["total"], 0);
    let bad = app.get("/api/v1/software?page_size=0").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.content_type(), "application/problem+json");
}
