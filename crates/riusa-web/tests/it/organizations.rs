//! `/enti` and `/api/v1/organizations`: the directory of administrations.

use axum::http::StatusCode;
use chrono::Utc;
use riusa_store::NewOrganization;

use crate::TestApp;

/// The fixture's published practices: Regione Toscana owns one (and a draft that must not
/// count), Regione Umbria one with Comune di Orvieto as partner, Comune di Firenze one.
async fn with_agid(app: &TestApp) {
    app.db
        .store
        .organizations()
        .upsert_organizations(
            &[NewOrganization {
                ipa_code: "agid".into(),
                name: "AGENZIA PER L'ITALIA DIGITALE".into(),
                kind: "Pubbliche Amministrazioni".into(),
                category_code: "C3".into(),
                category_name: "Enti Pubblici Non Economici".into(),
                istat_code: None,
                is_municipality: false,
                website: None,
            }],
            Utc::now(),
        )
        .await
        .unwrap();
}

/// The page's text with askama's escaped apostrophes read back.
fn unescaped(body: &str) -> String {
    body.replace("&#39;", "'").replace("&#x27;", "'")
}

fn position(body: &str, needle: &str) -> usize {
    body.find(needle)
        .unwrap_or_else(|| panic!("{needle} not in the page"))
}

#[tokio::test]
async fn the_directory_shows_bodies_with_practices_first_with_their_count() {
    let app = TestApp::new().await;
    let page = app.get("/enti").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("4 enti con buone pratiche pubblicate"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(
            r#"<input type="radio" id="con-pratiche" name="with_practices" value="true" checked>"#
        ),
        "«con buone pratiche» is on by default"
    );
    assert!(
        !page.body.contains("Roma Capitale"),
        "no practice, not listed by default"
    );
    assert_eq!(
        page.body.matches("<td>1 buona pratica</td>").count(),
        4,
        "the draft of Regione Toscana does not count"
    );
    assert!(!page.body.contains("Cancella i filtri"), "nothing to clear");

    let all = app.get("/enti?with_practices=false").await;
    assert!(all.body.contains("6 enti"), "{}", all.body);
    assert!(position(&all.body, "Comune di Orvieto") < position(&all.body, "Roma Capitale"));
    assert!(all.body.contains("<td>Nessuna</td>"));
    assert!(
        all.body
            .contains(r#"<a href="/enti">Cancella i filtri</a>"#)
    );
    assert!(
        all.body
            .contains(r#"href="/enti?with_practices=false&amp;page=2""#)
            || !all.body.contains("Pagina successiva"),
        "pages keep the filters"
    );
}

#[tokio::test]
async fn the_directory_filters_by_kind_region_and_province_with_labels() {
    let app = TestApp::new().await;
    let umbria = app.get("/enti?region=Umbria&with_practices=false").await;
    assert_eq!(umbria.status, StatusCode::OK);
    assert!(umbria.body.contains("2 enti"), "{}", umbria.body);
    assert!(
        umbria
            .body
            .contains(r#"<option value="Umbria" selected>Umbria</option>"#)
    );
    assert!(
        umbria
            .body
            .contains(r#"<option value="Terni">Terni</option>"#)
    );
    assert!(
        !umbria.body.contains(r#"<option value="Firenze">"#),
        "provinces of the chosen region only"
    );
    for label in [
        r#"<label class="form-label fw-semibold" for="q-enti">"#,
        r#"<label class="form-label fw-semibold" for="tipo-enti">"#,
        r#"<label class="form-label fw-semibold" for="regione-enti">"#,
        r#"<label class="form-label fw-semibold" for="provincia-enti">"#,
        r#"<label for="con-pratiche">"#,
        r#"<label for="tutti-enti">"#,
    ] {
        assert!(umbria.body.contains(label), "{label}");
    }
    let terni = app.get("/enti?region=Umbria&province=Terni").await;
    assert!(
        terni.body.contains("1 ente con buone pratiche"),
        "{}",
        terni.body
    );
    assert!(terni.body.contains("Comune di Orvieto"));
    // The person changed the region and left the old province: the region wins.
    let moved = app.get("/enti?region=Toscana&province=Terni").await;
    assert_eq!(moved.status, StatusCode::OK);
    assert!(
        moved.body.contains("2 enti con buone pratiche"),
        "{}",
        moved.body
    );
    let regions = app.get("/enti?category=L4").await;
    assert!(regions.body.contains("2 enti con buone pratiche"));
    assert!(
        regions
            .body
            .contains(r#"<option value="L4" selected>Regioni, Province Autonome e loro Consorzi e Associazioni</option>"#)
    );
    let nowhere = app.get("/enti?region=Atlantide").await;
    assert_eq!(nowhere.status, StatusCode::BAD_REQUEST);
    assert!(nowhere.body.contains("«region»"), "{}", nowhere.body);
    let empty = app.get("/enti?q=astronave").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("Nessun ente corrisponde"));
    assert!(
        empty
            .body
            .contains("0 enti con buone pratiche pubblicate per «astronave»")
    );
}

#[tokio::test]
async fn the_directory_finds_names_as_people_type_them_and_shows_them_so() {
    let app = TestApp::new().await;
    with_agid(&app).await;
    for q in [
        "agenzia per l'italia digitale",
        "italia digitale",
        "DIGITALE agenzia",
    ] {
        let uri = format!(
            "/enti?with_practices=false&q={}",
            url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
        );
        let page = unescaped(&app.get(&uri).await.body);
        assert!(page.contains("1 ente per"), "{q}: {page}");
        assert!(
            page.contains(r#"<a href="/enti/agid">Agenzia per l'Italia Digitale</a>"#),
            "{q}"
        );
    }
    let orvieto = app.get("/enti?q=comune+di+orvieto").await;
    assert!(
        orvieto.body.contains("1 ente con buone pratiche"),
        "{}",
        orvieto.body
    );
    let body = unescaped(&app.get("/enti/agid").await.body);
    assert!(
        body.contains("<h1 class=\"mb-4\">Agenzia per l'Italia Digitale</h1>"),
        "{body}"
    );
    assert!(
        body.contains("AGENZIA PER L'ITALIA DIGITALE"),
        "the registry's spelling beside"
    );

    let api = app
        .get("/api/v1/organizations?q=italia&with_practices=false")
        .await
        .json();
    assert_eq!(api["items"][0]["name"], "AGENZIA PER L'ITALIA DIGITALE");
    assert_eq!(
        api["items"][0]["display_name"],
        "Agenzia per l'Italia Digitale"
    );
    assert_eq!(api["items"][0]["practices_count"], 0);
}

#[tokio::test]
async fn the_api_filters_the_directory_and_refuses_unknown_values() {
    let app = TestApp::new().await;
    let default = app.get("/api/v1/organizations").await.json();
    assert_eq!(default["total"], 4, "with practices by default");
    let umbria = app
        .get("/api/v1/organizations?region=Umbria&with_practices=false")
        .await
        .json();
    assert_eq!(umbria["total"], 2);
    assert_eq!(
        umbria["items"][0]["ipa"], "c_g148",
        "1 practice, then by name"
    );
    assert_eq!(umbria["items"][0]["practices_count"], 1);
    assert_eq!(umbria["items"][1]["ipa"], "r_umbria");
    let terni = app
        .get("/api/v1/organizations?region=Umbria&province=Terni")
        .await
        .json();
    assert_eq!(terni["total"], 1);
    let comuni = app.get("/api/v1/organizations?category=L6").await.json();
    assert_eq!(comuni["total"], 2);
    for (uri, param) in [
        ("/api/v1/organizations?region=Atlantide", "region"),
        (
            "/api/v1/organizations?region=Toscana&province=Terni",
            "province",
        ),
        ("/api/v1/organizations?province=Nessuna", "province"),
        ("/api/v1/organizations?category=ZZ", "category"),
        (
            "/api/v1/organizations?with_practices=forse",
            "with_practices",
        ),
    ] {
        let response = app.get(uri).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(response.content_type(), "application/problem+json", "{uri}");
        assert_eq!(response.json()["param"], param, "{uri}");
    }
}

#[tokio::test]
async fn search_facets_carry_labels_beside_their_values() {
    let app = TestApp::new().await;
    let results = app.get("/api/v1/practices").await.json();
    let support = results["facets"]["support"].as_array().unwrap();
    let source = support
        .iter()
        .find(|v| v["value"] == "source_code")
        .unwrap();
    assert_eq!(source["label"], "Codice sorgente");
    assert_eq!(source["count"], 1);
    let themes = results["facets"]["theme"].as_array().unwrap();
    let training = themes.iter().find(|v| v["value"] == "formazione").unwrap();
    assert_eq!(training["label"], "Formazione e sviluppo delle competenze");
    let regions = results["facets"]["region"].as_array().unwrap();
    assert!(regions.iter().all(|v| v["label"] == v["value"]));
    let owner = &results["items"][0]["owners"][0];
    assert!(owner["name"].is_string() && owner["display_name"].is_string());
}

#[tokio::test]
async fn a_practice_names_its_licence_and_keeps_figures_with_their_units() {
    let app = TestApp::new().await;
    let page = app.get("/pratiche/innovazione-inclusione-sociale").await;
    assert!(
        page.body
            .contains("Creative Commons Attribuzione 4.0 (CC BY 4.0)"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("776&nbsp;<span class=\"fs-4\">ore</span>"),
        "the unit stays on the line of its number"
    );
}
