//! Read models: what pages, the API and the search projection show, with references resolved.

use chrono::{DateTime, Utc};
use riusa_domain::catalog::workflow::DraftState;
use riusa_domain::catalog::{
    Funding, Link, Metric, OwnerRef, OwnerRole, Period, PracticeRecord, Sections, Status,
    SupportKind,
};
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MunicipalityView {
    pub istat_code: String,
    pub name: String,
    pub region_name: String,
    pub province_name: String,
    pub province_abbr: Option<String>,
    pub population: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrganizationView {
    pub id: Uuid,
    pub ipa_code: String,
    pub name: String,
    pub kind: String,
    pub category_code: String,
    pub category_name: String,
    pub website: Option<String>,
    pub is_municipality: bool,
    /// The comune of the seat (the administration itself when `is_municipality`).
    pub municipality: Option<MunicipalityView>,
}

impl OrganizationView {
    pub fn region_name(&self) -> Option<&str> {
        self.municipality.as_ref().map(|m| m.region_name.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThemeView {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ThemeRef {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnerView {
    pub ipa_code: String,
    pub name: String,
    pub role: OwnerRole,
    pub category_name: String,
    pub region_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlaceView {
    pub istat_code: String,
    pub name: String,
    pub province_abbr: Option<String>,
    pub region_name: String,
}

/// A practice with its references resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PracticeView {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub status: Status,
    pub license: String,
    pub language: String,
    pub period: Option<Period>,
    pub funding: Vec<Funding>,
    pub sections: Sections,
    pub support_offered: Vec<SupportKind>,
    pub metrics: Vec<Metric>,
    pub links: Vec<Link>,
    pub themes: Vec<ThemeRef>,
    pub owners: Vec<OwnerView>,
    pub places: Vec<PlaceView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Where the newest unpublished revision stands.
    pub draft: DraftState,
    /// The newest revision's number (0 for practices imported before revisions existed).
    pub head_revision: u32,
    pub published_revision: Option<u32>,
}

impl PracticeView {
    /// The interchange record, as `riusa export practices` writes it.
    pub fn to_record(&self) -> PracticeRecord {
        PracticeRecord {
            id: Some(self.id),
            slug: self.slug.clone(),
            title: self.title.clone(),
            summary: self.summary.clone(),
            themes: self.themes.iter().map(|t| t.slug.clone()).collect(),
            owners: self
                .owners
                .iter()
                .map(|o| OwnerRef {
                    ipa: o.ipa_code.clone(),
                    role: o.role,
                })
                .collect(),
            period: self.period.clone(),
            funding: self.funding.clone(),
            sections: self.sections.clone(),
            support_offered: self.support_offered.clone(),
            metrics: self.metrics.clone(),
            places: self.places.iter().map(|p| p.istat_code.clone()).collect(),
            links: self.links.clone(),
            license: self.license.clone(),
            status: self.status,
            language: self.language.clone(),
            updated: None,
        }
    }

    /// The record as exports write it: the content and the date it last changed.
    pub fn to_interchange(&self) -> PracticeRecord {
        PracticeRecord {
            updated: Some(self.updated_at),
            ..self.to_record()
        }
    }

    pub fn is_published(&self) -> bool {
        self.status == Status::Published
    }
}
