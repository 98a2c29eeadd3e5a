//! A practice as the index holds it: searchable text, facets, sort keys and a stored card that
//! lists render without touching the database.

use chrono::{Datelike, NaiveDate};
use riusa_store::{PracticeView, ThemeRef};
use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;
use tantivy::schema::Facet;
use uuid::Uuid;

use crate::analysis::fold;
use crate::schema::Fields;
use crate::text::append_sections;

/// What a result list shows of a practice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeCard {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub themes: Vec<ThemeRef>,
    pub owners: Vec<CardOwner>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardOwner {
    pub ipa_code: String,
    pub name: String,
    pub role: riusa_domain::catalog::OwnerRole,
}

impl PracticeCard {
    pub fn of(view: &PracticeView) -> PracticeCard {
        PracticeCard {
            id: view.id,
            slug: view.slug.clone(),
            title: view.title.clone(),
            summary: view.summary.clone(),
            themes: view.themes.clone(),
            owners: view
                .owners
                .iter()
                .map(|o| CardOwner {
                    ipa_code: o.ipa_code.clone(),
                    name: o.name.clone(),
                    role: o.role,
                })
                .collect(),
            period_start: view.period.as_ref().map(|p| p.start),
            period_end: view.period.as_ref().and_then(|p| p.end),
        }
    }
}

/// One facet segment; '/' would split it into a hierarchy.
pub(crate) fn facet(value: &str) -> Facet {
    Facet::from_path([value.replace('/', "-")])
}

/// The facet values of a view, per facet field.
pub(crate) struct FacetValues {
    pub themes: Vec<String>,
    pub regions: Vec<String>,
    pub org_types: Vec<String>,
    pub period: Option<String>,
    pub support: Vec<String>,
}

pub(crate) fn facet_values(view: &PracticeView) -> FacetValues {
    let mut regions: Vec<String> = view
        .owners
        .iter()
        .filter_map(|o| o.region_name.clone())
        .chain(view.places.iter().map(|p| p.region_name.clone()))
        .collect();
    regions.sort();
    regions.dedup();
    let mut org_types: Vec<String> = view
        .owners
        .iter()
        .map(|o| o.category_name.clone())
        .collect();
    org_types.sort();
    org_types.dedup();
    FacetValues {
        themes: view.themes.iter().map(|t| t.slug.clone()).collect(),
        regions,
        org_types,
        period: view.period.as_ref().map(|p| p.start.year().to_string()),
        support: view
            .support_offered
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect(),
    }
}

/// Everything a visitor may search for, as plain text: summary, sections, names of owners,
/// themes and places, figures and funding.
pub(crate) fn body_text(view: &PracticeView) -> String {
    let mut body = view.summary.clone();
    append_sections(&mut body, &view.sections);
    let mut line = |text: &str| {
        body.push('\n');
        body.push_str(text);
    };
    for owner in &view.owners {
        line(&owner.name);
    }
    for theme in &view.themes {
        line(&theme.name);
    }
    for place in &view.places {
        line(&place.name);
    }
    for metric in &view.metrics {
        line(&metric.label);
    }
    for funding in &view.funding {
        line(&funding.programme);
    }
    body
}

/// Days since 1970-01-01 of the start, so that "newest" sorts by when the experience began.
pub(crate) fn newest_key(view: &PracticeView) -> i64 {
    view.period.as_ref().map_or(i64::MIN, |p| {
        i64::from(p.start.num_days_from_ce()) - i64::from(NaiveDate::default().num_days_from_ce())
    })
}

pub(crate) fn to_document(
    view: &PracticeView,
    fields: &Fields,
) -> Result<TantivyDocument, serde_json::Error> {
    let body = body_text(view);
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.id, view.id.to_string());
    doc.add_text(fields.slug, &view.slug);
    doc.add_text(fields.title, &view.title);
    doc.add_text(fields.title_root, &view.title);
    doc.add_text(fields.summary, &view.summary);
    doc.add_text(fields.body_root, &body);
    doc.add_text(fields.plain, &view.title);
    doc.add_text(fields.plain, &body);
    doc.add_text(fields.body, body);
    doc.add_text(fields.card, serde_json::to_string(&PracticeCard::of(view))?);
    for owner in &view.owners {
        doc.add_text(fields.owner, &owner.ipa_code);
    }
    let facets = facet_values(view);
    for theme in &facets.themes {
        doc.add_facet(fields.theme, facet(theme));
    }
    for region in &facets.regions {
        doc.add_facet(fields.region, facet(region));
    }
    for org_type in &facets.org_types {
        doc.add_facet(fields.org_type, facet(org_type));
    }
    if let Some(period) = &facets.period {
        doc.add_facet(fields.period, facet(period));
    }
    for support in &facets.support {
        doc.add_facet(fields.support, facet(support));
    }
    doc.add_i64(fields.newest, newest_key(view));
    doc.add_text(fields.title_sort, fold(&view.title));
    Ok(doc)
}
