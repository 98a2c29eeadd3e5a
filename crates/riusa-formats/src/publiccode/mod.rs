//! `publiccode.yml`: the validator that agrees with the reference parser
//! (italia/publiccode-parser-go) on the standard as it stands (v0.7), in Italian.
//!
//! A file is never refused as a whole: every problem is a [`Finding`], an error or a warning
//! with the key (`description.en.shortDescription`, `maintenance.contacts[0].name`), an Italian
//! description and the line and column where the reference parser puts it (decision 0023).
//! A file with warnings only is valid.
//!
//! What needs the world outside the bytes is asked of the caller through [`Options`]: whether
//! an iPA code exists and whether a relative file exists. What needs the network (is a URL
//! reachable, is a remote logo an image) is returned as [`RemoteCheck`]s for the caller to run
//! or skip.

mod messages;
mod record;
mod schema;
mod vocabulary;
mod yaml;

use std::fmt;

use serde::Serialize;

pub use record::read_software;

/// Whether a finding makes the file invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// The word the reference's report uses (`error`, `warning`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem found in a `publiccode.yml`; `line` and `column` are 1-based, 0 when the
/// problem has no place in the file (a missing section, an unreadable encoding).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    #[serde(rename = "type")]
    pub severity: Severity,
    pub key: String,
    pub description: String,
    pub line: usize,
    pub column: usize,
}

/// `LINE:COL: error: KEY: description`, the reference's shape without the file name.
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: ",
            self.line,
            self.column,
            self.severity.as_str()
        )?;
        if !self.key.is_empty() {
            write!(f, "{}: ", self.key)?;
        }
        f.write_str(&self.description)
    }
}

/// What the validator cannot know from the bytes alone; `None` skips that check.
#[derive(Default, Clone, Copy)]
pub struct Options<'a> {
    /// Whether an iPA code (as written after `urn:x-italian-pa:` or in `IT.riuso.codiceIPA`)
    /// names an administration of the registry.
    pub ipa_code_exists: Option<&'a dyn Fn(&str) -> bool>,
    /// Whether a path relative to the file's folder (`logo`, `screenshots`) is an existing
    /// file.
    pub file_exists: Option<&'a dyn Fn(&str) -> bool>,
}

/// What a remote check verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoteKind {
    /// The URL answers with a success status.
    Reachable,
    /// The URL answers with an SVG or PNG image.
    Logo,
}

/// A check that needs the network, for the caller to run (`riusa validate publiccode
/// --network`); its result becomes a finding at the same key and place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteCheck {
    pub kind: RemoteKind,
    pub key: String,
    pub url: String,
    pub line: usize,
    pub column: usize,
}

/// Everything the validator found, in the order of the file.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub remote_checks: Vec<RemoteCheck>,
}

impl Report {
    /// Valid means no error: warnings alone leave a file valid, as in the reference.
    pub fn is_valid(&self) -> bool {
        self.findings
            .iter()
            .all(|f| f.severity == Severity::Warning)
    }

    /// The error a failed remote check adds.
    pub fn remote_failure(check: &RemoteCheck, reason: &str) -> Finding {
        let description = match check.kind {
            RemoteKind::Reachable => messages::not_reachable(&check.url, reason),
            RemoteKind::Logo => messages::bad_remote_logo(&check.url, reason),
        };
        Finding {
            severity: Severity::Error,
            key: check.key.clone(),
            description,
            line: check.line,
            column: check.column,
        }
    }
}

/// Validates the bytes of a `publiccode.yml`.
pub fn validate(source: &[u8], options: &Options<'_>) -> Report {
    let mut report = schema::validate(source, options);
    // The reference lists findings in the order its passes make them; one order, by place,
    // reads better and keeps the report stable. Findings with no place come first.
    report.findings.sort_by_key(|f| (f.line, f.column));
    report
}
