use riusa_domain::catalog::PracticeRecord;

use crate::{Env, read, stderr, stdout};

const DEMO: &str = include_str!("../../../../data/demo/practices.jsonl");

fn records(jsonl: &str) -> Vec<PracticeRecord> {
    let mut records: Vec<PracticeRecord> = jsonl
        .lines()
        .map(|l| {
            let mut record: PracticeRecord = serde_json::from_str(l).unwrap();
            record.id = None;
            record.updated = None;
            record
        })
        .collect();
    records.sort_by(|a, b| a.slug.cmp(&b.slug));
    records
}

#[tokio::test(flavor = "multi_thread")]
async fn practices_round_trip_exactly_through_import_and_export() {
    let first = Env::new().await;
    let demo = first.run(&["import", "demo"]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    assert!(
        stdout(&demo).contains("Buone pratiche: 34 nuove"),
        "{}",
        stdout(&demo)
    );
    assert!(
        stdout(&demo).contains("Software: 2 schede dimostrative."),
        "{}",
        stdout(&demo)
    );
    let exported = first.data("export.jsonl");
    let export = first.run(&[
        "export",
        "practices",
        "--output",
        exported.to_str().unwrap(),
    ]);
    assert!(export.status.success(), "{}", stderr(&export));
    let exported_text = read(&exported);
    assert_eq!(
        records(&exported_text),
        records(DEMO),
        "the export says what the demo file says"
    );

    assert!(
        exported_text.lines().all(|l| l.contains(r#""updated":""#)),
        "every exported record says when its text last changed"
    );

    // The second node is another clock: the byte-for-byte equality below holds only if the
    // import keeps each record's own date instead of the time it arrived.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let second = Env::new().await;
    assert!(second.run(&["import", "organizations"]).status.success());
    let import = second.run(&["import", "practices", exported.to_str().unwrap()]);
    assert!(import.status.success(), "{}", stderr(&import));
    let again = second.run(&["export", "practices"]);
    assert_eq!(stdout(&again), exported_text, "byte for byte, ids included");

    let reimport = second.run(&["import", "practices", exported.to_str().unwrap()]);
    assert!(
        stdout(&reimport).contains("0 nuove, 0 aggiornate, 34 invariate"),
        "{}",
        stdout(&reimport)
    );
    let published = second.run(&["export", "practices", "--status", "published"]);
    assert_eq!(stdout(&published).lines().count(), 31);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_registry_loads_once_and_updates_without_duplicates() {
    let env = Env::new().await;
    let first = env.run(&["import", "organizations"]);
    assert!(
        stdout(&first).contains("Enti: 23558 nuovi"),
        "{}",
        stdout(&first)
    );
    assert!(stdout(&first).contains("Comuni: 7896 nuovi"));
    let second = env.run(&["import", "organizations"]);
    assert!(
        stdout(&second).contains("Enti: 0 nuovi, 0 aggiornati, 23558 invariati"),
        "{}",
        stdout(&second)
    );
}

fn line(slug: &str, summary: &str, owner: &str) -> String {
    serde_json::json!({
        "slug": slug, "title": format!("Pratica {slug}"), "summary": summary,
        "themes": ["formazione"], "owners": [{"ipa": owner, "role": "owner"}]
    })
    .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_records_are_reported_by_line_and_field_and_nothing_is_imported() {
    let env = Env::new().await;
    assert!(env.run(&["import", "organizations"]).status.success());
    let contents = [
        line("valida", "Una pratica valida.", "r_toscan"),
        line("troppo-lunga", &"x".repeat(301), "r_toscan"),
        "{ \"slug\": \"rotta\", ".to_owned(),
        line("ente-ignoto", "Ente che non esiste.", "c_zzzz"),
        line("valida", "Di nuovo lo stesso slug.", "r_toscan"),
        line("dal-futuro", "Una data che deve ancora venire.", "r_toscan")
            .replace(r#""slug":"#, r#""updated":"2999-01-01","slug":"#),
    ]
    .join("\n");
    let file = env.file("pratiche.jsonl", &contents);
    let name = file.display().to_string();

    let atomic = env.run(&["import", "practices", &name, "--atomic"]);
    assert_eq!(atomic.status.code(), Some(1));
    let errors = stderr(&atomic);
    assert!(
        errors.contains(&format!(
            "{name}:2: summary: può avere al massimo 300 caratteri"
        )),
        "{errors}"
    );
    assert!(
        errors.contains(&format!("{name}:3: JSON non valido")),
        "{errors}"
    );
    assert!(
        errors.contains(&format!(
            "{name}:4: owners[0].ipa: nessun ente dell'IPA ha il codice «c_zzzz»"
        )),
        "{errors}"
    );
    assert!(
        errors.contains(&format!("{name}:5: slug: slug già usato alla riga 1")),
        "{errors}"
    );
    assert!(
        errors.contains(&format!("{name}:6: updated: la data è nel futuro")),
        "{errors}"
    );
    assert!(!errors.contains("panicked") && !errors.contains("backtrace"));
    assert_eq!(
        stdout(&env.run(&["export", "practices"])),
        "",
        "atomic: nothing imported"
    );

    let partial = env.run(&["import", "practices", &name, "--partial"]);
    assert_eq!(partial.status.code(), Some(1));
    assert!(stdout(&partial).contains("1 nuove"), "{}", stdout(&partial));
    assert_eq!(
        stdout(&env.run(&["export", "practices"])).lines().count(),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slug_taken_by_another_practice_stops_a_many_batch_import_with_nothing_written() {
    let env = Env::new().await;
    assert!(env.run(&["import", "organizations"]).status.success());
    let first = env.file(
        "prima.jsonl",
        &line("esistente", "Già nel catalogo.", "r_toscan"),
    );
    assert!(
        env.run(&["import", "practices", first.to_str().unwrap()])
            .status
            .success()
    );
    let mut lines: Vec<String> = (0..2500)
        .map(|i| line(&format!("pratica-{i:04}"), "Una delle tante.", "r_toscan"))
        .collect();
    let mut intruder: serde_json::Value =
        serde_json::from_str(&line("esistente", "Con un altro id.", "r_toscan")).unwrap();
    intruder["id"] = serde_json::json!("0190a0b0-0000-7000-8000-000000000001");
    lines.push(intruder.to_string());
    let file = env.file("molte.jsonl", &lines.join("\n"));
    let name = file.display().to_string();

    let refused = env.run(&["import", "practices", &name]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).starts_with(&format!(
            "{name}:2501: slug: «esistente» è già lo slug di un'altra pratica"
        )),
        "{}",
        stderr(&refused)
    );
    assert_eq!(
        stdout(&env.run(&["export", "practices"])).lines().count(),
        1,
        "the batches written before the conflict are rolled back"
    );

    let file = env.file("molte.jsonl", &lines[..2500].join("\n"));
    let imported = env.run(&["import", "practices", file.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(
        stdout(&imported).contains("2500 nuove"),
        "{}",
        stdout(&imported)
    );
    assert_eq!(
        stdout(&env.run(&["export", "practices"])).lines().count(),
        2501
    );
}

#[test]
fn a_command_on_the_default_sqlite_file_leaves_no_write_ahead_log_behind() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("dati");
    let import = std::process::Command::new(env!("CARGO_BIN_EXE_riusa"))
        .arg("--data")
        .arg(&data)
        .args(["import", "organizations"])
        .env_remove("RIUSA_DATABASE_URL")
        .env_remove("RIUSA_DATA_DIR")
        .env("RIUSA_LOG", "warn")
        .output()
        .unwrap();
    assert!(import.status.success(), "{}", stderr(&import));
    assert!(data.join("riusa.db").metadata().unwrap().len() > 1_000_000);
    assert!(
        !data.join("riusa.db-wal").exists(),
        "the log is checkpointed into riusa.db when the command closes the database"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn oversized_and_unreadable_files_get_one_clear_line() {
    let env = Env::new().await;
    let file = env.file("grande.jsonl", &line("una", "Sintesi.", "r_toscan"));
    let name = file.display().to_string();
    let oversized = env.run(&["import", "practices", &name, "--max-file-bytes", "50"]);
    assert_eq!(oversized.status.code(), Some(1));
    assert!(
        stderr(&oversized).starts_with(&format!("{name}: file troppo grande (al massimo 50 byte)")),
        "{}",
        stderr(&oversized)
    );

    let missing = env.run(&["import", "practices", "/non/esiste.jsonl"]);
    assert_eq!(missing.status.code(), Some(1));
    assert_eq!(stderr(&missing).lines().count(), 1, "{}", stderr(&missing));
    assert!(stderr(&missing).starts_with("errore: impossibile leggere /non/esiste.jsonl"));

    let array = env.file("array.json", "[{\"slug\": \"x\"}]");
    let refused = env.run(&["import", "practices", array.to_str().unwrap()]);
    assert!(
        stderr(&refused).contains("array JSON"),
        "{}",
        stderr(&refused)
    );

    let status = env.run(&["export", "practices", "--status", "pubblicata"]);
    assert_eq!(status.status.code(), Some(1));
    assert!(stderr(&status).contains("stato «pubblicata» sconosciuto"));
}

/// `riusa ARGS --help` (and `-h`), with no configuration variable set.
fn help_of(path: &[&str], flag: &str) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_riusa"))
        .args(path)
        .arg(flag)
        .env_remove("RIUSA_CONFIG")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "riusa {path:?} {flag}: {}",
        stderr(&output)
    );
    stdout(&output)
}

/// The names listed under «Comandi:» in a help text.
fn subcommands_in(help: &str) -> Vec<String> {
    let Some((_, rest)) = help.split_once("Comandi:\n") else {
        return Vec::new();
    };
    rest.lines()
        .take_while(|line| !line.trim().is_empty())
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_word_of_every_commands_help_is_italian() {
    let mut pending = vec![Vec::<String>::new()];
    let mut seen = 0;
    while let Some(path) = pending.pop() {
        let args: Vec<&str> = path.iter().map(String::as_str).collect();
        for flag in ["--help", "-h"] {
            let help = help_of(&args, flag);
            for english in [
                "Usage",
                "Commands",
                "Arguments",
                "Options",
                "Print help",
                "Print version",
                "[env:",
                "[default:",
                "possible values",
                "[OPTIONS]",
                "<COMMAND>",
            ] {
                assert!(
                    !help.contains(english),
                    "riusa {args:?} {flag} says {english:?}:\n{help}"
                );
            }
            assert!(
                help.contains("Uso: riusa"),
                "riusa {args:?} {flag}:\n{help}"
            );
            assert!(help.contains("Opzioni:"), "riusa {args:?} {flag}:\n{help}");
            assert!(
                help.contains("Mostra questo aiuto"),
                "riusa {args:?} {flag}:\n{help}"
            );
        }
        let help = help_of(&args, "--help");
        for sub in subcommands_in(&help) {
            assert_ne!(sub, "help", "no English help subcommand:\n{help}");
            let mut deeper = path.clone();
            deeper.push(sub);
            pending.push(deeper);
        }
        seen += 1;
    }
    assert!(seen >= 17, "riusa, its commands and theirs: {seen}");

    let top = help_of(&[], "--help");
    assert!(
        top.contains("Comandi:") && top.contains("<COMANDO>"),
        "{top}"
    );
    assert!(top.contains("Mostra la versione"), "{top}");
    let add = help_of(&["accounts", "add"], "--help");
    assert!(
        add.contains("Argomenti:") && add.contains("<EMAIL>"),
        "{add}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn help_is_in_plain_italian() {
    let env = Env::new().await;
    let help = env.run(&["import", "--help"]);
    let text = stdout(&help);
    assert!(text.contains("Carica gli enti dell'IPA"), "{text}");
    assert!(text.contains("Importa buone pratiche da un file JSON"));
}

#[tokio::test(flavor = "multi_thread")]
async fn practices_import_into_a_fresh_data_folder_without_loading_the_registry_first() {
    let env = Env::new().await;
    let file = env.file(
        "pratica.jsonl",
        &line("prima", "Una pratica di Roma.", "c_h501"),
    );
    let import = env.run(&["import", "practices", file.to_str().unwrap()]);
    assert!(import.status.success(), "{}", stderr(&import));
    assert!(stdout(&import).contains("1 nuove"), "{}", stdout(&import));

    let refresh = env.run(&["import", "organizations"]);
    assert!(
        stdout(&refresh).contains("Enti: 0 nuovi, 0 aggiornati, 23558 invariati"),
        "the bundled registry was loaded whole, once: {}",
        stdout(&refresh)
    );
}

/// Runs `riusa ARGS` with `input` on its standard input.
fn run_with_input(env: &Env, args: &[&str], input: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = env
        .command("dati")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The line of `riusa accounts list` for `email`.
fn listed(env: &Env, email: &str) -> Option<String> {
    let list = env.run(&["accounts", "list"]);
    assert!(list.status.success(), "{}", stderr(&list));
    stdout(&list)
        .lines()
        .find(|l| l.starts_with(&format!("{email} ")))
        .map(str::to_owned)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_added_account_is_listed_and_adding_it_again_updates_its_roles() {
    let env = Env::new().await;
    let add = [
        "accounts",
        "add",
        " Mario.Rossi@Comune.Roma.IT ",
        "--name",
        "Mario Rossi",
        "--organization",
        "c_h501",
        "--role",
        "coordinator",
    ];
    let created = env.run(&add);
    assert!(created.status.success(), "{}", stderr(&created));
    assert!(
        stdout(&created).starts_with("Account creato: mario.rossi@comune.roma.it"),
        "{}",
        stdout(&created)
    );
    let line = listed(&env, "mario.rossi@comune.roma.it").expect("listed, normalised");
    assert!(line.contains("Mario Rossi"), "{line}");
    assert!(line.contains("c_h501 (referente)"), "{line}");
    assert!(
        line.ends_with("attivo"),
        "created by the operator, so confirmed: {line}"
    );
    assert!(!line.contains("redazione"), "{line}");

    let editor = env.run(&[&add[..], &["--editor"]].concat());
    assert!(editor.status.success(), "{}", stderr(&editor));
    assert!(
        stdout(&editor).starts_with("Account già presente, aggiornato"),
        "{}",
        stdout(&editor)
    );
    let line = listed(&env, "mario.rossi@comune.roma.it").unwrap();
    assert!(line.contains("redazione"), "{line}");
    assert!(
        line.contains("c_h501 (referente)"),
        "membership kept: {line}"
    );

    let again = env.run(&[&add[..], &["--editor"]].concat());
    assert!(
        stdout(&again).starts_with("Account già presente, invariato"),
        "{}",
        stdout(&again)
    );
    let list = stdout(&env.run(&["accounts", "list"]));
    assert_eq!(list.lines().count(), 2, "a header and one account: {list}");
    assert!(list.starts_with("EMAIL"), "{list}");

    let unknown = env.run(&[
        "accounts",
        "add",
        "anna@comune.roma.it",
        "--name",
        "Anna",
        "--organization",
        "c_zzzz",
    ]);
    assert_eq!(unknown.status.code(), Some(1));
    assert_eq!(
        stderr(&unknown),
        "errore: --organization: nessun ente dell'IPA ha il codice «c_zzzz»\n"
    );
    assert!(listed(&env, "anna@comune.roma.it").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_common_password_on_stdin_is_refused_with_one_line() {
    let env = Env::new().await;
    let args = [
        "accounts",
        "add",
        "lucia@comune.roma.it",
        "--name",
        "Lucia Bianchi",
        "--password-stdin",
    ];
    let refused = run_with_input(&env, &args, "password1234\n");
    assert_eq!(refused.status.code(), Some(1));
    let errors = stderr(&refused);
    assert_eq!(errors.lines().count(), 1, "{errors}");
    assert!(
        errors.starts_with("errore: password: è troppo facile da indovinare"),
        "{errors}"
    );
    assert!(listed(&env, "lucia@comune.roma.it").is_none());

    let accepted = run_with_input(&env, &args, "lampione girasole trattore\n");
    assert!(accepted.status.success(), "{}", stderr(&accepted));
    assert!(listed(&env, "lucia@comune.roma.it").is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_works_against_the_api_until_its_account_is_disabled() {
    let env = Env::new().await;
    let email = "giulia@regione.toscana.it";
    assert!(
        env.run(&["accounts", "add", email, "--name", "Giulia Verdi"])
            .status
            .success()
    );
    let created = env.run(&["accounts", "token", email, "--label", "gestionale"]);
    assert!(created.status.success(), "{}", stderr(&created));
    let token = stdout(&created).trim().to_owned();
    assert!(token.starts_with("riusa_"), "{token}");
    assert_eq!(stdout(&created).lines().count(), 1, "the token alone");

    let server = crate::Server::start(env.command("nodo"));
    // The themes answer with counts from the index: wait until the node has one.
    server.wait_ready().await;
    let status = |token: String| {
        let url = format!("{}/api/v1/themes", server.base);
        async move {
            reqwest::Client::new()
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(status(token.clone()).await, 200);
    assert_eq!(status("riusa_sbagliato".to_owned()).await, 401);

    let disabled = env.run(&["accounts", "disable", email]);
    assert!(disabled.status.success(), "{}", stderr(&disabled));
    assert!(
        listed(&env, email).unwrap().ends_with("disattivato"),
        "{:?}",
        listed(&env, email)
    );
    assert_eq!(status(token).await, 401, "a disabled account's token");
    let refused = env.run(&["accounts", "token", email, "--label", "altro"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("è disattivato"),
        "{}",
        stderr(&refused)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn purge_removes_a_draft_and_refuses_a_practice_ever_published() {
    let env = Env::new().await;
    let mut draft: serde_json::Value =
        serde_json::from_str(&line("bozza", "Mai pubblicata.", "r_toscan")).unwrap();
    draft["status"] = "draft".into();
    let mut published: serde_json::Value =
        serde_json::from_str(&line("pubblica", "Già nel catalogo.", "r_toscan")).unwrap();
    published["status"] = "published".into();
    let file = env.file("pratiche.jsonl", &format!("{draft}\n{published}\n"));
    let import = env.run(&["import", "practices", file.to_str().unwrap()]);
    assert!(import.status.success(), "{}", stderr(&import));

    let purged = env.run(&["practices", "purge", "bozza"]);
    assert!(purged.status.success(), "{}", stderr(&purged));
    assert_eq!(stdout(&purged), "Pratica «bozza» eliminata.\n");
    let left = stdout(&env.run(&["export", "practices"]));
    assert_eq!(left.lines().count(), 1, "{left}");
    assert!(left.contains(r#""slug":"pubblica""#), "{left}");

    let refused = env.run(&["practices", "purge", "pubblica"]);
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        stderr(&refused),
        "errore: La scheda è stata pubblicata almeno una volta: si può archiviare, non eliminare.\n"
    );
    assert_eq!(stdout(&env.run(&["export", "practices"])), left);

    let gone = env.run(&["practices", "purge", "bozza"]);
    assert_eq!(gone.status.code(), Some(1));
    assert_eq!(
        stderr(&gone),
        "errore: nessuna pratica con lo slug «bozza»\n"
    );
}
