//! The value lists of the standard and the small syntactic checks the reference makes with
//! go-playground/validator (dates, e-mail addresses, MIME types, country codes).

use std::sync::OnceLock;

/// The versions the reference parser accepts, in its order (its error message lists them).
pub const SUPPORTED_VERSIONS: &[&str] = &[
    "0", "0.2", "0.2.0", "0.2.1", "0.2.2", "0.3", "0.3.0", "0.4", "0.4.0", "0.5.0", "0.5", "0.7.0",
    "0.7",
];

/// The version files are read as; `"0"` means "the latest 0.x" and gets no warning.
pub const LATEST_VERSION: &str = "0.7";

pub const DEVELOPMENT_STATUSES: &[&str] = &["concept", "development", "beta", "stable", "obsolete"];

pub const SOFTWARE_TYPES: &[&str] = &[
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
];

pub const MAINTENANCE_TYPES: &[&str] = &["internal", "contract", "community", "none"];

pub const COUNTRY_EXTENSION_VERSIONS: &[&str] = &["0.2", "1.0"];

/// `supports` aliases (`docs/standard/aliases-list.rst`).
pub const ALIASES: &[&str] = &[
    "gdpr", "eidas", "nis2", "cra", "spid", "cie", "anpr", "pagopa", "io",
];

/// The prefix of an Italian administration's organisation URI.
pub const ITALIAN_PA_URN: &str = "urn:x-italian-pa:";

const CATEGORIES: &str = include_str!("data/categories.txt");
const SCOPES: &str = include_str!("data/scopes.txt");
const OEMBED_SCHEMES: &str = include_str!("data/oembed_schemes.json");

// ISO 3166-1 alpha-2, as Debian's iso-codes lists it (249 codes).
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI \
BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ \
GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN \
KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS \
MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT \
PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF \
TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM \
ZW";

pub fn is_category(value: &str) -> bool {
    CATEGORIES.lines().any(|line| line.trim() == value)
}

pub fn is_scope(value: &str) -> bool {
    SCOPES.lines().any(|line| line.trim() == value)
}

/// Upper case, or lower case (deprecated, a warning elsewhere), never mixed.
pub fn is_country(value: &str) -> bool {
    let upper = value.to_ascii_uppercase();
    (value == upper || value == value.to_ascii_lowercase())
        && value.len() == 2
        && COUNTRIES.split_whitespace().any(|code| code == upper)
}

/// `YYYY-MM-DD` exactly, and a day that exists.
pub fn is_date(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit())
        && chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok()
}

/// The shape go-playground's `email` accepts, simplified: one `@`, a local part without
/// spaces, a domain of dot-separated labels.
pub fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && !local.contains(char::is_whitespace)
        && !domain.contains('@')
        && domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// `type/subtype` with RFC 6838's restricted name characters.
pub fn is_mime_type(value: &str) -> bool {
    fn restricted_name(name: &str) -> bool {
        let mut chars = name.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
            && name.len() <= 127
            && chars.all(|c| c.is_ascii_alphanumeric() || "!#$&-^_.+".contains(c))
    }
    value
        .split_once('/')
        .is_some_and(|(kind, subtype)| restricted_name(kind) && restricted_name(subtype))
}

/// A BCP 47 tag that is well formed and whose subtags are in the IANA registry.
pub fn is_language_tag(value: &str) -> bool {
    language_tags::LanguageTag::parse(value).is_ok_and(|tag| tag.is_valid())
}

/// A valid SPDX licence expression (SPDX's own identifiers, `LicenseRef-`, `WITH` exceptions).
pub fn is_spdx_expression(value: &str) -> bool {
    spdx::Expression::parse(value).is_ok()
}

fn oembed_schemes() -> &'static [String] {
    static SCHEMES: OnceLock<Vec<String>> = OnceLock::new();
    // The list is ours, compiled in; were it broken, no video would pass and the tests say so.
    SCHEMES.get_or_init(|| serde_json::from_str(OEMBED_SCHEMES).unwrap_or_default())
}

/// Whether a video URL matches the pattern of an oEmbed provider (`*`: any run of characters).
pub fn is_oembed_url(url: &str) -> bool {
    oembed_schemes()
        .iter()
        .any(|scheme| glob_matches(scheme, url))
}

fn glob_matches(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let Some(first) = parts.next() else {
        return false;
    };
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_lists_come_from_the_standard() {
        assert!(is_category("accounting") && is_category("other"));
        assert!(!is_category("Accounting") && !is_category(""));
        assert!(is_scope("local-authorities") && !is_scope("locale"));
    }

    #[test]
    fn countries_are_one_case_and_known() {
        assert!(is_country("IT") && is_country("it"));
        assert!(!is_country("It") && !is_country("XX") && !is_country("ITA"));
    }

    #[test]
    fn dates_are_iso_days() {
        assert!(is_date("2017-04-15") && is_date("2024-02-29"));
        assert!(!is_date("2023-02-29") && !is_date("2017-4-15") && !is_date("2017-04-15T10:00"));
    }

    #[test]
    fn videos_match_provider_patterns() {
        assert!(is_oembed_url("https://www.youtube.com/watch?v=RaHmGbBOP84"));
        assert!(is_oembed_url("https://vimeo.com/12345"));
        assert!(!is_oembed_url("https://google.com"));
        assert!(!is_oembed_url("https://youtu.be"));
    }

    #[test]
    fn small_syntaxes() {
        assert!(is_email("mario.rossi@comune.roma.it") && !is_email("mario.rossi@"));
        assert!(is_mime_type("text/plain") && is_mime_type("application/x.empty"));
        assert!(!is_mime_type("text") && !is_mime_type("text/"));
        assert!(
            is_language_tag("it") && is_language_tag("en-GB") && is_language_tag("sl-IT-nedis")
        );
        assert!(!is_language_tag("en_GB") && !is_language_tag("xx-zz-12"));
        assert!(is_spdx_expression("EUPL-1.2 OR AGPL-3.0-or-later"));
        assert!(!is_spdx_expression("Licenza libera"));
    }
}
