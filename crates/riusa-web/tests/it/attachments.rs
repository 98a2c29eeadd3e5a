//! Attachments of a practice: uploaded on its back-office page as new draft revisions, typed by
//! their content, limited in size, carried by publications, downloaded by whom may have them;
//! and the same through a real S3-compatible server (moto, from PyPI: `tests/requirements.txt`,
//! run by the Python of `RIUSA_TEST_PYTHON`; without it that test fails, it is never skipped).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use axum::http::{StatusCode, header};
use chrono::Utc;
use futures::StreamExt;
use riusa_domain::accounts::{OrgRole, Principal};
use riusa_domain::catalog::workflow;
use riusa_store::testing::{AccountBuilder, PracticeBuilder};
use riusa_store::{Actor, AuditFilter};
use riusa_web::Files;
use uuid::Uuid;

use crate::browser::location;
use crate::{Browser, TestApp, TestResponse};

const PASSWORD: &str = "girasole-lampione-trattore";
const MEMBER: &str = "anna@comune.orvieto.tr.it";
const COORDINATOR: &str = "luca@comune.orvieto.tr.it";
const OUTSIDER: &str = "giulia@comune.firenze.it";
const EDITOR: &str = "redazione@riusa.example.it";

/// A small PDF: its bytes are not all UTF-8, so a download that changed them would show.
fn pdf(text: &str) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    bytes.extend_from_slice(format!("1 0 obj << /Title ({text}) >> endobj\n%%EOF\n").as_bytes());
    bytes
}

struct People {
    member: Principal,
    coordinator: Principal,
    editor: Principal,
}

async fn people(app: &TestApp) -> People {
    let hash = riusa_web::auth::password::hash_blocking(PASSWORD).unwrap();
    let store = &app.db.store;
    let member = AccountBuilder::new(MEMBER)
        .password_hash(&hash)
        .member_of("c_g148", OrgRole::Member)
        .insert(store)
        .await;
    let coordinator = AccountBuilder::new(COORDINATOR)
        .password_hash(&hash)
        .member_of("c_g148", OrgRole::Coordinator)
        .insert(store)
        .await;
    AccountBuilder::new(OUTSIDER)
        .password_hash(&hash)
        .member_of("c_d612", OrgRole::Coordinator)
        .insert(store)
        .await;
    let editor = AccountBuilder::new(EDITOR)
        .password_hash(&hash)
        .editor()
        .insert(store)
        .await;
    let principal = |id| async move { store.accounts().principal(id).await.unwrap().unwrap() };
    People {
        member: principal(member).await,
        coordinator: principal(coordinator).await,
        editor: principal(editor).await,
    }
}

/// A first draft of Orvieto, written by its member.
async fn draft(app: &TestApp, people: &People, slug: &str) -> Uuid {
    let store = &app.db.store;
    let record = PracticeBuilder::new(slug, "Sportello unico per le imprese")
        .owner("c_g148")
        .build();
    let owners = store.catalog().owner_ids(&record).await.unwrap();
    let id = Uuid::now_v7();
    store
        .catalog()
        .apply(
            workflow::create(id, record, &owners, &people.member).unwrap(),
            &Actor::account(people.member.account_id, None),
            Utc::now(),
        )
        .await
        .unwrap();
    id
}

/// The coordinator submits the newest draft and the editor publishes it.
async fn publish(app: &TestApp, people: &People, id: Uuid) {
    let catalog = app.db.store.catalog();
    let state = catalog.workflow(id).await.unwrap();
    let change = workflow::submit(&state, id, state.head_revision, &people.coordinator).unwrap();
    let actor = Actor::account(people.coordinator.account_id, None);
    catalog.apply(change, &actor, Utc::now()).await.unwrap();
    let state = catalog.workflow(id).await.unwrap();
    let change = workflow::publish(&state, id, state.head_revision, &people.editor).unwrap();
    let actor = Actor::account(people.editor.account_id, None);
    catalog.apply(change, &actor, Utc::now()).await.unwrap();
}

async fn signed_in<'a>(app: &'a TestApp, email: &str) -> Browser<'a> {
    let mut browser = Browser::new(app);
    browser.sign_in(email, PASSWORD).await;
    browser
}

/// Opens the back-office page (for its token) and uploads `content` as `name`.
async fn upload(
    browser: &mut Browser<'_>,
    id: Uuid,
    revision: u32,
    name: &str,
    content: &[u8],
) -> TestResponse {
    let page = browser.get(&format!("/le-mie-schede/{id}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    browser
        .post_multipart(
            &format!("/le-mie-schede/{id}/allegati"),
            &[("revision", &revision.to_string())],
            Some(("allegato", name, content)),
        )
        .await
}

/// The `href` of the first link whose text is `label`.
fn link_to(html: &str, label: &str) -> String {
    let end = html
        .find(&format!(">{label}</a>"))
        .unwrap_or_else(|| panic!("no link «{label}»"));
    let start = html[..end].rfind("href=\"").unwrap() + 6;
    let href = &html[start..end];
    href[..href.find('"').unwrap()].replace("&#x2f;", "/")
}

fn header(response: &TestResponse, name: header::HeaderName) -> &str {
    response
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

async fn stored_objects(files: &Files) -> usize {
    files
        .object_store()
        .list(None)
        .collect::<Vec<_>>()
        .await
        .len()
}

#[tokio::test]
async fn an_uploaded_file_is_listed_downloaded_as_sent_and_removed_as_a_new_revision() {
    let app = TestApp::new().await;
    let people = people(&app).await;
    let id = draft(&app, &people, "sportello-unico").await;
    let mut member = signed_in(&app, MEMBER).await;
    let content = pdf("Relazione finale");

    let uploaded = upload(
        &mut member,
        id,
        1,
        "C:\\Documenti\\Relazione finale.pdf",
        &content,
    )
    .await;
    assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "{}", uploaded.body);
    assert_eq!(
        location(&uploaded),
        format!("/le-mie-schede/{id}?esito=allegato#allegati")
    );
    let page = member.get(&format!("/le-mie-schede/{id}")).await;
    assert!(page.body.contains("versione 2"), "a new revision");
    assert!(page.body.contains("id=\"allegati\""));
    assert!(page.body.contains("(documento PDF, 1 KB)"), "{}", page.body);
    let href = link_to(&page.body, "Relazione finale.pdf");
    assert!(href.starts_with("/allegati/"), "{href}");

    let downloaded = member.get(&href).await;
    assert_eq!(downloaded.status, StatusCode::OK);
    assert_eq!(downloaded.bytes, content);
    assert_eq!(header(&downloaded, header::CONTENT_TYPE), "application/pdf");
    assert_eq!(
        header(&downloaded, header::CONTENT_DISPOSITION),
        "attachment; filename=\"Relazione finale.pdf\"; filename*=UTF-8''Relazione%20finale.pdf"
    );
    assert_eq!(
        header(&downloaded, header::X_CONTENT_TYPE_OPTIONS),
        "nosniff"
    );
    assert_eq!(
        header(&downloaded, header::CACHE_CONTROL),
        "private, no-cache"
    );
    let etag = header(&downloaded, header::ETAG).to_owned();
    assert_eq!(etag.len(), 66, "the quoted SHA-256: {etag}");

    // The edit form keeps working on the new revision; the text is the same.
    let (_, head) = app.db.store.catalog().head_record(id).await.unwrap();
    assert_eq!(head, 2);
    let listed = app.db.store.attachments().list(id, 2).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].size, content.len() as u64);
    assert!(
        app.db
            .store
            .attachments()
            .list(id, 1)
            .await
            .unwrap()
            .is_empty()
    );

    // Removing asks first, then writes revision 3 without it; revision 2 keeps it.
    let remove = link_to(
        &page.body,
        "Rimuovi<span class=\"visually-hidden\"> Relazione finale.pdf</span>",
    );
    let confirm = member.get(&remove).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("Rimuovere «Relazione finale.pdf»?"));
    let removed = member.post(&remove, &[("revision", "2")]).await;
    assert_eq!(
        location(&removed),
        format!("/le-mie-schede/{id}?esito=allegato-rimosso#allegati")
    );
    assert!(
        app.db
            .store
            .attachments()
            .list(id, 3)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        app.db.store.attachments().list(id, 2).await.unwrap().len(),
        1
    );
    assert_eq!(
        member.get(&href).await.status,
        StatusCode::OK,
        "its people keep the history"
    );

    let events = app
        .db
        .store
        .audit()
        .search(
            &AuditFilter {
                action: Some("attachment.".into()),
                ..AuditFilter::default()
            },
            0,
            10,
        )
        .await
        .unwrap();
    let mut actions: Vec<&str> = events.items.iter().map(|e| e.action.as_str()).collect();
    actions.sort_unstable();
    assert_eq!(actions, ["attachment.add", "attachment.remove"]);
    for event in &events.items {
        assert!(
            !event.detail.contains("Relazione"),
            "ids only: {}",
            event.detail
        );
    }
}

#[tokio::test]
async fn a_file_is_typed_by_its_content_not_by_its_name() {
    let app = TestApp::new().await;
    let people = people(&app).await;
    let id = draft(&app, &people, "sportello-unico").await;
    let mut member = signed_in(&app, MEMBER).await;

    // An HTML page named .pdf and sent as application/pdf.
    let fake = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>";
    let refused = upload(&mut member, id, 1, "bilancio.pdf", fake).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains(
            "Questo file non è di un tipo accettato. Si possono allegare documenti PDF, ODT o DOCX"
        ),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("aria-invalid=\"true\""),
        "beside the field"
    );
    let refused = upload(
        &mut member,
        id,
        1,
        "programma.pdf",
        b"MZ\x90\0\x03\0\0\0\x04\0",
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let empty = upload(&mut member, id, 1, "vuoto.pdf", b"").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);

    assert_eq!(app.db.store.catalog().head_record(id).await.unwrap().1, 1);
    assert_eq!(stored_objects(&app.files).await, 0);

    // A PNG named .pdf is a PNG.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";
    let accepted = upload(&mut member, id, 1, "schema.pdf", png).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    let listed = app.db.store.attachments().list(id, 2).await.unwrap();
    assert_eq!(listed[0].name, "schema.pdf.png");
    assert_eq!(listed[0].media_type, "image/png");
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_with_413() {
    let app = TestApp::new().await;
    let people = people(&app).await;
    let id = draft(&app, &people, "sportello-unico").await;
    let mut member = signed_in(&app, MEMBER).await;
    let limit = 20 * 1024 * 1024;

    // Within the body limit, over the file limit: the page says the file's limit.
    let mut over = pdf("grande");
    over.resize(limit + 1, b' ');
    let refused = upload(&mut member, id, 1, "grande.pdf", &over).await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        refused
            .body
            .contains("Il file supera la dimensione massima di 20 MB per allegato."),
        "{}",
        refused.body
    );
    // Over the body limit: refused before it is read.
    over.resize(limit + 100 * 1024, b' ');
    let refused = upload(&mut member, id, 1, "enorme.pdf", &over).await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        refused.body.contains("Richiesta troppo grande"),
        "{}",
        refused.body
    );

    assert_eq!(app.db.store.catalog().head_record(id).await.unwrap().1, 1);
    assert_eq!(stored_objects(&app.files).await, 0);
    // Exactly the limit is fine.
    over.truncate(limit);
    let accepted = upload(&mut member, id, 1, "al-limite.pdf", &over).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
}

#[tokio::test]
async fn an_upload_on_a_superseded_revision_is_refused() {
    let app = TestApp::new().await;
    let people = people(&app).await;
    let id = draft(&app, &people, "sportello-unico").await;
    let mut member = signed_in(&app, MEMBER).await;
    let mut coordinator = signed_in(&app, COORDINATOR).await;

    assert_eq!(
        upload(&mut member, id, 1, "prima.pdf", &pdf("prima"))
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let stale = upload(&mut coordinator, id, 1, "seconda.pdf", &pdf("seconda")).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(
        stale.body.contains("Qualcun altro ha salvato la scheda"),
        "{}",
        stale.body
    );
    let listed = app.db.store.attachments().list(id, 2).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "prima.pdf");
    assert_eq!(app.db.store.catalog().head_record(id).await.unwrap().1, 2);
}

#[tokio::test]
async fn publications_carry_their_attachments_and_older_ones_keep_theirs() {
    let app = TestApp::new().await;
    let people = people(&app).await;
    let id = draft(&app, &people, "sportello-unico").await;
    let mut member = signed_in(&app, MEMBER).await;
    upload(&mut member, id, 1, "modulo.pdf", &pdf("modulo")).await;
    publish(&app, &people, id).await; // revision 3

    let mut visitor = Browser::new(&app);
    let public = visitor.get("/pratiche/sportello-unico").await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(
        public.body.contains("href=\"#allegati\""),
        "in the page's index"
    );
    let first = link_to(&public.body, "modulo.pdf");
    let downloaded = visitor.get(&first).await;
    assert_eq!(downloaded.status, StatusCode::OK);
    assert_eq!(downloaded.bytes, pdf("modulo"));
    assert_eq!(
        header(&downloaded, header::CACHE_CONTROL),
        "public, no-cache"
    );
    // A cache that has it asks again and gets 304.
    let etag = header(&downloaded, header::ETAG).to_owned();
    let revalidated = app
        .request(
            axum::http::Request::get(&first)
                .header(header::IF_NONE_MATCH, &etag)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED);

    // A new draft replaces the file; the public page keeps the old one until publication.
    let page = member.get(&format!("/le-mie-schede/{id}")).await;
    let remove = link_to(
        &page.body,
        "Rimuovi<span class=\"visually-hidden\"> modulo.pdf</span>",
    );
    member.get(&remove).await;
    member.post(&remove, &[("revision", "3")]).await; // 4
    upload(&mut member, id, 4, "modulo-2025.pdf", &pdf("modulo 2025")).await; // 5
    let public = visitor.get("/pratiche/sportello-unico").await;
    assert!(public.body.contains("modulo.pdf"));
    assert!(
        !public.body.contains("modulo-2025.pdf"),
        "drafts are not public"
    );
    publish(&app, &people, id).await; // 6

    app.catch_up().await;
    let public = visitor.get("/pratiche/sportello-unico").await;
    assert!(
        public.body.contains(">modulo-2025.pdf</a>"),
        "{}",
        public.body
    );
    assert!(!public.body.contains(">modulo.pdf</a>"));
    let attachments = app.db.store.attachments();
    let names = |list: Vec<riusa_store::AttachmentView>| {
        list.into_iter().map(|a| a.name).collect::<Vec<_>>()
    };
    assert_eq!(
        names(attachments.list(id, 3).await.unwrap()),
        ["modulo.pdf"]
    );
    assert_eq!(
        names(attachments.list(id, 6).await.unwrap()),
        ["modulo-2025.pdf"]
    );
    // The old file is no longer in what the public sees: only its people may have it.
    let old = visitor.get(&first).await;
    assert!(
        location(&old).starts_with("/accedi?dopo="),
        "{}",
        old.status
    );
    assert_eq!(member.get(&first).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_drafts_attachment_is_only_for_the_people_of_its_practice() {
    let app = TestApp::new().await;
    let people = people(&app).await;
    let id = draft(&app, &people, "sportello-unico").await;
    let mut member = signed_in(&app, MEMBER).await;
    upload(&mut member, id, 1, "riservato.pdf", &pdf("riservato")).await;
    let page = member.get(&format!("/le-mie-schede/{id}")).await;
    let href = link_to(&page.body, "riservato.pdf");

    let anonymous = Browser::new(&app).get(&href).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(location(&anonymous).starts_with("/accedi?dopo=%2Fallegati%2F"));
    let outsider = signed_in(&app, OUTSIDER).await.get(&href).await;
    assert_eq!(outsider.status, StatusCode::FORBIDDEN);
    assert!(!outsider.bytes.starts_with(b"%PDF"));
    for email in [MEMBER, COORDINATOR, EDITOR] {
        let allowed = signed_in(&app, email).await.get(&href).await;
        assert_eq!(allowed.status, StatusCode::OK, "{email}");
        assert_eq!(allowed.bytes, pdf("riservato"));
    }
    // Another name under the same id is not a way in.
    let renamed = href.replace("riservato", "altro");
    assert_eq!(member.get(&renamed).await.status, StatusCode::NOT_FOUND);
    // Nor is the upload form someone else's.
    let mut outsider = signed_in(&app, OUTSIDER).await;
    let refused = outsider
        .post_multipart(
            &format!("/le-mie-schede/{id}/allegati"),
            &[("revision", "2")],
            Some(("allegato", "intruso.pdf", &pdf("intruso"))),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_same_bytes_uploaded_twice_are_stored_once() {
    let app = TestApp::new().await;
    let people = people(&app).await;
    let first = draft(&app, &people, "sportello-unico").await;
    let second = draft(&app, &people, "sportello-unico-bis").await;
    let mut member = signed_in(&app, MEMBER).await;
    let content = pdf("lo stesso file");
    upload(&mut member, first, 1, "uno.pdf", &content).await;
    upload(&mut member, first, 2, "due.pdf", &content).await;
    upload(&mut member, second, 1, "tre.pdf", &content).await;

    assert_eq!(stored_objects(&app.files).await, 1);
    let listed = app.db.store.attachments().list(first, 3).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].sha256, listed[1].sha256);
    for attachment in listed {
        let href = riusa_web_path(attachment.id, &attachment.name);
        assert_eq!(member.get(&href).await.bytes, content);
    }
}

fn riusa_web_path(id: Uuid, name: &str) -> String {
    format!("/allegati/{id}/{}", name.replace(' ', "%20"))
}

/// The Python that has moto.
fn python() -> PathBuf {
    match std::env::var_os("RIUSA_TEST_PYTHON").map(PathBuf::from) {
        // A relative path is taken from the workspace root, where `scripts/test` runs.
        Some(path) if path.components().count() > 1 && path.is_relative() => {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../..")
                .join(path)
        }
        Some(path) => path,
        None => PathBuf::from("python3"),
    }
}

/// moto's S3 server on 127.0.0.1, stopped when dropped.
struct Moto {
    child: Child,
    endpoint: String,
}

impl Moto {
    fn start() -> Moto {
        let python = python();
        let check = Command::new(&python)
            .args(["-c", "import moto.server, boto3"])
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
        assert!(
            check.status.success(),
            "moto[server] is not installed for {python}: run scripts/test, which makes \
             target/test-venv, or `{python} -m pip install -r tests/requirements.txt` \
             (RIUSA_TEST_PYTHON chooses the Python)\n{}",
            String::from_utf8_lossy(&check.stderr),
            python = python.display(),
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(&python)
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let moto = Moto {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        for _ in 0..300 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return moto;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("moto did not start on port {port}");
    }

    /// Runs boto3 against the server: `script` sees `s3`, a client.
    fn boto3(&self, script: &str) -> String {
        let program = format!(
            "import boto3\ns3 = boto3.client('s3', endpoint_url='{}', aws_access_key_id='prova', \
             aws_secret_access_key='prova', region_name='eu-south-1')\n{script}",
            self.endpoint
        );
        let output = Command::new(python())
            .args(["-c", &program])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn attachments_go_to_an_s3_compatible_store_and_come_back() {
    let moto = Moto::start();
    moto.boto3(
        "s3.create_bucket(Bucket='riusa-allegati', \
         CreateBucketConfiguration={'LocationConstraint': 'eu-south-1'})",
    );
    let files = Files::from_url(
        "s3://riusa-allegati/nodo",
        Some(&moto.endpoint),
        [
            ("aws_access_key_id", "prova"),
            ("aws_secret_access_key", "prova"),
            ("aws_region", "eu-south-1"),
        ],
    )
    .unwrap();
    let app = TestApp::with_files(files).await;
    let people = people(&app).await;
    let id = draft(&app, &people, "sportello-unico").await;
    let mut member = signed_in(&app, MEMBER).await;
    let content = pdf("su S3");

    let uploaded = upload(&mut member, id, 1, "relazione.pdf", &content).await;
    assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "{}", uploaded.body);
    upload(&mut member, id, 2, "copia.pdf", &content).await;
    let listed = app.db.store.attachments().list(id, 3).await.unwrap();
    assert_eq!(listed.len(), 2);

    // In the bucket, under the prefix, once.
    let keys = moto.boto3(
        "print('\\n'.join(o['Key'] for o in s3.list_objects_v2(Bucket='riusa-allegati').get('Contents', [])))",
    );
    let sha = &listed[0].sha256;
    assert_eq!(
        keys.trim(),
        format!("nodo/sha256/{}/{}/{sha}", &sha[0..2], &sha[2..4])
    );
    let downloaded = member
        .get(&riusa_web_path(listed[0].id, "relazione.pdf"))
        .await;
    assert_eq!(downloaded.status, StatusCode::OK);
    assert_eq!(downloaded.bytes, content);
}
