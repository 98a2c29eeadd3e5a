//! Web integration tests: the real router, a real database (SQLite or PostgreSQL) and a real
//! index, driven in-process. Modules are laid out like the URLs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod api;
mod api_writes;
mod attachments;
mod authorization;
mod browser;
mod health;
mod legal;
mod oidc;
mod organizations;
mod pages;
mod software;
mod workflow;

pub use browser::Browser;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use riusa_domain::catalog::{Sections, Status, SupportKind};
use riusa_search::SearchIndex;
use riusa_store::testing::{PracticeBuilder, TestDatabase};
use riusa_web::{AppState, Files, HubInfo, WebConfig};
use tower::ServiceExt;

pub struct TestApp {
    pub db: TestDatabase,
    pub index: Arc<SearchIndex>,
    /// The key the app signs form tokens with, so tests can post as a given session.
    pub signing_key: riusa_web::auth::SigningKey,
    /// Where the app keeps attachments (in memory unless a test gives another store).
    pub files: Files,
    router: axum::Router,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body as it came (files).
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

impl TestApp {
    /// Brings the index up to the change feed, as a node's follower would.
    pub async fn catch_up(&self) {
        let mut follower = riusa_search::Follower::start(
            self.db.store.clone(),
            std::sync::Arc::clone(&self.index),
        )
        .await
        .unwrap();
        follower.catch_up().await.unwrap();
    }

    /// Reference data plus a small catalog; the index is built from the database.
    pub async fn new() -> TestApp {
        TestApp::with_files(Files::in_memory()).await
    }

    /// [`TestApp::new`], keeping attachments in `files`.
    pub async fn with_files(files: Files) -> TestApp {
        TestApp::build(files, HubInfo::default()).await
    }

    /// [`TestApp::new`], for a hub run by the administration `hub` describes.
    pub async fn with_hub(hub: HubInfo) -> TestApp {
        TestApp::build(Files::in_memory(), hub).await
    }

    async fn build(files: Files, hub: HubInfo) -> TestApp {
        let db = TestDatabase::new().await.with_reference_data().await;
        let store = &db.store;
        PracticeBuilder::new(
            "innovazione-inclusione-sociale",
            "Innovazione e inclusione sociale",
        )
        .summary(
            "Tre percorsi di formazione per gli operatori sociali: 776 ore, 547 persone formate.",
        )
        .themes(&["formazione", "politiche-sociali"])
        .started(2017)
        .support(&[SupportKind::Testimonial])
        .sections(Sections {
            motivation: Some(
                "Rafforzare le competenze del personale degli **Uffici di Piano**.".into(),
            ),
            activities: Some(
                "- Percorso 1: 5 edizioni da 16 ore\n- Percorso 2: 10 edizioni da 36 ore".into(),
            ),
            lessons: Some(
                "<script>alert('x')</script>La dislocazione capillare delle sedi ha funzionato."
                    .into(),
            ),
            ..Sections::default()
        })
        .insert(store)
        .await;
        PracticeBuilder::new("cartella-sociale-siso", "Cartella sociale informatizzata SISO")
            .summary("Segretariato sociale e cartella sociale per i comuni di un ambito, con esportazione verso il Casellario INPS.")
            .themes(&["politiche-sociali", "digitalizzazione-dei-processi"])
            .owner("r_umbria")
            .partner("c_g148")
            .places(&["055023"])
            .started(2020)
            .support(&[SupportKind::SourceCode, SupportKind::Helpdesk])
            .insert(store)
            .await;
        PracticeBuilder::new("tariffa-rifiuti-firenze", "Tariffa puntuale sui rifiuti")
            .summary("La tassa sui rifiuti calcolata sugli svuotamenti effettivi.")
            .themes(&["tributi-e-bilancio"])
            .owner("c_d612")
            .started(2022)
            .insert(store)
            .await;
        PracticeBuilder::new("bozza-riservata", "Una bozza non pubblicata")
            .status(Status::Draft)
            .insert(store)
            .await;
        let index = Arc::new(SearchIndex::in_memory().unwrap());
        riusa_search::rebuild(store, &index, |_| {}).await.unwrap();
        let signing_key = riusa_web::auth::SigningKey::random();
        let state = AppState::new(
            store.clone(),
            Arc::clone(&index),
            WebConfig {
                bench_routes: true,
                client_ip_header: Some("x-forwarded-for".into()),
                signing_key: signing_key.clone(),
                hub,
                ..WebConfig::default()
            },
        )
        .with_files(files.clone());
        TestApp {
            signing_key,
            files,
            router: riusa_web::router(state),
            db,
            index,
        }
    }

    pub async fn request(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&self, uri: &str) -> TestResponse {
        self.request(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }
}
