use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::TestApp;

#[tokio::test]
async fn home_lists_themes_with_counts_and_the_newest_practices() {
    let app = TestApp::new().await;
    let page = app.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.content_type().starts_with("text/html"));
    assert!(page.body.contains("Politiche sociali e inclusione"));
    assert!(
        page.body.contains("2 buone pratiche"),
        "the social theme has two published practices"
    );
    assert!(page.body.contains("3 buone pratiche"), "the catalog total");
    let newest = page.body.find("Tariffa puntuale sui rifiuti").unwrap();
    let oldest = page.body.find("Innovazione e inclusione sociale").unwrap();
    assert!(newest < oldest, "newest first");
    assert!(!page.body.contains("Una bozza non pubblicata"));
}

#[tokio::test]
async fn search_results_highlight_words_offer_facets_and_keep_filters() {
    let app = TestApp::new().await;
    let page = app.get("/pratiche?q=formativi&theme=formazione").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("1 buona pratica per «formativi»"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("<mark>"),
        "snippet highlights a matched word"
    );
    assert!(
        page.body
            .contains("Rimuovi il filtro </span>Tema: Formazione e sviluppo delle competenze")
    );
    assert!(
        page.body
            .contains(r#"name="theme" value="formazione" checked"#)
    );
    assert!(
        page.body
            .contains("<legend class=\"h6 fw-bold text-uppercase mb-2\">Regione</legend>")
    );
    assert!(
        page.body
            .contains(r#"<input type="hidden" name="theme" value="formazione">"#),
        "the search form carries the filter"
    );
}

#[tokio::test]
async fn an_empty_search_suggests_what_to_try() {
    let app = TestApp::new().await;
    let page = app.get("/pratiche?q=astronave&region=Toscana").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Nessuna buona pratica trovata per «astronave»")
    );
    assert!(page.body.contains("togliere i filtri attivi"));
    assert!(page.body.contains(r#"href="/temi""#));
}

#[tokio::test]
async fn a_misspelt_word_is_corrected_and_suggested() {
    let app = TestApp::new().await;
    let page = app.get("/pratiche?q=cartela").await;
    assert!(page.body.contains("Cartella sociale informatizzata SISO"));
    assert!(
        page.body
            .contains("Forse cercavi: <a href=\"/pratiche?q=cartella\">cartella</a>"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn htmx_gets_only_the_results_fragment() {
    let app = TestApp::new().await;
    let request = Request::get("/pratiche?q=sociale")
        .header("HX-Request", "true")
        .header("HX-Target", "area-risultati");
    let fragment = app.request(request.body(Body::empty()).unwrap()).await;
    assert_eq!(fragment.status, StatusCode::OK);
    assert!(
        fragment
            .body
            .trim_start()
            .starts_with("<div class=\"row\" id=\"area-risultati\">"),
        "{}",
        &fragment.body[..200.min(fragment.body.len())]
    );
    assert!(!fragment.body.contains("<html"));
    assert!(fragment.headers.get("vary").is_some());
}

#[tokio::test]
async fn pages_beyond_the_results_say_so_and_absurd_pages_are_refused() {
    let app = TestApp::new().await;
    let beyond = app.get("/pratiche?page=7").await;
    assert_eq!(beyond.status, StatusCode::OK);
    assert!(
        beyond.body.contains("Pagina 7 oltre l&#39;ultima"),
        "{}",
        beyond.body
    );
    for (query, words) in [
        (
            "page=99999999999999999999",
            "deve essere compreso tra 1 e 500",
        ),
        ("page=abc", "deve essere un numero intero"),
        (
            "sort=casuale",
            "i valori ammessi sono relevance, newest, title",
        ),
        ("q=a&q=b", "può comparire una sola volta"),
    ] {
        let page = app.get(&format!("/pratiche?{query}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(page.body.contains(words), "{query}: {}", page.body);
        assert!(page.body.contains("<html lang=\"it\">"));
    }
}

#[tokio::test]
async fn a_practice_page_shows_the_whole_sheet_sanitised() {
    let app = TestApp::new().await;
    let page = app.get("/pratiche/innovazione-inclusione-sociale").await;
    assert_eq!(page.status, StatusCode::OK);
    for expected in [
        "<h1 class=\"mb-3\">Innovazione e inclusione sociale</h1>",
        "Motivazione e obiettivi",
        "<strong>Uffici di Piano</strong>",
        "<li>Percorso 1: 5 edizioni da 16 ore</li>",
        "Lezioni apprese",
        "776",
        r#"<a href="/enti/r_toscan">Regione Toscana</a>"#,
        r#"<a href="/temi/formazione">Formazione e sviluppo delle competenze</a>"#,
        "Firenze (FI)",
        "Testimonianza in seminari e laboratori",
        "CC-BY-4.0",
        "Pratiche simili",
    ] {
        assert!(page.body.contains(expected), "missing {expected}");
    }
    assert!(
        !page.body.contains("<script>alert"),
        "Markdown is sanitised"
    );
}

#[tokio::test]
async fn a_cached_practice_page_is_renewed_once_the_change_reaches_the_index() {
    let app = TestApp::new().await;
    let before = app.get("/pratiche/tariffa-rifiuti-firenze").await;
    assert!(before.body.contains("Tariffa puntuale sui rifiuti"));
    riusa_store::testing::PracticeBuilder::new(
        "tariffa-rifiuti-firenze",
        "Tariffa puntuale rinnovata",
    )
    .themes(&["tributi-e-bilancio"])
    .owner("c_d612")
    .insert(&app.db.store)
    .await;
    app.catch_up().await;
    let after = app.get("/pratiche/tariffa-rifiuti-firenze").await;
    assert!(
        after.body.contains("Tariffa puntuale rinnovata"),
        "the cached page was replaced"
    );
}

#[tokio::test]
async fn a_practice_page_dates_the_sheet_by_its_source_not_by_its_import() {
    use chrono::TimeZone;
    let app = TestApp::new().await;
    let changed = chrono::Utc
        .with_ymd_and_hms(2024, 3, 15, 9, 0, 0)
        .single()
        .unwrap();
    riusa_store::testing::PracticeBuilder::new("sportello-suap-unico", "Sportello SUAP unico")
        .themes(&["servizi-digitali"])
        .owner("c_d612")
        .updated(changed)
        .insert(&app.db.store)
        .await;
    app.catch_up().await;
    let page = app.get("/pratiche/sportello-suap-unico").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Ultimo aggiornamento della scheda: 15 marzo 2024"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn unpublished_and_unknown_practices_are_not_found_in_italian() {
    let app = TestApp::new().await;
    for uri in [
        "/pratiche/bozza-riservata",
        "/pratiche/non-esiste",
        "/pagina-inventata",
        "/pratiche/%FF%FE",
    ] {
        let page = app.get(uri).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(page.body.contains("Pagina non trovata"), "{uri}");
    }
}

#[tokio::test]
async fn an_organization_page_lists_practices_as_owner_and_partner() {
    let app = TestApp::new().await;
    let orvieto = app.get("/enti/C_G148").await;
    assert_eq!(orvieto.status, StatusCode::OK);
    assert!(orvieto.body.contains("Comune di Orvieto"));
    assert!(orvieto.body.contains("19.876 abitanti"));
    assert!(
        orvieto
            .body
            .contains("Cartella sociale informatizzata SISO")
    );
    let roma = app.get("/enti/c_h501").await;
    assert!(
        roma.body
            .contains("non ha ancora pubblicato buone pratiche")
    );
    let list = app.get("/enti?q=comune&with_practices=false").await;
    assert!(list.body.contains("3 enti per «comune»"), "{}", list.body);
}

#[tokio::test]
async fn the_organization_list_goes_no_deeper_than_the_search_window() {
    let app = TestApp::new().await;
    // 400 pages of 25 are the 10,000 results search and the API stop at.
    assert_eq!(app.get("/enti?page=400").await.status, StatusCode::OK);
    let deeper = app.get("/enti?page=401").await;
    assert_eq!(deeper.status, StatusCode::BAD_REQUEST);
    assert!(
        deeper.body.contains("deve essere compreso tra 1 e 400"),
        "{}",
        deeper.body
    );
}

#[tokio::test]
async fn a_theme_page_lists_its_practices() {
    let app = TestApp::new().await;
    let page = app.get("/temi/politiche-sociali").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("2 buone pratiche"));
    assert!(page.body.contains("Cartella sociale informatizzata SISO"));
    assert!(!page.body.contains("Tariffa puntuale"));
    assert_eq!(
        app.get("/temi/inventato").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        app.get("/temi")
            .await
            .body
            .contains("Ambiente e territorio")
    );
}

#[tokio::test]
async fn pages_carry_security_headers_and_refuse_other_methods() {
    let app = TestApp::new().await;
    let page = app.get("/").await;
    let csp = page
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert!(page.headers.get("x-request-id").is_some());
    for uri in [
        "/pratiche",
        "/pratiche/cartella-sociale-siso",
        "/enti",
        "/temi/formazione",
    ] {
        let post = app
            .request(Request::post(uri).body(Body::empty()).unwrap())
            .await;
        assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED, "{uri}");
        assert!(post.content_type().starts_with("text/html"), "{uri}");
        assert!(post.body.contains("Operazione non consentita"), "{uri}");
        let allow = post.headers.get("allow").unwrap().to_str().unwrap();
        assert!(allow.contains("GET"), "{uri}: {allow}");
    }
}

#[tokio::test]
async fn the_memory_baseline_serves_the_same_bytes_as_the_page() {
    let app = TestApp::new().await;
    let live = app.get("/pratiche/cartella-sociale-siso").await;
    let cached = app
        .get("/_bench/memory/pratiche/cartella-sociale-siso")
        .await;
    // Two equal 404 pages would pass the comparison: both must be the practice.
    assert_eq!(live.status, StatusCode::OK);
    assert_eq!(cached.status, StatusCode::OK, "{}", cached.body);
    assert_eq!(live.content_type(), cached.content_type());
    assert_eq!(live.body, cached.body);
}

#[tokio::test]
async fn the_postgres_baseline_searches_with_full_text_and_facets() {
    let app = TestApp::new().await;
    if !riusa_store::testing::TestDatabase::is_postgres() {
        assert_eq!(
            app.get("/_bench/pg-search?q=sociale").await.status,
            StatusCode::NOT_FOUND,
            "SQLite has no baseline"
        );
        return;
    }
    use sea_orm::ConnectionTrait;
    app.db
        .store
        .connection()
        .execute_unprepared(include_str!("../../../../bench/pg_fts.sql"))
        .await
        .unwrap();
    let found = app.get("/_bench/pg-search?q=sociale").await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    let found = found.json();
    assert_eq!(found["total"], 2);
    assert!(
        found["facets"]["theme"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["value"] == "politiche-sociali" && f["count"] == 2)
    );
}

#[tokio::test]
async fn on_phones_the_latest_practices_come_before_the_themes_and_the_page_index_is_closed() {
    let app = TestApp::new().await;
    let home = app.get("/").await;
    let desktop_themes = home
        .body
        .find(r#"class="container py-5 d-none d-lg-block""#)
        .unwrap();
    let latest = home.body.find("Le esperienze più recenti").unwrap();
    let phone_themes = home
        .body
        .find(r#"class="container py-5 d-lg-none""#)
        .unwrap();
    assert!(desktop_themes < latest && latest < phone_themes);

    let practice = app.get("/pratiche/innovazione-inclusione-sociale").await;
    let phone_index = practice.body.find(r#"<nav class="d-lg-none""#).unwrap();
    let details_tag = practice.body[phone_index..]
        .split("<details")
        .nth(1)
        .and_then(|rest| rest.split('>').next())
        .unwrap();
    assert!(
        !details_tag.contains("open"),
        "closed until asked: <details{details_tag}>"
    );
    assert!(
        practice
            .body
            .contains(r#"<nav class="d-none d-lg-block sticky-lg-top"#)
    );
}
