//! Administrations (IPA registry) and the comuni they sit in (ISTAT).

/// A comune as read from the ISTAT files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMunicipality {
    pub istat_code: String,
    pub name: String,
    pub region_code: String,
    pub region_name: String,
    pub province_code: String,
    pub province_name: String,
    pub province_abbr: Option<String>,
    pub cadastral_code: String,
    pub population: Option<i64>,
}

/// An administration as read from the IPA file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrganization {
    pub ipa_code: String,
    pub name: String,
    pub kind: String,
    pub category_code: String,
    pub category_name: String,
    pub istat_code: Option<String>,
    pub is_municipality: bool,
    pub website: Option<String>,
}

/// IPA category of the comuni (`L6`): these administrations are linked to their own ISTAT code.
pub const MUNICIPALITY_CATEGORY: &str = "L6";

/// The IPA code of a comune is `c_` plus its cadastral code, lower-cased (`c_h501` for Roma).
pub fn municipality_ipa_code(cadastral_code: &str) -> String {
    format!("c_{}", cadastral_code.trim().to_lowercase())
}

/// IPA codes are compared case-insensitively; riusa stores them lower-case.
pub fn normalize_ipa_code(code: &str) -> String {
    code.trim().to_lowercase()
}

/// ISTAT comune codes have six digits; the IPA file sometimes drops leading zeros.
pub fn normalize_istat_code(code: &str) -> Option<String> {
    let code = code.trim();
    if code.is_empty() || code.len() > 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("{code:0>6}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn istat_codes_are_padded_to_six_digits() {
        assert_eq!(normalize_istat_code("1001").as_deref(), Some("001001"));
        assert_eq!(normalize_istat_code("058091").as_deref(), Some("058091"));
        assert_eq!(normalize_istat_code("5809A"), None);
        assert_eq!(normalize_istat_code(""), None);
    }

    #[test]
    fn municipality_code_follows_cadastral_code() {
        assert_eq!(municipality_ipa_code("H501"), "c_h501");
    }
}
