//! The write API of `/api/v1`: drafts and the editorial workflow, with personal access tokens,
//! `ETag` and `If-Match`, problem documents for every refusal.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::Utc;
use riusa_domain::accounts::OrgRole;
use riusa_store::testing::AccountBuilder;
use riusa_store::{Actor, AuditFilter};
use riusa_web::auth::secrets::{digest, new_access_token};
use serde_json::{Value, json};

use crate::{TestApp, TestResponse};

/// The practice form's limit, which the API's practice writes share.
const PRACTICE_FORM_BODY_LIMIT: usize = 3_425_536;

/// Somebody with a personal access token.
struct Client<'a> {
    app: &'a TestApp,
    token: String,
    account_id: uuid::Uuid,
}

impl<'a> Client<'a> {
    async fn new(app: &'a TestApp, account: AccountBuilder) -> Client<'a> {
        let account_id = account.insert(&app.db.store).await;
        let token = new_access_token();
        app.db
            .store
            .accounts()
            .create_token(
                account_id,
                "Gestionale".into(),
                digest(&token),
                &Actor::operator(),
                Utc::now(),
            )
            .await
            .unwrap();
        Client {
            app,
            token,
            account_id,
        }
    }

    async fn member(app: &'a TestApp, email: &str, ipa: &str) -> Client<'a> {
        Client::new(
            app,
            AccountBuilder::new(email).member_of(ipa, OrgRole::Member),
        )
        .await
    }

    async fn coordinator(app: &'a TestApp, email: &str, ipa: &str) -> Client<'a> {
        Client::new(
            app,
            AccountBuilder::new(email).member_of(ipa, OrgRole::Coordinator),
        )
        .await
    }

    async fn editor(app: &'a TestApp) -> Client<'a> {
        Client::new(
            app,
            AccountBuilder::new("redazione@riusa.example.org").editor(),
        )
        .await
    }

    async fn send(
        &self,
        method: &str,
        uri: &str,
        if_match: Option<&str>,
        body: Option<&Value>,
    ) -> TestResponse {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token));
        if let Some(tag) = if_match {
            request = request.header(header::IF_MATCH, tag);
        }
        let body = match body {
            Some(value) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(value.to_string())
            }
            None => Body::empty(),
        };
        self.app.request(request.body(body).unwrap()).await
    }

    async fn create(&self, record: &Value) -> TestResponse {
        self.send("POST", "/api/v1/practices", None, Some(record))
            .await
    }

    async fn save(&self, id: &str, if_match: Option<&str>, record: &Value) -> TestResponse {
        self.send(
            "PUT",
            &format!("/api/v1/practices/{id}"),
            if_match,
            Some(record),
        )
        .await
    }

    async fn draft(&self, id: &str) -> TestResponse {
        self.send("GET", &format!("/api/v1/practices/{id}/draft"), None, None)
            .await
    }

    /// `submit`, `publish`, `archive`, `restore`.
    async fn act(&self, id: &str, action: &str, if_match: &str) -> TestResponse {
        self.send(
            "POST",
            &format!("/api/v1/practices/{id}/{action}"),
            Some(if_match),
            None,
        )
        .await
    }
}

fn record(slug: &str, title: &str, owner: &str) -> Value {
    json!({
        "slug": slug,
        "title": title,
        "summary": "Un solo sportello per le imprese, in rete tra i comuni dell'ambito.",
        "themes": ["digitalizzazione-dei-processi"],
        "owners": [{"ipa": owner, "role": "owner"}],
        "sections": {"motivation": "Le imprese artigiane perdevano giorni tra uffici diversi."},
        "status": "published"
    })
}

fn etag(response: &TestResponse) -> &str {
    response
        .headers
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// A problem document with this status.
fn problem(response: &TestResponse, status: StatusCode) -> Value {
    assert_eq!(response.status, status, "{}", response.body);
    assert_eq!(response.content_type(), "application/problem+json");
    let problem = response.json();
    assert_eq!(problem["status"], status.as_u16());
    problem
}

/// `(field, code)` of each invalid field of a problem.
fn field_codes(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors: {problem}"))
        .iter()
        .map(|e| {
            assert!(e["detail"].as_str().is_some_and(|d| !d.is_empty()), "{e}");
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn anonymous_people_and_session_cookies_cannot_write() {
    let app = TestApp::new().await;
    let body = record("sportello-imprese", "Sportello imprese", "c_g148").to_string();
    let anonymous = app
        .request(
            Request::post("/api/v1/practices")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.clone()))
                .unwrap(),
        )
        .await;
    problem(&anonymous, StatusCode::UNAUTHORIZED);
    assert!(anonymous.headers.contains_key(header::WWW_AUTHENTICATE));

    // A browser's session is not a token: another site's page could make the browser send it.
    let hash = riusa_web::auth::password::hash_blocking("girasole-lampione-trattore").unwrap();
    AccountBuilder::new("anna@comune.orvieto.tr.it")
        .password_hash(&hash)
        .member_of("c_g148", OrgRole::Member)
        .insert(&app.db.store)
        .await;
    let mut browser = crate::Browser::new(&app);
    browser
        .sign_in("anna@comune.orvieto.tr.it", "girasole-lampione-trattore")
        .await;
    let session = browser.cookie("riusa_sessione").unwrap().to_owned();
    let by_cookie = app
        .request(
            Request::post("/api/v1/practices")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, format!("riusa_sessione={session}"))
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    problem(&by_cookie, StatusCode::UNAUTHORIZED);
    let count = app.db.store.catalog().count(Default::default()).await;
    assert_eq!(count.unwrap(), 4, "nothing was created");
}

#[tokio::test]
async fn a_member_creates_a_draft_and_saves_it_only_on_the_newest_revision() {
    let app = TestApp::new().await;
    let member = Client::member(&app, "anna@comune.orvieto.tr.it", "c_g148").await;
    let text = record(
        "sportello-imprese-artigiane",
        "Sportello per le imprese artigiane",
        "C_G148",
    );

    let created = member.create(&text).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(etag(&created), "\"r1\"");
    let draft = created.json();
    let id = draft["id"].as_str().unwrap().to_owned();
    assert_eq!(
        created.headers[header::LOCATION],
        format!("/api/v1/practices/{id}/draft").as_str()
    );
    assert_eq!(
        (&draft["status"], &draft["draft"], &draft["revision"]),
        (&json!("draft"), &json!("editing"), &json!(1))
    );
    assert_eq!(draft["slug"], "sportello-imprese-artigiane");
    assert_eq!(draft["record"]["owners"][0]["ipa"], "c_g148", "normalised");
    assert_eq!(
        draft["record"]["status"], "draft",
        "the body's status is ignored"
    );
    assert_eq!(
        app.get(&format!("/api/v1/practices/{id}")).await.status,
        StatusCode::NOT_FOUND,
        "a draft is not public"
    );

    let read = member.draft(&id).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(etag(&read), "\"r1\"");
    assert_eq!(read.json()["record"]["title"], text["title"]);

    let mut changed = text.clone();
    changed["title"] = json!("Sportello unico per le imprese artigiane");
    let missing = member.save(&id, None, &changed).await;
    let missing = problem(&missing, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(
        missing["detail"],
        riusa_web::messages::PRECONDITION_REQUIRED
    );
    let weak = member.save(&id, Some("*"), &changed).await;
    problem(&weak, StatusCode::PRECONDITION_REQUIRED);

    let stale = member.save(&id, Some("\"r7\""), &changed).await;
    let stale = problem(&stale, StatusCode::PRECONDITION_FAILED);
    assert_eq!(
        stale["detail"],
        riusa_web::messages::refusal(&riusa_domain::Refusal::Stale {
            expected: 7,
            current: 1
        })
    );
    let unchanged = member.draft(&id).await;
    assert_eq!(etag(&unchanged), "\"r1\"", "nothing saved");
    assert_eq!(unchanged.json()["record"]["title"], text["title"]);

    let saved = member.save(&id, Some("\"r1\""), &changed).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(etag(&saved), "\"r2\"");
    assert_eq!(saved.json()["revision"], 2);
    assert_eq!(saved.json()["record"]["title"], changed["title"]);
    let again = member.save(&id, Some("\"r1\""), &changed).await;
    assert_eq!(
        etag(&again),
        "\"r2\"",
        "a stale write learns the newest revision"
    );
    problem(&again, StatusCode::PRECONDITION_FAILED);

    // Each request with the token is a `token.use` event of its account.
    let uses = app
        .db
        .store
        .audit()
        .search(
            &AuditFilter {
                action: Some("token.use".into()),
                actor_id: Some(member.account_id),
                ..AuditFilter::default()
            },
            0,
            100,
        )
        .await
        .unwrap();
    assert_eq!(uses.total, 8, "one a request");
    let created_event = app
        .db
        .store
        .audit()
        .search(
            &AuditFilter {
                action: Some("practice.create".into()),
                actor_id: Some(member.account_id),
                ..AuditFilter::default()
            },
            0,
            10,
        )
        .await
        .unwrap();
    assert_eq!(created_event.total, 1);
}

#[tokio::test]
async fn a_draft_is_submitted_by_a_coordinator_and_published_by_an_editor() {
    let app = TestApp::new().await;
    let member = Client::member(&app, "anna@comune.orvieto.tr.it", "c_g148").await;
    let coordinator = Client::coordinator(&app, "rita@comune.orvieto.tr.it", "c_g148").await;
    let editor = Client::editor(&app).await;
    let created = member
        .create(&record(
            "sportello-imprese-artigiane",
            "Sportello per le imprese artigiane",
            "c_g148",
        ))
        .await;
    let id = created.json()["id"].as_str().unwrap().to_owned();

    problem(
        &member.act(&id, "submit", "\"r1\"").await,
        StatusCode::FORBIDDEN,
    );
    let submitted = coordinator.act(&id, "submit", "\"r1\"").await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    assert_eq!(etag(&submitted), "\"r1\"");
    assert_eq!(submitted.json()["status"], "in_review");
    assert_eq!(submitted.json()["draft"], "in_review");
    problem(
        &coordinator.act(&id, "publish", "\"r1\"").await,
        StatusCode::FORBIDDEN,
    );

    let changes = format!("/api/v1/practices/{id}/request-changes");
    let none = editor
        .send(
            "POST",
            &changes,
            Some("\"r1\""),
            Some(&json!({"comments": []})),
        )
        .await;
    let none = problem(&none, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_codes(&none), [("comments".into(), "required".into())]);
    let unknown_section = editor
        .send(
            "POST",
            &changes,
            Some("\"r1\""),
            Some(&json!({"comments": [{"section": "prefazione", "body": "x"}]})),
        )
        .await;
    let unknown_section = problem(&unknown_section, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&unknown_section),
        [("comments[0].section".into(), "invalid_type".into())]
    );
    let remarks = json!({"comments": [
        {"section": "motivation", "body": "Quanti giorni si sono risparmiati?"},
        {"section": null, "body": "Aggiungere i comuni dell'ambito."}
    ]});
    let sent_back = editor
        .send("POST", &changes, Some("\"r1\""), Some(&remarks))
        .await;
    assert_eq!(sent_back.status, StatusCode::OK, "{}", sent_back.body);
    assert_eq!(sent_back.json()["draft"], "changes_requested");
    let comments = app.db.store.catalog().comments(id.parse().unwrap()).await;
    assert_eq!(comments.unwrap().len(), 2);

    let mut revised = record(
        "sportello-imprese-artigiane",
        "Sportello per le imprese artigiane",
        "c_g148",
    );
    revised["sections"]["achieved_results"] = json!("Da 12 a 3 giorni per un'autorizzazione.");
    let saved = member.save(&id, Some("\"r1\""), &revised).await;
    assert_eq!(etag(&saved), "\"r2\"");
    coordinator.act(&id, "submit", "\"r2\"").await;
    let published = editor.act(&id, "publish", "\"r2\"").await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    assert_eq!(etag(&published), "\"r3\"");
    assert_eq!(
        (&published.json()["status"], &published.json()["draft"]),
        (&json!("published"), &json!("none"))
    );

    app.catch_up().await;
    let found = app.get("/api/v1/practices?q=artigiane").await.json();
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(found["items"][0]["id"], id.as_str());
    let public = app
        .get("/api/v1/practices/sportello-imprese-artigiane")
        .await;
    assert_eq!(public.status, StatusCode::OK);

    // Archive and restore, by a coordinator of the owner, not by a member.
    problem(
        &member.act(&id, "archive", "\"r3\"").await,
        StatusCode::FORBIDDEN,
    );
    let archived = coordinator.act(&id, "archive", "\"r3\"").await;
    assert_eq!(archived.json()["status"], "archived");
    problem(
        &coordinator.act(&id, "archive", "\"r3\"").await,
        StatusCode::CONFLICT,
    );
    let restored = coordinator.act(&id, "restore", "\"r3\"").await;
    assert_eq!(restored.json()["status"], "published");
}

#[tokio::test]
async fn an_invalid_practice_is_refused_with_every_field_at_fault() {
    let app = TestApp::new().await;
    let member = Client::member(&app, "anna@comune.orvieto.tr.it", "c_g148").await;
    let mut text = record("sportello-imprese", "Sportello imprese", "c_g148");
    text["title"] = json!("T".repeat(201));
    text["themes"] = json!(["astronautica"]);
    let refused = member.create(&text).await;
    let refused = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&refused),
        [
            ("title".into(), "too_long".into()),
            ("themes[0]".into(), "unknown_theme".into())
        ]
    );
    assert_eq!(
        app.db
            .store
            .catalog()
            .count(Default::default())
            .await
            .unwrap(),
        4,
        "nothing was created"
    );

    // An unknown owner is invalid, not a practice written for nobody (403).
    let mut nobody = record("sportello-imprese", "Sportello imprese", "c_g148");
    nobody["owners"] = json!([{"ipa": "c_x999", "role": "owner"}]);
    let refused = problem(
        &member.create(&nobody).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert_eq!(
        field_codes(&refused),
        [("owners[0].ipa".into(), "unknown_organization".into())]
    );

    let mut wrong_type = record("sportello-imprese", "Sportello imprese", "c_g148");
    wrong_type["owners"][0]["role"] = json!("capo");
    let refused = problem(
        &member.create(&wrong_type).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert_eq!(
        field_codes(&refused),
        [("owners[0].role".into(), "invalid_type".into())]
    );
    let mut unknown_key = record("sportello-imprese", "Sportello imprese", "c_g148");
    unknown_key["colore"] = json!("blu");
    let refused = problem(
        &member.create(&unknown_key).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert_eq!(refused["errors"][0]["field"], "colore");

    let raw = |body: String, content_type: &str| {
        Request::post("/api/v1/practices")
            .header(header::AUTHORIZATION, format!("Bearer {}", member.token))
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap()
    };
    let valid = record("sportello-imprese", "Sportello imprese", "c_g148");
    let json = "application/json";
    let cases = [
        ("{\"slug\": ".to_owned(), json, StatusCode::BAD_REQUEST),
        (format!("{valid} {valid}"), json, StatusCode::BAD_REQUEST),
        (format!("{valid}\n{valid}"), json, StatusCode::BAD_REQUEST),
        (format!("[{valid}]"), json, StatusCode::BAD_REQUEST),
        ("42".to_owned(), json, StatusCode::BAD_REQUEST),
        (String::new(), json, StatusCode::BAD_REQUEST),
        (
            valid.to_string(),
            "application/x-www-form-urlencoded",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
    ];
    for (body, content_type, status) in cases {
        let response = app.request(raw(body, content_type)).await;
        let refused = problem(&response, status);
        assert!(refused["detail"].as_str().unwrap().len() > 10, "{refused}");
    }
    assert_eq!(
        app.db
            .store
            .catalog()
            .count(Default::default())
            .await
            .unwrap(),
        4
    );
}

#[tokio::test]
async fn people_of_another_administration_cannot_read_or_write_a_draft() {
    let app = TestApp::new().await;
    let member = Client::member(&app, "anna@comune.orvieto.tr.it", "c_g148").await;
    let outsider = Client::coordinator(&app, "luca@comune.lecce.it", "c_e506").await;
    let text = record("sportello-imprese", "Sportello imprese", "c_g148");
    let created = member.create(&text).await;
    let id = created.json()["id"].as_str().unwrap().to_owned();

    problem(
        &outsider.save(&id, Some("\"r1\""), &text).await,
        StatusCode::FORBIDDEN,
    );
    problem(&outsider.draft(&id).await, StatusCode::FORBIDDEN);
    problem(
        &outsider.act(&id, "submit", "\"r1\"").await,
        StatusCode::FORBIDDEN,
    );
    let other = record("altro-sportello", "Altro sportello", "c_g148");
    problem(&outsider.create(&other).await, StatusCode::FORBIDDEN);
    // Nor may a member move a practice to an administration they are not in.
    let moved = record("sportello-imprese", "Sportello imprese", "c_e506");
    problem(
        &member.save(&id, Some("\"r1\""), &moved).await,
        StatusCode::FORBIDDEN,
    );
    assert_eq!(etag(&member.draft(&id).await), "\"r1\"");

    let missing = uuid::Uuid::now_v7();
    problem(
        &member.draft(&missing.to_string()).await,
        StatusCode::NOT_FOUND,
    );
    problem(
        &member
            .save("sportello-imprese", Some("\"r1\""), &text)
            .await,
        StatusCode::NOT_FOUND,
    );
}

#[tokio::test]
async fn drafts_leave_the_index_alone_and_a_publication_renews_it() {
    let app = TestApp::new().await;
    app.catch_up().await;
    let before = app.index.generation();
    let coordinator = Client::coordinator(&app, "rita@comune.orvieto.tr.it", "c_g148").await;
    let editor = Client::editor(&app).await;
    let text = record("sportello-imprese", "Sportello imprese", "c_g148");
    let created = coordinator.create(&text).await;
    let id = created.json()["id"].as_str().unwrap().to_owned();
    coordinator.save(&id, Some("\"r1\""), &text).await;
    let submitted = coordinator.act(&id, "submit", "\"r2\"").await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    app.catch_up().await;
    assert_eq!(
        app.index.generation(),
        before,
        "drafts do not turn the caches over"
    );

    let published = editor.act(&id, "publish", "\"r2\"").await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    app.catch_up().await;
    assert_ne!(app.index.generation(), before);
}

#[tokio::test]
async fn a_practice_write_takes_a_whole_practice_and_no_more() {
    let app = TestApp::new().await;
    let member = Client::member(&app, "anna@comune.orvieto.tr.it", "c_g148").await;
    // Beyond the 64 KiB of ordinary routes: 20,000 characters of 3 bytes in each of 3 sections.
    let mut text = record("sportello-imprese", "Sportello imprese", "c_g148");
    for key in ["motivation", "activities", "lessons"] {
        text["sections"][key] = json!("€".repeat(20_000));
    }
    assert!(text.to_string().len() > 150_000);
    let created = member.create(&text).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);

    let over = PRACTICE_FORM_BODY_LIMIT + 1;
    let too_big = app
        .request(
            Request::post("/api/v1/practices")
                .header(header::AUTHORIZATION, format!("Bearer {}", member.token))
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::CONTENT_LENGTH, over)
                .body(Body::from(vec![b' '; over]))
                .unwrap(),
        )
        .await;
    problem(&too_big, StatusCode::PAYLOAD_TOO_LARGE);
    // The read on the same path keeps the ordinary limit.
    let read = app
        .request(
            Request::get("/api/v1/practices")
                .header(header::CONTENT_LENGTH, 100_000)
                .body(Body::from(vec![b' '; 100_000]))
                .unwrap(),
        )
        .await;
    problem(&read, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn the_documented_practice_is_the_interchange_format() {
    let document = serde_json::to_value(riusa_web::openapi_document()).unwrap();
    let schema: Value = serde_json::from_str(include_str!(
        "../../../../docs/schemas/practice.schema.json"
    ))
    .unwrap();
    let documented = &document["components"]["schemas"]["PracticeRecord"];
    let keys =
        |object: &Value| -> Vec<String> { object.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&documented["properties"]), keys(&schema["properties"]));
    assert_eq!(documented["required"], schema["required"]);
    for (name, property) in schema["properties"].as_object().unwrap() {
        for limit in ["minLength", "maxLength", "pattern"] {
            assert_eq!(
                documented["properties"][name].get(limit),
                property.get(limit),
                "{name}.{limit}"
            );
        }
    }
    let sections = &document["components"]["schemas"]["Sections"]["properties"];
    assert_eq!(
        keys(sections),
        keys(&schema["properties"]["sections"]["properties"])
    );
    for (name, section) in sections.as_object().unwrap() {
        assert_eq!(section["maxLength"], 20_000, "{name}");
    }
    for (component, property) in [
        ("OwnerRef", "owners"),
        ("Funding", "funding"),
        ("Metric", "metrics"),
        ("Link", "links"),
    ] {
        let items = &schema["properties"][property]["items"];
        let documented = &document["components"]["schemas"][component];
        assert_eq!(
            keys(&documented["properties"]),
            keys(&items["properties"]),
            "{component}"
        );
        assert_eq!(documented["required"], items["required"], "{component}");
        for (name, field) in items["properties"].as_object().unwrap() {
            for limit in ["minLength", "maxLength"] {
                assert_eq!(
                    documented["properties"][name].get(limit),
                    field.get(limit),
                    "{component}.{name}.{limit}"
                );
            }
        }
    }
    assert_eq!(
        document["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}
