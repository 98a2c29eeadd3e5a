//! Software described by a `publiccode.yml`: what riusa keeps of it (decision 0024).
//!
//! A record is read leniently from any file that names its repository (`url`): a valid file
//! becomes an active record, an invalid one is kept inactive with the validator's findings so
//! that its owner can see and fix them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The descriptions of one language (`description.it`, `description.en`, …).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Description {
    /// The language code as the file writes it (`it`, `en`, `de`).
    pub language: String,
    pub localised_name: Option<String>,
    pub short_description: Option<String>,
    /// Plain text or Markdown.
    pub long_description: Option<String>,
    pub documentation: Option<String>,
    pub features: Vec<String>,
    pub screenshots: Vec<String>,
    pub videos: Vec<String>,
}

/// Somebody to ask about the software (`maintenance.contacts`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Contact {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub affiliation: Option<String>,
}

/// A company paid to maintain the software (`maintenance.contractors`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Contractor {
    pub name: String,
    /// The last day of the contract, as written.
    pub until: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
}

/// Who maintains the software and how.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Maintenance {
    /// `internal`, `contract`, `community` or `none`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub contacts: Vec<Contact>,
    pub contractors: Vec<Contractor>,
}

/// Something the software needs to run (`dependsOn.open`, `.proprietary`, `.hardware`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Dependency {
    /// `open`, `proprietary` or `hardware`.
    pub kind: String,
    pub name: String,
    pub version_min: Option<String>,
    pub version_max: Option<String>,
    pub version: Option<String>,
    pub optional: bool,
}

/// One problem the validator found, as kept with an inactive record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StoredFinding {
    /// `error` or `warning`.
    pub severity: String,
    /// `description.it.shortDescription`; empty for the whole file.
    pub key: String,
    /// In Italian.
    pub description: String,
    /// 1-based; 0 when the problem has no place in the file.
    pub line: usize,
    pub column: usize,
}

impl StoredFinding {
    pub fn is_error(&self) -> bool {
        self.severity == "error"
    }
}

/// A software record as read from a `publiccode.yml`, ready to be stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewSoftware {
    /// The repository (`url`): the record's identity, so a re-import updates it.
    pub url: String,
    pub name: String,
    /// The iPA code of `organisation.uri` (`urn:x-italian-pa:CODE`) or of the legacy
    /// `it.riuso.codiceIPA`, normalised.
    pub owner_ipa_code: Option<String>,
    pub version: Option<String>,
    pub release_date: Option<NaiveDate>,
    pub development_status: Option<String>,
    pub software_type: Option<String>,
    pub license: Option<String>,
    pub platforms: Vec<String>,
    pub categories: Vec<String>,
    pub scopes: Vec<String>,
    /// In the order of the file; pages show Italian first.
    pub descriptions: Vec<Description>,
    pub maintenance: Maintenance,
    pub dependencies: Vec<Dependency>,
    /// The administrations that use it, as the file names them (`usedBy`).
    pub used_by: Vec<String>,
    pub landing_url: Option<String>,
    /// A path relative to the repository or a URL, as written.
    pub logo: Option<String>,
    /// The file as given, byte for byte (export returns it).
    pub source: String,
    /// Whatever the validator found; the record is active when none is an error.
    pub findings: Vec<StoredFinding>,
}

impl NewSoftware {
    /// Valid files become public records; invalid ones wait for their owner.
    pub fn is_valid(&self) -> bool {
        !self.findings.iter().any(StoredFinding::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.findings.iter().filter(|f| f.is_error()).count()
    }
}
