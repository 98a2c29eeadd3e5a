//! The validator over the corpus in `tests/publiccode/`: every valid file passes, every file
//! with warnings gives exactly those warnings, every invalid file exactly its findings, with
//! the key, line and column the reference parser gives for the same mistake.

use std::path::{Path, PathBuf};

use riusa_formats::publiccode::{Finding, Options, RemoteKind, Report, Severity, validate};

use Severity::{Error as E, Warning as W};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/publiccode")
}

/// Validates a corpus file the way the CLI does: iPA codes from a registry (two here),
/// relative files next to the corpus.
fn check(relative: &str) -> Report {
    let root = corpus();
    let source = std::fs::read(root.join(relative)).unwrap();
    let ipa = |code: &str| ["c_h501", "pcm"].contains(&code);
    let files = |path: &str| root.join(path).is_file();
    let options = Options {
        ipa_code_exists: Some(&ipa),
        file_exists: Some(&files),
    };
    validate(&source, &options)
}

type Expected<'a> = &'a [(Severity, &'a str, usize, usize)];

fn places(findings: &[Finding]) -> Vec<(Severity, String, usize, usize)> {
    findings
        .iter()
        .map(|f| (f.severity, f.key.clone(), f.line, f.column))
        .collect()
}

fn assert_findings(relative: &str, expected: Expected<'_>) {
    let report = check(relative);
    let expected: Vec<_> = expected
        .iter()
        .map(|(s, k, l, c)| (*s, (*k).to_owned(), *l, *c))
        .collect();
    assert_eq!(
        places(&report.findings),
        expected,
        "{relative}: {:#?}",
        report.findings
    );
    for finding in &report.findings {
        assert!(!finding.description.is_empty(), "{relative}: {finding:?}");
    }
    let has_errors = expected.iter().any(|(s, ..)| *s == E);
    assert_eq!(report.is_valid(), !has_errors, "{relative}");
}

fn yml_files(folder: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(corpus().join(folder))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yml"))
        .map(|name| format!("{folder}/{name}"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_valid_file_has_no_finding() {
    let files = yml_files("valid");
    assert!(files.len() >= 4);
    for file in files {
        assert_findings(&file, &[]);
    }
}

const WITH_WARNINGS: &[(&str, Expected<'static>)] = &[
    ("version_v0.2", &[(W, "publiccodeYmlVersion", 1, 1)]),
    ("genericName", &[(W, "description.it.genericName", 27, 5)]),
    (
        "lowercase_countries",
        &[(W, "intendedAudience.countries[0]", 24, 7)],
    ),
    ("repoOwner", &[(W, "legal.repoOwner", 39, 3)]),
    ("monochromeLogo", &[(W, "monochromeLogo", 8, 1)]),
    ("inputTypes", &[(W, "inputTypes", 8, 1)]),
    ("it_conforme", &[(W, "IT.conforme", 50, 3)]),
    ("it_riuso_codiceIPA", &[(W, "IT.riuso.codiceIPA", 50, 5)]),
    ("it_lowercase", &[(W, "it", 48, 1)]),
];

#[test]
fn files_with_warnings_only_are_valid_and_say_why() {
    assert_eq!(yml_files("valid_with_warnings").len(), WITH_WARNINGS.len());
    for (name, expected) in WITH_WARNINGS {
        assert_findings(&format!("valid_with_warnings/{name}.yml"), expected);
    }
}

const INVALID: &[(&str, Expected<'static>)] = &[
    // The version decides how the rest is read: a problem with it stops the validation.
    ("version_missing", &[(E, "publiccodeYmlVersion", 0, 0)]),
    ("version_unsupported", &[(E, "publiccodeYmlVersion", 0, 0)]),
    ("version_wrong_type", &[(E, "publiccodeYmlVersion", 1, 1)]),
    // Mandatory keys: a missing one is reported on the first key of its mapping.
    ("name_missing", &[(E, "name", 1, 1)]),
    ("name_nil", &[(E, "name", 3, 1)]),
    ("name_wrong_type", &[(E, "name", 3, 1), (E, "name", 3, 1)]),
    ("platforms_missing", &[(E, "platforms", 1, 1)]),
    ("description_missing", &[(E, "description", 1, 1)]),
    (
        "shortDescription_missing",
        &[(E, "description.it.shortDescription", 27, 5)],
    ),
    ("features_missing", &[(E, "description.it.features", 27, 5)]),
    ("features_empty", &[(E, "description.it.features", 31, 5)]),
    ("legal_missing", &[(E, "legal.license", 0, 0)]),
    (
        "localisation_availableLanguages_missing",
        &[(E, "localisation.availableLanguages", 45, 3)],
    ),
    (
        "mostly_empty",
        &[
            (E, "name", 1, 1),
            (E, "url", 1, 1),
            (E, "platforms", 1, 1),
            (E, "developmentStatus", 1, 1),
            (E, "softwareType", 1, 1),
            (E, "description[en-US].features", 3, 10),
            (E, "description[en-US].shortDescription", 3, 10),
            (E, "description[en-US].longDescription", 3, 10),
            (E, "legal.license", 4, 8),
            (E, "localisation.localisationReady", 5, 15),
            (E, "localisation.availableLanguages", 5, 15),
            (E, "maintenance.type", 6, 14),
        ],
    ),
    // Keys and types.
    ("unknown_field", &[(E, "foobar", 48, 1)]),
    (
        "localisation_localisationReady_yaml11_yes",
        &[
            (E, "localisation.localisationReady", 45, 1),
            (E, "localisation.localisationReady", 45, 3),
        ],
    ),
    (
        "dependsOn_open_version_wrong_type",
        &[
            (E, "dependsOn.open[0].version", 51, 1),
            (E, "dependsOn.open[0].optional", 52, 1),
        ],
    ),
    (
        "intendedAudience_wrong_type",
        &[(E, "intendedAudience", 20, 1)],
    ),
    (
        "legal_wrong_type",
        &[(E, "legal", 37, 1), (E, "legal.license", 37, 8)],
    ),
    ("logo_empty_and_name_empty", &[(E, "name", 3, 1)]),
    // Value lists.
    ("categories_invalid", &[(E, "categories[0]", 11, 5)]),
    (
        "developmentStatus_invalid",
        &[(E, "developmentStatus", 12, 1)],
    ),
    ("softwareType_invalid", &[(E, "softwareType", 13, 1)]),
    (
        "intendedAudience_scope_invalid",
        &[(E, "intendedAudience.scope[0]", 22, 7)],
    ),
    (
        "intendedAudience_countries_invalid",
        &[(E, "intendedAudience.countries[0]", 24, 7)],
    ),
    (
        "maintenance_type_invalid",
        &[(E, "maintenance.type", 40, 3)],
    ),
    (
        "it_countryExtensionVersion_invalid",
        &[(E, "IT.countryExtensionVersion", 49, 3)],
    ),
    ("supports_unknown_alias", &[(E, "supports[0].id", 18, 5)]),
    // Lengths, in grapheme clusters.
    (
        "shortDescription_too_long",
        &[(E, "description.it.shortDescription", 27, 5)],
    ),
    (
        "longDescription_too_short_grapheme_clusters",
        &[(E, "description.it.longDescription", 28, 5)],
    ),
    // BCP 47, SPDX, dates, URLs, e-mail.
    ("description_invalid_language", &[(E, "description", 25, 1)]),
    (
        "localisation_availableLanguages_invalid",
        &[(E, "localisation.availableLanguages[0]", 47, 7)],
    ),
    ("legal_license_invalid", &[(E, "legal.license", 38, 3)]),
    ("releaseDate_invalid", &[(E, "releaseDate", 6, 1)]),
    ("releaseDate_datetime", &[(E, "releaseDate", 6, 1)]),
    (
        "maintenance_contractors_until_invalid",
        &[(E, "maintenance.contractors[0].until", 43, 7)],
    ),
    ("url_invalid", &[(E, "url", 4, 1)]),
    ("landingURL_invalid", &[(E, "landingURL", 5, 1)]),
    (
        "maintenance_contacts_email_invalid",
        &[(E, "maintenance.contacts[0].email", 43, 7)],
    ),
    // Videos against the oEmbed providers.
    (
        "videos_not_oembed",
        &[(E, "description.it.videos[0]", 36, 9)],
    ),
    (
        "videos_not_url",
        &[
            (E, "description.it.videos[0]", 36, 9),
            (E, "description.it.videos[0]", 36, 9),
        ],
    ),
    // Files next to publiccode.yml.
    ("logo_absolute_path", &[(E, "logo", 7, 1)]),
    ("logo_file_scheme", &[(E, "logo", 7, 1)]),
    ("logo_missing_file", &[(E, "logo", 7, 1)]),
    ("logo_unsupported_extension", &[(E, "logo", 7, 1)]),
    (
        "screenshots_missing_file",
        &[(E, "description.it.screenshots[0]", 34, 9)],
    ),
    // Organisations and the iPA registry.
    (
        "organisation_uri_unknown_ipa",
        &[(E, "organisation.uri", 15, 3)],
    ),
    (
        "organisation_uri_missing",
        &[(E, "organisation.uri", 15, 3)],
    ),
    (
        "organisation_uri_invalid",
        &[(E, "organisation.uri", 15, 3)],
    ),
    (
        "it_riuso_codiceIPA_invalid",
        &[(E, "IT.riuso.codiceIPA", 50, 5)],
    ),
    ("it_IT_duplicated", &[(W, "it", 50, 1), (E, "it", 50, 1)]),
    // Maintenance depends on its type.
    (
        "maintenance_contacts_missing_with_type_community",
        &[(E, "maintenance.contacts", 40, 3)],
    ),
    (
        "maintenance_contractors_missing_with_type_contract",
        &[(E, "maintenance.contractors", 40, 3)],
    ),
    (
        "maintenance_contractors_when_type_is_community",
        &[(E, "maintenance.contractors", 41, 3)],
    ),
    // Files that are not one YAML document in UTF-8.
    ("invalid_yaml", &[(E, "", 13, 1)]),
    ("duplicate_key", &[(E, "", 4, 1)]),
    ("multiple_documents", &[(E, "", 0, 0)]),
    ("file_encoding", &[(E, "", 0, 0)]),
];

#[test]
fn every_invalid_file_gives_exactly_its_findings() {
    assert_eq!(yml_files("invalid").len(), INVALID.len());
    for (name, expected) in INVALID {
        assert_findings(&format!("invalid/{name}.yml"), expected);
    }
}

fn description(relative: &str) -> Vec<String> {
    check(relative)
        .findings
        .into_iter()
        .map(|f| f.description)
        .collect()
}

#[test]
fn descriptions_are_italian_and_say_what_the_reference_says() {
    assert_eq!(
        description("invalid/developmentStatus_invalid.yml"),
        [
            "developmentStatus deve essere uno dei seguenti valori: \"concept\", \"development\", \"beta\", \"stable\" o \"obsolete\""
        ]
    );
    assert_eq!(
        description("invalid/version_unsupported.yml"),
        [
            "versione non supportata: '1'. Versioni supportate: 0, 0.2, 0.2.0, 0.2.1, 0.2.2, 0.3, 0.3.0, 0.4, 0.4.0, 0.5.0, 0.5, 0.7.0, 0.7"
        ]
    );
    assert_eq!(
        description("valid_with_warnings/version_v0.2.yml"),
        ["v0.2 non è l'ultima versione, usare '0'. Il file viene letto come v0.7."]
    );
    assert_eq!(
        description("invalid/shortDescription_too_long.yml"),
        ["shortDescription può avere al massimo 150 caratteri"]
    );
    assert_eq!(
        description("invalid/unknown_field.yml"),
        ["campo sconosciuto \"foobar\""]
    );
    assert_eq!(
        description("invalid/maintenance_contacts_missing_with_type_community.yml"),
        ["contacts è un campo obbligatorio quando \"type\" è \"community\""]
    );
    assert_eq!(
        description("invalid/logo_missing_file.yml"),
        ["file inesistente: img/nessuno.png"]
    );
    let finding = &check("invalid/categories_invalid.yml").findings[0];
    assert_eq!(
        finding.to_string(),
        format!("11:5: error: categories[0]: {}", finding.description)
    );
}

#[test]
fn without_a_registry_or_a_folder_those_checks_are_skipped() {
    let source = std::fs::read(corpus().join("invalid/logo_missing_file.yml")).unwrap();
    assert!(validate(&source, &Options::default()).is_valid());
    let source = std::fs::read(corpus().join("invalid/organisation_uri_unknown_ipa.yml")).unwrap();
    assert!(validate(&source, &Options::default()).is_valid());
}

#[test]
fn network_checks_are_returned_not_run() {
    let report = check("valid/full.yml");
    let checks: Vec<_> = report
        .remote_checks
        .iter()
        .map(|c| (c.kind, c.key.as_str(), c.line))
        .collect();
    assert_eq!(
        checks,
        [
            (RemoteKind::Reachable, "url", 4),
            (RemoteKind::Reachable, "landingURL", 5),
        ]
    );
    let failure = Report::remote_failure(&report.remote_checks[0], "timeout");
    assert_eq!(failure.severity, E);
    assert_eq!(
        failure.description,
        "'https://example.com/italia/medusa.git' non raggiungibile: timeout"
    );
}
