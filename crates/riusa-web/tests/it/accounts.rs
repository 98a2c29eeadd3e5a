//! Signing in and out, registering, resetting a password, invitations, tokens: the pages as a
//! browser uses them, with the emails read from the outbox they are sent from.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{Duration, Utc};
use riusa_domain::accounts::OrgRole;
use riusa_store::testing::AccountBuilder;
use riusa_store::{AuditFilter, OutgoingEmail};

use crate::browser::location;
use crate::{Browser, TestApp};

const PASSWORD: &str = "girasole-lampione-trattore";

async fn person(app: &TestApp, email: &str, setup: impl FnOnce(AccountBuilder) -> AccountBuilder) {
    let hash = riusa_web::auth::password::hash_blocking(PASSWORD).unwrap();
    setup(AccountBuilder::new(email).password_hash(&hash))
        .insert(&app.db.store)
        .await;
}

/// The emails waiting to be sent (claimed, as the mail job would).
async fn outbox(app: &TestApp) -> Vec<OutgoingEmail> {
    app.db
        .store
        .notifications()
        .claim_due(Utc::now() + Duration::seconds(1), 50, Duration::minutes(5))
        .await
        .unwrap()
}

/// The path of the link in an email (`http://host/path` → `/path`).
fn link_path(email: &OutgoingEmail) -> String {
    let link = email.params["link"].as_str().unwrap();
    let url = url::Url::parse(link).unwrap();
    url.path().to_owned()
}

#[tokio::test]
async fn signing_in_starts_a_fresh_session_and_signing_out_ends_it() {
    let app = TestApp::new().await;
    person(&app, "anna@comune.orvieto.tr.it", |a| {
        a.member_of("c_g148", OrgRole::Member)
    })
    .await;
    let mut browser = Browser::new(&app);
    assert_eq!(
        location(&browser.get("/profilo").await),
        "/accedi?dopo=%2Fprofilo"
    );
    // A session id planted before sign-in is never the one signed in.
    browser.set_cookie("riusa_sessione", "scelto-da-un-altro");

    let signed_in = browser.sign_in("Anna@Comune.Orvieto.TR.it", PASSWORD).await;
    assert_eq!(
        location(&signed_in),
        "/le-mie-schede",
        "members land on their practices"
    );
    let cookie = signed_in
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("riusa_sessione="))
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert_ne!(
        browser.cookie("riusa_sessione").unwrap(),
        "scelto-da-un-altro"
    );

    let profile = browser.get("/profilo").await;
    assert_eq!(profile.status, StatusCode::OK);
    assert!(profile.body.contains("Comune di Orvieto"));
    assert!(
        profile.body.contains("Esci"),
        "the header knows who is signed in"
    );

    let out = browser.post("/esci", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(browser.cookie("riusa_sessione").is_none());
    assert_eq!(browser.get("/profilo").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn wrong_passwords_are_audited_and_an_account_is_locked_for_a_while() {
    let app = TestApp::new().await;
    person(&app, "paolo@comune.firenze.it", |a| a).await;
    let mut browser = Browser::new(&app).from_address("198.51.100.20");
    for _ in 0..5 {
        let refused = browser
            .submit(
                "/accedi",
                "/accedi",
                &[
                    ("email", "paolo@comune.firenze.it"),
                    ("password", "sbagliata-sbagliata"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Email o password non corretti"));
    }
    let locked = browser
        .submit(
            "/accedi",
            "/accedi",
            &[("email", "paolo@comune.firenze.it"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password"
    );
    let retry: u64 = locked.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    assert!(locked.body.contains("Troppi tentativi"));
    let failures = app
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
    assert_eq!(failures.total, 5);
    assert!(
        failures
            .items
            .iter()
            .all(|e| e.ip.as_deref() == Some("198.51.100.20"))
    );
    assert!(
        !failures.items[0].detail.contains("paolo"),
        "no personal data in the details"
    );
}

#[tokio::test]
async fn a_form_without_its_token_or_from_another_site_is_refused() {
    let app = TestApp::new().await;
    person(&app, "lucia@comune.lecce.it", |a| a).await;
    let mut browser = Browser::new(&app);
    browser.get("/accedi").await;
    let fields = [("email", "lucia@comune.lecce.it"), ("password", PASSWORD)];
    let forged = browser.post_raw("/accedi", &fields, &[]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.body.contains("Il modulo è scaduto"));
    let token = browser.csrf.clone().unwrap();
    let mut with_token = vec![("csrf", token.as_str())];
    with_token.extend_from_slice(&fields);
    let cross_site = browser
        .post_raw("/accedi", &with_token, &[("sec-fetch-site", "cross-site")])
        .await;
    assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
    // Another browser's token does not work with this browser's cookie.
    let mut other = Browser::new(&app);
    other.get("/accedi").await;
    let stolen = browser
        .post_raw(
            "/accedi",
            &[
                ("csrf", other.csrf.as_deref().unwrap()),
                fields[0],
                fields[1],
            ],
            &[],
        )
        .await;
    assert_eq!(stolen.status, StatusCode::FORBIDDEN);
    assert_eq!(
        browser.post_raw("/accedi", &with_token, &[]).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_registration_is_confirmed_by_the_emailed_link_before_signing_in() {
    let app = TestApp::new().await;
    let mut browser = Browser::new(&app);
    let weak = browser
        .submit(
            "/registrati",
            "/registrati",
            &[
                ("name", "Giulia Neri"),
                ("email", "giulia.neri@comune.lecce.it"),
                ("password", "password1234"),
                ("password_again", "password1234"),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body.contains("troppo facile da indovinare"));
    assert!(
        weak.body.contains("value=\"Giulia Neri\""),
        "the form keeps what was typed"
    );

    let registered = browser
        .submit(
            "/registrati",
            "/registrati",
            &[
                ("name", "Giulia Neri"),
                ("email", "giulia.neri@comune.lecce.it"),
                ("password", PASSWORD),
                ("password_again", PASSWORD),
            ],
        )
        .await;
    assert_eq!(registered.status, StatusCode::OK);
    assert!(registered.body.contains("Controlla la tua posta"));
    let early = browser
        .submit(
            "/accedi",
            "/accedi",
            &[
                ("email", "giulia.neri@comune.lecce.it"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("non è ancora confermato"));

    let emails = outbox(&app).await;
    assert_eq!(emails.len(), 1);
    assert_eq!(
        (emails[0].to.as_str(), emails[0].kind.as_str()),
        ("giulia.neri@comune.lecce.it", "account.confirm_email")
    );
    let confirm = link_path(&emails[0]);
    let page = browser.get(&confirm).await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "opening the link confirms nothing by itself"
    );
    assert_eq!(browser.post(&confirm, &[]).await.status, StatusCode::OK);
    assert_eq!(
        browser.post(&confirm, &[]).await.status,
        StatusCode::NOT_FOUND,
        "once"
    );
    browser
        .sign_in("giulia.neri@comune.lecce.it", PASSWORD)
        .await;

    // The same address again: the same answer, and no second account.
    let again = Browser::new(&app)
        .submit(
            "/registrati",
            "/registrati",
            &[
                ("name", "Altra"),
                ("email", "giulia.neri@comune.lecce.it"),
                ("password", PASSWORD),
                ("password_again", PASSWORD),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(outbox(&app).await.is_empty());
}

#[tokio::test]
async fn a_reset_link_works_once_and_ends_the_old_sessions() {
    let app = TestApp::new().await;
    person(&app, "marco@regione.umbria.it", |a| a).await;
    let mut old = Browser::new(&app);
    old.sign_in("marco@regione.umbria.it", PASSWORD).await;

    let mut browser = Browser::new(&app);
    let asked = browser
        .submit(
            "/password-dimenticata",
            "/password-dimenticata",
            &[("email", "marco@regione.umbria.it")],
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    let unknown = browser
        .submit(
            "/password-dimenticata",
            "/password-dimenticata",
            &[("email", "nessuno@regione.umbria.it")],
        )
        .await;
    assert_eq!(
        unknown.body, asked.body,
        "the same answer for an unknown address"
    );
    let emails = outbox(&app).await;
    assert_eq!(emails.len(), 1, "only the registered address gets a link");
    let reset = link_path(&emails[0]);
    let new_password = "nuvola-bicicletta-armadio";
    let short = browser
        .submit(
            &reset,
            &reset,
            &[("password", "corta"), ("password_again", "corta")],
        )
        .await;
    assert_eq!(
        short.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the link is not used up by a bad password"
    );
    let done = browser
        .submit(
            &reset,
            &reset,
            &[("password", new_password), ("password_again", new_password)],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK);
    let twice = browser
        .submit(
            &reset,
            &reset,
            &[("password", new_password), ("password_again", new_password)],
        )
        .await;
    assert_eq!(twice.status, StatusCode::NOT_FOUND);

    assert_eq!(
        old.get("/profilo").await.status,
        StatusCode::SEE_OTHER,
        "old sessions ended"
    );
    browser
        .sign_in("marco@regione.umbria.it", new_password)
        .await;
}

#[tokio::test]
async fn a_coordinator_invites_a_colleague_who_joins_with_the_link() {
    let app = TestApp::new().await;
    person(&app, "referente@comune.orvieto.tr.it", |a| {
        a.member_of("c_g148", OrgRole::Coordinator)
    })
    .await;
    person(&app, "membro@comune.orvieto.tr.it", |a| {
        a.member_of("c_g148", OrgRole::Member)
    })
    .await;

    assert_eq!(
        location(&Browser::new(&app).get("/enti/c_g148/persone").await),
        "/accedi?dopo=%2Fenti%2Fc_g148%2Fpersone"
    );
    let mut member = Browser::new(&app);
    member
        .sign_in("membro@comune.orvieto.tr.it", PASSWORD)
        .await;
    assert_eq!(
        member.get("/enti/c_g148/persone").await.status,
        StatusCode::FORBIDDEN
    );

    let mut coordinator = Browser::new(&app);
    coordinator
        .sign_in("referente@comune.orvieto.tr.it", PASSWORD)
        .await;
    let people = coordinator.get("/enti/c_g148/persone").await;
    assert_eq!(people.status, StatusCode::OK);
    assert!(people.body.contains("membro@comune.orvieto.tr.it"));
    assert!(
        !people.body.contains("ruolo-referente"),
        "coordinators invite members only"
    );
    let invited = coordinator
        .post(
            "/enti/c_g148/persone/invita",
            &[
                ("email", "Nuova.Collega@Comune.Orvieto.TR.it"),
                ("role", "coordinator"),
            ],
        )
        .await;
    assert_eq!(location(&invited), "/enti/c_g148/persone?esito=invitato");

    let emails = outbox(&app).await;
    let invitation = emails.iter().find(|e| e.kind == "invitation").unwrap();
    assert_eq!(invitation.to, "nuova.collega@comune.orvieto.tr.it");
    let link = link_path(invitation);
    let mut newcomer = Browser::new(&app);
    let page = newcomer.get(&link).await;
    assert!(page.body.contains("Comune di Orvieto") && page.body.contains("componente"));
    let joined = newcomer
        .post(
            &link,
            &[
                ("name", "Nuova Collega"),
                ("password", PASSWORD),
                ("password_again", PASSWORD),
            ],
        )
        .await;
    assert_eq!(location(&joined), "/le-mie-schede");
    assert!(
        newcomer
            .get("/profilo")
            .await
            .body
            .contains("Comune di Orvieto")
    );
    assert_eq!(
        Browser::new(&app).get(&link).await.status,
        StatusCode::NOT_FOUND,
        "single use"
    );

    // Removing asks first; then the person is out.
    let people = coordinator.get("/enti/c_g148/persone").await;
    let remove = people
        .body
        .split("href=\"")
        .find(|s| s.contains("/rimuovi\"") && s.contains("/persone/"))
        .map(|s| s.split('"').next().unwrap().to_owned())
        .unwrap();
    assert!(coordinator.get(&remove).await.body.contains("Sì, rimuovi"));
    assert_eq!(
        coordinator.post(&remove, &[]).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_personal_token_is_shown_once_and_identifies_its_owner_on_the_api() {
    let app = TestApp::new().await;
    person(&app, "api@comune.lecce.it", |a| a).await;
    let mut browser = Browser::new(&app);
    browser.sign_in("api@comune.lecce.it", PASSWORD).await;
    browser.get("/profilo").await;
    let created = browser
        .post("/profilo/token", &[("label", "Gestionale")])
        .await;
    assert_eq!(created.status, StatusCode::OK);
    let token = created
        .body
        .split("<code id=\"nuovo-token\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    assert!(token.starts_with("riusa_"));
    assert!(
        !browser.get("/profilo").await.body.contains(&token),
        "shown once"
    );

    let with = |token: &str| {
        Request::get("/api/v1/practices")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(app.request(with(&token)).await.status, StatusCode::OK);
    let bad = app.request(with("riusa_nonvalido")).await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert_eq!(bad.content_type(), "application/problem+json");
    assert!(bad.headers.contains_key(header::WWW_AUTHENTICATE));
}
