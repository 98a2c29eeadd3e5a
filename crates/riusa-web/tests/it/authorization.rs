//! Walks `docs/authorization.md`: every route, for every persona, is allowed or refused as the
//! table says (allowed: no 401/403 and no detour to the sign-in page, and reads answer below
//! 400; refused: the sign-in page or 401 for anonymous people, 403 for the others).

use std::collections::HashMap;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::{Duration, Utc};
use riusa_domain::accounts::{OrgRole, Principal};
use riusa_domain::catalog::workflow;
use riusa_domain::software::NewSoftware;
use riusa_store::testing::{AccountBuilder, PracticeBuilder};
use riusa_store::{Actor, NewAttachment};
use riusa_web::auth::secrets;
use uuid::Uuid;

use crate::{TestApp, TestResponse};

const PERSONAS: [&str; 6] = [
    "anonimo",
    "visitatore",
    "componente",
    "referente",
    "redazione",
    "amministrazione",
];

/// The software record of the world, public.
const SOFTWARE_SLUG: &str = "medusa";

/// Who each code of the table admits.
fn admitted(code: &str) -> &'static [&'static str] {
    match code {
        "chiunque" => &PERSONAS,
        "account" => &[
            "visitatore",
            "componente",
            "referente",
            "redazione",
            "amministrazione",
        ],
        "personale" => &["componente", "referente", "redazione", "amministrazione"],
        "scheda" => &["componente", "referente", "redazione"],
        "referente-scheda" => &["referente", "redazione"],
        "referente-ente" => &["referente", "amministrazione"],
        "redazione" => &["redazione"],
        "amministrazione" => &["amministrazione"],
        other => panic!("docs/authorization.md: unknown code «{other}»"),
    }
}

struct Row {
    method: Method,
    path: String,
    who: String,
}

fn table() -> Vec<Row> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/authorization.md"
    ))
    .unwrap();
    let section = text.split("## Indirizzi").nth(1).unwrap();
    section
        .lines()
        .filter(|l| l.starts_with("| GET") || l.starts_with("| POST") || l.starts_with("| PUT"))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            Row {
                method: cells[1].parse().unwrap(),
                path: cells[2].to_owned(),
                who: cells[3].to_owned(),
            }
        })
        .collect()
}

struct Persona {
    principal: Option<Principal>,
    token: Option<String>,
}

struct World {
    personas: HashMap<&'static str, Persona>,
    practice: Uuid,
    /// A file of the practice's draft.
    attachment: Uuid,
    spare: Uuid,
}

const ATTACHMENT_NAME: &str = "relazione.pdf";

async fn world(app: &TestApp) -> World {
    let store = &app.db.store;
    let mut personas = HashMap::new();
    personas.insert(
        "anonimo",
        Persona {
            principal: None,
            token: None,
        },
    );
    let builders: [(&'static str, AccountBuilder); 5] = [
        ("visitatore", AccountBuilder::new("visitatore@example.it")),
        (
            "componente",
            AccountBuilder::new("componente@comune.orvieto.tr.it")
                .member_of("c_g148", OrgRole::Member),
        ),
        (
            "referente",
            AccountBuilder::new("referente@comune.orvieto.tr.it")
                .member_of("c_g148", OrgRole::Coordinator),
        ),
        (
            "redazione",
            AccountBuilder::new("redazione@riusa.example.it").editor(),
        ),
        (
            "amministrazione",
            AccountBuilder::new("admin@riusa.example.it").admin(),
        ),
    ];
    for (name, builder) in builders {
        let id = builder.insert(store).await;
        let token = secrets::new_access_token();
        store
            .accounts()
            .create_token(
                id,
                "prova".into(),
                secrets::digest(&token),
                &Actor::operator(),
                Utc::now(),
            )
            .await
            .unwrap();
        let principal = store.accounts().principal(id).await.unwrap().unwrap();
        personas.insert(
            name,
            Persona {
                principal: Some(principal),
                token: Some(token),
            },
        );
    }
    let spare = AccountBuilder::new("di-prova@comune.orvieto.tr.it")
        .member_of("c_g148", OrgRole::Member)
        .insert(store)
        .await;
    // A draft of Orvieto waiting for review.
    let record = PracticeBuilder::new("bozza-di-orvieto", "Bozza di Orvieto")
        .owner("c_g148")
        .build();
    let owners = store.catalog().owner_ids(&record).await.unwrap();
    let practice = Uuid::now_v7();
    let member = personas["componente"].principal.clone().unwrap();
    let coordinator = personas["referente"].principal.clone().unwrap();
    store
        .catalog()
        .apply(
            workflow::create(practice, record, &owners, &member).unwrap(),
            &Actor::account(member.account_id, None),
            Utc::now(),
        )
        .await
        .unwrap();
    // A file in the draft (revision 2).
    let state = store.catalog().workflow(practice).await.unwrap();
    let (text, _) = store.catalog().head_record(practice).await.unwrap();
    let content = axum::body::Bytes::from_static(b"%PDF-1.7\n%%EOF\n");
    let (_, attachment) = store
        .attachments()
        .attach(
            workflow::save_draft(&state, practice, 1, text, &owners, &member).unwrap(),
            NewAttachment {
                size: content.len() as u64,
                sha256: app.files.put(content).await.unwrap(),
                media_type: "application/pdf".into(),
                name: ATTACHMENT_NAME.into(),
            },
            &Actor::account(member.account_id, None),
            Utc::now(),
        )
        .await
        .unwrap();
    let state = store.catalog().workflow(practice).await.unwrap();
    store
        .catalog()
        .apply(
            workflow::submit(&state, practice, 2, &coordinator).unwrap(),
            &Actor::account(coordinator.account_id, None),
            Utc::now(),
        )
        .await
        .unwrap();
    // A software record, valid and so public.
    store
        .software()
        .upsert(
            &NewSoftware {
                url: "https://example.org/comune-orvieto/medusa".into(),
                name: "Medusa".into(),
                owner_ipa_code: Some("c_g148".into()),
                source: "name: Medusa\n".into(),
                ..NewSoftware::default()
            },
            None,
            &Actor::operator(),
            Utc::now(),
        )
        .await
        .unwrap();
    World {
        personas,
        practice,
        attachment,
        spare,
    }
}

/// The route with example values, and the query some pages need.
fn concrete(method: &Method, path: &str, world: &World) -> String {
    let id = if path == "/api/v1/practices/{id}" && *method == Method::GET {
        // The public read: a published practice (reads take a slug too).
        return "/api/v1/practices/cartella-sociale-siso".to_owned();
    } else if path.starts_with("/amministrazione/account/") {
        world.spare
    } else if path.starts_with("/profilo/token/") {
        Uuid::now_v7()
    } else if path.starts_with("/allegati/") {
        world.attachment
    } else {
        world.practice
    };
    let mut concrete = path
        .replace(
            "{slug}",
            if path.starts_with("/temi") || path.starts_with("/api/v1/themes") {
                "formazione"
            } else if path.starts_with("/software") || path.starts_with("/api/v1/software") {
                SOFTWARE_SLUG
            } else {
                "cartella-sociale-siso"
            },
        )
        .replace("{number}", "1")
        .replace("{ipa}", "c_g148")
        .replace("{account}", &world.spare.to_string())
        .replace("{token}", "collegamento-non-valido")
        // No provider is configured here: an unknown one is a 404 for everybody.
        .replace("{provider}", "sconosciuto")
        .replace("{*path}", "svg/favicon.svg")
        .replace("{attachment}", &world.attachment.to_string())
        .replace("{name}", ATTACHMENT_NAME)
        .replace("{id}", &id.to_string());
    if concrete.ends_with("/confronta") {
        concrete.push_str("?da=1&a=1");
    }
    concrete
}

async fn send(
    app: &TestApp,
    world: &World,
    persona: &str,
    method: &Method,
    path: &str,
) -> TestResponse {
    let person = &world.personas[persona];
    let api = path.starts_with("/api/");
    let mut request = Request::builder()
        .method(method.clone())
        .uri(path)
        .header("x-forwarded-for", "192.0.2.77");
    let mut form = Vec::new();
    match (&person.principal, api) {
        (Some(_), true) => {
            request = request.header(
                header::AUTHORIZATION,
                format!("Bearer {}", person.token.as_deref().unwrap_or_default()),
            );
        }
        (Some(principal), false) => {
            // A fresh session per request: signing out in one row must not sign out the next.
            let secret = secrets::new_secret();
            let hash = secrets::digest(&secret);
            app.db
                .store
                .accounts()
                .start_session(
                    principal.account_id,
                    hash.clone(),
                    Utc::now() + Duration::hours(1),
                    "prova",
                    &Actor::operator(),
                    Utc::now(),
                )
                .await
                .unwrap();
            request = request.header(header::COOKIE, format!("riusa_sessione={secret}"));
            form.push(("csrf".to_owned(), app.signing_key.sign("csrf", &hash)));
        }
        (None, false) => {
            request = request.header(header::COOKIE, "riusa_modulo=nonce-di-prova");
            form.push((
                "csrf".to_owned(),
                app.signing_key.sign("csrf-anonymous", "nonce-di-prova"),
            ));
        }
        (None, true) => {}
    }
    let body = if *method == Method::GET {
        Body::empty()
    } else if api {
        // An empty document: the roles are checked before its fields.
        request = request.header(header::CONTENT_TYPE, "application/json");
        Body::from("{}")
    } else {
        // A superseded revision: workflow writes are refused after the role check.
        form.push(("revision".to_owned(), "0".to_owned()));
        let encoded = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        Body::from(encoded)
    };
    app.request(request.body(body).unwrap()).await
}

fn location(response: &TestResponse) -> &str {
    response
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn every_route_admits_exactly_whom_the_table_says() {
    let app = TestApp::new().await;
    let world = world(&app).await;
    let rows = table();
    assert!(rows.len() > 50, "the table was read: {} rows", rows.len());
    let mut failures = Vec::new();
    // Reads first: the few writes that do change data must not change what reads see.
    let mut ordered: Vec<&Row> = rows.iter().filter(|r| r.method == Method::GET).collect();
    ordered.extend(rows.iter().filter(|r| r.method != Method::GET));
    for row in ordered {
        let allowed = admitted(&row.who);
        let path = concrete(&row.method, &row.path, &world);
        for persona in PERSONAS {
            let response = send(&app, &world, persona, &row.method, &path).await;
            let status = response.status;
            let to_sign_in =
                status == StatusCode::SEE_OTHER && location(&response).starts_with("/accedi?dopo=");
            let verdict = if allowed.contains(&persona) {
                let auth_failure = status == StatusCode::UNAUTHORIZED
                    || status == StatusCode::FORBIDDEN
                    || to_sign_in;
                let read_failed = row.method == Method::GET
                    && status.as_u16() >= 400
                    && !((row.path.contains("{token}") || row.path.contains("{provider}"))
                        && status == StatusCode::NOT_FOUND);
                (!auth_failure && !read_failed && !status.is_server_error())
                    .then_some(())
                    .ok_or("allowed")
            } else if persona == "anonimo" {
                let expected = if path.starts_with("/api/") {
                    status == StatusCode::UNAUTHORIZED
                } else {
                    to_sign_in
                };
                expected.then_some(()).ok_or("sent to sign in")
            } else {
                (status == StatusCode::FORBIDDEN)
                    .then_some(())
                    .ok_or("forbidden")
            };
            if let Err(expected) = verdict {
                failures.push(format!(
                    "{} {path} as {persona}: expected {expected}, got {status} {}",
                    row.method,
                    location(&response)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_api_path_of_the_openapi_document_has_a_row() {
    let rows = table();
    let document = riusa_web::openapi_document();
    for (path, item) in &document.paths.paths {
        let methods = [
            ("GET", item.get.is_some()),
            ("POST", item.post.is_some()),
            ("PUT", item.put.is_some()),
        ];
        for (method, present) in methods {
            if present {
                let full = format!("/api/v1{path}");
                assert!(
                    rows.iter()
                        .any(|r| r.method.as_str() == method && r.path == full),
                    "docs/authorization.md has no row for {method} {full}"
                );
            }
        }
    }
}
