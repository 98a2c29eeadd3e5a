//! `riusa validate publiccode`: the report, its JSON form and the exit code, without network.

use crate::{Env, MEDUSA_PUBLICCODE, stderr, stdout};

#[tokio::test(flavor = "multi_thread")]
async fn validate_publiccode_accepts_a_valid_file_and_its_warnings() {
    let env = Env::new().await;
    let file = env.file("publiccode.yml", MEDUSA_PUBLICCODE);
    let name = file.display().to_string();
    let output = env.run(&["validate", "publiccode", &name]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), format!("{name}: valido.\n"));

    let old = env.file(
        "vecchio.yml",
        &MEDUSA_PUBLICCODE.replace(
            "publiccodeYmlVersion: \"0\"",
            "publiccodeYmlVersion: \"0.2\"",
        ),
    );
    let output = env.run(&["validate", "publiccode", old.to_str().unwrap()]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "warnings alone leave it valid"
    );
    assert!(
        stdout(&output).starts_with(&format!(
            "{}:1:1: warning: publiccodeYmlVersion: v0.2 non è l'ultima versione",
            old.display()
        )),
        "{}",
        stdout(&output)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn validate_publiccode_reports_errors_by_line_and_exits_1() {
    let env = Env::new().await;
    let invalid = MEDUSA_PUBLICCODE
        .replace("stable\n", "finished\n")
        .replace("c_h501", "c_zzzz");
    let file = env.file("publiccode.yml", &format!("{invalid}foobar: 1\n"));
    let name = file.display().to_string();

    let output = env.run(&["validate", "publiccode", &name]);
    assert_eq!(output.status.code(), Some(1));
    let report = stdout(&output);
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines.len(), 3, "{report}");
    assert!(
        lines[0].starts_with(&format!("{name}:6:1: error: developmentStatus: ")),
        "{report}"
    );
    assert!(
        lines[1].starts_with(&format!(
            "{name}:9:3: error: organisation.uri: uri deve essere un codice IPA valido"
        )),
        "{report}"
    );
    assert_eq!(
        lines[2],
        format!("{name}:28:1: error: foobar: campo sconosciuto \"foobar\"")
    );

    let output = env.run(&["validate", "publiccode", &name, "--json"]);
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let findings = json.as_array().unwrap();
    assert_eq!(findings.len(), 3);
    assert_eq!(
        findings[2],
        serde_json::json!({
            "type": "error",
            "key": "foobar",
            "description": "campo sconosciuto \"foobar\"",
            "line": 28,
            "column": 1
        })
    );
    for finding in findings {
        let keys: Vec<&str> = finding
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["type", "key", "description", "line", "column"]);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn validate_publiccode_skips_network_checks_by_default() {
    let env = Env::new().await;
    // Nothing listens there: with --network this would be an error; without, it is not tried.
    let port = crate::free_port();
    let unreachable = MEDUSA_PUBLICCODE.replace(
        "https://example.com/italia/medusa.git",
        &format!("http://127.0.0.1:{port}/medusa.git"),
    );
    let file = env.file("publiccode.yml", &unreachable);
    let name = file.display().to_string();
    let output = env.run(&["validate", "publiccode", &name]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));

    let output = env.run(&["validate", "publiccode", &name, "--network"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains(&format!(
            "{name}:3:1: error: url: 'http://127.0.0.1:{port}/medusa.git' non raggiungibile"
        )),
        "{}",
        stdout(&output)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn validate_publiccode_of_a_missing_file_says_so_in_one_line() {
    let env = Env::new().await;
    let missing = env.data("nessuno.yml");
    let output = env.run(&["validate", "publiccode", missing.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let errors = stderr(&output);
    assert_eq!(errors.lines().count(), 1, "{errors}");
    assert!(
        errors.starts_with("errore: impossibile leggere"),
        "{errors}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn validate_publiccode_takes_ipa_codes_from_the_database_when_there_is_one() {
    let env = Env::new().await;
    // An administration only this database knows: the bundled registry has no such code.
    let ipa = env.file(
        "ipa.csv",
        "codice_ipa,denominazione_ente,codice_comune_istat,tipologia,codice_categoria,nome_categoria,tipologia_categoria,codice_natura,codice_ateco,sito_istituzionale\n\
         r_prova,Regione di prova,058091,Pubbliche Amministrazioni,L4,Regioni,Pubbliche Amministrazioni,2410,84.11.1,https://www.example.it/\n",
    );
    let file = env.file(
        "publiccode.yml",
        &MEDUSA_PUBLICCODE.replace("c_h501", "r_prova"),
    );
    let before = env.run(&["validate", "publiccode", file.to_str().unwrap()]);
    assert_eq!(before.status.code(), Some(1), "{}", stdout(&before));
    let import = env.run(&["import", "organizations", "--ipa", ipa.to_str().unwrap()]);
    assert!(import.status.success(), "{}", stderr(&import));
    let output = env.run(&["validate", "publiccode", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}
