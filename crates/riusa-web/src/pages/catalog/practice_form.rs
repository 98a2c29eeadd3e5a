//! The practice form: every field of the practice sheet, as an HTML form that works without
//! JavaScript. Lists (owners, funding, figures, links) are rows of parallel fields with a few
//! empty rows to fill; empty rows are dropped. The form turns into the interchange record,
//! which the domain validates like any import.

use chrono::NaiveDate;
use riusa_domain::catalog::{
    Funding, Link, Metric, OwnerRef, OwnerRole, Period, PracticeRecord, SectionKey, Sections,
    Status, SupportKind,
};
use serde::Deserialize;

use crate::messages;
use crate::pages::FormErrors;

/// Empty rows offered after the filled ones.
const SPARE_ROWS: usize = 2;
/// Licences offered in the form (SPDX identifiers); the record may hold any valid one.
pub const LICENSES: [(&str, &str); 5] = [
    ("CC-BY-4.0", "Creative Commons Attribuzione 4.0 (CC BY 4.0)"),
    (
        "CC-BY-SA-4.0",
        "Creative Commons Attribuzione, condividi allo stesso modo 4.0 (CC BY-SA 4.0)",
    ),
    ("CC0-1.0", "Dominio pubblico (CC0 1.0)"),
    (
        "EUPL-1.2",
        "Licenza pubblica dell'Unione europea 1.2 (EUPL 1.2)",
    ),
    ("MIT", "Licenza MIT"),
];

/// The form as posted: repeated keys become lists, in page order.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PracticeForm {
    pub revision: Option<u32>,
    /// `save`, `preview` or `submit`.
    pub action: Option<String>,
    pub title: String,
    pub slug: String,
    pub summary: String,
    pub theme: Vec<String>,
    pub owner_ipa: Vec<String>,
    pub owner_role: Vec<String>,
    pub period_start: String,
    pub period_end: String,
    pub funding_programme: Vec<String>,
    pub funding_axis: Vec<String>,
    pub funding_amount: Vec<String>,
    pub support: Vec<String>,
    pub metric_label: Vec<String>,
    pub metric_value: Vec<String>,
    pub metric_unit: Vec<String>,
    pub places: String,
    pub link_title: Vec<String>,
    pub link_url: Vec<String>,
    pub license: String,
    pub language: String,
    pub motivation: String,
    pub activities: String,
    pub audience: String,
    pub implementation: String,
    pub people_involved: String,
    pub work_group: String,
    pub collaborations: String,
    pub outputs: String,
    pub expected_results: String,
    pub achieved_results: String,
    pub strengths: String,
    pub weaknesses: String,
    pub lessons: String,
    pub transferability: String,
}

fn at(list: &[String], i: usize) -> &str {
    list.get(i).map_or("", |s| s.trim())
}

fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// A number as Italians write it: `1.234,5`, `12.500` (thousands) or `12.5` (a decimal point
/// when the digits after it are not a group of three).
fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim().replace([' ', '\u{a0}'], "");
    let thousands = |t: &str| {
        let mut groups = t.split('.');
        groups.next().is_some_and(|g| !g.is_empty() && g.len() <= 3)
            && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
    };
    let normalized = if text.contains(',') {
        text.replace('.', "").replace(',', ".")
    } else if text.contains('.') && thousands(&text) {
        text.replace('.', "")
    } else {
        text
    };
    normalized.parse::<f64>().ok().filter(|n| n.is_finite())
}

impl PracticeForm {
    pub fn section(&self, key: SectionKey) -> &str {
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

    fn section_mut(&mut self, key: SectionKey) -> &mut String {
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

    /// The form showing `record` (for editing).
    pub fn of(record: &PracticeRecord, revision: u32) -> PracticeForm {
        let mut form = PracticeForm {
            revision: Some(revision),
            title: record.title.clone(),
            slug: record.slug.clone(),
            summary: record.summary.clone(),
            theme: record.themes.clone(),
            owner_ipa: record.owners.iter().map(|o| o.ipa.clone()).collect(),
            owner_role: record
                .owners
                .iter()
                .map(|o| o.role.as_str().to_owned())
                .collect(),
            period_start: record
                .period
                .as_ref()
                .map(|p| p.start.to_string())
                .unwrap_or_default(),
            period_end: record
                .period
                .as_ref()
                .and_then(|p| p.end)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            funding_programme: record.funding.iter().map(|f| f.programme.clone()).collect(),
            funding_axis: record
                .funding
                .iter()
                .map(|f| f.axis.clone().unwrap_or_default())
                .collect(),
            funding_amount: record
                .funding
                .iter()
                .map(|f| {
                    f.amount_cents
                        .map(|c| messages::number(c as f64 / 100.0))
                        .unwrap_or_default()
                })
                .collect(),
            support: record
                .support_offered
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect(),
            metric_label: record.metrics.iter().map(|m| m.label.clone()).collect(),
            metric_value: record
                .metrics
                .iter()
                .map(|m| messages::number(m.value))
                .collect(),
            metric_unit: record
                .metrics
                .iter()
                .map(|m| m.unit.clone().unwrap_or_default())
                .collect(),
            places: record.places.join(", "),
            link_title: record.links.iter().map(|l| l.title.clone()).collect(),
            link_url: record.links.iter().map(|l| l.url.clone()).collect(),
            license: record.license.clone(),
            language: record.language.clone(),
            ..PracticeForm::default()
        };
        for (key, text) in record.sections.present() {
            *form.section_mut(key) = text.to_owned();
        }
        form
    }

    /// An empty form for a new practice, owned by the writer's administrations.
    pub fn new_for(owner_ipa_codes: &[String]) -> PracticeForm {
        PracticeForm {
            owner_ipa: owner_ipa_codes.to_vec(),
            owner_role: owner_ipa_codes.iter().map(|_| "owner".to_owned()).collect(),
            license: "CC-BY-4.0".to_owned(),
            language: "it".to_owned(),
            ..PracticeForm::default()
        }
    }

    /// The record the form describes, or the problems the domain cannot see (a number that
    /// is not one, a malformed date), by form field.
    pub fn to_record(&self) -> Result<PracticeRecord, FormErrors> {
        let mut errors = FormErrors::default();
        let mut date = |field: &str, text: &str| -> Option<NaiveDate> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(date) => Some(date),
                Err(_) => {
                    errors = std::mem::take(&mut errors)
                        .field(field, "non è una data valida (gg/mm/aaaa)");
                    None
                }
            }
        };
        let start = date("period_start", &self.period_start);
        let end = date("period_end", &self.period_end);
        let owners = (0..self.owner_ipa.len())
            .filter(|i| !at(&self.owner_ipa, *i).is_empty())
            .map(|i| OwnerRef {
                ipa: at(&self.owner_ipa, i).to_lowercase(),
                role: if at(&self.owner_role, i) == "partner" {
                    OwnerRole::Partner
                } else {
                    OwnerRole::Owner
                },
            })
            .collect();
        let mut funding = Vec::new();
        for i in 0..self.funding_programme.len() {
            let programme = at(&self.funding_programme, i);
            if programme.is_empty() {
                continue;
            }
            let amount = at(&self.funding_amount, i);
            let amount_cents = if amount.is_empty() {
                None
            } else {
                match parse_number(amount) {
                    Some(euros) if euros >= 0.0 => Some((euros * 100.0).round() as i64),
                    _ => {
                        errors = errors.field(
                            &format!("funding[{i}].amount"),
                            "l'importo deve essere un numero in euro (es. 12.500,00)",
                        );
                        None
                    }
                }
            };
            funding.push(Funding {
                programme: programme.to_owned(),
                axis: optional(at(&self.funding_axis, i)),
                amount_cents,
            });
        }
        let mut metrics = Vec::new();
        for i in 0..self.metric_label.len() {
            let label = at(&self.metric_label, i);
            if label.is_empty() {
                continue;
            }
            match parse_number(at(&self.metric_value, i)) {
                Some(value) => metrics.push(Metric {
                    label: label.to_owned(),
                    value,
                    unit: optional(at(&self.metric_unit, i)),
                }),
                None => {
                    errors = errors.field(
                        &format!("metrics[{i}].value"),
                        "il valore deve essere un numero (es. 776 oppure 12,5)",
                    );
                }
            }
        }
        let links = (0..self.link_url.len())
            .filter(|i| !at(&self.link_url, *i).is_empty())
            .map(|i| Link {
                title: match at(&self.link_title, i) {
                    "" => at(&self.link_url, i).to_owned(),
                    title => title.to_owned(),
                },
                url: at(&self.link_url, i).to_owned(),
            })
            .collect();
        let mut sections = Sections::default();
        for key in SectionKey::ALL {
            if let Some(text) = optional(self.section(key)) {
                sections.set(key, text);
            }
        }
        let support_offered = self
            .support
            .iter()
            .filter_map(|s| SupportKind::parse(s))
            .collect();
        if !errors.is_empty() {
            errors.summary =
                Some("Alcuni campi non sono validi: correggili e salva di nuovo.".into());
            return Err(errors);
        }
        Ok(PracticeRecord {
            id: None,
            slug: self.slug.trim().to_owned(),
            title: self.title.clone(),
            summary: self.summary.clone(),
            themes: self.theme.clone(),
            owners,
            period: start.map(|start| Period { start, end }),
            funding,
            sections,
            support_offered,
            metrics,
            places: self
                .places
                .split([',', ';', ' ', '\n'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect(),
            links,
            license: optional(&self.license).unwrap_or_else(|| "CC-BY-4.0".to_owned()),
            status: Status::Draft,
            language: optional(&self.language).unwrap_or_else(|| "it".to_owned()),
            updated: None,
        })
    }

    /// Rows to show for a list: the filled ones and a few empty ones.
    pub fn rows(filled: usize) -> std::ops::Range<usize> {
        0..filled + SPARE_ROWS
    }

    pub fn value(list: &[String], i: usize) -> &str {
        list.get(i).map_or("", String::as_str)
    }
}

/// A slug suggested from a title: lower-case ASCII words joined by hyphens.
pub fn suggest_slug(title: &str) -> String {
    riusa_domain::text::slug_from(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_survives_the_form_and_back() {
        let record: PracticeRecord = serde_json::from_value(serde_json::json!({
            "slug": "sportello-unico", "title": "Sportello unico", "summary": "Uno sportello.",
            "themes": ["formazione"], "owners": [{"ipa": "c_g148", "role": "owner"}, {"ipa": "r_umbria", "role": "partner"}],
            "period": {"start": "2019-03-01", "end": "2020-12-31"},
            "funding": [{"programme": "POR FSE", "axis": "Asse B", "amount_cents": 1250000}],
            "sections": {"motivation": "Perché.", "lessons": "Cosa abbiamo imparato."},
            "support_offered": ["coaching"], "metrics": [{"label": "Ore", "value": 776, "unit": "ore"}, {"label": "Quota", "value": 12.5}],
            "places": ["055023", "054039"], "links": [{"title": "Sito", "url": "https://example.org/"}],
            "license": "CC-BY-4.0", "status": "draft", "language": "it"
        }))
        .unwrap();
        let form = PracticeForm::of(&record, 3);
        assert_eq!(form.funding_amount, ["12.500"]);
        assert_eq!(form.metric_value, ["776", "12,5"]);
        assert_eq!(form.to_record().unwrap(), record);
    }

    #[test]
    fn empty_rows_are_dropped_and_bad_numbers_named() {
        let form = PracticeForm {
            title: "T".into(),
            metric_label: vec!["Ore".into(), "".into(), "Persone".into()],
            metric_value: vec!["tante".into(), "".into(), "547".into()],
            metric_unit: vec!["".into(), "".into(), "".into()],
            ..PracticeForm::default()
        };
        let errors = form.to_record().unwrap_err();
        assert!(errors.get("metrics[0].value").is_some());
        assert!(errors.get("metrics[2].value").is_none());
    }

    #[test]
    fn numbers_are_read_as_italians_write_them() {
        for (text, value) in [
            ("12.500", 12_500.0),
            ("1.234,5", 1234.5),
            ("12,5", 12.5),
            ("12.5", 12.5),
            ("776", 776.0),
            ("1.250.000", 1_250_000.0),
        ] {
            assert_eq!(parse_number(text), Some(value), "{text}");
        }
        assert_eq!(parse_number("tante"), None);
    }

    #[test]
    fn slugs_are_suggested_from_titles() {
        assert_eq!(
            suggest_slug("Città e comunità: lo Sportello Unico (SUAP)"),
            "citta-e-comunita-lo-sportello-unico-suap"
        );
    }
}
