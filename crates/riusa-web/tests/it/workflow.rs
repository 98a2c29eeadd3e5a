//! The editorial workflow through the pages: a member writes, a coordinator submits, an
//! editor asks for changes and publishes; revisions are kept and compared; what the public
//! sees changes only at publication.

use axum::http::{StatusCode, header};
use riusa_domain::accounts::OrgRole;
use riusa_store::testing::AccountBuilder;

use crate::browser::location;
use crate::{Browser, TestApp};

const PASSWORD: &str = "girasole-lampione-trattore";

async fn people(app: &TestApp) {
    let hash = riusa_web::auth::password::hash_blocking(PASSWORD).unwrap();
    for (email, setup) in [
        ("anna@comune.orvieto.tr.it", Some(OrgRole::Member)),
        ("luca@comune.orvieto.tr.it", Some(OrgRole::Coordinator)),
    ] {
        let mut account = AccountBuilder::new(email).password_hash(&hash);
        if let Some(role) = setup {
            account = account.member_of("c_g148", role);
        }
        account.insert(&app.db.store).await;
    }
    AccountBuilder::new("redazione@riusa.example.it")
        .password_hash(&hash)
        .editor()
        .insert(&app.db.store)
        .await;
    AccountBuilder::new("admin@riusa.example.it")
        .password_hash(&hash)
        .admin()
        .insert(&app.db.store)
        .await;
}

fn practice_fields<'a>(title: &'a str, motivation: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("slug", ""),
        (
            "summary",
            "Uno sportello unico per le imprese del territorio.",
        ),
        ("theme", "digitalizzazione-dei-processi"),
        ("owner_ipa", "c_g148"),
        ("owner_role", "owner"),
        ("owner_ipa", ""),
        ("owner_role", "owner"),
        ("period_start", "2021-01-01"),
        ("period_end", ""),
        ("metric_label", "Pratiche gestite"),
        ("metric_value", "1.250"),
        ("metric_unit", ""),
        ("motivation", motivation),
        (
            "activities",
            "- Analisi dei procedimenti\n- Modulistica unica",
        ),
        ("support", "coaching"),
        ("license", "CC-BY-4.0"),
        ("language", "it"),
    ]
}

fn id_from(location: &str) -> String {
    location
        .trim_start_matches("/le-mie-schede/")
        .split(['?', '/'])
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_practice_goes_from_draft_to_publication_through_the_pages() {
    let app = TestApp::new().await;
    people(&app).await;
    let mut member = Browser::new(&app);
    member.sign_in("anna@comune.orvieto.tr.it", PASSWORD).await;

    // A new practice: the preview renders Markdown and saves nothing.
    member.get("/le-mie-schede/nuova").await;
    let fields = practice_fields(
        "Sportello unico per le imprese",
        "Troppi **moduli** diversi.",
    );
    let mut preview = fields.clone();
    preview.push(("action", "preview"));
    let previewed = member.post("/le-mie-schede/nuova", &preview).await;
    assert_eq!(previewed.status, StatusCode::OK);
    assert!(
        previewed.body.contains("<strong>moduli</strong>"),
        "server-rendered preview"
    );
    assert!(
        member
            .get("/le-mie-schede")
            .await
            .body
            .contains("Non ci sono ancora schede")
    );

    let created = member.post("/le-mie-schede/nuova", &fields).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let id = id_from(location(&created));
    let page = member.get(&format!("/le-mie-schede/{id}")).await;
    assert!(page.body.contains("Mai pubblicata, bozza in lavorazione"));
    assert!(
        !page.body.contains("Invia in revisione"),
        "members do not submit"
    );

    // Two people on the same revision: the second is refused and keeps their text.
    let edit = format!("/le-mie-schede/{id}/modifica");
    let mut coordinator = Browser::new(&app);
    coordinator
        .sign_in("luca@comune.orvieto.tr.it", PASSWORD)
        .await;
    coordinator.get(&edit).await;
    let coordinator_token = coordinator.csrf.clone().unwrap();
    member.get(&edit).await;
    let mut first = practice_fields("Sportello unico per le imprese", "Prima versione di Anna.");
    first.push(("revision", "1"));
    assert_eq!(
        member.post(&edit, &first).await.status,
        StatusCode::SEE_OTHER
    );
    let mut second = practice_fields(
        "Sportello unico per le imprese",
        "Il testo di Luca, da non perdere.",
    );
    second.push(("revision", "1"));
    second.insert(0, ("csrf", coordinator_token.as_str()));
    let stale = coordinator.post_raw(&edit, &second, &[]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("Qualcun altro ha salvato la scheda"));
    assert!(stale.body.contains("Il testo di Luca, da non perdere."));

    // The coordinator submits; the editor finds it in the queue and asks for changes.
    coordinator.get(&format!("/le-mie-schede/{id}")).await;
    let submitted = coordinator
        .post(&format!("/le-mie-schede/{id}/invia"), &[("revision", "2")])
        .await;
    assert_eq!(
        location(&submitted),
        format!("/le-mie-schede/{id}?esito=inviata")
    );
    let mut editor = Browser::new(&app);
    editor.sign_in("redazione@riusa.example.it", PASSWORD).await;
    let queue = editor.get("/redazione").await;
    assert!(queue.body.contains("Sportello unico per le imprese"));
    assert!(
        editor
            .get("/redazione?tema=formazione")
            .await
            .body
            .contains("Nessuna scheda")
    );
    let review = format!("/redazione/{id}");
    editor.get(&review).await;
    let nothing = editor
        .post(&review, &[("decision", "changes"), ("revision", "2")])
        .await;
    assert_eq!(
        nothing.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "changes need a remark"
    );
    let sent_back = editor
        .post(
            &review,
            &[
                ("decision", "changes"),
                ("revision", "2"),
                ("comment_motivation", "Quante imprese lo usano?"),
            ],
        )
        .await;
    assert_eq!(sent_back.status, StatusCode::SEE_OTHER);

    // The member sees the remark beside the section, edits, the coordinator resubmits.
    let form = member.get(&edit).await;
    assert!(form.body.contains("Quante imprese lo usano?"));
    let mut fixed = practice_fields("Sportello unico per le imprese", "Lo usano 430 imprese.");
    fixed.push(("revision", "2"));
    assert_eq!(
        member.post(&edit, &fixed).await.status,
        StatusCode::SEE_OTHER
    );
    coordinator.get(&format!("/le-mie-schede/{id}")).await;
    coordinator
        .post(&format!("/le-mie-schede/{id}/invia"), &[("revision", "3")])
        .await;

    // Nothing public yet; then the editor publishes and the practice is found.
    assert_eq!(
        app.get("/pratiche/sportello-unico-per-le-imprese")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    editor.get(&review).await;
    let published = editor
        .post(&review, &[("decision", "publish"), ("revision", "3")])
        .await;
    assert_eq!(
        location(&published),
        "/pratiche/sportello-unico-per-le-imprese"
    );
    app.catch_up().await;
    let public = app.get("/pratiche/sportello-unico-per-le-imprese").await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("Lo usano 430 imprese."));
    let found = app
        .get("/api/v1/practices?q=sportello+imprese")
        .await
        .json();
    assert_eq!(found["items"][0]["slug"], "sportello-unico-per-le-imprese");

    // The author's inbox heard of the remark and of the publication.
    let inbox = member.get("/notifiche").await;
    assert!(inbox.body.contains("La redazione ha chiesto modifiche"));
    assert!(inbox.body.contains("è stata pubblicata"));

    // A new draft leaves the public text as it is; the history compares revisions.
    member.get(&edit).await;
    let mut next = practice_fields(
        "Sportello unico per le imprese",
        "Lo usano ormai 600 imprese.",
    );
    next.push(("revision", "4"));
    assert_eq!(
        member.post(&edit, &next).await.status,
        StatusCode::SEE_OTHER
    );
    app.catch_up().await;
    assert!(
        app.get("/pratiche/sportello-unico-per-le-imprese")
            .await
            .body
            .contains("Lo usano 430 imprese.")
    );
    let history = member.get(&format!("/le-mie-schede/{id}/versioni")).await;
    assert!(history.body.contains("Versione 5") && history.body.contains("pubblicazione"));
    let compared = member
        .get(&format!("/le-mie-schede/{id}/confronta?da=4&a=5"))
        .await;
    assert!(
        compared
            .body
            .contains("<del><span class=\"visually-hidden\">[tolto: </span>430"),
        "{}",
        compared.body
    );
    assert!(compared.body.contains("ormai 600"));
    // Drafts stay private: the public history lists publications only.
    let public_history = app
        .get("/pratiche/sportello-unico-per-le-imprese/versioni")
        .await;
    assert_eq!(public_history.status, StatusCode::OK);
    assert!(!public_history.body.contains("bozza"));
    assert_eq!(
        app.get("/pratiche/sportello-unico-per-le-imprese/versioni/5")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_public_page_of_a_signed_in_person_is_their_own_and_never_cached() {
    let app = TestApp::new().await;
    people(&app).await;
    let anonymous = app.get("/pratiche/cartella-sociale-siso").await;
    assert!(anonymous.body.contains(">Accedi<"));
    let mut member = Browser::new(&app);
    member.sign_in("anna@comune.orvieto.tr.it", PASSWORD).await;
    let mine = member.get("/pratiche/cartella-sociale-siso").await;
    assert_eq!(mine.headers[header::CACHE_CONTROL], "private, no-store");
    assert!(mine.body.contains("Esci"));
    assert!(
        !mine.body.contains("Lavora su questa scheda"),
        "Orvieto is a partner, not the owner"
    );
    let again = app.get("/pratiche/cartella-sociale-siso").await;
    assert!(
        !again.body.contains("Esci"),
        "the shared cache never holds a personal page"
    );
    assert_eq!(again.body, anonymous.body);
}

#[tokio::test]
async fn people_outside_the_owner_cannot_open_its_drafts_and_only_editors_review() {
    let app = TestApp::new().await;
    people(&app).await;
    let hash = riusa_web::auth::password::hash_blocking(PASSWORD).unwrap();
    AccountBuilder::new("altro@comune.lecce.it")
        .password_hash(&hash)
        .member_of("c_e506", OrgRole::Coordinator)
        .insert(&app.db.store)
        .await;
    let mut member = Browser::new(&app);
    member.sign_in("anna@comune.orvieto.tr.it", PASSWORD).await;
    member.get("/le-mie-schede/nuova").await;
    let created = member
        .post(
            "/le-mie-schede/nuova",
            &practice_fields("Bozza di Orvieto", "Riservata."),
        )
        .await;
    let id = id_from(location(&created));
    let mut outsider = Browser::new(&app);
    outsider.sign_in("altro@comune.lecce.it", PASSWORD).await;
    assert_eq!(
        outsider.get(&format!("/le-mie-schede/{id}")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        outsider
            .get(&format!("/le-mie-schede/{id}/modifica"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        outsider.get("/redazione").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        member.get(&format!("/redazione/{id}")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        member.get("/le-mie-schede/non-un-id").await.status,
        StatusCode::NOT_FOUND
    );

    // A member cannot move the practice to an administration they are not in.
    member.get(&format!("/le-mie-schede/{id}/modifica")).await;
    let mut moved = practice_fields("Bozza di Orvieto", "Riservata.");
    moved[4] = ("owner_ipa", "c_e506");
    moved.push(("revision", "1"));
    let refused = member
        .post(&format!("/le-mie-schede/{id}/modifica"), &moved)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("Il tuo profilo non permette"));
}

#[tokio::test]
async fn admins_search_and_export_the_audit_trail_and_their_reads_are_audited() {
    let app = TestApp::new().await;
    people(&app).await;
    let mut admin = Browser::new(&app).from_address("203.0.113.9");
    admin.sign_in("admin@riusa.example.it", PASSWORD).await;
    let trail = admin.get("/amministrazione/registro?azione=session.").await;
    assert_eq!(trail.status, StatusCode::OK);
    assert!(trail.body.contains("session.sign_in") && trail.body.contains("203.0.113.9"));
    let csv = admin
        .get("/amministrazione/registro.csv?azione=account.create")
        .await;
    assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let rows: Vec<&str> = csv.body.lines().collect();
    assert_eq!(
        rows.len(),
        1 + 4,
        "a header and the four accounts: {}",
        csv.body
    );
    // Compressed, as browsers ask for it: the streamed export must end cleanly.
    let compressed = app
        .request(
            axum::http::Request::get("/amministrazione/registro.csv")
                .header(
                    header::COOKIE,
                    format!("riusa_sessione={}", admin.cookie("riusa_sessione").unwrap()),
                )
                .header(header::ACCEPT_ENCODING, "br")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(compressed.status, StatusCode::OK);
    assert_eq!(compressed.headers[header::CONTENT_ENCODING], "br");
    let reads = admin.get("/amministrazione/registro?azione=audit.").await;
    assert!(reads.body.contains("audit.read") && reads.body.contains("audit.export"));
    assert_eq!(
        admin.get("/amministrazione/registro?dal=ieri").await.status,
        StatusCode::BAD_REQUEST
    );

    let mut member = Browser::new(&app);
    member.sign_in("anna@comune.orvieto.tr.it", PASSWORD).await;
    assert_eq!(
        member.get("/amministrazione/registro").await.status,
        StatusCode::FORBIDDEN
    );

    // Roles: an editor is made; the admin cannot drop their own role.
    let accounts = admin.get("/amministrazione/account?q=anna").await;
    assert!(accounts.body.contains("anna@comune.orvieto.tr.it"));
    let anna = app
        .db
        .store
        .accounts()
        .id_by_email("anna@comune.orvieto.tr.it")
        .await
        .unwrap()
        .unwrap();
    let made = admin
        .post(
            &format!("/amministrazione/account/{anna}/ruoli"),
            &[("editor", "1")],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER);
    assert!(
        app.db
            .store
            .accounts()
            .principal(anna)
            .await
            .unwrap()
            .unwrap()
            .is_editor
    );
    let me = app
        .db
        .store
        .accounts()
        .id_by_email("admin@riusa.example.it")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        admin
            .post(&format!("/amministrazione/account/{me}/ruoli"), &[])
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}
