//! The software record of a `publiccode.yml`, read leniently: whatever has the expected shape
//! is taken, the rest is left to the validator's findings (an invalid file is kept inactive,
//! decision 0024).

use riusa_domain::organizations::normalize_ipa_code;
use riusa_domain::software::{
    Contact, Contractor, Dependency, Description, Maintenance, NewSoftware, StoredFinding,
};

use super::Report;
use super::yaml::{self, Entry, Node};

/// The record a file describes, with the validator's findings; `None` when it cannot be kept:
/// not UTF-8 or YAML, or without the repository `url` that identifies it.
pub fn read_software(source: &[u8], report: &Report) -> Option<NewSoftware> {
    let text = std::str::from_utf8(source).ok()?;
    let docs = yaml::load(text).ok()?;
    let root = docs.first()?;
    let fields = Map::of(root, text)?;
    let url = fields.text("url").filter(|u| !u.is_empty())?;
    let name = fields
        .text("name")
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| last_segment(&url));
    let legal = fields.map("legal");
    let maintenance = fields.map("maintenance");
    let owner_ipa_code = fields
        .map("organisation")
        .and_then(|o| o.text("uri"))
        .and_then(|uri| uri.strip_prefix("urn:x-italian-pa:").map(str::to_owned))
        .or_else(|| {
            fields
                .map("it")
                .and_then(|it| it.map("riuso"))
                .and_then(|riuso| riuso.text("codiceIPA"))
        })
        .map(|code| normalize_ipa_code(&code))
        .filter(|code| !code.is_empty());
    Some(NewSoftware {
        name,
        owner_ipa_code,
        version: fields.text("softwareVersion"),
        release_date: fields
            .text("releaseDate")
            .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        development_status: fields.text("developmentStatus"),
        software_type: fields.text("softwareType"),
        license: legal.as_ref().and_then(|l| l.text("license")),
        platforms: fields.texts("platforms"),
        categories: fields.texts("categories"),
        scopes: fields
            .map("intendedAudience")
            .map(|a| a.texts("scope"))
            .unwrap_or_default(),
        descriptions: fields
            .map("description")
            .map(|d| {
                d.entries()
                    .map(|(lang, value)| description(lang, value, text))
                    .collect()
            })
            .unwrap_or_default(),
        maintenance: Maintenance {
            kind: maintenance.as_ref().and_then(|m| m.text("type")),
            contacts: maintenance
                .as_ref()
                .map(|m| m.maps("contacts"))
                .unwrap_or_default()
                .iter()
                .map(|c| Contact {
                    name: c.text("name").unwrap_or_default(),
                    email: c.text("email"),
                    phone: c.text("phone"),
                    affiliation: c.text("affiliation"),
                })
                .collect(),
            contractors: maintenance
                .as_ref()
                .map(|m| m.maps("contractors"))
                .unwrap_or_default()
                .iter()
                .map(|c| Contractor {
                    name: c.text("name").unwrap_or_default(),
                    until: c.text("until"),
                    email: c.text("email"),
                    website: c.text("website"),
                })
                .collect(),
        },
        dependencies: fields
            .map("dependsOn")
            .map(|d| dependencies(&d))
            .unwrap_or_default(),
        used_by: fields.texts("usedBy"),
        landing_url: fields.text("landingURL"),
        logo: fields.text("logo"),
        source: text.to_owned(),
        findings: report
            .findings
            .iter()
            .map(|f| StoredFinding {
                severity: f.severity.as_str().to_owned(),
                key: f.key.clone(),
                description: f.description.clone(),
                line: f.line,
                column: f.column,
            })
            .collect(),
        url,
    })
}

fn description(language: &str, node: &Node<'_>, source: &str) -> Description {
    let Some(fields) = Map::of(node, source) else {
        return Description {
            language: language.to_owned(),
            ..Description::default()
        };
    };
    Description {
        language: language.to_owned(),
        localised_name: fields.text("localisedName"),
        short_description: fields.text("shortDescription"),
        long_description: fields.text("longDescription"),
        documentation: fields.text("documentation"),
        features: fields.texts("features"),
        screenshots: fields.texts("screenshots"),
        videos: fields.texts("videos"),
    }
}

fn dependencies(depends_on: &Map<'_, '_, '_>) -> Vec<Dependency> {
    ["open", "proprietary", "hardware"]
        .into_iter()
        .flat_map(|kind| {
            depends_on.maps(kind).into_iter().map(move |d| Dependency {
                kind: kind.to_owned(),
                name: d.text("name").unwrap_or_default(),
                version_min: d.text("versionMin"),
                version_max: d.text("versionMax"),
                version: d.text("version"),
                optional: d.boolean("optional").unwrap_or(false),
            })
        })
        .collect()
}

/// The repository's last path segment, for a file without a name.
fn last_segment(url: &str) -> String {
    url.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(url)
        .trim_end_matches(".git")
        .to_owned()
}

/// A mapping of the file, asked for values of the expected shape only.
struct Map<'n, 'a, 's> {
    entries: Vec<Entry<'n, 'a>>,
    source: &'s str,
}

impl<'n, 'a, 's> Map<'n, 'a, 's> {
    fn of(node: &'n Node<'a>, source: &'s str) -> Option<Self> {
        Some(Map {
            entries: yaml::mapping(node, source)?,
            source,
        })
    }

    fn node(&self, name: &str) -> Option<&'n Node<'a>> {
        self.entries
            .iter()
            .find(|e| e.name == name)
            .map(|e| e.value)
    }

    fn entries(&self) -> impl Iterator<Item = (&str, &'n Node<'a>)> {
        self.entries.iter().map(|e| (e.name.as_str(), e.value))
    }

    fn text(&self, name: &str) -> Option<String> {
        self.node(name)
            .and_then(|n| yaml::text(n, self.source))
            .map(|t| t.trim().to_owned())
    }

    fn boolean(&self, name: &str) -> Option<bool> {
        self.node(name).and_then(yaml::boolean)
    }

    /// The text items of a list; a single text counts as a list of one.
    fn texts(&self, name: &str) -> Vec<String> {
        let Some(node) = self.node(name) else {
            return Vec::new();
        };
        match yaml::sequence(node) {
            Some(items) => items
                .iter()
                .filter_map(|item| yaml::text(item, self.source))
                .map(|t| t.trim().to_owned())
                .collect(),
            None => yaml::text(node, self.source)
                .map(|t| vec![t.trim().to_owned()])
                .unwrap_or_default(),
        }
    }

    fn map(&self, name: &str) -> Option<Map<'n, 'a, 's>> {
        Map::of(self.node(name)?, self.source)
    }

    fn maps(&self, name: &str) -> Vec<Map<'n, 'a, 's>> {
        self.node(name)
            .and_then(yaml::sequence)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| Map::of(item, self.source))
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publiccode::{Options, validate};

    const SAMPLE: &str = "publiccodeYmlVersion: \"0.4\"\nname: Medusa\nurl: \"https://github.com/italia/medusa.git\"\nsoftwareVersion: \"1.0\"\nreleaseDate: \"2017-04-15\"\nplatforms:\n  - web\ncategories:\n  - cloud-management\ndevelopmentStatus: development\nsoftwareType: \"standalone/desktop\"\norganisation:\n  uri: \"urn:x-italian-pa:c_h501\"\nusedBy:\n  - Comune di Roma\nintendedAudience:\n  scope:\n    - government\ndescription:\n  en:\n    shortDescription: A rather short description\n    longDescription: Very long description\n    features:\n      - Just one feature\n  it:\n    shortDescription: Una descrizione breve\nlegal:\n  license: AGPL-3.0-or-later\nmaintenance:\n  type: \"community\"\n  contacts:\n    - name: Francesco Rossi\n      email: f.rossi@example.com\ndependsOn:\n  open:\n    - name: MySQL\n      versionMin: \"1.1\"\n      optional: true\nlocalisation:\n  localisationReady: true\n  availableLanguages:\n    - en\n";

    #[test]
    fn a_file_is_read_into_its_record() {
        let report = validate(SAMPLE.as_bytes(), &Options::default());
        let record = read_software(SAMPLE.as_bytes(), &report);
        let Some(record) = record else {
            panic!("no record");
        };
        assert_eq!(record.url, "https://github.com/italia/medusa.git");
        assert_eq!(record.name, "Medusa");
        assert_eq!(record.owner_ipa_code.as_deref(), Some("c_h501"));
        assert_eq!(record.license.as_deref(), Some("AGPL-3.0-or-later"));
        assert_eq!(record.scopes, ["government"]);
        assert_eq!(record.descriptions.len(), 2);
        assert_eq!(record.descriptions[0].features, ["Just one feature"]);
        assert_eq!(record.maintenance.contacts[0].name, "Francesco Rossi");
        assert_eq!(record.dependencies[0].name, "MySQL");
        assert!(record.dependencies[0].optional);
        assert_eq!(record.used_by, ["Comune di Roma"]);
        assert_eq!(record.source, SAMPLE);
    }

    #[test]
    fn a_file_without_url_cannot_be_kept() {
        let source = b"name: Senza indirizzo\n";
        let report = validate(source, &Options::default());
        assert!(read_software(source, &report).is_none());
        assert!(read_software(b"a: [", &report).is_none());
    }
}
