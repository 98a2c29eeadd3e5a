//! Signing in with an OpenID Connect provider, as far as it goes without one: the buttons, an
//! unknown provider, a provider that does not answer, a return that no sign-in started. The
//! whole round trip against a real provider is `tests/browser/oidc.mjs`.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use riusa_store::AuditFilter;
use riusa_web::auth::oidc::{ClaimNames, ProviderConfig, Providers};
use riusa_web::{AppState, WebConfig};
use tower::ServiceExt;

use crate::TestApp;

/// The test app's database behind a router whose only provider listens nowhere.
fn with_provider(app: &TestApp) -> axum::Router {
    let provider = ProviderConfig {
        id: "spid".into(),
        label: "Entra con SPID".into(),
        // Port 9 (discard): nothing answers there.
        issuer_url: "http://127.0.0.1:9/realms/pa".into(),
        client_id: "riusa".into(),
        client_secret: "segreto".into(),
        scopes: vec!["openid".into(), "email".into()],
        claims: ClaimNames::default(),
        create_accounts: true,
    };
    let state = AppState::new(
        app.db.store.clone(),
        Arc::clone(&app.index),
        WebConfig {
            oidc: Providers::new(vec![provider]),
            ..WebConfig::default()
        },
    );
    riusa_web::router(state)
}

async fn get(router: &axum::Router, uri: &str) -> (StatusCode, String) {
    let response = router
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn the_sign_in_page_has_one_button_per_provider_keeping_the_page_to_return_to() {
    let app = TestApp::new().await;
    let plain = app.get("/accedi").await;
    assert!(
        !plain.body.contains("/accedi/oidc/"),
        "no provider, no button"
    );
    let router = with_provider(&app);
    let (status, body) = get(&router, "/accedi?dopo=%2Fle-mie-schede").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains(r#"href="/accedi/oidc/spid?dopo=%2Fle-mie-schede">Entra con SPID</a>"#),
        "{body}"
    );
}

#[tokio::test]
async fn an_unknown_provider_is_not_found() {
    let app = TestApp::new().await;
    let router = with_provider(&app);
    for uri in [
        "/accedi/oidc/cie",
        "/accedi/oidc/cie/ritorno?code=x&state=y",
    ] {
        let (status, body) = get(&router, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert!(body.contains("non è configurato"), "{uri}: {body}");
    }
}

#[tokio::test]
async fn a_provider_that_does_not_answer_is_an_italian_page_not_a_redirect() {
    let app = TestApp::new().await;
    let router = with_provider(&app);
    let response = router
        .clone()
        .oneshot(
            Request::get("/accedi/oidc/spid")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert!(response.headers().get(header::SET_COOKIE).is_none());
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert!(String::from_utf8_lossy(&body).contains("non risponde in questo momento"));
}

#[tokio::test]
async fn a_return_that_no_sign_in_started_is_refused_and_audited() {
    let app = TestApp::new().await;
    let router = with_provider(&app);
    let (status, body) = get(
        &router,
        "/accedi/oidc/spid/ritorno?code=rubato&state=inventato",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("non è valida o è scaduta"), "{body}");
    let events = app
        .db
        .store
        .audit()
        .search(
            &AuditFilter {
                action: Some("session.sign_in_failed".into()),
                ..AuditFilter::default()
            },
            0,
            10,
        )
        .await
        .unwrap();
    let [event] = &events.items[..] else {
        panic!("one failure: {:?}", events.items)
    };
    assert!(
        event.detail.contains(r#""reason":"bad_state""#),
        "{}",
        event.detail
    );
    assert!(
        event.detail.contains(r#""method":"oidc""#),
        "{}",
        event.detail
    );
}
