use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::TestApp;

#[tokio::test]
async fn practices_are_searched_with_facets_and_walked_with_cursors() {
    let app = TestApp::new().await;
    let first = app.get("/api/v1/practices?page_size=2&sort=title").await;
    assert_eq!(first.status, StatusCode::OK);
    let first = first.json();
    assert_eq!(first["total"], 3);
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    assert_eq!(first["items"][0]["slug"], "cartella-sociale-siso");
    let themes = first["facets"]["theme"].as_array().unwrap();
    assert!(
        themes
            .iter()
            .any(|v| v["value"] == "politiche-sociali" && v["count"] == 2)
    );
    let cursor = first["next_cursor"].as_str().unwrap();

    let second = app
        .get(&format!(
            "/api/v1/practices?page_size=2&sort=title&cursor={cursor}"
        ))
        .await
        .json();
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert_eq!(second["items"][0]["slug"], "tariffa-rifiuti-firenze");
    assert!(second["next_cursor"].is_null());
}

#[tokio::test]
async fn a_search_item_carries_a_snippet_and_its_owners() {
    let app = TestApp::new().await;
    let found = app.get("/api/v1/practices?q=TARI").await.json();
    assert_eq!(found["total"], 1, "the acronym finds «tassa sui rifiuti»");
    let item = &found["items"][0];
    assert_eq!(item["owners"][0]["ipa"], "c_d612");
    assert!(item["snippet"].as_str().unwrap().contains("<mark>"));
    let matched_twice = app.get("/api/v1/practices?q=percorsi").await.json();
    let snippet = matched_twice["items"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("<mark>Percorso</mark> 1"), "{snippet}");
    assert!(
        !snippet.contains("776 ore"),
        "cut from the sections, not the summary shown beside it: {snippet}"
    );
    let filtered = app
        .get("/api/v1/practices?support=helpdesk&support=source_code")
        .await
        .json();
    assert_eq!(filtered["total"], 1);
}

#[tokio::test]
async fn cached_results_are_renewed_once_a_change_reaches_the_index() {
    let app = TestApp::new().await;
    let before = app.get("/api/v1/practices?q=rifiuti").await.json();
    assert_eq!(before["items"][0]["title"], "Tariffa puntuale sui rifiuti");
    assert_eq!(
        app.get("/api/v1/practices?q=rifiuti").await.json(),
        before,
        "served again, from the cache"
    );
    riusa_store::testing::PracticeBuilder::new(
        "tariffa-rifiuti-firenze",
        "Tariffa puntuale sui rifiuti, seconda fase",
    )
    .themes(&["tributi-e-bilancio"])
    .owner("c_d612")
    .insert(&app.db.store)
    .await;
    app.catch_up().await;
    let after = app.get("/api/v1/practices?q=rifiuti").await.json();
    assert_eq!(
        after["items"][0]["title"],
        "Tariffa puntuale sui rifiuti, seconda fase"
    );
}

#[tokio::test]
async fn a_practice_is_found_by_id_or_slug_and_drafts_are_not() {
    let app = TestApp::new().await;
    let by_slug = app.get("/api/v1/practices/cartella-sociale-siso").await;
    assert_eq!(by_slug.status, StatusCode::OK);
    let by_slug = by_slug.json();
    assert_eq!(by_slug["owners"][1]["role"], "partner");
    assert_eq!(by_slug["places"][0]["name"], "Orvieto");
    let id = by_slug["id"].as_str().unwrap();
    let by_id = app.get(&format!("/api/v1/practices/{id}")).await.json();
    assert_eq!(by_id["slug"], "cartella-sociale-siso");
    let draft = app.get("/api/v1/practices/bozza-riservata").await;
    assert_eq!(draft.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_error_is_a_problem_document() {
    let app = TestApp::new().await;
    let cases = [
        (
            Request::get("/api/v1/practices/non-esiste"),
            StatusCode::NOT_FOUND,
        ),
        (Request::get("/api/v1/inventato"), StatusCode::NOT_FOUND),
        (
            Request::get("/api/v1/practices?page_size=1000"),
            StatusCode::BAD_REQUEST,
        ),
        (
            Request::get("/api/v1/practices?cursor=%%%"),
            StatusCode::BAD_REQUEST,
        ),
        (
            Request::get("/api/v1/practices?support=denaro"),
            StatusCode::BAD_REQUEST,
        ),
        (
            Request::get("/api/v1/organizations?page_size=-1"),
            StatusCode::BAD_REQUEST,
        ),
        (Request::get("/api/v1/practices/%FF"), StatusCode::NOT_FOUND),
        (
            Request::delete("/api/v1/practices"),
            StatusCode::METHOD_NOT_ALLOWED,
        ),
    ];
    for (request, status) in cases {
        let request = request.body(Body::empty()).unwrap();
        let uri = request.uri().to_string();
        let response = app.request(request).await;
        assert_eq!(response.status, status, "{uri}");
        assert_eq!(response.content_type(), "application/problem+json", "{uri}");
        let problem = response.json();
        assert_eq!(problem["status"], status.as_u16(), "{uri}");
        assert!(
            problem["title"].is_string() && problem["detail"].is_string(),
            "{uri}"
        );
    }
    let bad = app.get("/api/v1/practices?page_size=0").await.json();
    assert_eq!(bad["param"], "page_size");
}

#[tokio::test]
async fn organizations_and_themes_are_listed_and_found() {
    let app = TestApp::new().await;
    let organizations = app.get("/api/v1/organizations?q=regione").await.json();
    assert_eq!(organizations["total"], 2);
    let umbria = app.get("/api/v1/organizations/R_UMBRIA").await.json();
    assert_eq!(umbria["ipa"], "r_umbria");
    assert_eq!(umbria["municipality"]["name"], "Perugia");
    assert_eq!(umbria["practices_count"], 1);
    let themes = app.get("/api/v1/themes").await.json();
    assert_eq!(themes["total"], 12);
    let social = app.get("/api/v1/themes/politiche-sociali").await.json();
    assert_eq!(social["practices_count"], 2);
    assert_eq!(
        app.get("/api/v1/themes/inventato").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let app = TestApp::new().await;
    let document = app.get("/api/v1/openapi.json").await.json();
    let paths = document["paths"].as_object().unwrap();
    for path in [
        "/practices",
        "/practices/{id}",
        "/organizations",
        "/organizations/{ipa}",
        "/themes",
        "/themes/{slug}",
    ] {
        assert!(paths.contains_key(path), "{path}");
    }
    insta::assert_json_snapshot!("openapi", riusa_web::openapi_document());
}

#[tokio::test]
async fn a_forged_cursor_is_refused_before_the_database() {
    use base64::Engine;
    let app = TestApp::new().await;
    // The offset u64::MAX: it once overflowed the window check and reached the SQL driver.
    let forged = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("o:18446744073709551615");
    for list in ["organizations", "practices"] {
        let uri = format!("/api/v1/{list}?cursor={forged}");
        let response = app.get(&uri).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(response.content_type(), "application/problem+json", "{uri}");
        assert_eq!(response.json()["param"], "cursor", "{uri}");
    }
}

#[tokio::test]
async fn a_too_big_body_is_refused_with_a_problem_and_counted() {
    let app = TestApp::new().await;
    let sized = |uri: &str, bytes: usize| {
        Request::get(uri)
            .header("content-length", bytes)
            .body(Body::from(vec![b'x'; bytes]))
            .unwrap()
    };
    let default_limit = 64 * 1024;
    let fits = app.request(sized("/api/v1/practices", default_limit)).await;
    assert_eq!(fits.status, StatusCode::OK);
    let refused = app
        .request(sized("/api/v1/practices", default_limit + 1))
        .await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(refused.content_type(), "application/problem+json");
    assert_eq!(refused.json()["status"], 413);
    let page = app.request(sized("/pratiche", default_limit + 1)).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(page.content_type().starts_with("text/html"));
    assert!(
        page.body.contains("Richiesta troppo grande"),
        "{}",
        page.body
    );
    let metrics = app.get("/metrics").await.body;
    assert!(
        metrics.contains(r#"route="/api/v1/practices",status="413""#),
        "{metrics}"
    );
}
