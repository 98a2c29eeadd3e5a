//! The mail job against a real SMTP server: aiosmtpd (PyPI, pinned in
//! `tests/requirements.txt`), run by the Python of `RIUSA_TEST_PYTHON` (`scripts/test` makes a
//! virtualenv for it) or else `python3`. Without aiosmtpd these tests fail: they are never
//! skipped.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use riusa_store::testing::TestDatabase;
use riusa_store::{Actor, AuditFilter, LinkPurpose, NewAccount};
use riusa_web::WebConfig;
use riusa_web::mail::{MailJob, MailTarget};

use crate::{Env, Server, free_port, stderr, wait_until};

/// The Python that has aiosmtpd.
fn python() -> PathBuf {
    let configured = std::env::var_os("RIUSA_TEST_PYTHON").map(PathBuf::from);
    match configured {
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

/// An SMTP server on 127.0.0.1 that keeps every message in a Maildir; stopped when dropped.
struct SmtpServer {
    child: Child,
    dir: tempfile::TempDir,
    port: u16,
}

/// Reads a Maildir's messages with Python's own parser, which undoes the MIME encodings
/// (quoted-printable, base64, encoded words) a message may use.
const READ_MAILDIR: &str = r#"
import email, email.policy, json, pathlib, sys
out = []
for path in sorted(pathlib.Path(sys.argv[1]).glob("new/*")):
    m = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    out.append({"envelope_to": str(m["X-RcptTo"]), "to": str(m["To"]), "from": str(m["From"]),
                "subject": str(m["Subject"]), "body": m.get_body(("plain",)).get_content()})
print(json.dumps(out))
"#;

impl SmtpServer {
    fn start(port: u16) -> SmtpServer {
        let python = python();
        let check = Command::new(&python)
            .args(["-c", "import aiosmtpd"])
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
        assert!(
            check.status.success(),
            "aiosmtpd is not installed for {python}: run scripts/test, which makes \
             target/test-venv, or `{python} -m pip install -r tests/requirements.txt` \
             (RIUSA_TEST_PYTHON chooses the Python)\n{}",
            stderr(&check),
            python = python.display(),
        );
        let dir = tempfile::tempdir().unwrap();
        let child = Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("posta"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut server = SmtpServer { child, dir, port };
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return server;
            }
            if let Some(status) = server.child.try_wait().unwrap() {
                panic!("aiosmtpd stopped at once ({status}) on port {port}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("aiosmtpd did not listen on port {port} within 10 s");
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far.
    fn messages(&self) -> Vec<serde_json::Value> {
        let maildir = self.dir.path().join("posta");
        if !maildir.join("new").exists() {
            return Vec::new();
        }
        let output = Command::new(python())
            .args(["-c", READ_MAILDIR])
            .arg(maildir)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        serde_json::from_slice(&output.stdout).unwrap()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The value of cookie `name` among a response's `Set-Cookie` headers.
fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next()?.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// The hidden CSRF field of the first form of a page.
fn csrf_field(page: &str) -> String {
    let start = page
        .find(r#"name="csrf" value=""#)
        .expect("a form with a token")
        + 19;
    page[start..].split('"').next().unwrap().to_owned()
}

/// A browser without JavaScript: it keeps the form nonce cookie and sends forms back.
struct Visitor {
    client: reqwest::Client,
    nonce: Option<String>,
}

impl Visitor {
    fn new() -> Visitor {
        Visitor {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            nonce: None,
        }
    }

    fn cookie(&self) -> String {
        self.nonce
            .as_ref()
            .map(|nonce| format!("riusa_modulo={nonce}"))
            .unwrap_or_default()
    }

    /// Opens a form page; returns its CSRF token.
    async fn open_form(&mut self, url: &str) -> String {
        let response = self
            .client
            .get(url)
            .header("cookie", self.cookie())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{url}");
        if let Some(nonce) = set_cookie(&response, "riusa_modulo") {
            self.nonce = Some(nonce);
        }
        csrf_field(&response.text().await.unwrap())
    }

    async fn post(&self, url: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let response = self
            .client
            .post(url)
            .header("cookie", self.cookie())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reset_link_asked_for_on_one_node_arrives_by_smtp_once_and_works_on_another() {
    let env = Env::new().await;
    let smtp = SmtpServer::start(free_port());
    let email = "mario.rossi@comune.roma.it";
    let added = env.run(&["accounts", "add", email, "--name", "Mario Rossi"]);
    assert!(added.status.success(), "{}", stderr(&added));

    let port = free_port();
    let public_url = format!("http://127.0.0.1:{port}/");
    let config = env.file(
        "riusa.toml",
        &format!(
            "public_url = \"{public_url}\"\nsmtp_url = \"{}\"\nmail_from = \"Riusa <riusa@riusa.example.it>\"\nmail_interval_ms = 100\n",
            smtp.url()
        ),
    );
    let node = |data: &str, listen: &str| {
        let mut command = env.command(data);
        command
            .arg("--config")
            .arg(&config)
            .args(["serve", "--listen", listen]);
        Server::start_with(command)
    };
    let first = node("nodo-1", &format!("127.0.0.1:{port}"));
    let second = node("nodo-2", "127.0.0.1:0");

    // The form comes from one node and is sent to the other: both sign with the key stored
    // in the database.
    let mut visitor = Visitor::new();
    let csrf = visitor
        .open_form(&format!("{}/password-dimenticata", first.base))
        .await;
    let (status, page) = visitor
        .post(
            &format!("{}/password-dimenticata", second.base),
            &[("csrf", &csrf), ("email", email)],
        )
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Controlla la tua posta"), "{page}");

    let arrived = wait_until(Duration::from_secs(15), || async {
        !smtp.messages().is_empty()
    })
    .await;
    assert!(arrived.is_some(), "no email within 15 s");
    // Both nodes run the mail job; give a second copy the time to arrive if it were sent.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let messages = smtp.messages();
    assert_eq!(messages.len(), 1, "sent once: {messages:#?}");
    let message = &messages[0];
    assert_eq!(message["envelope_to"], email);
    assert_eq!(message["to"], email);
    assert_eq!(message["from"], "Riusa <riusa@riusa.example.it>");
    assert_eq!(message["subject"], "Reimposta la password di Riusa");
    let body = message["body"].as_str().unwrap();
    assert!(body.starts_with("Buongiorno Mario Rossi,"), "{body}");
    let prefix = format!("{public_url}reimposta-password/");
    let link = body
        .split_whitespace()
        .find(|word| word.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no link to {prefix} in {body}"));

    let csrf = visitor.open_form(link).await;
    let new_password = "lampione girasole trattore";
    let (status, page) = visitor
        .post(
            link,
            &[
                ("csrf", &csrf),
                ("password", new_password),
                ("password_again", new_password),
            ],
        )
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Password aggiornata"), "{page}");
    let (status, _) = visitor
        .post(
            link,
            &[
                ("csrf", &csrf),
                ("password", new_password),
                ("password_again", new_password),
            ],
        )
        .await;
    assert_eq!(status, 404, "a link works once");

    // With the peer address known, the request is recorded under it (not «sconosciuto»).
    let requests = env
        .db
        .store
        .audit()
        .search(
            &AuditFilter {
                action: Some("account.reset_requested".into()),
                ..AuditFilter::default()
            },
            0,
            10,
        )
        .await
        .unwrap();
    assert_eq!(requests.items.len(), 1);
    assert_eq!(requests.items[0].ip.as_deref(), Some("127.0.0.1"));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_email_waits_while_the_mail_server_is_down_and_goes_once_it_is_up() {
    let db = TestDatabase::new().await;
    let store = &db.store;
    let now = Utc::now();
    let email = "lucia.bianchi@regione.umbria.it";
    let account = store
        .accounts()
        .create(
            NewAccount {
                email: email.into(),
                name: "Lucia Bianchi".into(),
                password_hash: None,
                is_admin: false,
                is_editor: false,
                email_confirmed: false,
            },
            &Actor::operator(),
            now,
        )
        .await
        .unwrap();
    let link = "http://riusa.example.it/conferma-email/segreto";
    store
        .accounts()
        .create_link(
            account,
            LinkPurpose::ConfirmEmail,
            "impronta".into(),
            link.into(),
            now + chrono::Duration::days(1),
            &Actor::operator(),
            now,
        )
        .await
        .unwrap();

    let port = free_port();
    let job = MailJob::new(
        store.clone(),
        Arc::new(WebConfig::default()),
        &MailTarget::Smtp(format!("smtp://127.0.0.1:{port}")),
        "Riusa <riusa@riusa.example.it>",
    )
    .unwrap();
    assert_eq!(job.send_due(now).await.unwrap(), 0, "nobody listens");
    assert_eq!(store.notifications().pending_emails().await.unwrap(), 1);
    assert_eq!(
        job.send_due(now + chrono::Duration::seconds(30))
            .await
            .unwrap(),
        0,
        "retried after a back-off, not at once"
    );
    assert_eq!(store.notifications().pending_emails().await.unwrap(), 1);

    let smtp = SmtpServer::start(port);
    assert_eq!(
        job.send_due(now + chrono::Duration::minutes(2))
            .await
            .unwrap(),
        1
    );
    assert_eq!(store.notifications().pending_emails().await.unwrap(), 0);
    let messages = smtp.messages();
    assert_eq!(messages.len(), 1, "{messages:#?}");
    assert_eq!(messages[0]["envelope_to"], email);
    assert_eq!(
        messages[0]["subject"],
        "Conferma il tuo indirizzo email su Riusa"
    );
    assert!(
        messages[0]["body"].as_str().unwrap().contains(link),
        "{}",
        messages[0]["body"]
    );
    assert_eq!(
        job.send_due(now + chrono::Duration::hours(1))
            .await
            .unwrap(),
        0,
        "sent once"
    );
}
