//! The good-practice catalog: the practice record, its parts and its validation.
//!
//! [`PracticeRecord`] is both the interchange shape (JSON, see
//! `docs/schemas/practice.schema.json`) and what the store writes: its field order is the key
//! order of every export, so that import and export round-trip exactly.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

use crate::error::{DomainError, FieldError, Violation};
use crate::text::{char_len, is_slug, normalize, normalize_optional};

pub mod workflow;

pub const SLUG_MIN: usize = 3;
pub const SLUG_MAX: usize = 100;
pub const TITLE_MIN: usize = 3;
pub const TITLE_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 300;
pub const SECTION_MAX: usize = 20_000;
pub const LABEL_MAX: usize = 200;
pub const METRIC_LABEL_MAX: usize = 120;
pub const UNIT_MAX: usize = 40;
pub const IPA_MAX: usize = 32;
pub const DEFAULT_LICENSE: &str = "CC-BY-4.0";
pub const DEFAULT_LANGUAGE: &str = "it";

/// Editorial state; only `Published` practices are shown to visitors.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Draft,
    InReview,
    Published,
    Archived,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Draft,
        Status::InReview,
        Status::Published,
        Status::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::InReview => "in_review",
            Status::Published => "published",
            Status::Archived => "archived",
        }
    }

    pub fn parse(value: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// What an owner administration offers to those who want to reuse the practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupportKind {
    Testimonial,
    Coaching,
    Documentation,
    Training,
    SourceCode,
    Helpdesk,
}

impl SupportKind {
    pub const ALL: [SupportKind; 6] = [
        SupportKind::Testimonial,
        SupportKind::Coaching,
        SupportKind::Documentation,
        SupportKind::Training,
        SupportKind::SourceCode,
        SupportKind::Helpdesk,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SupportKind::Testimonial => "testimonial",
            SupportKind::Coaching => "coaching",
            SupportKind::Documentation => "documentation",
            SupportKind::Training => "training",
            SupportKind::SourceCode => "source_code",
            SupportKind::Helpdesk => "helpdesk",
        }
    }

    pub fn parse(value: &str) -> Option<SupportKind> {
        SupportKind::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// Whether an administration gives the practice (owner) or took part in it (partner).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerRole {
    Owner,
    Partner,
}

impl OwnerRole {
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerRole::Owner => "owner",
            OwnerRole::Partner => "partner",
        }
    }

    pub fn parse(value: &str) -> Option<OwnerRole> {
        match value {
            "owner" => Some(OwnerRole::Owner),
            "partner" => Some(OwnerRole::Partner),
            _ => None,
        }
    }
}

/// An administration named by its IPA code (stored lower-case: IPA codes are case-insensitive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OwnerRef {
    pub ipa: String,
    pub role: OwnerRole,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub start: NaiveDate,
    #[serde(default)]
    pub end: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funding {
    pub programme: String,
    #[serde(default)]
    pub axis: Option<String>,
    #[serde(default)]
    pub amount_cents: Option<i64>,
}

/// A key figure such as "776 ore di formazione".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    pub label: String,
    #[serde(
        serialize_with = "serialize_number",
        deserialize_with = "deserialize_number"
    )]
    pub value: f64,
    #[serde(default)]
    pub unit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// The sections of a practice sheet, in reading order; Markdown each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKey {
    Motivation,
    Activities,
    Audience,
    Implementation,
    PeopleInvolved,
    WorkGroup,
    Collaborations,
    Outputs,
    ExpectedResults,
    AchievedResults,
    Strengths,
    Weaknesses,
    Lessons,
    Transferability,
}

impl SectionKey {
    pub const ALL: [SectionKey; 14] = [
        SectionKey::Motivation,
        SectionKey::Activities,
        SectionKey::Audience,
        SectionKey::Implementation,
        SectionKey::PeopleInvolved,
        SectionKey::WorkGroup,
        SectionKey::Collaborations,
        SectionKey::Outputs,
        SectionKey::ExpectedResults,
        SectionKey::AchievedResults,
        SectionKey::Strengths,
        SectionKey::Weaknesses,
        SectionKey::Lessons,
        SectionKey::Transferability,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SectionKey::Motivation => "motivation",
            SectionKey::Activities => "activities",
            SectionKey::Audience => "audience",
            SectionKey::Implementation => "implementation",
            SectionKey::PeopleInvolved => "people_involved",
            SectionKey::WorkGroup => "work_group",
            SectionKey::Collaborations => "collaborations",
            SectionKey::Outputs => "outputs",
            SectionKey::ExpectedResults => "expected_results",
            SectionKey::AchievedResults => "achieved_results",
            SectionKey::Strengths => "strengths",
            SectionKey::Weaknesses => "weaknesses",
            SectionKey::Lessons => "lessons",
            SectionKey::Transferability => "transferability",
        }
    }

    pub fn parse(value: &str) -> Option<SectionKey> {
        SectionKey::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

/// Absent sections are left out of the JSON rather than written as null.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sections {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub motivation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activities: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implementation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people_involved: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collaborations: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outputs: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_results: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achieved_results: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strengths: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weaknesses: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lessons: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transferability: Option<String>,
}

impl Sections {
    pub fn get(&self, key: SectionKey) -> Option<&str> {
        self.slot(key).as_deref()
    }

    /// Sets a section's text (an empty text removes it, as validation would).
    pub fn set(&mut self, key: SectionKey, text: String) {
        *self.slot_mut(key) = (!text.trim().is_empty()).then_some(text);
    }

    /// The present sections, in reading order.
    pub fn present(&self) -> impl Iterator<Item = (SectionKey, &str)> {
        SectionKey::ALL
            .into_iter()
            .filter_map(|key| self.get(key).map(|text| (key, text)))
    }

    fn slot(&self, key: SectionKey) -> &Option<String> {
        match key {
            SectionKey::Motivation => &self.motivation,
            SectionKey::Activities => &self.activities,
            SectionKey::Audience => &self.audience,
            SectionKey::Implementation => &self.implementation,
            SectionKey::PeopleInvolved => &self.people_involved,
            SectionKey::WorkGroup => &self.work_group,
            SectionKey::Collaborations => &self.collaborations,
            SectionKey::Outputs => &self.outputs,
            SectionKey::ExpectedResults => &self.expected_results,
            SectionKey::AchievedResults => &self.achieved_results,
            SectionKey::Strengths => &self.strengths,
            SectionKey::Weaknesses => &self.weaknesses,
            SectionKey::Lessons => &self.lessons,
            SectionKey::Transferability => &self.transferability,
        }
    }

    fn slot_mut(&mut self, key: SectionKey) -> &mut Option<String> {
        match key {
            SectionKey::Motivation => &mut self.motivation,
            SectionKey::Activities => &mut self.activities,
            SectionKey::Audience => &mut self.audience,
            SectionKey::Implementation => &mut self.implementation,
            SectionKey::PeopleInvolved => &mut self.people_involved,
            SectionKey::WorkGroup => &mut self.work_group,
            SectionKey::Collaborations => &mut self.collaborations,
            SectionKey::Outputs => &mut self.outputs,
            SectionKey::ExpectedResults => &mut self.expected_results,
            SectionKey::AchievedResults => &mut self.achieved_results,
            SectionKey::Strengths => &mut self.strengths,
            SectionKey::Weaknesses => &mut self.weaknesses,
            SectionKey::Lessons => &mut self.lessons,
            SectionKey::Transferability => &mut self.transferability,
        }
    }
}

fn default_license() -> String {
    DEFAULT_LICENSE.to_owned()
}

fn default_language() -> String {
    DEFAULT_LANGUAGE.to_owned()
}

/// A good practice in the interchange shape. Field order is export key order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PracticeRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub themes: Vec<String>,
    pub owners: Vec<OwnerRef>,
    #[serde(default)]
    pub period: Option<Period>,
    #[serde(default)]
    pub funding: Vec<Funding>,
    #[serde(default)]
    pub sections: Sections,
    #[serde(default)]
    pub support_offered: Vec<SupportKind>,
    #[serde(default)]
    pub metrics: Vec<Metric>,
    #[serde(default)]
    pub places: Vec<String>,
    #[serde(default)]
    pub links: Vec<Link>,
    #[serde(default = "default_license")]
    pub license: String,
    #[serde(default)]
    pub status: Status,
    #[serde(default = "default_language")]
    pub language: String,
    /// When the text last changed where the record comes from. Not part of the content: an
    /// import keeps it as the practice's "last updated" date, exports write it, and equal
    /// content with another date is still equal. A plain date (`2024-03-15`) means its
    /// midnight UTC.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "date_or_timestamp"
    )]
    pub updated: Option<DateTime<Utc>>,
}

fn date_or_timestamp<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    let Some(text) = Option::<String>::deserialize(deserializer)? else {
        return Ok(None);
    };
    if let Ok(moment) = DateTime::parse_from_rfc3339(&text) {
        return Ok(Some(moment.with_timezone(&Utc)));
    }
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .ok()
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map(|midnight| Some(midnight.and_utc()))
        .ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{text}` non è una data (AAAA-MM-GG) né un istante RFC 3339"
            ))
        })
}

/// The Italian name of the licences practices use, by SPDX identifier; `None` for others
/// (pages then show the code alone).
pub fn license_name(spdx: &str) -> Option<&'static str> {
    let name = match spdx {
        "CC-BY-4.0" => "Creative Commons Attribuzione 4.0",
        "CC-BY-SA-4.0" => "Creative Commons Attribuzione - Condividi allo stesso modo 4.0",
        "CC-BY-3.0-IT" => "Creative Commons Attribuzione 3.0 Italia",
        "CC-BY-NC-4.0" => "Creative Commons Attribuzione - Non commerciale 4.0",
        "CC-BY-ND-4.0" => "Creative Commons Attribuzione - Non opere derivate 4.0",
        "CC0-1.0" => "Creative Commons Zero 1.0 Universale",
        "EUPL-1.2" => "Licenza pubblica dell'Unione europea 1.2",
        "AGPL-3.0-or-later" => "GNU Affero General Public License 3.0 o successiva",
        "AGPL-3.0-only" => "GNU Affero General Public License 3.0",
        "GPL-3.0-or-later" => "GNU General Public License 3.0 o successiva",
        "GPL-3.0-only" => "GNU General Public License 3.0",
        "GPL-2.0-or-later" => "GNU General Public License 2.0 o successiva",
        "LGPL-3.0-or-later" => "GNU Lesser General Public License 3.0 o successiva",
        "MIT" => "Licenza MIT",
        "Apache-2.0" => "Licenza Apache 2.0",
        "BSD-3-Clause" => "Licenza BSD a 3 clausole",
        "MPL-2.0" => "Mozilla Public License 2.0",
        "IODL-1.0" => "Italian Open Data License 1.0",
        "IODL-2.0" => "Italian Open Data License 2.0",
        "ODbL-1.0" => "Open Database License 1.0",
        _ => return None,
    };
    Some(name)
}

/// A licence as a page names it: "Creative Commons Attribuzione 4.0 (CC BY 4.0)", the code alone
/// when the name is unknown. Creative Commons codes are written as Creative Commons writes them.
pub fn license_label(spdx: &str) -> String {
    let code = if spdx.starts_with("CC") {
        // CC-BY-SA-4.0 → CC BY-SA 4.0; CC-BY-3.0-IT → CC BY 3.0 IT; CC0-1.0 → CC0 1.0.
        let parts: Vec<&str> = spdx.split('-').collect();
        let version = parts
            .iter()
            .position(|p| p.starts_with(|c: char| c.is_ascii_digit()))
            .unwrap_or(parts.len());
        let head = match parts[..version] {
            [first, ref kinds @ ..] if !kinds.is_empty() => format!("{first} {}", kinds.join("-")),
            _ => parts[..version].join("-"),
        };
        std::iter::once(head)
            .chain(parts[version..].iter().map(|p| (*p).to_owned()))
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        spdx.to_owned()
    };
    match license_name(spdx) {
        Some(name) => format!("{name} ({code})"),
        None => spdx.to_owned(),
    }
}

/// What the referenced themes, administrations and places must be checked against.
pub trait References {
    fn has_theme(&self, slug: &str) -> bool;
    fn has_organization(&self, ipa: &str) -> bool;
    fn has_place(&self, istat: &str) -> bool;
}

/// In-memory reference sets, loaded once per import batch.
#[derive(Debug, Default, Clone)]
pub struct KnownReferences {
    pub themes: HashSet<String>,
    pub organizations: HashMap<String, Uuid>,
    pub places: HashSet<String>,
}

impl References for KnownReferences {
    fn has_theme(&self, slug: &str) -> bool {
        self.themes.contains(slug)
    }
    fn has_organization(&self, ipa: &str) -> bool {
        self.organizations.contains_key(ipa)
    }
    fn has_place(&self, istat: &str) -> bool {
        self.places.contains(istat)
    }
}

impl PracticeRecord {
    /// Normalises every text (NFC, trimmed, IPA codes lower-case, empty sections dropped) and
    /// checks every rule that needs no lookup. All violations are reported at once.
    pub fn validated(mut self) -> Result<PracticeRecord, DomainError> {
        let mut errors = Vec::new();

        self.slug = self.slug.trim().to_owned();
        check_len(&mut errors, "slug", &self.slug, SLUG_MIN, SLUG_MAX);
        if !self.slug.is_empty() && !is_slug(&self.slug) {
            errors.push(FieldError::new("slug", Violation::InvalidSlug));
        }
        self.title = normalize(&self.title);
        check_len(&mut errors, "title", &self.title, TITLE_MIN, TITLE_MAX);
        self.summary = normalize(&self.summary);
        check_len(&mut errors, "summary", &self.summary, 1, SUMMARY_MAX);

        self.themes = self.themes.iter().map(|t| t.trim().to_owned()).collect();
        if self.themes.is_empty() {
            errors.push(FieldError::new("themes", Violation::Required));
        }
        check_unique(&mut errors, "themes", &self.themes);
        for (i, theme) in self.themes.iter().enumerate() {
            if !is_slug(theme) {
                errors.push(FieldError::new(
                    format!("themes[{i}]"),
                    Violation::InvalidSlug,
                ));
            }
        }

        for owner in &mut self.owners {
            owner.ipa = owner.ipa.trim().to_lowercase();
        }
        if self.owners.is_empty() {
            errors.push(FieldError::new("owners", Violation::Required));
        } else if !self.owners.iter().any(|o| o.role == OwnerRole::Owner) {
            errors.push(FieldError::new("owners", Violation::NoOwner));
        }
        let owner_codes: Vec<String> = self.owners.iter().map(|o| o.ipa.clone()).collect();
        check_unique(&mut errors, "owners", &owner_codes);
        for (i, owner) in self.owners.iter().enumerate() {
            check_len(
                &mut errors,
                &format!("owners[{i}].ipa"),
                &owner.ipa,
                1,
                IPA_MAX,
            );
        }

        if let Some(period) = &self.period
            && let Some(end) = period.end
            && end < period.start
        {
            errors.push(FieldError::new("period.end", Violation::EndBeforeStart));
        }

        for (i, funding) in self.funding.iter_mut().enumerate() {
            funding.programme = normalize(&funding.programme);
            check_len(
                &mut errors,
                &format!("funding[{i}].programme"),
                &funding.programme,
                1,
                LABEL_MAX,
            );
            funding.axis = normalize_optional(funding.axis.as_deref());
            if let Some(axis) = &funding.axis {
                check_len(
                    &mut errors,
                    &format!("funding[{i}].axis"),
                    axis,
                    1,
                    LABEL_MAX,
                );
            }
            if funding.amount_cents.is_some_and(|a| a < 0) {
                errors.push(FieldError::new(
                    format!("funding[{i}].amount_cents"),
                    Violation::NotANumber,
                ));
            }
        }

        for key in SectionKey::ALL {
            let slot = self.sections.slot_mut(key);
            *slot = normalize_optional(slot.as_deref());
            if let Some(text) = slot.as_deref() {
                check_len(
                    &mut errors,
                    &format!("sections.{}", key.as_str()),
                    text,
                    1,
                    SECTION_MAX,
                );
            }
        }

        let mut seen_support = HashSet::new();
        if !self.support_offered.iter().all(|s| seen_support.insert(*s)) {
            errors.push(FieldError::new("support_offered", Violation::Duplicate));
        }

        for (i, metric) in self.metrics.iter_mut().enumerate() {
            metric.label = normalize(&metric.label);
            check_len(
                &mut errors,
                &format!("metrics[{i}].label"),
                &metric.label,
                1,
                METRIC_LABEL_MAX,
            );
            metric.unit = normalize_optional(metric.unit.as_deref());
            if let Some(unit) = &metric.unit {
                check_len(
                    &mut errors,
                    &format!("metrics[{i}].unit"),
                    unit,
                    1,
                    UNIT_MAX,
                );
            }
            if !metric.value.is_finite() {
                errors.push(FieldError::new(
                    format!("metrics[{i}].value"),
                    Violation::NotANumber,
                ));
            }
        }

        self.places = self.places.iter().map(|p| p.trim().to_owned()).collect();
        check_unique(&mut errors, "places", &self.places);
        for (i, place) in self.places.iter().enumerate() {
            if place.len() != 6 || !place.bytes().all(|b| b.is_ascii_digit()) {
                errors.push(FieldError::new(
                    format!("places[{i}]"),
                    Violation::InvalidIstatCode,
                ));
            }
        }

        for (i, link) in self.links.iter_mut().enumerate() {
            link.title = normalize(&link.title);
            check_len(
                &mut errors,
                &format!("links[{i}].title"),
                &link.title,
                1,
                LABEL_MAX,
            );
            link.url = link.url.trim().to_owned();
            if !is_web_url(&link.url) {
                errors.push(FieldError::new(
                    format!("links[{i}].url"),
                    Violation::InvalidUrl,
                ));
            }
        }

        self.license = self.license.trim().to_owned();
        if spdx::Expression::parse(&self.license).is_err() {
            errors.push(FieldError::new("license", Violation::InvalidLicense));
        }
        self.language = self.language.trim().to_owned();
        if self.language.len() != 2 || !self.language.bytes().all(|b| b.is_ascii_lowercase()) {
            errors.push(FieldError::new("language", Violation::InvalidLanguage));
        }

        if errors.is_empty() {
            Ok(self)
        } else {
            Err(DomainError::Invalid(errors))
        }
    }

    /// Checks that every theme, administration and place the record names exists.
    pub fn check_references(&self, known: &impl References) -> Result<(), DomainError> {
        let mut errors = Vec::new();
        for (i, slug) in self.themes.iter().enumerate() {
            if !known.has_theme(slug) {
                errors.push(FieldError::new(
                    format!("themes[{i}]"),
                    Violation::UnknownTheme { slug: slug.clone() },
                ));
            }
        }
        for (i, owner) in self.owners.iter().enumerate() {
            if !known.has_organization(&owner.ipa) {
                errors.push(FieldError::new(
                    format!("owners[{i}].ipa"),
                    Violation::UnknownOrganization {
                        ipa: owner.ipa.clone(),
                    },
                ));
            }
        }
        for (i, place) in self.places.iter().enumerate() {
            if !known.has_place(place) {
                errors.push(FieldError::new(
                    format!("places[{i}]"),
                    Violation::UnknownPlace {
                        istat: place.clone(),
                    },
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(errors))
        }
    }
}

fn check_len(errors: &mut Vec<FieldError>, field: &str, value: &str, min: usize, max: usize) {
    let len = char_len(value);
    if len == 0 {
        errors.push(FieldError::new(field, Violation::Required));
    } else if len < min {
        errors.push(FieldError::new(field, Violation::TooShort { min }));
    } else if len > max {
        errors.push(FieldError::new(field, Violation::TooLong { max }));
    }
}

fn check_unique(errors: &mut Vec<FieldError>, field: &str, values: &[String]) {
    let mut seen = HashSet::new();
    if !values.iter().all(|v| seen.insert(v.as_str())) {
        errors.push(FieldError::new(field, Violation::Duplicate));
    }
}

/// An absolute http(s) URI as RFC 3986 writes it (what the JSON Schema's `format: uri` accepts):
/// ASCII only, no spaces, well-formed percent escapes, lower-case scheme.
fn is_web_url(candidate: &str) -> bool {
    let well_formed_escapes = candidate
        .split('%')
        .skip(1)
        .all(|rest| rest.len() >= 2 && rest.as_bytes()[..2].iter().all(u8::is_ascii_hexdigit));
    (candidate.starts_with("http://") || candidate.starts_with("https://"))
        && candidate.bytes().all(|b| b.is_ascii_graphic())
        && well_formed_escapes
        && url::Url::parse(candidate).is_ok_and(|u| u.host().is_some())
}

/// Whole numbers are written without a fraction so that `776` round-trips as `776`.
fn serialize_number<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0; // 2^53
    if value.fract() == 0.0 && value.abs() < EXACT_INTEGER_LIMIT {
        serializer.serialize_i64(*value as i64)
    } else {
        serializer.serialize_f64(*value)
    }
}

fn deserialize_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    f64::deserialize(deserializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimal() -> PracticeRecord {
        serde_json::from_str(
            r#"{"slug":"scambio-pa","title":"Scambio PA","summary":"Scambio di esperienze.",
                "themes":["formazione"],"owners":[{"ipa":"R_TOSCAN","role":"owner"}]}"#,
        )
        .unwrap_or_else(|e| panic!("fixture must parse: {e}"))
    }

    fn violations(record: PracticeRecord) -> Vec<(String, Violation)> {
        match record.validated() {
            Ok(_) => Vec::new(),
            Err(DomainError::Invalid(errors)) => {
                errors.into_iter().map(|e| (e.field, e.violation)).collect()
            }
            Err(other) => panic!("validation only reports invalid fields: {other:?}"),
        }
    }

    #[test]
    fn defaults_fill_license_status_and_language() {
        let record = minimal().validated().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(record.license, "CC-BY-4.0");
        assert_eq!(record.status, Status::Draft);
        assert_eq!(record.language, "it");
        assert_eq!(record.owners[0].ipa, "r_toscan");
    }

    #[test]
    fn summary_over_300_characters_is_refused() {
        let mut record = minimal();
        record.summary = "à".repeat(301);
        assert_eq!(
            violations(record),
            vec![("summary".to_owned(), Violation::TooLong { max: 300 })]
        );
        let mut record = minimal();
        record.summary = "à".repeat(300);
        assert!(violations(record).is_empty());
    }

    #[test]
    fn every_violation_is_reported_with_its_path() {
        let mut record = minimal();
        record.slug = "Non Valido".into();
        record.owners[0].role = OwnerRole::Partner;
        record.period = Some(Period {
            start: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default(),
            end: NaiveDate::from_ymd_opt(2019, 1, 1),
        });
        record.links = vec![Link {
            title: "Sito".into(),
            url: "ftp://example.org".into(),
        }];
        record.places = vec!["48017".into()];
        record.license = "not a licence (".into();
        let fields: Vec<String> = violations(record).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "slug",
                "owners",
                "period.end",
                "places[0]",
                "links[0].url",
                "license"
            ]
        );
    }

    #[test]
    fn empty_sections_are_dropped() {
        let mut record = minimal();
        record.sections.lessons = Some("   ".into());
        record.sections.motivation = Some(" Perché ".into());
        let record = record.validated().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(record.sections.lessons, None);
        assert_eq!(
            record.sections.present().collect::<Vec<_>>(),
            vec![(SectionKey::Motivation, "Perché")]
        );
    }

    #[test]
    fn whole_metric_values_round_trip_without_fraction() {
        let metric: Metric = serde_json::from_str(r#"{"label":"ore","value":776,"unit":"h"}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            serde_json::to_string(&metric).unwrap_or_default(),
            r#"{"label":"ore","value":776,"unit":"h"}"#
        );
        let metric: Metric = serde_json::from_str(r#"{"label":"quota","value":12.5}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            serde_json::to_string(&metric).unwrap_or_default(),
            r#"{"label":"quota","value":12.5,"unit":null}"#
        );
    }

    #[test]
    fn licences_are_named_with_their_code() {
        assert_eq!(
            license_label("CC-BY-4.0"),
            "Creative Commons Attribuzione 4.0 (CC BY 4.0)"
        );
        assert_eq!(
            license_label("CC-BY-SA-4.0"),
            "Creative Commons Attribuzione - Condividi allo stesso modo 4.0 (CC BY-SA 4.0)"
        );
        assert_eq!(
            license_label("CC0-1.0"),
            "Creative Commons Zero 1.0 Universale (CC0 1.0)"
        );
        assert_eq!(
            license_label("EUPL-1.2"),
            "Licenza pubblica dell'Unione europea 1.2 (EUPL-1.2)"
        );
        assert_eq!(license_label("MIT"), "Licenza MIT (MIT)");
        assert_eq!(
            license_label("CC-BY-3.0-IT"),
            "Creative Commons Attribuzione 3.0 Italia (CC BY 3.0 IT)"
        );
        assert_eq!(license_label("0BSD"), "0BSD");
    }

    #[test]
    fn unknown_references_are_named() {
        let record = minimal().validated().unwrap_or_else(|e| panic!("{e}"));
        let known = KnownReferences::default();
        let Err(DomainError::Invalid(errors)) = record.check_references(&known) else {
            panic!("references must be refused");
        };
        assert_eq!(
            errors[0].violation,
            Violation::UnknownTheme {
                slug: "formazione".into()
            }
        );
        assert_eq!(
            errors[1].violation,
            Violation::UnknownOrganization {
                ipa: "r_toscan".into()
            }
        );
    }
}
